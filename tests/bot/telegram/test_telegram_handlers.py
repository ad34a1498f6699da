"""Which messages the bot answers, and what it sends on to the assistant."""

from __future__ import annotations

from typing import Any

from telegram import Message

from bot.telegram.bridge import malform_of_language
from bot.telegram.handlers import addressed_text, command_name, safe_text

BOT_ID = 99
BOT_NAME = "medverk_bot"


def _message(text: str, chat_type: str = "group", **extra: Any) -> Message:
    data: dict[str, Any] = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": -5 if chat_type != "private" else 5, "type": chat_type},
        "from": {"id": 5, "is_bot": False, "first_name": "Ola"},
        "text": text,
        **extra,
    }
    return Message.de_json(data, None)


def _mention(text: str, name: str) -> dict[str, Any]:
    offset = len(text[: text.index(name)].encode("utf-16-le")) // 2
    return {"type": "mention", "offset": offset, "length": len(name)}


def test_private_chats_are_always_answered() -> None:
    """In a private chat every text is for the bot."""
    assert addressed_text(_message("kva skjer?", "private"), BOT_NAME, BOT_ID) == "kva skjer?"


def test_group_messages_need_a_mention_or_a_reply() -> None:
    """In a group, chatter between members is left alone."""
    assert addressed_text(_message("kva skjer i kveld?"), BOT_NAME, BOT_ID) is None
    text = "@someone_else kva skjer?"
    other = _message(text, entities=[_mention(text, "@someone_else")])
    assert addressed_text(other, BOT_NAME, BOT_ID) is None


def test_a_mention_is_removed_from_the_text() -> None:
    """'😀 @medverk_bot kva saker kjem?' reaches the assistant without the mention."""
    text = "😀 @medverk_bot kva saker kjem?"
    message = _message(text, entities=[_mention(text, "@medverk_bot")])
    assert addressed_text(message, BOT_NAME, BOT_ID) == "😀 kva saker kjem?"


def test_a_reply_to_the_bot_counts_as_addressed() -> None:
    """Answering one of the bot's messages in a group reaches the bot."""
    bot_message = {
        "message_id": 2,
        "date": 0,
        "chat": {"id": -5, "type": "group"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Medverk"},
        "text": "Kva meiner du?",
    }
    message = _message("eg meiner ja", reply_to_message=bot_message)
    assert addressed_text(message, BOT_NAME, BOT_ID) == "eg meiner ja"


def test_typed_text_is_never_read_as_an_intent() -> None:
    """'/delete_my_data' typed by hand is text, not a command to the assistant."""
    assert safe_text("  //delete_my_data ") == "delete_my_data"
    assert safe_text("/") == ""


def test_command_names_are_folded() -> None:
    """'/Bokmål@medverk_bot' is the command 'bokmal'."""
    assert command_name("/Bokmål@medverk_bot hei") == "bokmal"
    assert command_name("/slett") == "slett"
    assert command_name("") == ""


def test_app_language_suggests_a_malform() -> None:
    """nn → nn; nb and no → nb; anything else → no suggestion."""
    assert malform_of_language("nn") == "nn"
    assert malform_of_language("nb-NO") == "nb"
    assert malform_of_language("no") == "nb"
    assert malform_of_language("en") is None
    assert malform_of_language(None) is None
