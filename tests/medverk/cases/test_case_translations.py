"""Case texts in both målformer: translated with Apertium at sync time, read from the store."""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.cases.translate import ApertiumTranslator, TranslationError
from medverk.settings import PROJECT_ROOT
from medverk.store import case_texts_repo, cases_repo
from medverk.store.models.cases import CaseTranslation

SAMPLE_DIR = PROJECT_ROOT / "data" / "cases"


class CountingApertium(ApertiumTranslator):
    """The real Apertium, counting how many texts it was given."""

    def __init__(self, command: str = "apertium") -> None:
        super().__init__(command)
        self.texts = 0

    async def translate(self, texts: Any, source: Any, target: Any) -> list[str]:
        self.texts += len(texts)
        return await super().translate(texts, source, target)


def _require_apertium() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium is not installed: run `make apertium-deps`")


async def test_apertium_translates_both_ways() -> None:
    """nno-nob and nob-nno_e, order kept, no unknown-word marks."""
    _require_apertium()
    apertium = ApertiumTranslator()
    nb = await apertium.translate(
        ["Trafikktryggleik på skulevegen", "Kommunen vil byggje ein ny idrettshall."], "nn", "nb"
    )
    assert nb == ["Trafikksikkerhet på skoleveien", "Kommunen vil bygge en ny idrettshall."]
    nn = await apertium.translate(["Hva skjer med skolen?"], "nb", "nn")
    assert nn == ["Kva skjer med skulen?"]


async def test_missing_apertium_and_unknown_mode_raise() -> None:
    with pytest.raises(TranslationError):
        await ApertiumTranslator("/nonexistent/apertium").translate(["hei"], "nn", "nb")
    with pytest.raises(TranslationError):
        await ApertiumTranslator().translate(["hei"], "nn", "nn")


def _child_pids() -> set[int]:
    """This process's living children, from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            children.add(int(stat.parent.name))
    return children


async def test_a_cancelled_translation_leaves_no_apertium_and_no_open_pipe() -> None:
    """The gateway cancels a sync on shutdown; Apertium was left running with its pipes open,
    which leaked past the event loop (ResourceWarning: unclosed transport)."""
    _require_apertium()
    before = _child_pids()
    task = asyncio.create_task(
        ApertiumTranslator().translate(
            ["Kommunen vil byggje ein ny idrettshall."] * 3000, "nn", "nb"
        )
    )
    await asyncio.sleep(0.5)
    assert _child_pids() - before, "Apertium should be running by now"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    gc.collect()
    assert _child_pids() - before == set()


async def _item(session: Any, ref: str) -> Any:
    return (await cases_repo.find_by_ref(session, ref))[0]


async def test_sync_stores_bokmal_and_reads_either(
    sessionmaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a sync every item has a Bokmål translation; nn readers get the original."""
    _require_apertium()
    monkeypatch.setenv("MEDVERK_TODAY", "2026-11-28")
    apertium = CountingApertium()
    result = await sync_cases(
        sessionmaker, FileCaseSource(SAMPLE_DIR), translator=apertium, source_malform="nn"
    )
    assert result.ok and result.translated == result.items == 31
    assert result.translations_failed == 0
    async with sessionmaker() as session:
        item = await _item(session, "2026/210")
        nb = await case_texts_repo.case_text(session, item, "nb")
        nn = await case_texts_repo.case_text(session, item, "nn")
        count = await session.scalar(select(func.count()).select_from(CaseTranslation))
    assert count == 31
    assert nb.title == "Trafikksikkerhet på skoleveien til Eksempelvik skole"
    assert nb.machine_translated and nb.malform == "nb" and nb.original_malform == "nn"
    assert nb.recommendation and "fartsdumper" in nb.recommendation
    assert nb.decision and "Ungdomsrådet ber kommunen sette opp" in nb.decision
    assert nn.title == item.title and not nn.machine_translated and not nn.translation_missing
    assert nn.malform == "nn"

    # A second sync of the same data translates nothing again.
    first = apertium.texts
    again = await sync_cases(
        sessionmaker, FileCaseSource(SAMPLE_DIR), translator=apertium, source_malform="nn"
    )
    assert again.translations_reused == 31 and again.translated == 0
    assert apertium.texts == first

    # New translation fixes (another translator name): everything is translated again.
    fixed = CountingApertium()
    fixed.name = "apertium+fixes-new"
    after_fixes = await sync_cases(
        sessionmaker, FileCaseSource(SAMPLE_DIR), translator=fixed, source_malform="nn"
    )
    assert after_fixes.translated == 31 and after_fixes.translations_reused == 0


async def test_failed_translation_keeps_the_original_and_marks_it(
    sessionmaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Apertium missing: the sync still succeeds; Bokmål readers get the original, marked."""
    monkeypatch.setenv("MEDVERK_TODAY", "2026-11-28")
    result = await sync_cases(
        sessionmaker,
        FileCaseSource(SAMPLE_DIR),
        translator=ApertiumTranslator("/nonexistent/apertium"),
        source_malform="nn",
    )
    assert result.ok and result.translations_failed == 31 and result.translated == 0
    async with sessionmaker() as session:
        item = await _item(session, "2024/1187")
        nb = await case_texts_repo.case_text(session, item, "nb")
        row = await session.get(CaseTranslation, (item.id, "nb"))
    assert nb.title == item.title and nb.summary == item.summary
    assert not nb.machine_translated and nb.translation_missing
    assert nb.malform == "nn" and nb.original_malform == "nn"
    assert row is not None and not row.ok and "not installed" in (row.error or "")


async def test_bokmal_case_data_is_translated_into_nynorsk(
    sessionmaker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A municipality writing Bokmål: nob-nno_e gives Nynorsk with e-infinitives."""
    _require_apertium()
    monkeypatch.setenv("MEDVERK_TODAY", "2026-11-28")
    text = (SAMPLE_DIR / "eksempelvik.json").read_text(encoding="utf-8")
    text = text.replace(
        "Kommunen vil byggje ein ny idrettshall ved skulen, fordi den gamle er for liten.",
        "Kommunen vil bygge en ny idrettshall ved skolen, fordi den gamle er for liten.",
    )
    (tmp_path / "bokmal.json").write_text(text, encoding="utf-8")
    await sync_cases(
        sessionmaker, FileCaseSource(tmp_path), translator=ApertiumTranslator(), source_malform="nb"
    )
    async with sessionmaker() as session:
        item = await _item(session, "2026/421")
        texts = await case_texts_repo.case_texts(session, [item], "nn")
        nb = await case_texts_repo.case_text(session, item, "nb")
    nn = texts[item.id]
    assert nn.machine_translated and nn.malform == "nn" and nn.original_malform == "nb"
    assert nn.summary and nn.summary.startswith("Kommunen vil byggje ein ny idrettshall ved skulen")
    assert not nb.machine_translated and nb.summary == item.summary
