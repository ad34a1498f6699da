"""Seed input on one case for the officer workflow browser test and the triage bench.

Reads a password on stdin; creates (or resets) the admin `arbeid-admin` and the
officer `arbeid-kollega`, inserts COUNT new inputs on CASE (texts numbered, a
mix of age groups, målformer and "wants an answer"), and prints JSON with the
accounts, the case and the ids (newest first). Uses MEDVERK_DATABASE_URL, like
the stack. Only models and functions older than the workflow change are used
(TOTP enrolment only where the app has it), so the bench can seed the app as it
was before it, too.

    echo "$PASSWORD" | .venv/app/bin/python tests/browser/officer_workflow_seed.py 2099/77 12
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

try:  # the app before TOTP (the triage bench's "today") has no second factor to enrol
    from tests.browser.totp_seed import enrol_admin
except ImportError:
    enrol_admin = None  # type: ignore[assignment]

AGE_GROUPS = ("under 13", "13-15", "16-17", "18-25")
TEXTS = (
    ("nn", "Bussen til skulen går for sjeldan om morgonen, vi kjem for seint."),
    ("nb", "Vi trenger flere benker og lys i parken om kvelden."),
    ("nn", "Skateparken treng tak, så vi kan vere der når det regnar."),
    ("nb", "Bussen burde være gratis for alle under 18."),
)
ACCOUNTS = (
    ("arbeid-admin", "admin", "Arbeid Admin"),
    ("arbeid-kollega", "officer", "Kari Kollega"),
)


async def seed(password: str, case_ref: str, count: int) -> dict[str, object]:
    settings = load_settings()
    engine = create_engine(settings.database_url)
    now = utcnow()
    ids: list[int] = []
    try:
        async with create_sessionmaker(engine).begin() as db:
            for username, role, name in ACCOUNTS:
                try:
                    await accounts.create_officer(
                        db, username=username, password=password, role=role, display_name=name
                    )
                except UsernameTaken:  # a second run against the same stack
                    await accounts.reset_password(db, username, password)
            admin_secret = (
                await enrol_admin(db, ACCOUNTS[0][0], settings.secret_key)
                if enrol_admin is not None
                else ""
            )
            for n in range(count):
                malform, text = TEXTS[n % len(TEXTS)]
                item = Input(
                    idempotency_key=uuid.uuid4().hex,
                    case_ref=case_ref,
                    case_title="Test: ungdom og kollektivtrafikk",
                    committee="Test: Ungdomsrådet",
                    text=f"{text} (nr. {n + 1})",
                    malform=malform,
                    channel="web" if n % 3 else "telegram",
                    age_group=AGE_GROUPS[n % len(AGE_GROUPS)],
                    consent_contact=False,
                    wants_reply=n % 5 == 0,
                    sender_key=f"{n:064d}",
                    status="new",
                    # Ahead of other test data, so the case's inputs are newest.
                    created_at=now + timedelta(minutes=10) - timedelta(seconds=n),
                    updated_at=now,
                )
                db.add(item)
                await db.flush()
                ids.append(item.id)
        return {
            "admin": ACCOUNTS[0][0],
            "admin_totp_secret": admin_secret,
            "colleague": ACCOUNTS[1][0],
            "colleague_name": ACCOUNTS[1][2],
            "case_ref": case_ref,
            "ids": ids,
        }
    finally:
        await engine.dispose()


def main() -> None:
    password = sys.stdin.readline().rstrip("\n")
    case_ref, count = sys.argv[1], int(sys.argv[2])
    print(json.dumps(asyncio.run(seed(password, case_ref, count))))


if __name__ == "__main__":
    main()
