"""Identical texts grouped with distinct senders, personal data masked (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medverk.officers.report_groups import group_identical, normalise


def test_identical_texts_grouped_with_senders_and_masked() -> None:
    rows = [
        ("Meir buss!", "a"),
        ("meir  buss", "b"),
        ("Meir buss.", "a"),
        ("Ring meg på 912 34 567", "c"),
        ("Skatepark", "d"),
    ]
    groups = group_identical(rows)
    assert [(g.text, g.count, g.senders) for g in groups] == [
        ("Meir buss!", 3, 2),
        ("Ring meg på […]", 1, 1),
        ("Skatepark", 1, 1),
    ]
    assert [g.had_personal_data for g in groups] == [False, True, False]


@given(st.lists(st.tuples(st.text(max_size=30), st.sampled_from("abcde")), max_size=40))
def test_counts_add_up_and_senders_never_exceed_count(rows: list[tuple[str, str]]) -> None:
    groups = group_identical(rows)
    assert sum(g.count for g in groups) == len(rows)
    assert len(groups) == len({normalise(text) for text, _ in rows})
    assert all(1 <= g.senders <= g.count for g in groups)
    assert [g.count for g in groups] == sorted((g.count for g in groups), reverse=True)
