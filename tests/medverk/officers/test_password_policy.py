"""F5: weak, common and username-based officer passwords are refused (CLI and admin UI alike)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.officers import accounts
from medverk.officers.errors import WeakPassword

# The passwords the security review got accepted (T11), and a few more of the same kind.
WEAK = [
    ("weakpw1", "password1234"),
    ("weakpw2", "aaaaaaaaaaaa"),
    ("weakpw3", "weakpw3weakpw3"),
    ("weakpw4", "           x"),
    ("ola", "Ola-ola-ola-ola"),
    ("kari", "qwertyuiop123"),
    ("kari", "passord12345"),
    ("kari", "123456789012"),
    ("kari", "ZZZZZZZZZZZZZZZZ"),
]


@pytest.mark.parametrize(("username", "password"), WEAK)
def test_weak_passwords_are_refused(username: str, password: str) -> None:
    with pytest.raises(WeakPassword):
        accounts.validate_password(password, username=username)


@pytest.mark.parametrize(("username", "password"), WEAK)
async def test_accounts_cannot_be_created_with_weak_passwords(
    sessionmaker: async_sessionmaker[AsyncSession], username: str, password: str
) -> None:
    """create_officer (used by the CLI and the admin page) refuses them."""
    async with sessionmaker.begin() as db:
        with pytest.raises(WeakPassword):
            await accounts.create_officer(db, username=username, password=password)


@pytest.mark.parametrize(
    "password",
    ["riktig hest batteri stift", "et langt og godt passord", "Fjordtur-i-mai-med-Sofie"],
)
def test_long_passphrases_pass(password: str) -> None:
    accounts.validate_password(password, username="ola")
    accounts.validate_password(accounts.generate_password("ola"), username="ola")


async def test_reset_keeps_a_disabled_account_disabled(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """F16: a new password for a disabled account does not re-enable it."""
    async with sessionmaker.begin() as db:
        await accounts.create_officer(db, username="ola", password="riktig hest batteri stift")
        await accounts.disable_officer(db, "ola")
        officer, _ = await accounts.reset_to_generated_password(db, "ola")
        assert officer.active is False


def test_generated_passwords_never_hold_the_username() -> None:
    """A random password is drawn again when it happens to contain the username: for
    "ola" about one draw in 25 does ("XoLAh"), which once made an admin's reset fail."""
    for _ in range(500):
        password = accounts.generate_password("ola", "Ola Nordmann")
        assert "ola" not in password.lower()
        accounts.validate_password(password, username="ola", display_name="Ola Nordmann")
