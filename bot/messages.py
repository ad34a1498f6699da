"""The gateway's own texts (when Rasa cannot answer), read from `gateway.yml`.

Read through `medverk.texts.loader` from the knowledge folder in force
(`MEDVERK_KNOWLEDGE_DIR`).
"""

from __future__ import annotations

from pathlib import Path

from medverk.texts.loader import buttons, pick, read_text_file, text_file

__all__ = ["english_answer", "gateway_text"]


def gateway_text(key: str, malform: str, knowledge_dir: Path | None = None) -> str:
    """The text `key` in målform `malform` (nn or nb)."""
    texts = read_text_file(text_file("gateway.yml", knowledge_dir))["texts"]
    return str(pick(texts[key], malform))


def english_answer(knowledge_dir: Path | None = None) -> tuple[str, tuple[dict[str, str], ...]]:
    """The short English answer (Medverk speaks Nynorsk and Bokmål) and its buttons."""
    english = read_text_file(text_file("gateway.yml", knowledge_dir))["english"]
    return str(english["text"]), buttons(english.get("buttons"))
