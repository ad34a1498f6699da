"""Benchmark: NLU parse latency of a trained model, and the cost of the Norwegian pipeline.

Reports (a) building the spaCy pipeline from its sources and loading it from the
var/ cache, (b) målform detection per message, (c) loading the Rasa model and
parsing the held-out messages (latency percentiles, messages per second).

    .venv/rasa/bin/python bench/nlu_parse.py                       # newest model in models/
    .venv/rasa/bin/python bench/nlu_parse.py --model var/nlu-report/models/x.tar.gz --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _newest_model() -> Path:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("No model in models/: run `make train` or pass --model")
    return models[-1]


def bench_pipeline() -> None:
    """Build from sources into a temp dir, then load from that cache."""
    from nlu.norwegian import build_pipeline, load_pipeline, save_pipeline, source_fingerprint

    started = time.perf_counter()
    nlp = build_pipeline()
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "nb_medverk"
        save_pipeline(nlp, cache, source_fingerprint())
        started = time.perf_counter()
        load_pipeline(cache)
        loaded = time.perf_counter() - started
    print(f"spaCy pipeline: build from sources {built:.2f} s, load from cache {loaded:.2f} s")


def bench_malform(texts: list[str], rounds: int) -> None:
    """Målform detection alone (pure Python)."""
    from nlu.malform import malform_for

    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            malform_for(text, None)
    per = (time.perf_counter() - started) / (rounds * len(texts))
    print(f"målform detection: {per * 1e6:.0f} µs per message")


def bench_parse(model: Path, texts: list[str], rounds: int) -> None:
    """Model load time and parse latency through Rasa's Agent."""
    from rasa.core.agent import Agent

    started = time.perf_counter()
    agent = Agent.load(str(model))
    print(f"model load: {time.perf_counter() - started:.2f} s ({model.name})")

    async def parse_all() -> list[float]:
        await agent.parse_message("hei")  # warm-up
        latencies = []
        for _ in range(rounds):
            for text in texts:
                began = time.perf_counter()
                await agent.parse_message(text)
                latencies.append(time.perf_counter() - began)
        return latencies

    latencies = asyncio.run(parse_all())
    total = sum(latencies)
    print(
        f"parse: {len(latencies)} messages, p50 {_percentile(latencies, 0.5) * 1e3:.1f} ms,"
        f" p95 {_percentile(latencies, 0.95) * 1e3:.1f} ms,"
        f" p99 {_percentile(latencies, 0.99) * 1e3:.1f} ms,"
        f" mean {statistics.mean(latencies) * 1e3:.1f} ms, {len(latencies) / total:.0f} messages/s"
    )


def main() -> None:
    """Run the three benchmarks and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    from scripts.nlu_report import read_heldout

    texts = [m.text for m in read_heldout()]
    print(f"os.cpu_count()={os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    bench_pipeline()
    bench_malform(texts, max(args.rounds, 20))
    bench_parse(args.model or _newest_model(), texts, args.rounds)


if __name__ == "__main__":
    main()
