"""The one loader of the text files: folder in force, cache, placeholders, one error."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from bot.messages import gateway_text
from bot.telegram.texts import load_texts as load_telegram_texts
from medverk.texts.loader import (
    DEFAULT_KNOWLEDGE_DIR,
    TextsError,
    fill,
    pick,
    read_text_file,
    require_both,
    text_file,
)


def test_fill_uses_one_placeholder_style_and_refuses_unknown_names() -> None:
    assert fill("Fristen er {date}.", date="3. desember") == "Fristen er 3. desember."
    assert fill("{total} innspel") == "{total} innspel"  # no values: the text as it is
    with pytest.raises(TextsError, match="name"):
        fill("Du kan kontakte {name}.", email="a@b.no")


def test_pick_falls_back_to_nynorsk() -> None:
    assert pick({"nn": "Hei", "nb": "Hei du"}, "nb") == "Hei du"
    assert pick({"nn": "Hei", "nb": "Hei du"}, "se") == "Hei"


def test_require_both_names_where_a_malform_is_missing() -> None:
    with pytest.raises(TextsError, match=r"texts\.x needs a text for both nn and nb"):
        require_both({"nn": "Hei"}, "texts.x")


def test_a_missing_file_is_a_texts_error(tmp_path: Path) -> None:
    with pytest.raises(TextsError, match=r"gateway\.yml: missing"):
        read_text_file(tmp_path / "gateway.yml")


def test_every_file_honours_the_knowledge_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A municipality's own folder wins for the gateway and Telegram texts too."""
    own = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, own)
    gateway = own / "gateway.yml"
    gateway.write_text(
        'texts:\n  assistant_unavailable: {nn: "Eigen nn", nb: "Egen nb"}\n', encoding="utf-8"
    )
    telegram = (own / "telegram.yml").read_text(encoding="utf-8")
    monkeypatch.setenv("MEDVERK_KNOWLEDGE_DIR", str(own))
    assert text_file("telegram.yml") == own / "telegram.yml"
    assert gateway_text("assistant_unavailable", "nb") == "Egen nb"
    (own / "telegram.yml").write_text(telegram.replace("/help", "/hjelp_eigen", 1), "utf-8")
    assert any(c.message == "/hjelp_eigen" for c in load_telegram_texts().commands)


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "gateway.yml"
    path.write_text('texts:\n  a: {nn: "ein", nb: "en"}\n', encoding="utf-8")
    assert read_text_file(path)["texts"]["a"]["nn"] == "ein"
    path.write_text('texts:\n  a: {nn: "to", nb: "to"}\n', encoding="utf-8")
    os.utime(path, (1, 1))
    assert read_text_file(path)["texts"]["a"]["nn"] == "to"


def _pairs(node: object, where: str) -> list[tuple[str, str, str]]:
    """Every (where, nn text, nb text) pair in a text file, at any depth."""
    found: list[tuple[str, str, str]] = []
    if isinstance(node, dict):
        nn, nb = node.get("nn"), node.get("nb")
        if isinstance(nn, str) and isinstance(nb, str):
            found.append((where, nn, nb))
        for key, value in node.items():
            found += _pairs(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _pairs(value, f"{where}[{index}]")
    return found


PLACEHOLDER = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("path", sorted(DEFAULT_KNOWLEDGE_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_both_malformer_name_the_same_placeholders(path: Path) -> None:
    """A text and its other målform fill in the same `{names}`, so neither shows a raw brace."""
    pairs = _pairs(read_text_file(path), path.name)
    for where, nn, nb in pairs:
        assert set(PLACEHOLDER.findall(nn)) == set(PLACEHOLDER.findall(nb)), where
