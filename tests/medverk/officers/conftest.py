"""Fixtures for the officer accounts tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from medverk.officers import accounts


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny costs, so tests do not spend seconds per hash on a busy CI box.

    The production parameters are checked in test_accounts.py.
    """
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
