"""Start the Rasa CLI with the action-response validator built once (runs in `.venv/rasa`).

`python -m medverk.rasa_launcher run --model ...` is `rasa run --model ...`, with one
change: Rasa 3.6 checks every action server response with `jsonschema.validate`, which
checks the schema itself and builds a new validator on every call (half the engine's CPU
under load). Here the same schema is checked once, the validator is built once, and every
response is still validated against it; an invalid response raises the same
`ValidationError` with the same message Rasa adds.

Imports only rasa and jsonschema (the rasa environment has neither the gateway's nor the
action server's packages).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["install_action_result_validator", "main"]

_DOCS_HINT = (
    ". Failed to validate Action server response from API, "
    "make sure your response from the Action endpoint is valid. "
    "For more information about the format visit "
)


def install_action_result_validator() -> None:
    """Replace `RemoteAction._validate_action_result` with one prebuilt validator."""
    from jsonschema import ValidationError, exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(_self: RemoteAction, result: dict[str, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        if isinstance(error, ValidationError):
            error.message += f"{_DOCS_HINT}{DOCS_BASE_URL}/custom-actions"
        raise error

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    """Run the Rasa CLI (same arguments as `rasa`) with the prebuilt validator."""
    install_action_result_validator()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
