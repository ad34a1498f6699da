"""The names that cross processes: gateway, action server and NLU (Rasa) agree on these.

Change a name here and every side follows. This module imports only the standard library,
because the NLU components import it inside the Rasa environment.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "CHANNELS",
    "CHANNEL_PREFIXES",
    "ERASE_MARKER",
    "INPUT_STATUSES",
    "MALFORMS",
    "WEB_SENDER_PATTERN",
    "Malform",
]

# The two written standards of Norwegian: Nynorsk and Bokmål.
Malform = Literal["nn", "nb"]
MALFORMS = ("nn", "nb")

# Channel names as the store and the officer app show them.
CHANNELS = ("web", "telegram")
# Prefix of a Rasa sender id (`<prefix>:<opaque id>`) -> channel name.
CHANNEL_PREFIXES = {"web": "web", "tg": "telegram"}

# An id the web widget may send as its sender: 8-64 characters of [A-Za-z0-9_-]
# (\Z, not $: no trailing newline).
WEB_SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")

# The status of a citizen's input in the officer inbox.
INPUT_STATUSES = ("new", "read", "answered", "hidden")

# Key of the custom message with which the action server asks the gateway to erase a
# conversation (the action server cannot delete the tracker itself).
ERASE_MARKER = "medverk_erase_conversation"
