"""Search words marked in the texts the inbox shows (`<mark>`, escaped first)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["highlight"]


def highlight(text: str, terms: Sequence[str], limit: int = 160) -> Markup:
    """`text` cut to `limit` characters, escaped, with every term wrapped in <mark>.

    Matching is case-insensitive and on substrings, as the search itself is.
    """
    shown = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    usable = sorted({t for t in terms if t}, key=len, reverse=True)
    if not usable:
        return Markup(escape(shown))  # noqa: S704 - escaped
    pattern = re.compile("|".join(re.escape(t) for t in usable), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(shown):
        parts.append(str(escape(shown[last : match.start()])))
        parts.append("<mark>" + str(escape(match.group(0))) + "</mark>")
        last = match.end()
    parts.append(str(escape(shown[last:])))
    return Markup("".join(parts))  # noqa: S704 - every part is escaped
