"""The assistant's knowledge base: editable YAML files in `data/knowledge/`.

- `participation.yml`: youth council, nærmiljøutval, bylab, borgarpanel,
  hearings, an overview, and how to give input; each topic in nn and nb.
- `conference.yml`: Lokaldemokratikonferansen 2024 (facts from the ministry's
  invitation only), with a `past` and an `upcoming` text chosen by today's date.
- `contact.yml`: the municipality's human contact (settings may override).

Files are re-read when they change, so a municipality can edit them while the
action server runs. A file that is missing a målform or a part raises
`KnowledgeError` (the loader's `TextsError`, a `ValueError`) naming the file
and what is missing. Reading, caching and placeholders: `medverk.texts.loader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from medverk.texts.dates import format_date
from medverk.texts.loader import MALFORMS, TextsError, buttons, fill, read_text_file

__all__ = [
    "Answer",
    "Contact",
    "KnowledgeError",
    "conference_answer",
    "contact_answer",
    "load_contact",
    "participation_answer",
    "participation_topic_for",
]

CONFERENCE_PARTS = (
    "past",
    "upcoming",
    "themes",
    "project",
    "brochure",
    "purpose",
    "registration_closed",
    "no_news",
)
CONTACT_PARTS = ("intro", "email", "phone", "hours", "missing")
OVERVIEW = "overview"


# The one error of every text file (`medverk.texts.loader`), under the name callers know.
KnowledgeError = TextsError


@dataclass(frozen=True)
class Answer:
    """A reply in one målform: text and optional buttons ({title, payload})."""

    text: str
    buttons: tuple[dict[str, str], ...] = ()

    def as_message(self) -> dict[str, Any]:
        """Keyword arguments for `dispatcher.utter_message`."""
        return {"text": self.text, "buttons": [dict(b) for b in self.buttons]}


@dataclass(frozen=True)
class Contact:
    """The human contact: who, and how to reach them (empty strings when unknown)."""

    name: str
    email: str
    phone: str


def _malform(malform: str | None) -> str:
    return malform if malform in MALFORMS else "nn"


def _section(data: dict[str, Any], path: Path, key: str, parts: tuple[str, ...]) -> dict[str, Any]:
    section = data.get(key)
    if not isinstance(section, dict):
        raise KnowledgeError(f"{path}: '{key}' is missing")
    missing = [part for part in parts if not section.get(part)]
    if missing:
        raise KnowledgeError(f"{path}: '{key}' lacks {', '.join(missing)}")
    return section


def _topics(knowledge_dir: Path) -> dict[str, Any]:
    path = knowledge_dir / "participation.yml"
    topics = read_text_file(path).get("topics")
    if not isinstance(topics, dict) or OVERVIEW not in topics:
        raise KnowledgeError(f"{path}: 'topics' with at least '{OVERVIEW}' is required")
    for key, topic in topics.items():
        if not isinstance(topic, dict):
            raise KnowledgeError(f"{path}: topic '{key}' must be a mapping")
        for malform in MALFORMS:
            _section(topic, path, malform, ("text",))
    return topics


def participation_topic_for(knowledge_dir: Path, text: str) -> str:
    """The topic whose keywords occur in `text` (first match in file order), else overview."""
    lowered = text.lower()
    for key, topic in _topics(knowledge_dir).items():
        if any(str(word).lower() in lowered for word in topic.get("keywords") or []):
            return str(key)
    return OVERVIEW


def participation_answer(knowledge_dir: Path, topic: str, malform: str | None) -> Answer:
    """The text and buttons of one participation topic (unknown topics give the overview)."""
    topics = _topics(knowledge_dir)
    section = topics.get(topic) or topics[OVERVIEW]
    entry = section[_malform(malform)]
    return Answer(" ".join(str(entry["text"]).split()), buttons(entry.get("buttons")))


def participation_join_answer(
    knowledge_dir: Path, topic: str, malform: str | None
) -> Answer | None:
    """How to join a participation body (its `join` text), if the topic has one."""
    section = _topics(knowledge_dir).get(topic) or {}
    join = section.get(_malform(malform), {}).get("join")
    return Answer(" ".join(str(join).split())) if join else None


def participation_committee(knowledge_dir: Path, topic: str) -> str | None:
    """The committee in the case data a participation body is (`committee`), if any."""
    committee = (_topics(knowledge_dir).get(topic) or {}).get("committee")
    return str(committee) if committee else None


def _conference(knowledge_dir: Path) -> tuple[dict[str, Any], Path]:
    path = knowledge_dir / "conference.yml"
    data = read_text_file(path)
    if not isinstance(data.get("date"), date):
        raise KnowledgeError(f"{path}: 'date' must be a date (YYYY-MM-DD)")
    for malform in MALFORMS:
        _section(data, path, malform, CONFERENCE_PARTS)
    return data, path


def _conference_focus(data: dict[str, Any], text: str) -> str | None:
    lowered = text.lower()
    for focus, words in (data.get("focus") or {}).items():
        if any(str(word).lower() in lowered for word in words or []):
            return str(focus)
    return None


def conference_answer(knowledge_dir: Path, text: str, malform: str | None, today: date) -> Answer:
    """What the assistant says about the conference today: past or upcoming, then what was asked."""
    data, _ = _conference(knowledge_dir)
    held: date = data["date"]
    section = data[_malform(malform)]
    is_past = held < today
    when = format_date(held, _malform(malform), weekday=False)
    parts = [fill(str(section["past" if is_past else "upcoming"]), date=when)]
    focus = _conference_focus(data, text)
    if focus == "registration" and is_past:
        parts.append(section["registration_closed"])
    elif focus == "brochure":
        parts.append(section["brochure"])
    elif focus == "project":
        parts.append(section["project"])
    elif focus == "news":
        parts.append(section["no_news"])
    else:
        # Short first: the themes; the project and the brochure are a button away.
        parts.append(section["themes"])
        buttons = tuple(
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in section.get("buttons") or []
        )
        return Answer(_paragraphs(parts), buttons)
    return Answer(_paragraphs(parts))


def _paragraphs(parts: list[Any]) -> str:
    return "\n\n".join(" ".join(str(part).split()) for part in parts)


def load_contact(
    knowledge_dir: Path, *, name: str = "", email: str = "", phone: str = ""
) -> Contact:
    """The contact from `contact.yml`; non-empty arguments (from settings) override it."""
    path = knowledge_dir / "contact.yml"
    data = read_text_file(path)
    return Contact(
        name=name or str(data.get("name") or ""),
        email=email or str(data.get("email") or ""),
        phone=phone or str(data.get("phone") or ""),
    )


def contact_answer(knowledge_dir: Path, contact: Contact, malform: str | None) -> Answer:
    """How to reach the human contact, in `malform`; says so plainly when none is set."""
    path = knowledge_dir / "contact.yml"
    section = _section(read_text_file(path), path, _malform(malform), CONTACT_PARTS)
    if not (contact.email or contact.phone):
        return Answer(str(section["missing"]))
    lines = [fill(str(section["intro"]), name=contact.name)] if contact.name else []
    if contact.email:
        lines.append(fill(str(section["email"]), email=contact.email))
    if contact.phone:
        lines.append(fill(str(section["phone"]), phone=contact.phone))
    lines.append(str(section["hours"]))
    return Answer("\n".join(lines))
