"""Citizens' input on a case: checking the text, the draft, and storing it once.

Errors (one hierarchy for this layer):
- `StoreUnavailable` (a `ConnectionError`): the database could not be reached or
  the transaction failed; nothing was stored and the draft must be kept.
"""

from medverk.inputs.age import AGE_GROUPS, may_give_contact, parse_age_group
from medverk.inputs.contact import parse_contact
from medverk.inputs.draft import InputDraft
from medverk.inputs.submit import StoreUnavailable, SubmitResult, submit_input
from medverk.inputs.text import (
    MAX_INPUT_CHARS,
    MIN_INPUT_CHARS,
    TextCheck,
    check_input_text,
)

__all__ = [
    "AGE_GROUPS",
    "MAX_INPUT_CHARS",
    "MIN_INPUT_CHARS",
    "InputDraft",
    "StoreUnavailable",
    "SubmitResult",
    "TextCheck",
    "check_input_text",
    "may_give_contact",
    "parse_age_group",
    "parse_contact",
    "submit_input",
]
