"""Per-intent precision/recall, the confusion matrix and the cost of confusions.

Used by scripts/nlu_report.py. The costly mistakes are the ones that act: a false
`give_input` drags a person into the input form, a false `delete_my_data` offers to
delete what they sent. A clarifying question (`clarify_*`) is a cheap mistake: it
costs one click, so it is counted apart from the costly ones.
"""

from __future__ import annotations

from collections import Counter

COSTLY = ("give_input", "delete_my_data")
CLARIFY_PREFIX = "clarify_"


def intent_scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """Accuracy and macro-F1 (over the true intents) of one message set."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(truth))
    return {
        "n": float(len(truth)),
        "accuracy": float(accuracy_score(truth, predicted)),
        "macro_f1": float(
            f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
        ),
    }


def per_intent(truth: list[str], predicted: list[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of every true or predicted intent."""
    labels = sorted(set(truth) | set(predicted))
    table = {}
    for label in labels:
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        n_pred = predicted.count(label)
        n_true = truth.count(label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_true if n_true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": float(n_true),
            "predicted": float(n_pred),
        }
    return table


def costs(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """False form starts and false deletes, and how often a clarifying question was asked."""
    pairs = list(zip(truth, predicted, strict=True))
    result: dict[str, float] = {}
    for intent in COSTLY:
        false = sum(p == intent and t != intent for t, p in pairs)
        n_pred = sum(p == intent for _, p in pairs)
        result[f"false {intent}"] = float(false)
        result[f"{intent} precision"] = (n_pred - false) / n_pred if n_pred else 1.0
    clarified = [(t, p) for t, p in pairs if p.startswith(CLARIFY_PREFIX)]
    result["clarifying questions"] = float(len(clarified))
    result["clarified, true intent costly"] = float(sum(t in COSTLY for t, _ in clarified))
    return result


def render_per_intent(table: dict[str, dict[str, float]]) -> list[str]:
    """Per-intent table, lowest F1 first."""
    lines = [f"  {'intent':28} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4} {'pred':>5}"]
    for label, row in sorted(table.items(), key=lambda item: (item[1]["f1"], item[0])):
        lines.append(
            f"  {label:28} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
            f" {int(row['support']):4d} {int(row['predicted']):5d}"
        )
    return lines


def render_confusion(truth: list[str], predicted: list[str]) -> list[str]:
    """Confusion matrix: one row per true intent, columns numbered like the rows
    (predicted labels that are no true intent, e.g. nlu_fallback, get columns too)."""
    rows = sorted(set(truth))
    cols = rows + sorted(set(predicted) - set(rows))
    counts = Counter(zip(truth, predicted, strict=True))
    lines = ["  columns: " + ", ".join(f"{i}={c}" for i, c in enumerate(cols))]
    lines.append(f"  {'':28}" + "".join(f"{i:>3}" for i in range(len(cols))))
    for row in rows:
        cells = "".join(f"{counts[(row, col)]:>3}" if counts[(row, col)] else "  ." for col in cols)
        lines.append(f"  {row[:28]:28}{cells}")
    return lines
