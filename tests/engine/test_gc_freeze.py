"""After the model is loaded its objects are out of the collector's way (rasa env)."""

from __future__ import annotations

import asyncio
import gc
from types import SimpleNamespace
from typing import Any

import pytest
import rasa.core.agent
import rasa.core.run

from medverk.rasa_launcher import GC_THRESHOLDS, install_gc_freeze


def test_the_engine_freezes_what_it_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = object()

    async def load_agent(**_kwargs: Any) -> object:
        return loaded

    monkeypatch.setattr(rasa.core.agent, "load_agent", load_agent)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    install_gc_freeze()
    app = SimpleNamespace(ctx=SimpleNamespace())
    gc.unfreeze()
    thresholds = gc.get_threshold()
    try:
        agent = asyncio.run(rasa.core.run.load_agent_on_start("m", None, None, app, None))
        assert agent is loaded and app.ctx.agent is loaded  # Rasa's own listener ran
        assert gc.get_freeze_count() > 0
        # The young generation is collected far less often than Python's default 700.
        assert gc.get_threshold() == GC_THRESHOLDS and GC_THRESHOLDS[0] >= 10_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
