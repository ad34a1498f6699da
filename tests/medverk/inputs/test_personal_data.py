"""Personal data in input texts: found and masked before the report is printed (pure)."""

from __future__ import annotations

from medverk.inputs.personal_data import REMOVED, find_personal_data, without_personal_data


def test_names_phones_emails_and_street_addresses_are_masked() -> None:
    text = (
        "Eg heiter Kari Nordmann-PIITEST og bur i Storgata 5, ring meg på 412 34 567 "
        "eller skriv til kari@example.no om bussen"
    )
    masked = without_personal_data(text)
    for secret in ("Kari", "Nordmann", "Storgata 5", "412 34 567", "kari@example.no"):
        assert secret not in masked
    assert masked.count(REMOVED) == 4
    assert masked.endswith("om bussen") and "og bur i" in masked
    assert find_personal_data(text) == [
        "Kari Nordmann-PIITEST",
        "Storgata 5",
        "412 34 567",
        "kari@example.no",
    ]


def test_bokmal_phrasing_and_country_code() -> None:
    masked = without_personal_data("Jeg heter Ola Hansen, tlf +47 41234567, Kirkeveien 12B")
    assert masked == f"Jeg heter {REMOVED}, tlf {REMOVED}, {REMOVED}"


def test_plain_opinions_are_left_as_they_are() -> None:
    text = "Bussen kostar 40 kr, og det er 2026. Storgata treng fleire benkar."
    assert find_personal_data(text) == []
    assert without_personal_data(text) == text
