"""Age groups and the age limit for contact details."""

from __future__ import annotations

import pytest

from medverk.inputs.age import AGE_GROUPS, may_give_contact, parse_age_group


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("15", "13-15"),
        ("eg er 15 år", "13-15"),
        ("æ e 16", "16-17"),
        ("jeg er sytten", "16-17"),
        ("femten år", "13-15"),
        ("12", "under 13"),
        ("under 13", "under 13"),
        ("13-15", "13-15"),
        ("18 til 25", "18-25"),
        ("43", "over 25"),
        ("16-17", "16-17"),
        ("13–15", "13-15"),
        ("over 25", "over 25"),
        ("skipped", "skipped"),
    ],
)
def test_age_text_maps_to_group(text: str, group: str) -> None:
    """Numbers, number words, ranges and slot values map to one group."""
    assert parse_age_group(text) == group


@pytest.mark.parametrize("text", ["", "veit ikkje", "13-19", "400"])
def test_unclear_age_gives_none(text: str) -> None:
    """No number, a range across groups, or an impossible age gives None."""
    assert parse_age_group(text) is None


def test_only_under_13_may_not_give_contact() -> None:
    """Contact is refused only to those who told us they are under 13."""
    assert not may_give_contact("under 13")
    assert all(may_give_contact(g) for g in AGE_GROUPS if g != "under 13")
    assert may_give_contact("skipped")
