"""The replies keep the language rules of docs/language.md in both målformer.

One label for the give-input action, one verb paradigm, "eg" for Medverk and
"kommunen" for the municipality, and the short texts stay short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from medverk.inputs.privacy_text import load_privacy_text

ROOT = Path(__file__).resolve().parent.parent
GIVE_INPUT_LABEL = {"nn": "Seie meininga mi", "nb": "Si meningen min"}
# Forms the rules leave out of each målform (a space-padded, lower-case match).
NOT_IN = {
    "nn": [
        " da ", "handsam", "angrast", " gje ", "gje»", "oppgje", "skjønte", "har svart",
        "lesen", "lageret", " vi brukar", " vi lagrar", "sendt oss", "hos oss",
    ],
    "nb": [
        "si din mening", "si min mening", "beslutning", "angres", " vi bruker", " vi lagrer",
        "sendt oss", "hos oss",
    ],
}  # fmt: skip


def _domain_variants() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in sorted((ROOT / "domain").glob("*.yml")):
        responses = yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}
        for name, variants in responses.items():
            for variant in variants:
                condition = variant.get("condition") or []
                malform = next(c["value"] for c in condition if c["name"] == "malform")
                yield name, malform, variant


def _knowledge_strings(node: Any, malform: str | None = None) -> Iterator[tuple[str, str]]:
    """(målform, text) for every string under an nn/nb key in the knowledge files."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _knowledge_strings(value, key if key in ("nn", "nb") else malform)
    elif isinstance(node, list):
        for value in node:
            yield from _knowledge_strings(value, malform)
    elif isinstance(node, str) and malform:
        yield malform, node


def _knowledge_buttons(node: Any, malform: str | None = None) -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if "payload" in node and "title" in node and malform:
            yield malform, node
        for key, value in node.items():
            yield from _knowledge_buttons(value, key if key in ("nn", "nb") else malform)
    elif isinstance(node, list):
        for value in node:
            yield from _knowledge_buttons(value, malform)


def _knowledge() -> list[Any]:
    folder = ROOT / "data" / "knowledge"
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))]


_GOES_ON_WITH_THE_FORM = {"utter_stop_or_use_text", "utter_input_confirm_cancel"}


def test_one_label_for_the_give_input_action() -> None:
    """Every button that offers to give input has the same title in its målform."""
    titles: set[tuple[str, str]] = set()
    for name, malform, variant in _domain_variants():
        for button in variant.get("buttons") or []:
            # "Bruk det eg skreiv" uses the text already written, "Hald fram" goes on with
            # the form: their own labels.
            if button["payload"] == "/give_input" and name not in _GOES_ON_WITH_THE_FORM:
                titles.add((malform, button["title"]))
    for document in _knowledge():
        for malform, button in _knowledge_buttons(document):
            if button["payload"] == "/give_input":
                titles.add((malform, button["title"]))
    assert titles == {("nn", GIVE_INPUT_LABEL["nn"]), ("nb", GIVE_INPUT_LABEL["nb"])}


def _all_texts() -> Iterator[tuple[str, str, str]]:
    for name, malform, variant in _domain_variants():
        yield name, malform, variant.get("text") or ""
        for button in variant.get("buttons") or []:
            yield name, malform, button["title"]
    for document in _knowledge():
        for malform, text in _knowledge_strings(document):
            yield "knowledge", malform, text


@pytest.mark.parametrize("malform", ["nn", "nb"])
def test_terms_and_forms_are_consistent(malform: str) -> None:
    """gi (not gje), behandle (not handsame), skjønar/skjøna, svarar/svara; eg and kommunen."""
    found = [
        (name, form, text)
        for name, text_malform, text in _all_texts()
        if text_malform == malform
        for form in NOT_IN[malform]
        if form in f" {re.sub(r'[.,:;!?()]', ' ', text.lower())} "
    ]
    assert found == []


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", re.sub(r"\{\w+\}", "x", text)))


@pytest.mark.parametrize("malform", ["nn", "nb"])
@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_privacy_answer_is_at_most_60_words(malform: str, mode: str) -> None:
    """The short answer; the rest is behind its first button."""
    privacy = load_privacy_text(
        ROOT / "data" / "knowledge", malform, retention_days=365, retention_mode=mode
    )
    assert _words(privacy.text) <= 60
    assert privacy.buttons[0]["payload"] == "/ask_privacy_details"


def _texts_of(response: str) -> dict[str, str]:
    return {m: v["text"] for name, m, v in _domain_variants() if name == response}


def test_consent_question_is_at_most_30_words() -> None:
    for malform, text in _texts_of("utter_ask_input_contact_consent").items():
        assert _words(text) <= 30, (malform, _words(text))


def test_receipt_is_in_the_active_voice() -> None:
    """'Eg har lagra innspelet ditt', not 'er motteke og lagra'."""
    texts = _texts_of("utter_input_received")
    assert texts["nn"].startswith("Takk! Eg har lagra innspelet ditt")
    assert texts["nb"].startswith("Takk! Jeg har lagret innspillet ditt")
    for text in texts.values():
        assert not re.search(r"\b(er motteke|er mottatt|blir teke|blir tatt)\b", text)
