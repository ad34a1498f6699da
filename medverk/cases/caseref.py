"""Case numbers (saksnummer) as people write them: `24/1187`, `2024/1187`, `sak 24-1187`.

Stored form is `YYYY/N` (`2024/1187`); shown form is `YY/N` (`24/1187`),
the way case numbers appear in Norwegian municipal papers.
"""

from __future__ import annotations

import re

__all__ = ["CASE_REF_PATTERN", "display_case_ref", "find_case_refs", "parse_case_ref"]

CASE_REF_PATTERN = re.compile(r"(?<![\d/])(\d{2}|\d{4})\s*[/\-]\s*(\d{1,6})(?![\d/])")


def _canonical(year: str, number: str) -> str | None:
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    if not 1990 <= full_year <= 2099:
        return None
    return f"{full_year}/{int(number)}"


def parse_case_ref(text: str) -> str | None:
    """`2024/1187` for any of `24/1187`, `2024/1187`, `24-1187`, `sak 24 / 01187`; else None."""
    refs = find_case_refs(text)
    return refs[0] if refs else None


def find_case_refs(text: str) -> list[str]:
    """Every case number in `text`, in canonical `YYYY/N` form, in order."""
    refs: list[str] = []
    for match in CASE_REF_PATTERN.finditer(text or ""):
        ref = _canonical(match.group(1), match.group(2))
        if ref and ref not in refs:
            refs.append(ref)
    return refs


def display_case_ref(ref: str) -> str:
    """`24/1187` for the stored `2024/1187`."""
    year, _, number = ref.partition("/")
    return f"{year[-2:]}/{number}" if len(year) == 4 else ref
