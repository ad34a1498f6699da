"""Markup is blanked out for reading, with the text's length and offsets kept."""

from __future__ import annotations

from nlu.markup import visible_text


def test_tags_and_script_content_become_spaces() -> None:
    """Tags, comments, script and style elements are blanked; words stay in place."""
    text = "<b>hei</b><script>alert(1)</script><!-- x --><style>p{}</style>ja"
    seen = visible_text(text)
    assert seen.split() == ["hei", "ja"]
    assert len(seen) == len(text)
    assert seen.index("ja") == text.index("ja")


def test_comparisons_and_hearts_are_not_markup() -> None:
    """'3 < 5', '<3' and unclosed brackets are ordinary text."""
    for text in ["eg meiner 3 < 5 og 7 > 2", "hei <3", "<<<>>>", "a <b"]:
        assert visible_text(text) == text


def test_huge_and_unclosed_markup_is_handled_quickly() -> None:
    """An unclosed script and very long tags do not blow up the matching."""
    text = "<script>" + "a" * 50_000 + " <b" * 10_000
    assert len(visible_text(text)) == len(text)
