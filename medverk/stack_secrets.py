"""The internal tokens every process of a stack gets through its environment (F3).

They are derived from the secret key (so they survive restarts and need no file)
and passed as environment variables, never on a command line (`ps` shows those).
"""

from __future__ import annotations

from medverk.internal_auth import ACTION_TOKEN_ENV, CHANNEL_TOKEN_ENV

__all__ = ["RASA_AUTH_TOKEN_ENV", "internal_tokens"]

# Read by medverk.rasa_launcher and handed to `rasa run` inside the process (F12).
RASA_AUTH_TOKEN_ENV = "MEDVERK_RASA_AUTH_TOKEN"  # noqa: S105 - a variable name


def internal_tokens(env: dict[str, str]) -> dict[str, str]:
    """The internal tokens (action, channel, Rasa API) for a stack with environment `env`."""
    from medverk.settings import load_settings

    settings = load_settings(env)
    return {
        ACTION_TOKEN_ENV: settings.action_server_token,
        CHANNEL_TOKEN_ENV: settings.rasa_channel_token,
        RASA_AUTH_TOKEN_ENV: settings.rasa_api_token,
    }
