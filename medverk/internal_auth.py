"""Shared secrets between Medverk's own processes (F3), derived from the secret key.

- Rasa → action server: header `X-Medverk-Action-Token` (Rasa reads it from
  `MEDVERK_ACTION_TOKEN` in endpoints.yml).
- Gateway → Rasa's REST channel: header `X-Medverk-Gateway-Token` (the channel
  reads `MEDVERK_RASA_CHANNEL_TOKEN`).

Both are compared in constant time; an empty expected token refuses everything.
This module is imported by the Rasa environment too, so it needs only the stdlib.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = [
    "ACTION_TOKEN_ENV",
    "ACTION_TOKEN_HEADER",
    "CHANNEL_TOKEN_ENV",
    "CHANNEL_TOKEN_HEADER",
    "derive",
    "token_matches",
]

ACTION_TOKEN_HEADER = "X-Medverk-Action-Token"  # noqa: S105 - a header name
ACTION_TOKEN_ENV = "MEDVERK_ACTION_TOKEN"  # noqa: S105 - a variable name
CHANNEL_TOKEN_HEADER = "X-Medverk-Gateway-Token"  # noqa: S105 - a header name
CHANNEL_TOKEN_ENV = "MEDVERK_RASA_CHANNEL_TOKEN"  # noqa: S105 - a variable name


def derive(secret_key: str, purpose: str) -> str:
    """A 256-bit token for one purpose, keyed by the secret key."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def token_matches(sent: str | None, expected: str) -> bool:
    """True only when a token was expected and `sent` is exactly it (constant time)."""
    if not expected or not sent:
        return False
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode())
