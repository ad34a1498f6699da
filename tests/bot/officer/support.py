"""Helpers for the officer app's HTTP tests: a client that logs in and stores input."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers import accounts
from medverk.store.models import Input

PASSWORD = "riktig hest batteri stift"


@dataclass
class OfficerClient:
    """A test client with helpers to log in and to read forms' CSRF tokens."""

    client: TestClient
    sessionmaker: async_sessionmaker[AsyncSession]

    async def login(self, username: str, password: str = PASSWORD) -> Any:
        """Log in through the form; returns the POST response (not followed)."""
        page = await self.client.get("/officer/login")
        token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
        assert token is not None
        return await self.client.post(
            "/officer/login",
            data={"login_token": token.group(1), "username": username, "password": password},
            allow_redirects=False,
        )

    async def csrf(self, path: str = "/officer/inputs") -> str:
        """The CSRF token of the logged-in session, read from a page's forms."""
        page = await self.client.get(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text())
        assert token is not None, await page.text()
        return token.group(1)

    async def add_officer(self, username: str, role: str = "officer") -> None:
        """Create an account with the shared test password."""
        async with self.sessionmaker.begin() as db:
            await accounts.create_officer(db, username=username, password=PASSWORD, role=role)

    async def add_input(self, **fields: Any) -> int:
        """Store one input (sensible defaults) and return its id."""
        values: dict[str, Any] = {
            "idempotency_key": uuid.uuid4().hex,
            "case_ref": "26/1001",
            "case_title": "Ny skatepark",
            "committee": "Ungdomsrådet",
            "text": "Vi treng ein skatepark.",
            "malform": "nn",
            "channel": "web",
            "age_group": "13-15",
            "consent_contact": False,
            "wants_reply": False,
            "sender_key": "a" * 64,
            "status": "new",
            "created_at": utcnow(),
            "updated_at": utcnow(),
        }
        values.update(fields)
        async with self.sessionmaker.begin() as db:
            item = Input(**values)
            db.add(item)
            await db.flush()
            return item.id


LoggedIn = Callable[[str], Awaitable["OfficerClient"]]
