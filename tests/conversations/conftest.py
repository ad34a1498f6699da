"""The conversation suite's stack: today pinned, so deadlines and dates read the same on any day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medverk.runner import Stack, running_stack

# 2026-12-02: the sample reads as written; the budget hearing (deadline 1 December)
# closed yesterday.
CONVERSATION_TODAY = "2026-12-02"


@pytest.fixture(scope="module")
def stack(trained_model_path: Path) -> Iterator[Stack]:
    """The whole Medverk on free ports with the trained model (the root fixture, date pinned)."""
    extra_env = {"MEDVERK_TODAY": CONVERSATION_TODAY, "MEDVERK_CHAT_LIMIT_PER_IP": "100000"}
    with running_stack(model=trained_model_path, extra_env=extra_env) as running:
        yield running
