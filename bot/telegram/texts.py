"""The Telegram bridge's data file: its commands and its own few texts.

Everything a user reads lives in `data/knowledge/telegram.yml` (both
målformer), so the municipality edits it without touching code. Errors:
`TelegramTextsError` (the loader's `TextsError`, a `ValueError`) when the file is
incomplete. Read through `medverk.texts.loader`, from the knowledge folder in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from medverk.texts.loader import TextsError, pick, read_text_file, require_both, text_file

__all__ = ["FILE_NAME", "CommandSpec", "TelegramTexts", "TelegramTextsError", "load_texts"]

FILE_NAME = "telegram.yml"
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")

# The one error of every text file, under the name the bridge's callers know.
TelegramTextsError = TextsError


@dataclass(frozen=True)
class CommandSpec:
    """One bot command: what the user types and what the assistant receives."""

    command: str
    message: str
    aliases: tuple[str, ...]
    descriptions: dict[str, str]
    malform_from_language: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The command and every alias."""
        return (self.command, *self.aliases)


@dataclass(frozen=True)
class TelegramTexts:
    """Commands and texts of the Telegram bridge, in nn and nb."""

    commands: tuple[CommandSpec, ...]
    non_text_message: str
    texts: dict[str, dict[str, str]]

    def text(self, key: str, malform: str) -> str:
        """The text `key` in `malform` (nn or nb)."""
        return str(pick(self.texts[key], malform))

    def command_for(self, name: str) -> CommandSpec | None:
        """The command called `name` (or with that alias), case-insensitive."""
        wanted = name.casefold()
        for spec in self.commands:
            if wanted in (n.casefold() for n in spec.names):
                return spec
        return None


def _command(raw: object, index: int) -> CommandSpec:
    if not isinstance(raw, dict):
        raise TelegramTextsError(f"commands[{index}] must be a mapping")
    name = str(raw.get("command", ""))
    if not _COMMAND_NAME.match(name):
        raise TelegramTextsError(f"commands[{index}]: {name!r} is not a valid command name")
    message = str(raw.get("message", "")).strip()
    if not message.startswith("/"):
        raise TelegramTextsError(f"/{name}: message must be a Rasa intent like /help")
    descriptions = require_both(raw.get("description"), f"/{name} description")
    if any(len(text) > 256 for text in descriptions.values()):
        raise TelegramTextsError(f"/{name}: descriptions are at most 256 characters")
    return CommandSpec(
        command=name,
        message=message,
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        descriptions=descriptions,
        malform_from_language=bool(raw.get("malform_from_language", False)),
    )


def load_texts(path: Path | None = None) -> TelegramTexts:
    """Read and check the Telegram data file (default: `telegram.yml` in the folder in force)."""
    path = path if path is not None else text_file(FILE_NAME)
    data = read_text_file(path)
    commands = tuple(_command(raw, i) for i, raw in enumerate(data.get("commands") or ()))
    if not commands:
        raise TelegramTextsError(f"{path} lists no commands")
    non_text = str(data.get("non_text_message", "")).strip()
    if not non_text.startswith("/"):
        raise TelegramTextsError("non_text_message must be a Rasa intent like /telegram_non_text")
    raw_texts = data.get("texts") or {}
    texts = {str(key): require_both(value, f"texts.{key}") for key, value in raw_texts.items()}
    for required in ("assistant_unavailable", "too_many_messages", "something_went_wrong"):
        if required not in texts:
            raise TelegramTextsError(f"texts.{required} is missing")
    return TelegramTexts(commands=commands, non_text_message=non_text, texts=texts)
