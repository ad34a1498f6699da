"""The abuse word list: whole words, prefixes, phrases, and the shipped file."""

from __future__ import annotations

from pathlib import Path

from medverk.inputs.abuse import AbuseList, current_abuse_list, load_abuse_list


def test_whole_words_prefixes_and_phrases() -> None:
    words = AbuseList(("drep*", "kuk", "hold kjeft"))
    assert words.flags("Eg skal drepe deg")
    assert words.flags("DREP")
    assert words.flags("hold   kjeft no")
    assert words.flags("du er ein KUK!")
    assert not words.flags("kukeluring")  # whole word only without *
    assert not words.flags("Bussen om kvelden må bli betre")
    assert words.matches("drep og drepe") == ["drep", "drepe"]


def test_shipped_list_flags_threats_not_ordinary_input() -> None:
    words = load_abuse_list()
    assert words.words
    assert words.flags("Jeg skal banke deg opp")
    assert words.flags("Ordføraren er ein idiot")
    assert not words.flags("Vi treng lys på gangvegen og ein ny skatepark")


def test_edits_apply_without_restart(tmp_path: Path) -> None:
    file = tmp_path / "abuse.yml"
    file.write_text("words: [tull]\n", encoding="utf-8")
    assert current_abuse_list(file).flags("berre tull")
    file.write_text("words: [tøys]\n", encoding="utf-8")
    import os

    os.utime(file, (1, 1))
    assert not current_abuse_list(file).flags("berre tull")
    assert current_abuse_list(file).flags("berre tøys")
    assert not current_abuse_list(tmp_path / "missing.yml").flags("tull")
