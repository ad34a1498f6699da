"""Schemathesis against the Telegram webhook, in webhook mode, with the secret: no 5xx.

The stack in tests/resilience polls Telegram, so there the webhook is 404; here
the gateway runs in webhook mode against the Bot API stand-in, and schemathesis
sends updates generated from docs/openapi.yml (valid and invalid) with the
right secret header. The bot then handles what it queued; the gateway must
answer every request without a server error and keep answering afterwards.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from pathlib import Path

import aiohttp
from conftest import running_gateway
from tg_bot_api_standin import BotApiStandIn

from medverk.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
SECRET = "fuzz_secret-15"


async def test_schemathesis_on_the_webhook_finds_no_server_error(
    base_settings: Settings, bot_api: BotApiStandIn, tmp_path: Path
) -> None:
    settings = dataclasses.replace(
        base_settings,
        telegram_webhook_url="https://medverk.example/telegram/webhook",
        telegram_webhook_secret=SECRET,
    )
    async with running_gateway(settings) as (server, _app):
        url = str(server.make_url("")).rstrip("/")
        process = await asyncio.create_subprocess_exec(
            str(SCHEMATHESIS),
            "run",
            str(ROOT / "docs" / "openapi.yml"),
            "--url",
            url,
            "--include-path",
            "/telegram/webhook",
            "--header",
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "60",
            "--phases",
            "examples,coverage,fuzzing",
            "--seed",
            "15",
            "--report-dir",
            str(tmp_path),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), 300)
        text = output.decode(errors="replace")
        # Still answering after the fuzzing: a well-formed update is queued.
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{url}/telegram/webhook",
                json={"update_id": 1},
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            ) as response,
        ):
            after = response.status
    print(text[-3000:])
    assert process.returncode == 0, text[-3000:]
    assert "Tested: 1" in text and " passed" in text  # the webhook, and only it
    assert after == 200
