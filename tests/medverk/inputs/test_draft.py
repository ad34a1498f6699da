"""Building the draft to store from the conversation's slots."""

from __future__ import annotations

from typing import Any

import pytest

from medverk.inputs.draft import InputDraft

SLOTS: dict[str, Any] = {
    "malform": "nb",
    "input_case": "2026/411",
    "input_case_title": "Gratis buss for ungdom under 20 år",
    "input_committee": "Ungdomsrådet",
    "input_text": "Ja takk!",
    "input_age_group": "16-17",
    "input_contact_consent": True,
    "input_contact": "kari@example.no",
    "input_idempotency_key": "k",
}


def test_full_draft_keeps_consented_contact() -> None:
    """All parts carried over; consent and address give a stored contact."""
    draft = InputDraft.from_slots(SLOTS)
    assert (draft.case_ref, draft.malform, draft.age_group) == ("2026/411", "nb", "16-17")
    assert draft.consent_contact and draft.contact == "kari@example.no"


@pytest.mark.parametrize(
    "change",
    [
        {"input_contact_consent": False},
        {"input_contact_consent": None},
        {"input_contact": "none"},
        {"input_age_group": "under 13"},
    ],
)
def test_no_contact_without_consent_address_or_age(change: dict[str, Any]) -> None:
    """No yes, no address, or under 13: no contact is stored."""
    draft = InputDraft.from_slots({**SLOTS, **change})
    assert draft.contact is None and not draft.consent_contact


def test_skipped_age_and_unknown_malform() -> None:
    """A skipped age is stored as none; an unset målform falls back to the default."""
    draft = InputDraft.from_slots({**SLOTS, "input_age_group": "skipped", "malform": None}, "nn")
    assert draft.age_group is None and draft.malform == "nn"


@pytest.mark.parametrize("missing", ["input_case", "input_text", "input_idempotency_key"])
def test_incomplete_draft_is_refused(missing: str) -> None:
    """Without case, text or key there is nothing to store."""
    with pytest.raises(ValueError, match="needs a case"):
        InputDraft.from_slots({**SLOTS, missing: None})
