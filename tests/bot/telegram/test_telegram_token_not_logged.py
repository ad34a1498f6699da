"""F2: the Telegram bot token never reaches the gateway's log.

The real gateway entry point (`python -m bot`, with its own logging set-up) runs as a
process against the Bot API stand-in; its output goes to a file like `var/gateway.log`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from pathlib import Path
from urllib.parse import quote

from tg_bot_api_standin import BotApiStandIn

from medverk.store.migrate import upgrade_head

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_gateway_log_never_holds_the_bot_token(
    bot_api: BotApiStandIn, tmp_path: Path
) -> None:
    """The bot polls, answers a message and logs; the log has neither the token nor its id part
    followed by the secret part, in plain or URL-encoded form."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await asyncio.to_thread(upgrade_head, database)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MEDVERK_VAR_DIR": str(tmp_path),
        "MEDVERK_DATABASE_URL": database,
        "MEDVERK_SECRET_KEY": "telegram-log-test-secret",
        "MEDVERK_HOST": "127.0.0.1",
        "MEDVERK_PORT": str(_free_port()),
        "MEDVERK_RASA_URL": "http://127.0.0.1:9",
        "MEDVERK_CASE_SYNC_INTERVAL": "0",
        "TELEGRAM_BOT_TOKEN": bot_api.token,
        "TELEGRAM_API_BASE_URL": bot_api.base_url,  # type: ignore[attr-defined]
    }
    log_path = tmp_path / "gateway.log"
    with open(log_path, "wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=env, stdout=log, stderr=log, cwd=str(ROOT)
        )
    try:
        await bot_api.wait_until(lambda: bool(bot_api.calls_to("deleteWebhook")), timeout=60)
        await bot_api.send(4242, "/start")
        # The bot answers (Rasa is not there, so with its "try again later" text).
        await bot_api.wait_until(lambda: bool(bot_api.calls_to("sendMessage", 4242)), timeout=60)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    assert "running (polling)" in text, text
    secret_part = bot_api.token.split(":", 1)[1]
    for leak in (bot_api.token, quote(bot_api.token, safe=""), secret_part):
        assert leak not in text, f"token found in the log:\n{text}"


def test_mask_covers_arguments_and_tracebacks() -> None:
    """The filter masks the token in the message, in %-arguments and in exception text."""
    from medverk.log_redaction import SecretMask

    token = "987654:SECRET-abc_def"
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s failed", (f"/bot{token}/getMe",), None
    )
    try:
        raise RuntimeError(f"url /bot{token}/x")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert SecretMask([token]).filter(record)
    formatted = logging.Formatter().format(record)
    assert token not in formatted and "SECRET-abc_def" not in formatted
    assert "/bot987654:***/getMe" in formatted
