"""Triage 200 new inputs in the officer app as it was before the workflow change
("today") and as it is now ("new"), counting page loads and clicks in one scripted
browser run each (bench/officer_triage.mjs). Prints a JSON line per flow and the
ratio; exits 1 if the new flow needs more than a fifth of today's loads or clicks.

"Today" is the tree just before migration 0005_officer_workflow was added
(`git archive`, nothing is checked out); each app gets its own gateway on a free
loopback port and its own SQLite database, seeded by
tests/browser/officer_workflow_seed.py. No Rasa is needed: only the officer app
is used.

    .venv/app/bin/python bench/officer_triage.py     # or: make bench-triage
"""

# Fixed argument lists of our own tools (git, node, the venv python): nothing untrusted.
# ruff: noqa: S603, S607
from __future__ import annotations

import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "app" / "bin" / "python"
# The migration was first added as 0004_officer_workflow (renumbered 0005 when merged).
MIGRATION = "medverk/store/migrations/versions/0004_officer_workflow.py"
COUNT = 200
CASE = "2099/200"


def _free_port() -> int:
    sys.path.insert(0, str(ROOT))
    from medverk.runner import free_port

    return free_port()


def _baseline(into: Path) -> Path:
    """The source tree just before the workflow change, unpacked into `into`.

    `--full-history`: the file was renamed (0005) in a merge, so plain history
    simplification no longer reaches the commit that added it.
    """
    added = subprocess.run(
        ["git", "log", "--full-history", "--format=%H", "--diff-filter=A", "-1", "--", MIGRATION],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    archive = subprocess.run(
        ["git", "archive", f"{added}^"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _run_flow(flow: str, tree: Path, work: Path, password: str) -> dict[str, object]:
    var = work / flow
    var.mkdir()
    port = _free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(tree),
        MEDVERK_VAR_DIR=str(var),
        MEDVERK_DATABASE_URL=f"sqlite+aiosqlite:///{var / 'medverk.db'}",
        MEDVERK_PORT=str(port),
        MEDVERK_HOST="127.0.0.1",
        MEDVERK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        MEDVERK_DEFAULT_MALFORM="nn",
        RASA_TELEMETRY_ENABLED="false",
    )
    migrate = (
        "import os; from medverk.store.migrate import upgrade_head; "
        "upgrade_head(os.environ['MEDVERK_DATABASE_URL'])"
    )
    subprocess.run([str(PYTHON), "-c", migrate], cwd=tree, env=env, check=True)
    seeded = subprocess.run(
        [str(PYTHON), str(ROOT / "tests/browser/officer_workflow_seed.py"), CASE, str(COUNT)],
        cwd=tree, env=env, input=password + "\n", check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    with open(var / "gateway.log", "wb") as log:
        gateway = subprocess.Popen(
            [str(PYTHON), "-m", "bot"], cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/officer/login", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.5)
        result = subprocess.run(
            ["node", str(ROOT / "bench/officer_triage.mjs")],
            cwd=ROOT,
            env=dict(os.environ, BASE_URL=url, FLOW=flow, SEEDED=seeded, PASSWORD=password),
            capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"{flow} flow failed:\n{result.stdout}\n{result.stderr}")
        outcome: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
        print(json.dumps(outcome), flush=True)
        return outcome
    finally:
        gateway.terminate()
        gateway.wait(timeout=20)


def main() -> int:
    only = sys.argv[1] if len(sys.argv) > 1 else ""  # "new" or "today": one flow only
    password = "triage-" + secrets.token_hex(12)
    with tempfile.TemporaryDirectory(prefix="medverk-triage-") as tmp:
        work = Path(tmp)
        results = {}
        if only != "new":
            results["today"] = _run_flow("today", _baseline(work / "today-tree"), work, password)
        if only != "today":
            results["new"] = _run_flow("new", ROOT, work, password)
    if only:
        return 0
    ratio = {
        key: round(results["new"][key] / results["today"][key], 3)  # type: ignore[operator]
        for key in ("loads", "clicks")
    }
    print(json.dumps({"ratio_new_to_today": ratio}))
    return 0 if max(ratio.values()) <= 0.2 else 1


if __name__ == "__main__":
    sys.exit(main())
