"""Choose UncertainIntentClarifier's threshold/margin by measurement.

Parses a held-out set with a trained NLU model, takes each message's ranking as
the classifier gave it (before the clarifier) and, for a grid of thresholds and
margins, prints give_input / delete_my_data precision and recall, how many
clarifying questions are asked, and the macro-F1 (a clarifying question counts
as wrong). Tune on the old set, then confirm on the fresh one.

    .venv/rasa/bin/python scripts/nlu_clarify_sweep.py MODEL.tar.gz [SET.tsv]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import nlu_metrics
from nlu_report import HELDOUT, _quiet_structlog, parse_all, read_heldout

from nlu.clarify import CLARIFY_INTENTS, clarifying_intent

GRID = [(t, m) for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7) for m in (0.0, 0.1, 0.2, 0.3)]


def classifier_ranking(parse: dict) -> list[dict]:
    """The ranking before the clarifier (it puts its own intent first)."""
    ranking = parse.get("intent_ranking") or [parse.get("intent") or {}]
    if str(ranking[0].get("name")) in CLARIFY_INTENTS.values() and len(ranking) > 1:
        return ranking[1:]
    return ranking


def main(argv: list[str]) -> int:
    """Print one line per (threshold, margin)."""
    _quiet_structlog()
    model = Path(argv[0])
    path = Path(argv[1]) if len(argv) > 1 else HELDOUT
    messages = read_heldout(path)
    parses = asyncio.run(parse_all(model, [m.text for m in messages]))
    truth = [m.intent for m in messages]
    rankings = [classifier_ranking(p) for p in parses]
    print(f"{path.name}: threshold margin | give_input P R | delete P R | asked | macro-F1")
    for threshold, margin in GRID:
        predicted = [
            clarifying_intent(r, threshold, margin) or str(r[0].get("name")) for r in rankings
        ]
        table = nlu_metrics.per_intent(truth, predicted)
        gi, de = table.get("give_input", {}), table.get("delete_my_data", {})
        asked = sum(p.startswith("clarify_") for p in predicted)
        f1 = nlu_metrics.intent_scores(truth, predicted)["macro_f1"]
        print(
            f"  {threshold:.1f} {margin:.1f} | {gi.get('precision', 0):.3f}"
            f" {gi.get('recall', 0):.3f} | {de.get('precision', 0):.3f}"
            f" {de.get('recall', 0):.3f} | {asked:3d} | {f1:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
