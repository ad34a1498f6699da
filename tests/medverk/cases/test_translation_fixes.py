"""The shipped fixes for Apertium's mistakes in municipal words, on the real Apertium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medverk.cases.translate import ApertiumTranslator, case_translator
from medverk.cases.translation_fixes import load_translation_fixes
from medverk.settings import PROJECT_ROOT

SAMPLE_DIR = PROJECT_ROOT / "data" / "cases"


def test_whole_words_are_replaced_and_a_capital_is_kept(tmp_path: Path) -> None:
    (tmp_path / "translation_fixes.yml").write_text(
        'nn_to_nb:\n  "utsagn": "uttalelse"\n', encoding="utf-8"
    )
    fixes = load_translation_fixes(tmp_path)
    assert fixes.apply("Utsagn om utsagnet og utsagn", "nn", "nb") == (
        "Uttalelse om utsagnet og uttalelse"
    )
    assert fixes.apply("utsagn", "nb", "nn") == "utsagn", "only its own direction"


def test_a_missing_or_broken_file_gives_no_fixes(tmp_path: Path) -> None:
    assert load_translation_fixes(tmp_path).apply("utsagn", "nn", "nb") == "utsagn"
    (tmp_path / "translation_fixes.yml").write_text("nn_to_nb: [oops", encoding="utf-8")
    assert load_translation_fixes(tmp_path).apply("utsagn", "nn", "nb") == "utsagn"


def test_changed_fixes_change_the_translators_name(tmp_path: Path) -> None:
    """The name is stored with each translation: new fixes translate the cases again."""
    (tmp_path / "translation_fixes.yml").write_text('nn_to_nb:\n  "a": "b"\n', encoding="utf-8")
    first = case_translator(tmp_path).name
    (tmp_path / "translation_fixes.yml").write_text('nn_to_nb:\n  "a": "c"\n', encoding="utf-8")
    assert case_translator(tmp_path).name != first
    assert first.startswith("apertium+fixes-")


async def test_the_shipped_fixes_mend_apertiums_case_titles() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium is not installed: run `make apertium-deps`")
    titles = [
        "Ungdomsrådet si fråsegn til budsjettet for 2027",
        "Ny skatepark i sentrum – plassering",
        "Tilskot til lag og organisasjonar – nye retningsliner",
        "Formannskapet – møte 2027-03-04",
    ]
    plain = await ApertiumTranslator().translate(titles, "nn", "nb")
    assert "utsagn" in plain[0] and "anbringelse" in plain[1], "Apertium's own mistakes"
    fixed = await case_translator(SAMPLE_DIR).translate(titles, "nn", "nb")
    assert fixed == [
        "Ungdomsrådet sin uttalelse til budsjettet for 2027",
        "Ny skatepark i sentrum – plassering",
        "Tilskudd til lag og organisasjoner – nye retningslinjer",
        "Formannskapet – møte 2027-03-04",
    ]
