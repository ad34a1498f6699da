"""What a reader sees of a chat message that contains HTML markup.

People paste text from web pages, and some try `<script>` to see what
happens. Tags and the content of script/style elements say nothing about what
the writer wants, but a classifier trained on words reads "script", "alert"
and "b" as words and guesses. `visible_text` blanks them out with spaces of the
same length, so token offsets into the original text stay valid.

The text itself is never changed or stored in this form: stored input keeps
exactly what the citizen wrote and is escaped wherever it is shown.
"""

from __future__ import annotations

import re

__all__ = ["visible_text"]

# Script and style elements with their content, then any tag, comment or doctype.
# Bounded lengths keep matching linear on adversarial input.
_HIDDEN_ELEMENT = re.compile(
    r"<\s*(script|style)\b[^>]{0,500}>.{0,20000}?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<!--.{0,20000}?-->|<\s*/?\s*[a-zA-Z!][^<>]{0,500}>", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def visible_text(text: str) -> str:
    """`text` with markup replaced by spaces (same length, same offsets)."""
    if "<" not in text:
        return text
    return _TAG.sub(_blank, _HIDDEN_ELEMENT.sub(_blank, text))
