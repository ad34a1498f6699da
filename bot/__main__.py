"""Run the gateway: `python -m bot`."""

from __future__ import annotations

import contextlib
import logging

from aiohttp import web

from bot.app import create_app
from medverk import log_redaction
from medverk.files import private_files
from medverk.settings import load_settings


def _print_banner(*args: object) -> None:
    """aiohttp's start-up line; a full disk for logs must not stop the gateway."""
    with contextlib.suppress(OSError):
        print(*args, flush=True)


def main() -> None:
    """Start the gateway on MEDVERK_HOST:MEDVERK_PORT."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    private_files(settings.var_dir)
    log_redaction.install([settings.telegram_bot_token, settings.secret_key])
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=None,
        print=_print_banner,
    )


if __name__ == "__main__":
    main()
