"""Summary scores of one trained model on held-out sets, and nothing else.

For a sealed set: prints only aggregate numbers (macro-F1 overall and per
målform, accuracy, målform detection, give_input precision/recall, false
deletes, clarifying questions), never a message, so scoring it does not reveal
what it contains. Per-intent tables and confusion matrices: `make nlu-report`.

    .venv/rasa/bin/python scripts/nlu_score.py MODEL.tar.gz SET.tsv [SET.tsv ...]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from nlu_report import _quiet_structlog, parse_all, read_heldout, score


def summary(path: Path, model: Path) -> str:
    """One line of aggregate numbers for one set."""
    messages = read_heldout(path)
    parses = asyncio.run(parse_all(model, [m.text for m in messages]))
    result = score(messages, parses, has_malform=True)
    give = result.per_intent.get("give_input", {})
    return (
        f"{path.name}: n {result.n}  accuracy {result.accuracy:.3f}"
        f"  macro-F1 {result.macro_f1:.3f}"
        f" (nn {result.per_malform['nn']['macro_f1']:.3f},"
        f" nb {result.per_malform['nb']['macro_f1']:.3f})"
        f"  målform {result.malform_accuracy or 0.0:.3f}"
        f" (silent left out {result.malform_abstain or 0.0:.3f})"
        f"  give_input P {give.get('precision', 0.0):.3f} / R {give.get('recall', 0.0):.3f}"
        f"  false give_input {int(result.costs['false give_input'])}"
        f"  false delete {int(result.costs['false delete_my_data'])}"
        f"  clarifying {int(result.costs['clarifying questions'])}"
    )


def main(argv: list[str]) -> int:
    """Score MODEL on each set given."""
    _quiet_structlog()
    model = Path(argv[0])
    for name in argv[1:]:
        print(summary(Path(name), model), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
