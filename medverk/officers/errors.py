"""The error hierarchy of `medverk.officers` (see the package docstring)."""

from __future__ import annotations

__all__ = [
    "InvalidRole",
    "OfficerError",
    "UnknownOfficer",
    "UsernameTaken",
    "WeakPassword",
]


class OfficerError(Exception):
    """Base of every error raised by the officer accounts service."""


class UsernameTaken(OfficerError, ValueError):
    """An account with this username already exists."""


class WeakPassword(OfficerError, ValueError):
    """The password does not meet the policy."""


class InvalidRole(OfficerError, ValueError):
    """The role is not `officer` or `admin`."""


class UnknownOfficer(OfficerError, LookupError):
    """No account with this username."""
