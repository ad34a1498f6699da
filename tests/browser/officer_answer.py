"""Answer one stored input as a case officer, for the widget's browser test.

Uses what the officer app's answer form uses (`medverk.officers.handling.answer`
with the texts from `officer.yml`), as the officer `nettsvar` (created with a
random password when missing), on the running stack's database (the runner
sets MEDVERK_DATABASE_URL). Prints the text queued for the citizen as JSON.

    .venv/app/bin/python tests/browser/officer_answer.py <input id> "<answer>"
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys

from sqlalchemy import select

from medverk.officers import accounts, handling
from medverk.officers.texts import load_texts
from medverk.settings import load_settings
from medverk.store import officer_repo
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import Input, OutboundMessage

USERNAME = "nettsvar"


async def answer(input_id: int, text: str) -> dict[str, object]:
    settings = load_settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine).begin() as db:
            officer = await officer_repo.get_officer_by_username(db, USERNAME)
            if officer is None:
                officer = await accounts.create_officer(
                    db, username=USERNAME, password=secrets.token_urlsafe(24)
                )
            item = await db.get(Input, input_id)
            if item is None:
                raise SystemExit(f"no input number {input_id}")
            await handling.answer(db, officer, item, text, load_texts(settings.knowledge_dir))
            queued = await db.scalars(
                select(OutboundMessage.text).where(OutboundMessage.input_id == input_id)
            )
            return {"channel": item.channel, "queued": queued.all()}
    finally:
        await engine.dispose()


def main() -> None:
    input_id, text = int(sys.argv[1]), sys.argv[2]
    print(json.dumps(asyncio.run(answer(input_id, text)), ensure_ascii=False))


if __name__ == "__main__":
    main()
