"""Ready-made answers for officers, in Nynorsk and Bokmål, from `answer_templates.yml`.

The file sits in the knowledge folder next to `officer.yml`, so a municipality
edits the wording without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["AnswerTemplate", "load_answer_templates"]

FILE_NAME = "answer_templates.yml"
MALFORMS = ("nn", "nb")


@dataclass(frozen=True)
class AnswerTemplate:
    """One ready-made answer: a title and a text per målform."""

    key: str
    titles: dict[str, str]
    texts: dict[str, str]

    def title(self, malform: str) -> str:
        """The title in `malform` (Nynorsk when unknown)."""
        return self.titles.get(malform) or self.titles["nn"]

    def text(self, malform: str, *, case_title: str, case_ref: str) -> str:
        """The text in `malform`, with the input's case filled in."""
        template = self.texts.get(malform) or self.texts["nn"]
        return template.format(case_title=case_title, case_ref=case_ref)


def load_answer_templates(knowledge_dir: Path) -> tuple[AnswerTemplate, ...]:
    """Read and check the templates (every one needs a title and a text in nn and nb)."""
    path = knowledge_dir / FILE_NAME
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    templates = []
    for entry in data.get("templates", []):
        key = str(entry["key"])
        titles = {m: str(entry["title"][m]) for m in MALFORMS if m in entry["title"]}
        texts = {m: str(entry["text"][m]) for m in MALFORMS if m in entry["text"]}
        if set(titles) != set(MALFORMS) or set(texts) != set(MALFORMS):
            raise ValueError(f"{FILE_NAME}: template {key} needs a title and a text in nn and nb")
        template = AnswerTemplate(key=key, titles=titles, texts=texts)
        for malform in MALFORMS:
            template.text(malform, case_title="x", case_ref="x")  # unknown {names} fail here
        templates.append(template)
    return tuple(templates)
