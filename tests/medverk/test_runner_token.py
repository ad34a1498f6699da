"""F12: the Rasa auth token is on no command line; the launcher gets it from the environment."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from medverk import runner
from medverk.rasa_launcher import AUTH_TOKEN_ENV, rasa_argv
from medverk.runner import Stack, StackPorts
from medverk.stack_secrets import RASA_AUTH_TOKEN_ENV


def test_engine_start_args_hold_no_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: dict[str, tuple[list[str], dict[str, str]]] = {}

    class FakePopen:
        def __init__(self, args: list[str], **kwargs: Any) -> None:
            self.args = args
            started[args[2] if args[1] == "-m" else args[0]] = (args, kwargs["env"])

    monkeypatch.setattr(runner.subprocess, "run", lambda *a, **k: None)
    monkeypatch.setattr(runner.subprocess, "Popen", FakePopen)
    monkeypatch.setenv("MEDVERK_SECRET_KEY", "k" * 40)
    stack = Stack(ports=StackPorts(), var_dir=tmp_path)
    stack.start()
    token = stack.settings().rasa_api_token
    args, env = started["medverk.rasa_launcher"]
    assert "run" in args and "--enable-api" in args
    assert "--auth-token" not in args
    for command, _env in started.values():
        assert not any(token in arg for arg in command)
    assert env[RASA_AUTH_TOKEN_ENV] == token
    assert subprocess is runner.subprocess


def test_launcher_adds_the_token_from_the_environment() -> None:
    assert AUTH_TOKEN_ENV == RASA_AUTH_TOKEN_ENV
    assert rasa_argv(["run", "--enable-api"], {AUTH_TOKEN_ENV: "t0k"}) == [
        "rasa",
        "run",
        "--enable-api",
        "--auth-token",
        "t0k",
    ]
    assert rasa_argv(["run"], {}) == ["rasa", "run"]
    assert rasa_argv(["train"], {AUTH_TOKEN_ENV: "t0k"}) == ["rasa", "train"]
