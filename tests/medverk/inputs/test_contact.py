"""Recognising contact details."""

from __future__ import annotations

import pytest

from medverk.inputs.contact import parse_contact


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("Kari.Nordmann@Example.no", "kari.nordmann@example.no"),
        ("mailen min er ola@skule.no takk", "ola@skule.no"),
        ("912 34 567", "+4791234567"),
        ("+47 91234567", "+4791234567"),
        ("ring 41234567", "+4741234567"),
    ],
)
def test_email_and_phone_are_found_and_normalised(text: str, contact: str) -> None:
    """An e-mail or an 8-digit Norwegian number is returned in one form."""
    assert parse_contact(text) == contact


@pytest.mark.parametrize("text", ["", "nei", "1234", "ola@", "123456789012"])
def test_other_text_is_not_contact(text: str) -> None:
    """Text without a usable address gives None."""
    assert parse_contact(text) is None
