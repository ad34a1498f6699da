"""Seed input for the dashboard, digest and flag browser test.

Like officer_workflow_seed.py (same accounts; password on stdin), COUNT inputs
on CASE in the committee "Test: Ungdomsrådet", then: the first three answered
(2, 4 and 6 hours after they came in), one flagged as possibly abusive and one
marked as demo. Prints the same JSON, plus `abuse_id`, `demo_id` and the
committee.

    echo "$PASSWORD" | .venv/app/bin/python tests/browser/officer_dashboard_seed.py 2099/78 10
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta

from sqlalchemy import select

from medverk.settings import load_settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import Input
from tests.browser.officer_workflow_seed import seed

COMMITTEE = "Test: Ungdomsrådet"


async def mark(seeded: dict[str, object]) -> dict[str, object]:
    ids = list(seeded["ids"])  # type: ignore[call-overload]
    engine = create_engine(load_settings().database_url)
    try:
        async with create_sessionmaker(engine).begin() as db:
            rows = {row.id: row for row in await db.scalars(select(Input).where(Input.id.in_(ids)))}
            for hours, input_id in zip((2, 4, 6), ids[:3], strict=True):
                row = rows[input_id]
                row.status, row.answer = "answered", "Takk for innspelet."
                row.answered_at = row.created_at + timedelta(hours=hours)
            rows[ids[3]].abuse_flag = True
            rows[ids[4]].demo = True
    finally:
        await engine.dispose()
    return {**seeded, "abuse_id": ids[3], "demo_id": ids[4], "committee": COMMITTEE}


def main() -> None:
    password = sys.stdin.readline().rstrip("\n")
    case_ref, count = sys.argv[1], int(sys.argv[2])
    seeded = asyncio.run(seed(password, case_ref, count))
    print(json.dumps(asyncio.run(mark(seeded))))


if __name__ == "__main__":
    main()
