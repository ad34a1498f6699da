"""The knowledge base loader: answers from data/knowledge/*.yml in both målformer."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from medverk.knowledge import (
    Contact,
    KnowledgeError,
    conference_answer,
    contact_answer,
    load_contact,
    participation_answer,
    participation_topic_for,
)
from medverk.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "data" / "knowledge"
TODAY = date(2026, 11, 28)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge files."""
    for name in ("participation.yml", "conference.yml", "contact.yml"):
        shutil.copy(KNOWLEDGE / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("kva er ein bylab?", "bylab"),
        ("hva er et borgerpanel", "borgarpanel"),
        ("korleis fungerer ei høyring", "hearing"),
        ("hva gjør nærmiljøutvalget?", "naermiljoutval"),
        ("kva måtar finst det å påverke på?", "overview"),
    ],
)
def test_the_question_picks_the_topic(text: str, topic: str) -> None:
    """Keywords in the file decide which body the answer is about."""
    assert participation_topic_for(KNOWLEDGE, text) == topic


@pytest.mark.parametrize(
    ("malform", "words", "foreign"),
    [
        ("nn", ["Kommunelova § 5-12", "under 19 år", "to år"], ["ikke", "hva"]),
        ("nb", ["Kommuneloven § 5-12", "under 19 år", "to år"], ["ikkje", "kva"]),
    ],
)
def test_youth_council_answer_in_each_malform(
    malform: str, words: list[str], foreign: list[str]
) -> None:
    """The youth council text cites the law and is written in the asked målform only."""
    answer = participation_answer(KNOWLEDGE, "youth_council", malform)
    for word in words:
        assert word in answer.text
    for word in foreign:
        assert f" {word} " not in f" {answer.text.lower()} "
    assert answer.buttons and all(b["payload"].startswith("/") for b in answer.buttons)


def test_unknown_topic_gives_the_overview() -> None:
    """A topic the file lacks falls back to the overview with its buttons."""
    answer = participation_answer(KNOWLEDGE, "no-such-topic", "nb")
    assert answer == participation_answer(KNOWLEDGE, "overview", "nb")
    assert len(answer.buttons) == 5


@pytest.mark.parametrize("malform", ["nn", "nb"])
def test_conference_is_told_in_the_past_after_its_date(malform: str) -> None:
    """After 5 June 2024 the answer says the conference is over, with the real facts;
    the themes first, the project and the brochure behind buttons that reach them."""
    answer = conference_answer(KNOWLEDGE, "kva er lokaldemokratikonferansen?", malform, TODAY)
    assert "5. juni 2024" in answer.text
    assert "Oslo rådhus" in answer.text and "Erling Sande" in answer.text
    assert "er over" in answer.text and "kunstig intelligens" in answer.text
    assert "Sju kommun" not in answer.text and "inspirasjonsbrosjyre" not in answer.text
    project, brochure = (b["payload"] for b in answer.buttons)
    assert "Sju kommun" in conference_answer(KNOWLEDGE, project, malform, TODAY).text
    assert "inspirasjonsbrosjyre" in conference_answer(KNOWLEDGE, brochure, malform, TODAY).text


def test_conference_before_its_date_is_upcoming() -> None:
    """Before the date the same question gets the upcoming text."""
    answer = conference_answer(KNOWLEDGE, "når er konferansen?", "nn", date(2024, 5, 1))
    assert "er 5. juni 2024" in answer.text
    assert "er over" not in answer.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kan eg melde meg på konferansen?", "ikkje an å melde seg på"),
        ("kor finn eg brosjyra?", "inspirasjonsbrosjyre"),
        ("kjem det ein ny konferanse?", "ikkje noko om nye konferansar"),
    ],
)
def test_conference_answers_what_was_asked(text: str, expected: str) -> None:
    """Registration, brochure and 'a new one?' get their own part, nothing invented."""
    assert expected in conference_answer(KNOWLEDGE, text, "nn", TODAY).text


def test_contact_from_file_and_settings_override() -> None:
    """The file gives the sample contact; settings values replace it field by field."""
    sample = load_contact(KNOWLEDGE)
    assert sample.email.endswith("@eksempelvik.example")
    override = load_contact(KNOWLEDGE, email="post@kommune.example", phone="12345678")
    assert override == Contact(sample.name, "post@kommune.example", "12345678")
    text = contact_answer(KNOWLEDGE, override, "nb").text
    assert "E-post: post@kommune.example" in text and "Telefon: 12345678" in text


def test_no_contact_says_so_plainly() -> None:
    """Without e-mail or phone the answer says none is set up, in the målform."""
    text = contact_answer(KNOWLEDGE, Contact("", "", ""), "nn").text
    assert "ikkje lagt inn nokon kontaktperson" in text


def test_a_missing_malform_is_a_clear_error(knowledge_copy: Path) -> None:
    """A conference file without Bokmål names the file and the missing part."""
    path = knowledge_copy / "conference.yml"
    path.write_text(path.read_text(encoding="utf-8").split("\nnb:\n")[0], encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"conference\.yml: 'nb' is missing"):
        conference_answer(knowledge_copy, "konferansen", "nb", TODAY)


def test_edits_are_picked_up_without_restart(knowledge_copy: Path) -> None:
    """Changing a file changes the next answer (files are re-read when they change)."""
    before = participation_answer(knowledge_copy, "bylab", "nn").text
    path = knowledge_copy / "participation.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Ein bylab er", "Bylaben vår er"),
        encoding="utf-8",
    )
    import os

    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))
    after = participation_answer(knowledge_copy, "bylab", "nn").text
    assert before != after and after.startswith("Bylaben vår er")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """No participation.yml: KnowledgeError naming the file."""
    with pytest.raises(KnowledgeError, match=r"participation\.yml: missing"):
        participation_answer(tmp_path, "bylab", "nn")
