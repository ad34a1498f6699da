"""Seed the running stack's database for the report browser test.

Reads a password on stdin; creates the officer `rapportlesar` and fictional input
on one case (similar texts for themes, one with personal data), and prints JSON
with what the test needs. Uses the stack's MEDVERK_DATABASE_URL.

    echo "$PASSWORD" | .venv/app/bin/python tests/browser/officer_report_seed.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from datetime import timedelta

from medverk.clock import utcnow
from medverk.officers import accounts
from medverk.officers.errors import UsernameTaken
from medverk.settings import load_settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import Input

CASE_REF = "26/4242"
PERSONAL = "Eg heiter Kari Nordmann og bur i Storgata 5, ring meg på 41234567 om bussen"
TEXTS = (
    "Bussen er for dyr for ungdom",
    "Gratis buss for ungdom under 18 år",
    "Bussen for ungdom kostar for mykje",
    "Vi treng fleire benkar og lys i parken",
    "Meir lys i parken om kvelden, please",
    "Benkar og lys i parken, please",
    PERSONAL,
)


async def seed(password: str) -> dict[str, object]:
    settings = load_settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine).begin() as db:
            try:
                await accounts.create_officer(
                    db, username="rapportlesar", password=password, role="officer"
                )
            except UsernameTaken:  # a second run against the same stack
                await accounts.reset_password(db, "rapportlesar", password)
            now = utcnow()
            for n in range(28):
                db.add(
                    Input(
                        idempotency_key=uuid.uuid4().hex,
                        case_ref=CASE_REF,
                        case_title="Buss og park for ungdom",
                        committee="Ungdomsrådet",
                        text=TEXTS[n % len(TEXTS)],
                        malform="nn",
                        channel="web",
                        age_group="13-15",
                        consent_contact=False,
                        wants_reply=False,
                        sender_key=f"{n % 17:064d}",
                        status="new",
                        created_at=now - timedelta(days=n),
                        updated_at=now,
                    )
                )
        return {"officer": "rapportlesar", "case_ref": CASE_REF}
    finally:
        await engine.dispose()


def main() -> None:
    password = sys.stdin.readline().rstrip("\n")
    print(json.dumps(asyncio.run(seed(password))))


if __name__ == "__main__":
    main()
