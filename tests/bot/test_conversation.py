"""Rasa's REST messages become the chat API's messages."""

from __future__ import annotations

from bot.conversation import to_bot_messages, wants_erase


def test_text_and_buttons_are_kept_in_order() -> None:
    """Texts and buttons keep their order; other keys are dropped."""
    raw = [
        {"recipient_id": "web:x", "text": "Hei"},
        {"recipient_id": "web:x", "text": "Vel", "buttons": [{"title": "A", "payload": "/a"}]},
    ]
    assert to_bot_messages(raw) == [
        {"text": "Hei", "buttons": []},
        {"text": "Vel", "buttons": [{"title": "A", "payload": "/a"}]},
    ]


def test_control_messages_are_not_shown() -> None:
    """The erase marker is acted on, never shown to the citizen."""
    raw = [{"text": "Sletta."}, {"custom": {"medverk_erase_conversation": True}}]
    assert wants_erase(raw)
    assert to_bot_messages(raw) == [{"text": "Sletta.", "buttons": []}]
    assert not wants_erase([{"text": "Hei"}])


def test_the_english_answer_names_both_malformer_and_the_main_choices() -> None:
    """English gets a short English text from gateway.yml with buttons that go on in Norwegian."""
    from bot.messages import english_answer

    text, buttons = english_answer()
    assert "Nynorsk" in text and "Bokmål" in text
    assert {b["payload"] for b in buttons} >= {"/ask_upcoming_cases", "/give_input"}
