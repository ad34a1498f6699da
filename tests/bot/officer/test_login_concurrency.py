"""F1: the lock-out and the per-address limit hold when wrong passwords arrive all at once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.app import create_app
from bot.officer import LOGIN_ATTEMPTS_PER_ADDRESS
from medverk.officers import accounts
from medverk.officers.accounts import MAX_FAILED_LOGINS
from medverk.settings import load_settings
from medverk.store.models import Officer
from tests.bot.officer.support import PASSWORD, OfficerClient

BURST = 40


class CountingHasher(PasswordHasher):
    """The real argon2 hasher; it also counts verifications against one account's hash."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.watched_hash = ""
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        if hash == self.watched_hash:
            self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def counting_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    yield hasher


async def _watch(helper: OfficerClient, hasher: CountingHasher, username: str) -> None:
    async with helper.sessionmaker() as db:
        officer = await db.scalar(select(Officer).where(Officer.username == username))
        assert officer is not None
        hasher.watched_hash = officer.password_hash


async def _assert_locked(helper: OfficerClient) -> None:
    async with helper.sessionmaker() as db:
        officer = await db.scalar(select(Officer).where(Officer.username == "ola"))
        assert officer is not None and officer.locked_until is not None


async def _burst(client: TestClient, addresses: list[str]) -> list[int]:
    """One wrong password per address, all sent at the same moment; the status codes."""
    page = await client.get("/officer/login")
    token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
    assert token is not None
    form = {"login_token": token.group(1), "username": "ola", "password": "feil passord heilt"}
    start = asyncio.Event()

    async def attempt(address: str) -> int:
        await start.wait()
        response = await client.post(
            "/officer/login",
            data=form,
            headers={"X-Forwarded-For": address},
            allow_redirects=False,
        )
        return response.status

    tasks = [asyncio.create_task(attempt(address)) for address in addresses]
    await asyncio.sleep(0)
    start.set()
    return list(await asyncio.gather(*tasks))


async def test_concurrent_wrong_passwords_from_one_address(
    officer_client: OfficerClient, counting_hasher: CountingHasher
) -> None:
    """40 wrong passwords at once from one address: at most 5 are checked, the account locks,
    and the address limit answers 429 to the rest of the window's share."""
    await _watch(officer_client, counting_hasher, "ola")
    statuses = await _burst(officer_client.client, ["127.0.0.30"] * BURST)
    assert counting_hasher.verified <= MAX_FAILED_LOGINS
    assert statuses.count(429) == BURST - LOGIN_ATTEMPTS_PER_ADDRESS
    await _assert_locked(officer_client)


async def test_concurrent_wrong_passwords_from_many_addresses(
    officer_client: OfficerClient,
    counting_hasher: CountingHasher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """40 wrong passwords at once from 40 addresses (behind our proxy): still at most 5 checked."""
    monkeypatch.setenv("MEDVERK_TRUSTED_PROXY_HOPS", "1")
    await _watch(officer_client, counting_hasher, "ola")
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        statuses = await _burst(client, [f"198.51.100.{n}" for n in range(1, BURST + 1)])
        assert set(statuses) == {401}
        assert counting_hasher.verified <= MAX_FAILED_LOGINS
    await _assert_locked(officer_client)
    assert (await officer_client.login("ola", PASSWORD)).status == 401
