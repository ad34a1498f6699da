"""F4: in a Telegram group, members cannot read or delete each other's input.

Two members of one group talk to the bot (real Rasa and action server, the Bot API
stand-in). Informational questions are answered in the group; giving input, asking
for status and /slett get a deep link to a private chat instead, so nothing
personal happens in the shared conversation. The deep link continues privately.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from conftest import running_gateway
from tg_bot_api_standin import BOT_USERNAME, BotApiStandIn

from bot.telegram import TELEGRAM
from medverk.runner import Stack, running_stack

pytestmark = pytest.mark.stack

GROUP = -1001234567
ALICE, BOB = 111, 222
MENTION = "@" + BOT_USERNAME
LINK = f"https://t.me/{BOT_USERNAME}?start="


@pytest.fixture(scope="module")
def stack(trained_model_path: Path) -> Iterator[Stack]:
    with running_stack(model=trained_model_path) as running:
        yield running


@pytest.fixture
async def gateway(stack: Stack, bot_api: BotApiStandIn) -> AsyncIterator[web.Application]:
    settings = dataclasses.replace(
        stack.settings(),
        telegram_bot_token=bot_api.token,
        telegram_api_base_url=bot_api.base_url,  # type: ignore[attr-defined]
        telegram_webhook_url="",
    )
    async with running_gateway(settings) as (_server, app):
        yield app


async def _say(
    app: web.Application, api: BotApiStandIn, chat: int, user: int, text: str, kind: str
) -> str:
    before = len(api.calls_to("sendMessage", chat))
    await api.send(chat, text, chat_type=kind, user_id=user)
    await api.replies(chat, after=before, timeout=60)
    while app[TELEGRAM].bridge.guard.busy(chat):
        await asyncio.sleep(0.02)
    return "\n".join(str(c.params["text"]) for c in api.calls_to("sendMessage", chat)[before:])


async def test_two_group_members_cannot_reach_each_others_input(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    group = "supergroup"
    alice_gives = await _say(gateway, bot_api, GROUP, ALICE, f"{MENTION} eg vil gi innspel", group)
    assert LINK + "innspel" in alice_gives
    bob_status = await _say(
        gateway, bot_api, GROUP, BOB, f"{MENTION} kva skjedde med innspelet mitt?", group
    )
    assert LINK + "status" in bob_status
    bob_deletes = await _say(gateway, bot_api, GROUP, BOB, f"/slett{MENTION}", group)
    assert LINK + "slett" in bob_deletes
    # Informational questions are still answered in the group, without a link.
    info = await _say(gateway, bot_api, GROUP, ALICE, f"{MENTION} kva er ungdomsrådet?", group)
    assert info and "t.me/" not in info


async def test_the_deep_link_continues_in_a_private_chat(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    reply = await _say(gateway, bot_api, ALICE, ALICE, "/start innspel", "private")
    assert reply and "t.me/" not in reply
