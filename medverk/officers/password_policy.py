"""Which officer passwords are good enough (F5, ASVS 2.1.1 and 2.1.7).

At least 12 characters and at most 1024, no composition rules, and refused when:
- it is common or easy to guess: zxcvbn's score below 3, judged offline with its
  bundled dictionaries of breached and common passwords, names and words (nothing
  leaves the machine);
- it contains the username (or the display name);
- it is one character repeated.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from medverk.officers.errors import WeakPassword

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH", "MIN_STRENGTH", "check_password"]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_STRENGTH = 3  # zxcvbn: 3 = "safely unguessable", about 10^8 guesses or more
# zxcvbn looks at the first characters only; beyond that a password is long enough anyway.
_ZXCVBN_LIMIT = 100
_SITE_WORDS = ("medverk", "kommune", "innspel", "innspill", "passord")


def check_password(password: str, username: str = "", display_name: str = "") -> None:
    """Raise `WeakPassword` (with a reason in English for logs and the CLI) unless it is good."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise WeakPassword(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"the password is too long (at most {MAX_PASSWORD_LENGTH} characters)")
    folded = password.casefold()
    if len(set(folded.strip())) <= 1:
        raise WeakPassword("the password is one character repeated")
    for name in (username.strip().casefold(), display_name.strip().casefold()):
        if len(name) >= 3 and name in folded:
            raise WeakPassword("the password must not contain the username")
    inputs = [part for part in (username, display_name, *_SITE_WORDS) if part]
    if zxcvbn(password[:_ZXCVBN_LIMIT], user_inputs=inputs)["score"] < MIN_STRENGTH:
        raise WeakPassword("the password is too common or too easy to guess")
