"""The gateway erases a citizen's Rasa conversation when the delete action asks it to.

Real gateway (`create_app`), real SQLite tracker file in Rasa's schema, and a
stand-in for Rasa's REST channel that answers the confirmed deletion the way
`action_delete_my_data` does: a text and the control message.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.conversation import ERASE_MARKER
from medverk.settings import Settings, load_settings
from medverk.store.migrate import upgrade_head

SENDER = "erase0test0sender"
RASA_SENDER = f"web:{SENDER}"


class DeletingRasa:
    """Answers every message like the confirmed deletion turn."""

    def __init__(self) -> None:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        self.server = TestServer(app, host="127.0.0.1")

    async def webhook(self, request: web.Request) -> web.Response:
        sender = (await request.json())["sender"]
        return web.json_response(
            [
                {"recipient_id": sender, "text": "Ferdig. Eg har sletta innspela dine."},
                {"recipient_id": sender, "custom": {ERASE_MARKER: True}},
            ]
        )

    async def tracker(self, request: web.Request) -> web.Response:
        return web.json_response({"sender_id": request.match_info["sender"], "slots": {}})


def make_tracker_file(path: Path) -> None:
    """A tracker store like Rasa's SQLTrackerStore makes it, with two conversations."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)"
        )
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) "
            "VALUES (?, 'user', 1, '{}')",
            [(RASA_SENDER,), (RASA_SENDER,), ("web:someone-else-1",)],
        )


def senders_in(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT sender_id FROM events")]


@pytest.fixture
async def rasa() -> AsyncIterator[DeletingRasa]:
    standin = DeletingRasa()
    await standin.server.start_server()
    yield standin
    await standin.server.close()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rasa: DeletingRasa) -> Settings:
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    upgrade_head(url)
    make_tracker_file(tmp_path / "rasa_tracker.db")
    return dataclasses.replace(
        load_settings(),
        database_url=url,
        rasa_url=str(rasa.server.make_url("")).rstrip("/"),
        rasa_tracker_db=tmp_path / "rasa_tracker.db",
    )


async def test_confirmed_deletion_erases_the_conversation_and_hides_the_marker(
    settings: Settings, aiohttp_client: Any
) -> None:
    """After the turn, the sender's tracker rows are gone; the control message is not shown."""
    client = await aiohttp_client(create_app(settings))
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "ja"})
    assert response.status == 200
    body = await response.json()
    assert [m["text"] for m in body["messages"]] == ["Ferdig. Eg har sletta innspela dine."]
    assert senders_in(settings.rasa_tracker_db) == ["web:someone-else-1"]
