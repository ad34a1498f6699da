"""Rasa's check of every action server response, with validators built once (rasa env).

Rasa 3.6 checks every response with `jsonschema.validate`, which checks the schema itself
and builds a new validator on every call (half the engine's CPU under load, issue 14).
`install_action_result_validator` (installed by medverk.rasa_launcher) checks the same
schema with validators built once, and a valid response faster (`_event_dispatch`); an
invalid response raises the same `ValidationError` with the same message Rasa adds.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install_action_result_validator"]

_DOCS_HINT = (
    ". Failed to validate Action server response from API, "
    "make sure your response from the Action endpoint is valid. "
    "For more information about the format visit "
)


def _event_dispatch(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Rasa's response schema split into the rest and one schema per event type.

    Every branch of the event schema's `oneOf` fixes `event` to its own constant, and the
    event schema itself requires `event` as a string: an event can only match the branch
    of its own type, so "exactly one branch" is "the branch of its type". None when the
    schema is not of that shape (another Rasa version): then only the full check runs.
    """
    event = schema.get("properties", {}).get("events", {}).get("items", {})
    branches = event.get("oneOf")
    if not branches or "event" not in event.get("required", []):
        return None
    by_type = {}
    for branch in branches:
        const = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(const, str) or const in by_type:
            return None
        by_type[const] = branch
    outer = {key: value for key, value in event.items() if key != "oneOf"}
    events = {**schema["properties"]["events"], "items": outer}
    rest = {**schema, "properties": {**schema["properties"], "events": events}}
    return rest, by_type


def install_action_result_validator() -> None:
    """Replace `RemoteAction._validate_action_result` with validators built once.

    The full validator (Rasa's schema, checked once) gives the error Rasa raises. The
    common case, a valid response, is checked faster with the same rules: the schema
    without the event `oneOf`, then each event against the branch of its own type only
    (`_event_dispatch`), instead of against all 23. Anything that check rejects goes to
    the full validator, so what is accepted and what is raised is Rasa's.
    """
    from jsonschema import ValidationError, exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    dispatch = _event_dispatch(schema)
    if dispatch is not None:
        rest = validator_class(dispatch[0])
        by_type = {name: validator_class(branch) for name, branch in dispatch[1].items()}

    def quickly_valid(result: Any) -> bool:
        if dispatch is None or not rest.is_valid(result):
            return False
        for event in result.get("events") or []:
            branch = by_type.get(event["event"])
            if branch is None or not branch.is_valid(event):
                return False
        return True

    def validate_action_result(_self: RemoteAction, result: dict[str, Any]) -> bool:
        if quickly_valid(result):
            return True
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        if isinstance(error, ValidationError):
            error.message += f"{_DOCS_HINT}{DOCS_BASE_URL}/custom-actions"
        raise error

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
