"""Messages without words get the intent their emoji mean, or a kind 'not understood'."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.wordless import WordlessMessageClassifier, load_sign_intents, wordless_intent

TABLE = load_sign_intents()


def test_agreed_signs_mean_their_intent() -> None:
    """Thumbs up is yes, thumbs down is no, a wave is hello, with any skin tone."""
    assert wordless_intent("👍", TABLE) == "affirm"
    assert wordless_intent("👍🏽👍", TABLE) == "affirm"
    assert wordless_intent(" 👎 ", TABLE) == "deny"
    assert wordless_intent("👋", TABLE) == "greet"
    assert wordless_intent("❤️", TABLE) == "thank"


def test_other_wordless_messages_are_not_guessed() -> None:
    """Laughter, question marks or mixed signs become nlu_fallback, never a guess."""
    for text in ["😂😂😂", "???", "...", "👍👎", "🤔", "🛹🔥"]:
        assert wordless_intent(text, TABLE) == "nlu_fallback", text


def test_markup_without_words_is_not_understood() -> None:
    """A message that is only HTML or script is not guessed at, whatever its tags say."""
    for text in ["<script>alert(1)</script>", "<b></b>", "<img src=x onerror=alert(1)> 😂"]:
        assert wordless_intent(text, TABLE) == "nlu_fallback", text
    assert wordless_intent("<b>hei</b><script>alert(1)</script>", TABLE) is None


def test_messages_with_words_are_left_to_the_classifier() -> None:
    """Any letter or digit means the trained classifier decides."""
    for text in ["ja 👍", "hei 👋", "13-15", "24/1187", "ka", ""]:
        assert wordless_intent(text, TABLE) is None, text


def test_component_overrides_intent_and_ranking() -> None:
    """The component sets the intent with confidence 1 and puts it first in the ranking."""
    message = Message(data={TEXT: "😂😂😂"})
    message.set(INTENT, {"name": "goodbye", "confidence": 0.41})
    message.set(INTENT_RANKING_KEY, [{"name": "goodbye", "confidence": 0.41}])
    worded = Message(data={TEXT: "ha det 👋"})
    worded.set(INTENT, {"name": "goodbye", "confidence": 0.9})
    WordlessMessageClassifier(table=TABLE).process([message, worded])
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "nlu_fallback"
    assert worded.get(INTENT)["name"] == "goodbye"
