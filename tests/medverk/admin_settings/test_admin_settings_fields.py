"""Checking what an admin types into the settings page."""

from __future__ import annotations

import pytest

from medverk.admin_settings import InvalidSetting, as_text, parse


@pytest.mark.parametrize(
    ("key", "raw", "stored"),
    [
        ("contact_name", "  Ungdomskontakten   i\tÅlesund ", "Ungdomskontakten i Ålesund"),
        ("contact_name", "", ""),
        ("contact_email", " post@ålesund.kommune.no ", "post@ålesund.kommune.no"),
        ("contact_email", "ung.kontakt+svar@kommune.example", "ung.kontakt+svar@kommune.example"),
        ("contact_email", "", ""),
        ("contact_phone", "+47  22 33 44 55", "+47 22 33 44 55"),
        ("contact_phone", "815 00 000", "815 00 000"),
        ("contact_phone", "112", "112"),
        ("contact_phone", "+47 22-33-44-55", "+47 22-33-44-55"),
        ("default_malform", "nb", "nb"),
        ("retention_days", " 0365 ", "365"),
        ("retention_mode", "delete", "delete"),
        (
            "allowed_origins",
            "https://www.Kommune.example/\nhttp://localhost:3000, https://www.kommune.example",
            "https://www.kommune.example\nhttp://localhost:3000",
        ),
        ("allowed_origins", "  ", ""),
    ],
)
def test_valid_values_are_normalised(key: str, raw: str, stored: str) -> None:
    """Whitespace, case of origins and duplicates are tidied; the value is kept."""
    assert parse(key, raw) == stored


@pytest.mark.parametrize(
    ("key", "raw", "code"),
    [
        ("contact_name", "x" * 201, "setting_too_long"),
        ("contact_name", "Ola\x00Nordmann", "setting_bad_characters"),
        ("contact_email", "ungdomskontakt", "setting_bad_email"),
        ("contact_email", "a@b", "setting_bad_email"),
        ("contact_email", "a b@kommune.example", "setting_bad_email"),
        ("contact_email", "<script>@kommune.example", "setting_bad_email"),
        ("contact_email", "a@" + "b" * 250 + ".no", "setting_bad_email"),
        ("contact_phone", "ring oss", "setting_bad_phone"),
        ("contact_phone", "12", "setting_bad_phone"),
        ("contact_phone", "1234567890123456", "setting_bad_phone"),
        ("contact_phone", "22+334455", "setting_bad_phone"),
        ("default_malform", "nynorsk", "setting_bad_choice"),
        ("retention_mode", "", "setting_bad_choice"),
        ("retention_days", "6", "setting_bad_days"),
        ("retention_days", "3651", "setting_bad_days"),
        ("retention_days", "ein månad", "setting_bad_days"),
        ("retention_days", "", "setting_bad_days"),
        ("retention_days", "٣٦٥", "setting_bad_days"),
        ("allowed_origins", "www.kommune.example", "setting_bad_origin"),
        ("allowed_origins", "https://www.kommune.example/chat", "setting_bad_origin"),
        ("allowed_origins", "ftp://kommune.example", "setting_bad_origin"),
        ("allowed_origins", "https://ola@kommune.example", "setting_bad_origin"),
        ("allowed_origins", "https://kommune.example:99999", "setting_bad_origin"),
        (
            "allowed_origins",
            "\n".join(f"https://s{n}.example" for n in range(21)),
            "setting_too_many_origins",
        ),
    ],
)
def test_invalid_values_name_their_message(key: str, raw: str, code: str) -> None:
    """Each refusal carries the officer.yml key of the message to show."""
    with pytest.raises(InvalidSetting) as refused:
        parse(key, raw)
    assert refused.value.code == code


def test_bad_days_message_gets_the_range() -> None:
    """The days message can say which range is allowed."""
    with pytest.raises(InvalidSetting) as refused:
        parse("retention_days", "1")
    assert refused.value.values == {"min": 7, "max": 3650}


def test_unknown_setting_is_a_key_error() -> None:
    """Only the listed settings can be set (never the secret key or a database URL)."""
    with pytest.raises(KeyError):
        parse("secret_key", "x")


def test_as_text_lists_origins_one_per_line() -> None:
    """Tuples become lines; numbers become text."""
    assert (
        as_text(("https://a.example", "https://b.example"))
        == "https://a.example\nhttps://b.example"
    )
    assert as_text(365) == "365"


def test_bidi_override_in_a_name_is_refused() -> None:
    """Invisible direction overrides could make the shown name lie."""
    with pytest.raises(InvalidSetting):
        parse("contact_name", "Ungdomskontakten \u202e")
