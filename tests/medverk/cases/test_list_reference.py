"""A case picked by its place in the list just shown."""

from __future__ import annotations

import pytest

from medverk.cases.list_reference import pick_from_list, place_in_list

OPTIONS = ["2026/402", "2026/410", "2026/411"]


@pytest.mark.parametrize(
    ("text", "picked"),
    [
        ("2", "2026/410"),
        ("nr 1", "2026/402"),
        ("den første", "2026/402"),
        ("fyrste", "2026/402"),
        ("siste saka", "2026/411"),
        ("Den første!", "2026/402"),
        ("sak nr. 3", "2026/411"),
        ("fortel meir om den første", "2026/402"),
        ("kva handlar nr 3 om?", "2026/411"),
        ("hva med den andre saken", "2026/410"),
        ("meir om den siste takk", "2026/411"),
        ("nummer to", "2026/410"),
        ("9", None),
        ("den femte", None),  # past the end of a three-item list
        ("budsjett", None),
    ],
)
def test_picking_a_case_by_its_place_in_the_list(text: str, picked: str | None) -> None:
    """A number or an ordinal word picks from the cases just offered."""
    assert pick_from_list(text, OPTIONS) == picked


@pytest.mark.parametrize(
    "text",
    [
        "andre måtar å påverke",  # "andre" = other
        "siste nytt om bussen",
        "eg har to forslag",
        "sak 24/1187",  # a case number, not a place
        "2026/371",
        "/give_input",
        "den første " + "lange meldinga " * 10,  # long messages are not list picks
        "",
    ],
)
def test_other_messages_point_nowhere(text: str) -> None:
    """Words that only look like ordinals, case numbers and long messages are not picks."""
    assert place_in_list(text) is None


def test_no_list_no_pick() -> None:
    """Without a list shown, nothing is picked."""
    assert pick_from_list("den første", None) is None
    assert pick_from_list("den første", []) is None
