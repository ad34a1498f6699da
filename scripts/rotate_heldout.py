"""Move a held-out set that has been tuned against into training (issue 18).

Appends the set's messages that are not already in data/nlu to
data/nlu/rotated_heldout.yml, one block per intent and målform group, under a
comment naming the set. The set's file stays in tests/nlu_heldout/ (scored as
"trained on" from then on); a new sealed set must take its place.

    python scripts/rotate_heldout.py tests/nlu_heldout/fresh-2026-12-d.tsv [...]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "nlu"
TARGET = DATA / "rotated_heldout.yml"
_EXAMPLE = re.compile(r"^\s+- (.+)$")
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def _key(text: str) -> str:
    """Compare messages without case, punctuation or entity annotations."""
    plain = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)
    return "".join(c for c in plain.lower() if c.isalnum())


def known_examples(folder: Path = DATA) -> set[str]:
    """Every training example already in data/nlu, as comparison keys."""
    keys = set()
    for path in folder.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _EXAMPLE.match(line)
            if match:
                keys.add(_key(match.group(1)))
    return keys


def blocks_for(path: Path, known: set[str]) -> tuple[str, int]:
    """The YAML blocks for one set's new messages, and how many there are."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, group, _malform, text = line.split("\t")
        key = _key(text)
        # "[x](y)" would be read as an entity annotation, and a message of signs only has no key.
        if not key or key in known or "](" in text:
            continue
        known.add(key)
        groups[(intent, group)].append(text.strip())
    out = [f"\n  # {path.name}, rotated in (no longer held out)"]
    for (intent, group), texts in sorted(groups.items()):
        out.append(f"  - intent: {intent}\n    metadata: {{malform: {group}}}\n    examples: |")
        out.extend(f"      - {text}" for text in texts)
    return "\n".join(out) + "\n", sum(len(t) for t in groups.values())


def main(argv: list[str]) -> int:
    """Rotate each set given into training."""
    known = known_examples()
    for name in argv:
        text, count = blocks_for(Path(name), known)
        with TARGET.open("a", encoding="utf-8") as target:
            target.write(text)
        print(f"{name}: {count} messages rotated into {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
