"""Benchmark: case look-ups by the real actions with 10,000 agenda items in the store.

Builds eInnsyn-shaped data (the shipped sample plus generated meetings, so
search has realistic company), syncs it into a fresh database through the
real parser and repository (timed), then runs the case actions with rasa-sdk's
Tracker and CollectingDispatcher and reports latency percentiles.

    .venv/app/bin/python bench/case_lookup.py                 # SQLite in a temp dir
    .venv/app/bin/python bench/case_lookup.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

PostgreSQL runs in a throw-away database (dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

PLACES = [
    "Nordvik", "Sørvik", "Austbygda", "Vestre Li", "Fjellheim", "Strand", "Holmen", "Bakken",
    "Elvebakken", "Lia", "Myra", "Haugen", "Sandvik", "Tangen", "Berg", "Dalen", "Furuli",
    "Granly", "Kleiva", "Leite", "Moen", "Nesset", "Ormli", "Rud", "Sæter", "Tveit", "Ulvik",
    "Vollen", "Øvre Li", "Åsen",
]  # fmt: skip


def generated_meetings(sample: dict[str, Any], total_items: int) -> list[dict[str, Any]]:
    """Meetings like the sample's, with renamed agenda items, until `total_items` exist."""
    templates = [sak for meeting in sample["items"] for sak in meeting["moetesak"]]
    meetings: list[dict[str, Any]] = []
    count = sum(len(m["moetesak"]) for m in sample["items"])
    number = 0
    while count < total_items:
        base = copy.deepcopy(sample["items"][number % len(sample["items"])])
        year = 2019 + number % 8
        base["id"] = f"mm_bench{number:06d}"
        base["moetedato"] = f"{year}-{(number % 12) + 1:02d}-{(number % 27) + 1:02d}T17:00:00+01:00"
        saker = []
        for slot in range(10):
            if count >= total_items:
                break
            template = copy.deepcopy(templates[(number * 10 + slot) % len(templates)])
            place = PLACES[(number + slot) % len(PLACES)]
            template["id"] = f"ms_bench{number:06d}{slot}"
            template["moetesaksaar"] = year
            template["moetesakssekvensnummer"] = 2000 + number * 10 + slot
            title = f"{template['offentligTittel']} – {place}"
            template["offentligTittel"] = template["offentligTittelSensitiv"] = title
            template["moetemappe"] = base["id"]
            saker.append(template)
            count += 1
        base["moetesak"] = saker
        meetings.append(base)
        number += 1
    return sample["items"] + meetings


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _admin_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _postgres_database(url: str) -> tuple[str, str]:
    """A throw-away database next to the one `url` names; its URL and name."""
    import asyncpg

    name = "bench_" + uuid.uuid4().hex[:10]
    conn = await asyncpg.connect(_admin_dsn(url))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}", name


async def _drop_database(url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_admin_dsn(url))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def bench(database_url: str, items: int, rounds: int) -> dict[str, Any]:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions import store
    from actions.case_details import ActionCaseDetails
    from actions.case_list import ActionUpcomingCases
    from medverk.cases.einnsyn_format import batch_from_moetemapper
    from medverk.cases.terms import text_terms
    from medverk.store import cases_repo
    from medverk.store.db import create_engine, create_sessionmaker
    from medverk.store.migrate import upgrade_head

    await asyncio.to_thread(upgrade_head, database_url)
    sample = json.loads((PROJECT_ROOT / "data/cases/eksempelvik.json").read_text("utf-8"))
    meetings = generated_meetings(sample, items)
    text_terms("oppvarming")  # load the spaCy pipeline outside the timing

    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    started = time.perf_counter()
    batch = batch_from_moetemapper(meetings, sample["kommune"], is_sample=True)
    parsed = time.perf_counter()
    async with sessionmaker.begin() as session:
        await cases_repo.replace_cases(session, batch)
        await cases_repo.record_sync_run(
            session, source="bench", started_at=cases_repo.utcnow(), ok=True,
            items_synced=len(batch.items),
        )  # fmt: skip
    stored = time.perf_counter()
    await engine.dispose()

    os.environ["MEDVERK_DATABASE_URL"] = database_url
    store.reset()

    def tracker(text: str, intent: str, entities: list[dict[str, str]]) -> Tracker:
        return Tracker.from_dict(
            {
                "sender_id": "web:bench",
                "slots": {"malform": "nn"},
                "latest_message": {"text": text, "intent": {"name": intent}, "entities": entities},
                "events": [],
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": None,
            }
        )

    cases = {
        "details by case number": (
            ActionCaseDetails(),
            tracker("kva går sak 24/1187 ut på?", "ask_case_details",
                    [{"entity": "case_ref", "value": "24/1187"}]),
        ),
        "details by topic words": (
            ActionCaseDetails(),
            tracker("når er høyringsfristen for kulturhussaka?", "ask_case_details", []),
        ),
        "upcoming cases, first page": (
            ActionUpcomingCases(),
            tracker("kva saker kjem opp snart?", "ask_upcoming_cases", []),
        ),
    }  # fmt: skip
    results: dict[str, Any] = {}
    for label, (action, tr) in cases.items():
        await action.run(CollectingDispatcher(), tr, {})  # warm-up (connection, caches)
        samples = []
        for _ in range(rounds):
            dispatcher = CollectingDispatcher()
            begin = time.perf_counter()
            await action.run(dispatcher, tr, {})
            samples.append((time.perf_counter() - begin) * 1000)
            assert (
                dispatcher.messages
                and dispatcher.messages[0]["response"] != "utter_cases_unavailable"
            )
        results[label] = {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(percentile(samples, 0.95), 1),
            "max_ms": round(max(samples), 1),
        }
    await store.get_sessionmaker().kw["bind"].dispose()
    store.reset()
    return {
        "items": len(batch.items),
        "meetings": len(batch.meetings),
        "parse_seconds": round(parsed - started, 2),
        "store_seconds": round(stored - parsed, 2),
        "rounds": rounds,
        "latency": results,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("MEDVERK_TODAY", "2026-11-28")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MEDVERK_VAR_DIR"] = tmp
        if args.database_url:
            url, name = await _postgres_database(args.database_url)
            try:
                report = await bench(url, args.items, args.rounds)
            finally:
                await _drop_database(args.database_url, name)
            report["database"] = "postgresql"
        else:
            report = await bench(f"sqlite+aiosqlite:///{tmp}/bench.db", args.items, args.rounds)
            report["database"] = "sqlite"
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
