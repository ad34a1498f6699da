"""The one base for Medverk's Rasa NLU components: creation, fingerprint, defaults.

- `NluComponent` (a `GraphComponent` mixin) owns `create` and `fingerprint_addon`. A
  component says what its fingerprint covers in class attributes:
  - `FINGERPRINT_SOURCES`: the spaCy pipeline's sources (`nlu.norwegian.source_fingerprint`);
  - `FINGERPRINT_DATA`: its data files (sha256 of their bytes);
  - `FINGERPRINT_CODE`: code whose output Rasa caches, i.e. code that changes the *training*
    data later components learn from (the tokenizer lists its own module and
    `nlu/markup.py`). A component that leaves training data alone needs no code here:
    its code runs live at inference.
  `LOADS_PIPELINE` loads the shared spaCy pipeline once, when the component is created.
- `RuleComponent` adds what every untrained component repeats: defaults from `DEFAULTS`,
  the merged config in `self.config`, training data left alone, and `entity()` for the
  entity dict it adds to a message.

A new component: subclass `RuleComponent` (or `NluComponent` and a Rasa base such as
`Tokenizer`, mixin first), set the class attributes, write `process`.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.norwegian import shared_pipeline, source_fingerprint

__all__ = ["NluComponent", "RuleComponent"]

# Length of the code part of a fingerprint (as the tokenizer has always had it).
_CODE_DIGITS = 16

_C = TypeVar("_C", bound="NluComponent")


class NluComponent(GraphComponent):
    """Mixin: `create` and `fingerprint_addon` from class attributes."""

    FINGERPRINT_SOURCES: ClassVar[bool] = False
    FINGERPRINT_DATA: ClassVar[tuple[Path, ...]] = ()
    FINGERPRINT_CODE: ClassVar[tuple[Path, ...]] = ()
    LOADS_PIPELINE: ClassVar[bool] = False

    if TYPE_CHECKING:
        # Every component is built from its config (Rasa's `Tokenizer` has this __init__).
        def __init__(self, config: dict[str, Any]) -> None: ...

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when what the class attributes name changes; None when they name nothing."""
        parts = [source_fingerprint()] if cls.FINGERPRINT_SOURCES else []
        if cls.FINGERPRINT_DATA:
            parts.append(_digest(cls.FINGERPRINT_DATA))
        if cls.FINGERPRINT_CODE:
            parts.append(_digest(cls.FINGERPRINT_CODE)[:_CODE_DIGITS])
        return "".join(parts) or None

    @classmethod
    def create(
        cls: type[_C],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _C:
        """Creates the component from its config (loading the shared pipeline if it needs it)."""
        if cls.LOADS_PIPELINE:
            shared_pipeline()
        return cls(config)


class RuleComponent(NluComponent):
    """An untrained component: defaults, merged config, training data left alone."""

    DEFAULTS: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config: dict[str, Any] = {**self.get_default_config(), **(config or {})}

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        """The component's `DEFAULTS`."""
        return copy.deepcopy(dict(cls.DEFAULTS))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone: nothing here is trained."""
        return training_data

    def entity(self, label: str, value: str, start: int, end: int) -> dict[str, Any]:
        """The entity dict this component adds to a message (always confidence 1)."""
        return {
            "entity": label,
            "value": value,
            "start": start,
            "end": end,
            "confidence": 1.0,
            "extractor": type(self).__name__,
        }


def _digest(paths: tuple[Path, ...]) -> str:
    return hashlib.sha256(b"".join(path.read_bytes() for path in paths)).hexdigest()
