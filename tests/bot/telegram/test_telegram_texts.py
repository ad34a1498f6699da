"""The Telegram data file: commands and texts in both målformer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram.texts import TelegramTextsError, load_texts


def test_the_shipped_file_has_every_command_in_both_malformer() -> None:
    """The five commands exist, each with a nn and a nb menu description."""
    texts = load_texts()
    assert [c.command for c in texts.commands] == ["start", "hjelp", "nynorsk", "bokmal", "slett"]
    for command in texts.commands:
        assert command.descriptions["nn"] and command.descriptions["nb"]
    assert "ikkje" in texts.text("assistant_unavailable", "nn")
    assert "ikke" in texts.text("assistant_unavailable", "nb")


def test_commands_are_found_by_name_and_alias() -> None:
    """'/help' and '/bokmål' lead where '/hjelp' and '/bokmal' do."""
    texts = load_texts()
    help_command = texts.command_for("help")
    assert help_command is not None and help_command.command == "hjelp"
    bokmal = texts.command_for("BOKMÅL")
    assert bokmal is not None and bokmal.message == '/switch_malform{"malform": "nb"}'
    assert texts.command_for("kva") is None


def test_a_text_missing_bokmal_is_refused(tmp_path: Path) -> None:
    """An editor who forgets one målform gets a clear error, not a silent gap."""
    path = tmp_path / "telegram.yml"
    path.write_text(
        "commands:\n"
        "  - command: start\n"
        "    message: /telegram_start\n"
        "    description: {nn: Start}\n"
        "non_text_message: /telegram_non_text\n",
        encoding="utf-8",
    )
    with pytest.raises(TelegramTextsError, match="both nn and nb"):
        load_texts(path)


def test_an_invalid_command_name_is_refused(tmp_path: Path) -> None:
    """Telegram only takes a-z, 0-9 and _ in command names."""
    path = tmp_path / "telegram.yml"
    path.write_text(
        "commands:\n  - command: bokmål\n    message: /x\n    description: {nn: a, nb: b}\n",
        encoding="utf-8",
    )
    with pytest.raises(TelegramTextsError, match="not a valid command name"):
        load_texts(path)
