"""The action server: rasa_sdk's app, answering only Rasa (F3).

`python -m medverk.action_server --port 5055` serves the `actions` package like
`python -m rasa_sdk`, with two differences: every request but `/health` must
carry Rasa's secret header (`X-Medverk-Action-Token`, compared in constant time),
and there is no CORS, so no web page can call it. It binds `SANIC_HOST`, which
defaults to 127.0.0.1 (rasa_sdk's own default is 0.0.0.0).
"""

from __future__ import annotations

import argparse
import logging
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from medverk import log_redaction
from medverk.files import private_files
from medverk.internal_auth import ACTION_TOKEN_ENV, ACTION_TOKEN_HEADER, token_matches
from medverk.settings import load_settings

__all__ = ["action_token", "build_app", "main"]

OPEN_PATHS = frozenset({"/health"})


def action_token() -> str:
    """The token Rasa sends (derived from the secret key, like the runner gives Rasa)."""
    return os.environ.get(ACTION_TOKEN_ENV) or load_settings().action_server_token


def build_app(token: str, actions_package: str = "actions") -> Sanic:
    """rasa_sdk's app with the token check in front of every route but /health."""
    app = create_app(actions_package, cors_origins=None)

    @app.on_request
    async def require_rasa(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if token_matches(request.headers.get(ACTION_TOKEN_HEADER), token):
            return None
        return response.json({"error": "forbidden"}, status=403)

    return app


def main(argv: list[str] | None = None) -> None:
    """Serve the actions on SANIC_HOST (default 127.0.0.1) and --port."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    private_files(settings.var_dir)
    token = action_token()
    log_redaction.install([token, settings.secret_key, settings.telegram_bot_token])
    app = build_app(token, args.actions)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    app.run(host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
