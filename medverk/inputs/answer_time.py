"""Whether a message asks when an answer to an input will come (pure).

"Når får eg svar?", "når kan jeg forvente svar på innspillet?": answered from
the knowledge file (`participation.yml`, topic `answer_time`) before the status.
"""

from __future__ import annotations

import re

__all__ = ["asks_answer_time"]

_WHEN_ANSWER = re.compile(
    r"\b(når|kor tid|kva tid|ka tid|hvor lenge|kor lenge|how long|when)\b.*\b(svar\w*|answer\w*|"
    r"høyre\w*|høre\w*|tilbake\w*)\b",
    re.IGNORECASE,
)


def asks_answer_time(text: str) -> bool:
    """ "Når får eg svar på innspelet mitt?"."""
    return bool(_WHEN_ANSWER.search(text))
