"""Settings an admin may change at run time in the officer app (`/officer/settings`).

The human contact the assistant offers, the municipality's målform, how long
citizens' input is kept (and whether it is then anonymised or deleted) and the
web sites allowed to use the chat API. Each has a default from the environment
(or, for the contact, `data/knowledge/contact.yml`); a value saved in the page
(table `admin_settings`) overrides it until the admin resets it.

Everything else (secrets, database and service URLs, Telegram) stays in the
environment and needs a restart.

- `fields`: which settings exist and how a typed value is checked
  (`InvalidSetting`, a `ValueError`, carries a message key of officer.yml).
- `effective`: the values in force (`Effective`), read from env + table, and a
  short-lived cache (`EffectiveCache`) for processes that read them often.
"""

from medverk.admin_settings.effective import (
    REFRESH_SECONDS,
    Effective,
    EffectiveCache,
    apply_overrides,
    default_source,
    defaults,
    load_effective,
)
from medverk.admin_settings.fields import FIELDS, Field, InvalidSetting, as_text, parse

__all__ = [
    "FIELDS",
    "REFRESH_SECONDS",
    "Effective",
    "EffectiveCache",
    "Field",
    "InvalidSetting",
    "apply_overrides",
    "as_text",
    "default_source",
    "defaults",
    "load_effective",
    "parse",
]
