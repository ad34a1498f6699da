"""Which settings an admin may change, and how a typed value is checked.

`parse(key, raw)` returns the value in its stored text form (trimmed and
normalised) or raises `InvalidSetting` with the officer.yml key of a kind
message (`setting_bad_email` …) and the values it needs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

__all__ = [
    "FIELDS",
    "MAX_EMAIL",
    "MAX_ORIGINS",
    "MAX_TEXT",
    "RETENTION_DAYS_RANGE",
    "Field",
    "InvalidSetting",
    "as_text",
    "is_email",
    "parse",
]

Kind = Literal["text", "email", "phone", "malform", "days", "mode", "origins"]

MAX_TEXT = 200
MAX_EMAIL = 254
MAX_ORIGINS = 20
# Below a week is most likely a slip (1 meant as "one year"), and it would wipe
# input before a hearing has closed; ten years is more than any archive rule asks.
RETENTION_DAYS_RANGE = (7, 3650)
# E.164 allows 15 digits; 3 lets in short numbers like 112 or 1881.
_PHONE_DIGITS = (3, 15)
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*[0-9]$")
_EMAIL = re.compile(
    r"^[^@\s<>\"'(),;:\\\[\]]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$"
)


@dataclass(frozen=True)
class Field:
    """One setting: its key, the environment variable behind its default, its kind."""

    key: str
    env: str
    kind: Kind
    choices: tuple[str, ...] = field(default=())


FIELDS: tuple[Field, ...] = (
    Field("contact_name", "MEDVERK_CONTACT_NAME", "text"),
    Field("contact_email", "MEDVERK_CONTACT_EMAIL", "email"),
    Field("contact_phone", "MEDVERK_CONTACT_PHONE", "phone"),
    Field("default_malform", "MEDVERK_DEFAULT_MALFORM", "malform", ("nn", "nb")),
    Field("retention_days", "MEDVERK_RETENTION_DAYS", "days"),
    Field("retention_mode", "MEDVERK_RETENTION_MODE", "mode", ("anonymise", "delete")),
    Field("allowed_origins", "MEDVERK_ALLOWED_ORIGINS", "origins"),
)
_BY_KEY = {f.key: f for f in FIELDS}


class InvalidSetting(ValueError):
    """A typed value that cannot be used; `code` is a message key in officer.yml."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def _no_control_characters(value: str) -> None:
    # Whitespace (tabs, line breaks) is tidied away by the callers; other control
    # and format characters (NUL, bidi overrides) have no place in a setting.
    if any(unicodedata.category(c).startswith("C") and not c.isspace() for c in value):
        raise InvalidSetting("setting_bad_characters")


def _text(raw: str) -> str:
    _no_control_characters(raw)
    value = " ".join(raw.split())
    if len(value) > MAX_TEXT:
        raise InvalidSetting("setting_too_long", max=MAX_TEXT)
    return value


def is_email(value: str) -> bool:
    """Whether `value` looks like one e-mail address (the settings page's rule)."""
    return len(value) <= MAX_EMAIL and _EMAIL.match(value) is not None


def _email(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    if not is_email(value):
        raise InvalidSetting("setting_bad_email")
    return value


def _phone(raw: str) -> str:
    value = " ".join(raw.split())
    if not value:
        return ""
    digits = sum(char.isdigit() for char in value)
    low, high = _PHONE_DIGITS
    if not _PHONE.match(value) or not low <= digits <= high:
        raise InvalidSetting("setting_bad_phone")
    return value


def _days(raw: str) -> str:
    low, high = RETENTION_DAYS_RANGE
    value = raw.strip()
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise InvalidSetting("setting_bad_days", min=low, max=high)
    return str(int(value))


def _origin(item: str) -> str:
    try:
        parts = urlsplit(item)
        port = parts.port
    except ValueError:
        raise InvalidSetting("setting_bad_origin", origin=item[:100]) from None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or item.endswith("?")
        or item.endswith("#")
    ):
        raise InvalidSetting("setting_bad_origin", origin=item[:100])
    origin = f"{parts.scheme.lower()}://{parts.hostname.lower()}"
    return origin + (f":{port}" if port is not None else "")


def _origins(raw: str) -> str:
    _no_control_characters(raw)
    origins: list[str] = []
    for item in re.split(r"[\s,]+", raw.strip()):
        if item:
            origin = _origin(item)
            if origin not in origins:
                origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise InvalidSetting("setting_too_many_origins", max=MAX_ORIGINS)
    return "\n".join(origins)


def parse(key: str, raw: str) -> str:
    """The checked, normalised text form of a value typed for `key`."""
    spec = _BY_KEY.get(key)
    if spec is None:
        raise KeyError(key)
    if spec.choices:
        if raw not in spec.choices:
            raise InvalidSetting("setting_bad_choice")
        return raw
    checks = {
        "text": _text,
        "email": _email,
        "phone": _phone,
        "days": _days,
        "origins": _origins,
    }
    return checks[spec.kind](raw)


def as_text(value: object) -> str:
    """A setting's value in its stored text form (origins one per line)."""
    if isinstance(value, tuple):
        return "\n".join(str(item) for item in value)
    return str(value)
