"""Keep secrets and forged lines out of the logs (F2, F15).

`install(secrets)` puts a `SecretMask` on every handler of the root logger, so a
record from any library (httpx logs each Bot API URL, which holds the bot token)
is masked before it is written. Chatty HTTP client loggers are turned down to
WARNING. Line breaks inside a message are escaped, so text that came from
outside cannot write a second, real-looking log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

__all__ = ["QUIET_LOGGERS", "SecretMask", "install"]

# Libraries that log every request URL at INFO.
QUIET_LOGGERS = ("httpx", "httpcore", "urllib3", "telegram.request")
MASK = "***"
# A Telegram bot token: "<bot id>:<secret>"; the id stays readable, the secret never does.
_BOT_TOKEN = re.compile(r"\b(\d{3,}):[A-Za-z0-9_-]{20,}")


class SecretMask(logging.Filter):
    """Replace every configured secret (and anything shaped like a bot token) in a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._replacements: list[tuple[str, str]] = []
        for secret in secrets:
            if not secret or len(secret) < 6:
                continue
            shown = secret.split(":", 1)[0] + ":" + MASK if ":" in secret else MASK
            for form in {secret, quote(secret, safe=""), quote(secret, safe=":")}:
                self._replacements.append((form, shown))
            if ":" in secret:
                self._replacements.append((secret.split(":", 1)[1], MASK))

    def mask(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret, shown in self._replacements:
            text = text.replace(secret, shown)
        return _BOT_TOKEN.sub(lambda match: match.group(1) + ":" + MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = self.mask(record.getMessage())
        record.msg = message.replace("\r", "\\r").replace("\n", "\\n")
        record.args = None
        if record.exc_info:
            record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def install(secrets: Iterable[str]) -> SecretMask:
    """Mask `secrets` in every record the root logger's handlers write; quiet URL loggers."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    mask = SecretMask(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(mask)
    return mask
