"""The resilience tests share one stack per module; helpers live in stack_chat.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
