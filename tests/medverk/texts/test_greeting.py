"""The question behind a greeting is what gets answered."""

from __future__ import annotations

import pytest

from medverk.texts.greeting import without_greeting


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("hei, hva skjer med bussen?", "hva skjer med bussen?"),
        ("Heisann du, ka skjer me skateparken", "ka skjer me skateparken"),
        ("God dag. Når er møtet?", "Når er møtet?"),
        ("hei", ""),
        ("Hei!", ""),
    ],
)
def test_the_greeting_is_taken_off(text: str, rest: str) -> None:
    assert without_greeting(text) == rest


def test_words_that_only_start_like_a_greeting_stay() -> None:
    assert without_greeting("heime er best") == "heime er best"
    assert without_greeting("hva skjer") == "hva skjer"
