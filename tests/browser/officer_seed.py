"""Seed the running stack's database for the officer browser test.

Reads a password on stdin; creates the admin account `nettlesar-admin` and an
officer `nettlesar`, inserts fictional demo input plus one input whose text
is an HTML script, and prints JSON with what the test needs. Uses the same
MEDVERK_DATABASE_URL as the stack (the runner sets it).

    echo "$PASSWORD" | .venv/app/bin/python tests/browser/officer_seed.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from datetime import timedelta

from medverk.clock import utcnow
from medverk.identity import sender_key
from medverk.officers import accounts
from medverk.officers.demo import DEMO_CASES, insert_demo_inputs
from medverk.officers.errors import UsernameTaken
from medverk.settings import load_settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import Input
from tests.browser.totp_seed import enrol_admin

SCRIPT_TEXT = "Hei! <script>alert(1)</script> Meir lys i skateparken, takk 🛹"


async def seed(password: str) -> dict[str, object]:
    settings = load_settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine).begin() as db:
            for username, role in (("nettlesar-admin", "admin"), ("nettlesar", "officer")):
                try:
                    await accounts.create_officer(
                        db, username=username, password=password, role=role
                    )
                except UsernameTaken:  # a second run against the same stack
                    await accounts.reset_password(db, username, password)
            admin_secret = await enrol_admin(db, "nettlesar-admin", settings.secret_key)
            await insert_demo_inputs(db, 120, secret=settings.secret_key, seed=7)
            case_ref, title, committee = DEMO_CASES[0]
            item = Input(
                idempotency_key=uuid.uuid4().hex,
                case_ref=case_ref,
                case_title=title,
                committee=committee,
                text=SCRIPT_TEXT,
                malform="nb",
                channel="telegram",
                age_group="13-15",
                consent_contact=False,
                wants_reply=True,
                sender_key=sender_key(settings.secret_key, "tg:nettlesar"),
                status="new",
                created_at=utcnow() + timedelta(seconds=1),
                updated_at=utcnow(),
            )
            db.add(item)
            await db.flush()
            return {
                "admin": "nettlesar-admin",
                "admin_totp_secret": admin_secret,
                "officer": "nettlesar",
                "script_input_id": item.id,
                "script_text": SCRIPT_TEXT,
                "case_ref": case_ref,
            }
    finally:
        await engine.dispose()


def main() -> None:
    password = sys.stdin.readline().rstrip("\n")
    print(json.dumps(asyncio.run(seed(password))))


if __name__ == "__main__":
    main()
