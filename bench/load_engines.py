"""Engines and measurements for `bench/load.py`: moodbot, default-config model, RSS, seeding.

The moodbot is `rasa init --no-prompt` (trained by it) kept in var/bench-load/moodbot;
the default-config model is Rasa's own default config trained on Medverk's data into
var/bench-load/default-config-models (`rasa train` skips training when nothing changed).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from medverk.runner import free_port
from medverk.settings import PROJECT_ROOT

__all__ = [
    "default_config_model",
    "moodbot_engine",
    "peak_rss_mb",
    "seed_tracker_conversations",
    "stored_inputs",
]

BENCH_DIR = PROJECT_ROOT / "var" / "bench-load"
RASA = PROJECT_ROOT / ".venv" / "rasa" / "bin" / "rasa"
RASA_DEFAULT_CONFIG = (
    PROJECT_ROOT
    / ".venv/rasa/lib/python3.10/site-packages/rasa/engine/recipes/config_files"
    / "default_config.yml"
)


def _rasa_env() -> dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(PROJECT_ROOT))
    env.setdefault("MEDVERK_ACTION_SERVER_URL", "http://127.0.0.1:5055")
    env.setdefault("MEDVERK_RASA_TRACKER_DB", str(BENCH_DIR / "train_tracker.db"))
    return env


def default_config_model() -> Path:
    """Rasa's default config trained on Medverk's domain and data (cached)."""
    out = BENCH_DIR / "default-config-models"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print("  training Rasa's default config on Medverk's data (cached) ...", flush=True)
    with open(BENCH_DIR / "default-train.log", "ab") as log:
        subprocess.run(  # noqa: S603 - fixed argument list
            [str(RASA), "train", "--domain", "domain", "--config", str(RASA_DEFAULT_CONFIG),
             "--data", "data/nlu", "data/rules", "data/stories", "--out", str(out)],
            cwd=PROJECT_ROOT, env=_rasa_env(), stdout=log, stderr=subprocess.STDOUT, check=True,
        )  # fmt: skip
    return out


def _moodbot_dir() -> Path:
    bot = BENCH_DIR / "moodbot"
    if not any((bot / "models").glob("*.tar.gz")):
        print("  rasa init --no-prompt (trains the moodbot) ...", flush=True)
        bot.mkdir(parents=True, exist_ok=True)
        with open(BENCH_DIR / "moodbot-init.log", "ab") as log:
            subprocess.run(  # noqa: S603
                [str(RASA), "init", "--no-prompt", "--init-dir", str(bot)],
                cwd=BENCH_DIR, env=_rasa_env(), stdout=log, stderr=subprocess.STDOUT, check=True,
            )  # fmt: skip
    return bot


@contextmanager
def moodbot_engine(timeout: float = 900) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Stock `rasa run` of the moodbot on a free port: (its URL, its process)."""
    bot = _moodbot_dir()
    port = free_port()
    with open(BENCH_DIR / "moodbot-run.log", "ab") as log:
        process = subprocess.Popen(  # noqa: S603
            [str(RASA), "run", "--model", "models", "--interface", "127.0.0.1",
             "--port", str(port)],
            cwd=bot, env=_rasa_env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the moodbot did not start; see {BENCH_DIR}/moodbot-run.log")
            time.sleep(0.5)
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and the rest of its process group, MB."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pgrp = int(stat.rsplit(")", 1)[1].split()[2])
            if pgrp != pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return round(total_kb / 1024, 1)


def seed_tracker_conversations(tracker_db: Path, count: int, tag: str) -> None:
    """Up to `count` stored conversations of four events each, straight into Rasa's table."""
    with sqlite3.connect(tracker_db) as db:
        have = db.execute("SELECT count(DISTINCT sender_id) FROM events").fetchone()[0]
        now = time.time()
        rows = []
        for n in range(max(0, count - have)):
            sender = f"web:seed-{tag}-{n:07d}"
            user = {"event": "user", "text": "hei", "parse_data": {"intent": {"name": "greet"}}}
            for i, (kind, intent, action, data) in enumerate(
                [
                    ("action", None, "action_session_start", {"event": "action"}),
                    ("session_started", None, None, {"event": "session_started"}),
                    ("user", "greet", None, user),
                    ("bot", None, None, {"event": "bot", "text": "Hei!"}),
                ]
            ):
                stamp = now - 3600 + n * 1e-3 + i * 1e-4
                rows.append((sender, kind, stamp, intent, action, json.dumps(data)))
        db.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def stored_inputs(database_url: str) -> int:
    """Rows in the store's inputs table (the bench runs on the SQLite store)."""
    path = database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM inputs").fetchone()[0])
