"""F7: var/ and everything in it are readable by the service account only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from medverk.files import private_files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_existing_files_are_tightened_and_new_ones_are_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    os.chmod(var, 0o755)  # noqa: S103 - the unsafe state F7 found
    for name in ("medverk.db", "medverk.db-wal", "rasa_tracker.db", "gateway.log"):
        (var / name).write_text("x")
        os.chmod(var / name, 0o644)
    (var / "nlu-report").mkdir()
    os.chmod(var / "nlu-report", 0o755)  # noqa: S103
    old = os.umask(0o022)
    try:
        private_files(var)
        assert os.umask(0o077) == 0o077  # the process umask is now 0077
        assert _mode(var) == 0o700
        assert _mode(var / "nlu-report") == 0o700
        for name in ("medverk.db", "medverk.db-wal", "rasa_tracker.db", "gateway.log"):
            assert _mode(var / name) == 0o600, name
        (var / "new.log").write_text("y")
        assert _mode(var / "new.log") == 0o600
    finally:
        os.umask(old)


def test_a_missing_var_dir_is_created_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        private_files(tmp_path / "fresh" / "var")
        assert _mode(tmp_path / "fresh" / "var") == 0o700
    finally:
        os.umask(old)


def test_make_run_honours_medverk_host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """F8: behind a proxy the gateway binds where MEDVERK_HOST says, not 0.0.0.0."""
    from medverk.runner import stack_from_environment

    monkeypatch.setenv("MEDVERK_HOST", "127.0.0.1")
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_SECRET_KEY", "runner-test-secret")
    env = stack_from_environment().env()
    assert env["MEDVERK_HOST"] == "127.0.0.1"
    assert env["SANIC_HOST"] == "127.0.0.1"
    assert env["MEDVERK_ACTION_TOKEN"] and env["MEDVERK_RASA_CHANNEL_TOKEN"]
