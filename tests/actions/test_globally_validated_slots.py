"""The launcher skips the global slot validation only where it cannot change anything.

`medverk.rasa_launcher` calls `action_validate_slot_mappings` only for turns that extract
one of `GLOBALLY_VALIDATED_SLOTS`; that is exact only while the action validates those
slots and no others, and extracts none itself.
"""

from __future__ import annotations

from actions.malform_choice import ValidateMalformChoice
from medverk.rasa_launcher import GLOBALLY_VALIDATED_SLOTS


def test_the_launcher_knows_every_slot_the_global_validation_validates() -> None:
    names = dir(ValidateMalformChoice)
    validated = {name.removeprefix("validate_") for name in names if name.startswith("validate_")}
    assert validated == set(GLOBALLY_VALIDATED_SLOTS)
    assert not [name for name in names if name.startswith("extract_")]
    assert ValidateMalformChoice().name() == "action_validate_slot_mappings"
