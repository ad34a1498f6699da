"""Helpers for the officer app's HTTP tests: a client that logs in and stores input."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pyotp
from aiohttp.test_utils import TestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers import accounts, totp
from medverk.settings import load_settings
from medverk.store import officer_repo
from medverk.store.models import Input, Officer

PASSWORD = "riktig hest batteri stift"


@dataclass
class OfficerClient:
    """A test client with helpers to log in and to read forms' CSRF tokens."""

    client: TestClient
    sessionmaker: async_sessionmaker[AsyncSession]
    # TOTP secrets of the accounts enrolled by `enrol_totp`, by username.
    totp_secrets: dict[str, str] = field(default_factory=dict)

    async def login(self, username: str, password: str = PASSWORD) -> Any:
        """Log in through the form; returns the POST response (not followed).

        An account enrolled with `enrol_totp` also gets its second step, with a fresh
        pyotp code (the last used step is forgotten first, so tests may log in often).
        """
        page = await self.client.get("/officer/login")
        token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
        assert token is not None
        response = await self.client.post(
            "/officer/login",
            data={"login_token": token.group(1), "username": username, "password": password},
            allow_redirects=False,
        )
        secret = self.totp_secrets.get(username)
        if secret is None or response.status != 303:
            return response
        assert response.headers["Location"].startswith("/officer/login/totp")
        await self.forget_last_step(username)
        return await self.submit_code(pyotp.TOTP(secret).now(), response.headers["Location"])

    async def forget_last_step(self, username: str) -> None:
        """Let the account's current TOTP code be used once more (tests log in often)."""
        async with self.sessionmaker.begin() as db:
            await db.execute(
                update(Officer).where(Officer.username == username).values(totp_last_step=None)
            )

    async def submit_code(self, code: str, location: str = "/officer/login/totp") -> Any:
        """POST a code to the login's second step (after the password step)."""
        next_url = location.partition("next=")[2]
        return await self.client.post(
            "/officer/login/totp",
            data={"code": code, "next": unquote(next_url) if next_url else ""},
            allow_redirects=False,
        )

    async def enrol_totp(self, username: str) -> str:
        """Give the account a confirmed second factor (in the store); returns its secret."""
        secret_key = load_settings().secret_key
        async with self.sessionmaker.begin() as db:
            officer = await officer_repo.get_officer_by_username(db, username)
            assert officer is not None
            secret = await totp.start_enrolment(db, officer, secret_key)
            await db.refresh(officer)
            codes = await totp.confirm_enrolment(db, officer, pyotp.TOTP(secret).now(), secret_key)
            assert codes is not None
        await self.forget_last_step(username)
        self.totp_secrets[username] = secret
        return secret

    async def csrf(self, path: str = "/officer/inputs") -> str:
        """The CSRF token of the logged-in session, read from a page's forms."""
        page = await self.client.get(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text())
        assert token is not None, await page.text()
        return token.group(1)

    async def add_officer(self, username: str, role: str = "officer") -> None:
        """Create an account with the shared test password (admins enrolled in TOTP)."""
        async with self.sessionmaker.begin() as db:
            await accounts.create_officer(db, username=username, password=PASSWORD, role=role)
        if role == "admin":
            await self.enrol_totp(username)

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
