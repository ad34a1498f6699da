"""Case titles and texts in the reader's målform: the stored translation, marked as
machine-made, with the original one tap away (actions/case_details.py, case_list.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from actions import store
from actions.case_details import ActionCaseDetails
from actions.case_list import ActionUpcomingCases
from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.settings import PROJECT_ROOT, Malform
from medverk.store.db import create_engine, create_sessionmaker
from tests.actions.test_cases import TODAY, render, run, tracker

BUDGET = "2026/402"


class MarkingTranslator:
    """Marks every text as translated ("NB: …"), so the tests can tell which one is shown."""

    name = "marking"

    async def translate(self, texts: Sequence[str], source: Malform, target: Malform) -> list[str]:
        return [f"{target.upper()}: {text}" if text else text for text in texts]


async def _synced(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, translator: Any
) -> AsyncIterator[None]:
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_TODAY", TODAY)
    store.reset()
    engine = create_engine(database_url)
    result = await sync_cases(
        create_sessionmaker(engine),
        FileCaseSource(PROJECT_ROOT / "data" / "cases"),
        translator=translator,
        source_malform="nn",
    )
    assert result.ok
    yield
    await engine.dispose()
    await store.get_sessionmaker().kw["bind"].dispose()
    store.reset()


@pytest.fixture
async def translated(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[None]:
    async for _ in _synced(database_url, monkeypatch, tmp_path, MarkingTranslator()):
        yield


@pytest.fixture
async def untranslated(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[None]:
    async for _ in _synced(database_url, monkeypatch, tmp_path, None):
        yield


def _details(case_ref: str, malform: str, *, original: bool = False) -> Any:
    entities = [{"entity": "case_ref", "value": case_ref}]
    if original:
        entities.append({"entity": "case_version", "value": "original"})
    return tracker("/ask_case_details{...}", malform=malform, entities=entities)


async def test_bokmaal_reader_gets_the_translation_marked_with_a_button_to_the_original(
    translated: None,
) -> None:
    dispatcher, _ = await run(ActionCaseDetails(), _details(BUDGET, "nb"))
    shown = [render(m, "nb") for m in dispatcher.messages]
    assert shown[0].startswith("«NB: Budsjett 2027")
    note = dispatcher.messages[-1]
    assert note["response"] == "utter_case_machine_translated"
    assert "oversatt av en maskin" in render(note, "nb")
    assert note["original_payload"] == (
        '/ask_case_details{"case_ref": "2026/402", "case_version": "original"}'
    )


async def test_the_original_button_shows_the_data_text_and_says_so(translated: None) -> None:
    dispatcher, _ = await run(ActionCaseDetails(), _details(BUDGET, "nb", original=True))
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_case_original_shown"
    assert "utter_case_machine_translated" not in responses
    assert render(dispatcher.messages[1], "nb").startswith("«Budsjett 2027")


async def test_reader_of_the_data_malform_gets_the_original_without_a_note(
    translated: None,
) -> None:
    dispatcher, _ = await run(ActionCaseDetails(), _details(BUDGET, "nn"))
    responses = [m["response"] for m in dispatcher.messages]
    assert render(dispatcher.messages[0], "nn").startswith("«Budsjett 2027")
    assert not {"utter_case_machine_translated", "utter_case_translation_missing"} & set(responses)


async def test_a_list_shows_translated_titles_and_buttons_and_says_they_are(
    translated: None,
) -> None:
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker("hvilke saker kommer snart?", malform="nb", intent="ask_upcoming_cases"),
    )
    first = dispatcher.messages[0]
    assert "NB: Budsjett 2027" in render(first, "nb")
    assert all(b["title"].startswith("NB: ") for b in first["buttons"])
    assert "utter_cases_machine_translated" in [m["response"] for m in dispatcher.messages]


async def test_without_a_stored_translation_the_original_is_shown_with_a_note(
    untranslated: None,
) -> None:
    dispatcher, _ = await run(ActionCaseDetails(), _details(BUDGET, "nb"))
    assert render(dispatcher.messages[0], "nb").startswith("«Budsjett 2027")
    note = dispatcher.messages[-1]
    assert note["response"] == "utter_case_translation_missing"
    assert "ikke oversatt til bokmål" in render(note, "nb")
