"""The report's building blocks: weeks, word counts, value order, texts file."""

from __future__ import annotations

from datetime import date

from medverk.officers.report import top_words, value_order, week_periods
from medverk.officers.texts import load_texts
from medverk.settings import PROJECT_ROOT
from nlu.norwegian import lemmas


def test_week_periods_fill_gaps() -> None:
    """Every Monday from the first to the last week is there, even empty weeks."""
    weeks = week_periods([date(2026, 11, 27), date(2026, 11, 3)])
    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert week_periods([]) == []


def test_top_words_lemmatises_and_drops_small_words() -> None:
    """Inflected forms count as one word; stop words, numbers and emoji do not count."""
    stop = frozenset({"i", "og", "eg", "vi", "ha", "vil"})
    words = top_words(
        ["Vi treng lys i parken 👍", "Parken trenger 3 lys og benker", "eg vil ha ein park"],
        lemmas,
        stop,
    )
    counted = dict(words)
    assert counted["park"] == 3
    assert counted["lys"] == 2
    assert counted["trenge"] == 2  # treng (nn) and trenger (nb)
    for small in ("i", "og", "eg", "vi", "vie", "ha", "3", "👍"):
        assert small not in counted


def test_age_groups_sort_youngest_first_and_unknown_last() -> None:
    """Age groups follow the input form's order; 'none' comes last."""
    values = ["over 25", "none", "13-15", "telegram", "under 13"]
    assert sorted(values, key=value_order) == ["under 13", "13-15", "over 25", "telegram", "none"]


def test_texts_file_has_both_malformer_and_real_nynorsk() -> None:
    """Every label exists in nn and nb, and the nn labels are Nynorsk, not Bokmål."""
    texts = load_texts(PROJECT_ROOT / "data" / "knowledge")
    assert (
        texts.ui("inbox_title", "nn") == "Innspel" and texts.ui("inbox_title", "nb") == "Innspill"
    )
    assert "ikkje" in texts.ui("forbidden", "nn") and "ikke" in texts.ui("forbidden", "nb")
    for key in texts.ui_texts:
        nn = texts.ui(key, "nn")
        assert " ikke " not in f" {nn} " and " hva " not in f" {nn} ", key
    message = texts.citizen("answer", "nb", case_title="T", case_ref="1/2", answer="Svar")
    assert message.endswith("Svar") and "innspillet" in message
    assert "ikkje" in texts.stop_words
