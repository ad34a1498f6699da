"""The input a citizen is writing, as kept in the conversation's slots."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from medverk.inputs.age import AGE_SKIPPED, may_give_contact

__all__ = ["DRAFT_SLOTS", "InputDraft", "new_idempotency_key"]

# Every slot that holds part of a draft; cleared together after storing or cancelling.
DRAFT_SLOTS = (
    "input_case",
    "input_case_options",
    "input_case_title",
    "input_case_title_shown",
    "input_committee",
    "input_text",
    "input_age_group",
    "input_contact_consent",
    "input_contact",
    "input_confirm",
    "input_idempotency_key",
    "input_store_failed",
)


def new_idempotency_key() -> str:
    """A fresh key for one draft; a retried submit of the same draft reuses it."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class InputDraft:
    """Everything needed to store one input, without who sent it."""

    idempotency_key: str
    case_ref: str
    case_title: str
    committee: str
    text: str
    malform: str
    age_group: str | None
    consent_contact: bool
    contact: str | None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any], default_malform: str = "nn") -> InputDraft:
        """Build a draft from slot values; raises ValueError if a required part is missing."""
        case_ref = slots.get("input_case")
        text = slots.get("input_text")
        key = slots.get("input_idempotency_key")
        if not case_ref or not text or not key:
            raise ValueError("a draft needs a case, a text and an idempotency key")
        age_group = slots.get("input_age_group")
        raw_contact = slots.get("input_contact")
        # Contact is kept only with an explicit yes, an actual address, and not under 13.
        contact = (
            str(raw_contact)
            if slots.get("input_contact_consent") is True
            and raw_contact not in (None, "", "none")
            and may_give_contact(age_group)
            else None
        )
        malform = slots.get("malform")
        return cls(
            idempotency_key=str(key),
            case_ref=str(case_ref),
            case_title=str(slots.get("input_case_title") or ""),
            committee=str(slots.get("input_committee") or ""),
            text=str(text),
            malform=malform if malform in ("nn", "nb") else default_malform,
            age_group=None if age_group in (None, AGE_SKIPPED) else str(age_group),
            consent_contact=contact is not None,
            contact=contact,
        )
