"""Themes of a case's input: TF-IDF over lemmas, deterministic clustering (pure)."""

from __future__ import annotations

import random
import time

from medverk.officers.themes import MIN_INPUTS, find_themes, lemma_lists

STOP = frozenset({"vi", "er", "for", "i", "og", "på", "ha", "må", "det", "at", "om", "eg"})
# A tiny stand-in for the spaCy lemmatiser: a few inflected forms, else the word itself.
FORMS = {"bussen": "buss", "bussane": "buss", "parken": "park", "benkar": "benk",
         "benker": "benk", "lyset": "lys", "klubben": "klubb", "treng": "trenge"}  # fmt: skip


def lemmatise(word: str) -> list[str]:
    return [FORMS.get(word, word)]


BUS = [
    "Bussen er for dyr",
    "Bussen er altfor dyr for ungdom",
    "Billig buss for ungdom",
    "Dyr buss, ungdom har ikkje pengar",
]
PARK = ["Vi treng benkar i parken", "Fleire benker og lys i parken", "Lys og benkar i parken"]


def _rows(texts: list[str], senders: list[str] | None = None) -> list[tuple[str, str, list[str]]]:
    lemmas = lemma_lists(texts, lemmatise, STOP)
    senders = senders or [f"s{n}" for n in range(len(texts))]
    return list(zip(texts, senders, lemmas, strict=True))


def test_lemma_lists_use_lemmas_and_drop_stop_words_digits_and_short_words() -> None:
    assert lemma_lists(["Vi treng benkar i parken 2026 x!"], lemmatise, STOP) == [
        ["trenge", "benk", "park"]
    ]


def test_similar_texts_form_one_theme_each_with_a_label_of_their_lemmas() -> None:
    themes, rest = find_themes(_rows(BUS + PARK + ["Eit heilt anna innspel om skulen"]))
    assert [theme.count for theme in themes] == [4, 3]
    bus, park = themes
    assert "ungdom" in bus.label or "dyr" in bus.label
    assert set(park.label) <= {"benk", "park", "lys", "trenge", "fleire"}
    assert "park" in park.label or "benk" in park.label
    assert set(bus.examples) <= set(BUS) and len(bus.examples) == 3
    assert rest == 1  # the lone text on the school is in no theme


def test_identical_texts_count_every_input_and_distinct_senders() -> None:
    texts = ["Bussen er for dyr"] * 5 + ["Bussen er for dyr!", "Bussen er dyr for ungdom"]
    senders = ["a", "a", "b", "c", "c", "d", "e"]
    themes, rest = find_themes(_rows(texts, senders))
    assert len(themes) == 1 and rest == 0
    assert themes[0].count == 7 and themes[0].senders == 5
    # Identical texts are one example, not three copies of the same.
    assert themes[0].examples == ("Bussen er for dyr", "Bussen er dyr for ungdom")


def test_examples_are_masked_and_small_groups_are_no_theme() -> None:
    texts = [
        "Eg heiter Kari Nordmann, ring 41234567 om bussen for ungdom",
        "Bussen for ungdom er dyr",
        "Benkar i parken",
    ]
    themes, rest = find_themes(_rows(texts))
    assert len(themes) == 1 and themes[0].count >= MIN_INPUTS
    shown = " ".join(themes[0].examples)
    assert "Kari Nordmann" not in shown and "41234567" not in shown and "[…]" in shown
    assert rest == 1


def test_the_result_is_the_same_whatever_order_equal_texts_come_in() -> None:
    texts = BUS + PARK
    first = find_themes(_rows(texts))
    assert find_themes(_rows(texts)) == first
    # Each theme's members are the same when the input comes in another order.
    shuffled = list(reversed(texts))
    again = find_themes(_rows(shuffled))
    assert sorted((t.count, t.label) for t in again[0]) == sorted(
        (t.count, t.label) for t in first[0]
    )


def test_no_input_and_texts_without_content_words() -> None:
    assert find_themes([]) == ([], 0)
    themes, rest = find_themes(_rows(["Vi er for det", "Eg er for det", "!!!"]))
    assert themes == [] and rest == 3


def test_ten_thousand_texts_cluster_in_seconds() -> None:
    rng = random.Random(3)
    words = sorted({"".join(rng.choices("abcdefghijklmnop", k=7)) for _ in range(400)})
    topics = [rng.sample(words, 6) for _ in range(40)]
    texts = []
    for n in range(10_000):
        topic = topics[n % len(topics)]
        texts.append(" ".join(rng.sample(topic, 4) + rng.sample(words, 2)))
    rows = _rows(texts)
    start = time.perf_counter()
    themes, rest = find_themes(rows)
    elapsed = time.perf_counter() - start
    assert elapsed < 20, elapsed
    assert len(themes) == 12 and themes[0].count > 100
    assert sum(t.count for t in themes) + rest == 10_000
