"""`make nlu-report`: how well Medverk understands messages it was never trained on.

Trains an NLU model for config.yml and for Rasa's default config
(scripts/nlu_configs/rasa_default.yml) on the same data (data/nlu), parses the
development set F (tests/nlu_heldout/dev-2026-12-f.tsv, for tuning) and the
other sets with each, and prints side by side:
intent accuracy and macro-F1 overall and per målform, målform-detection
accuracy (on messages that tell) and abstention (on messages that do not),
and the most frequent confusion pairs. `--cv K` adds K-fold cross-validation
on the training data (also per målform). Sealed sets only with `--sealed`, and
then only their one-line summary. Models are cached in var/nlu-report/ by a fingerprint of
config, data and nlu/ code, so a second run only parses.

Runs in the rasa env: `.venv/rasa/bin/python scripts/nlu_report.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nlu_metrics  # scripts/nlu_metrics.py, next to this script
from nlu_cv import cross_validate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# The development set F first: it is for tuning (its errors may be read; never trained on),
# so the report shows everything on it: per-intent precision/recall, the confusion matrix,
# and with --errors every misclassified message.
DEV_SET_LABEL = "dev-2026-12-f (dev, tuned on)"
HELDOUT_SETS = {
    DEV_SET_LABEL: ROOT / "tests" / "nlu_heldout" / "dev-2026-12-f.tsv",
    # Set G (240, written for målform variety: regional Nynorsk and Bokmål, radical and
    # conservative forms): tuned on for målform detection.
    "dev-2026-12-g (dev, målform, tuned on)": ROOT / "tests" / "nlu_heldout" / "dev-2026-12-g.tsv",
    # Sets A to E were rotated into training (data/nlu/rotated_heldout.yml): A and B
    # when C came in, C when D came in, D and E when H came in. Their scores now say how
    # well the model learnt them, not how it generalises.
    "fresh-2026-12-e (trained on)": ROOT / "tests" / "nlu_heldout" / "fresh-2026-12-e.tsv",
    "fresh-2026-12-d (trained on)": ROOT / "tests" / "nlu_heldout" / "fresh-2026-12-d.tsv",
    "fresh-2026-12-c (trained on)": ROOT / "tests" / "nlu_heldout" / "fresh-2026-12-c.tsv",
    "fresh-2026-12-b (trained on)": ROOT / "tests" / "nlu_heldout" / "fresh-2026-12-b.tsv",
    "fresh-2026-12-a (trained on)": ROOT / "tests" / "nlu_heldout" / "fresh-2026-12-a.tsv",
    "old (messages.tsv)": ROOT / "tests" / "nlu_heldout" / "messages.tsv",
}
# Sealed sets: never read message by message. Only with --sealed, and then only the
# one-line summary of scripts/nlu_score.py (no per-intent table, confusions or errors).
SEALED_SETS = {
    "fresh-2026-12-h (sealed)": ROOT / "tests" / "nlu_heldout" / "fresh-2026-12-h.tsv",
}
HELDOUT = HELDOUT_SETS["old (messages.tsv)"]
DEFAULT_CONFIGS = {"medverk (config.yml)": ROOT / "config.yml"}
# Rasa's default config takes over 20 minutes to train on 2 cores: only with --baseline.
BASELINE_CONFIG = ("rasa default", ROOT / "scripts" / "nlu_configs" / "rasa_default.yml")


@dataclass(frozen=True)
class HeldoutMessage:
    """One held-out message: true intent, the writer's målform, expected `malform` entity."""

    intent: str
    group: str
    malform: str | None
    text: str


@dataclass
class Scores:
    """Intent and målform scores of one model on one message set."""

    n: int
    accuracy: float
    macro_f1: float
    per_malform: dict[str, dict[str, float]]
    malform_accuracy: float | None
    malform_abstain: float | None
    confusions: list[tuple[str, str, int]]
    train_seconds: float | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    per_intent: dict[str, dict[str, float]] = field(default_factory=dict)
    costs: dict[str, float] = field(default_factory=dict)
    truth: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)


def read_heldout(path: Path = HELDOUT) -> list[HeldoutMessage]:
    """Read the held-out TSV (intent, group, malform or -, text)."""
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[1] not in ("nn", "nb") or parts[2] not in ("nn", "nb", "-"):
            raise ValueError(f"{path}:{number}: expected intent, nn|nb, nn|nb|-, text")
        intent, group, malform, text = parts
        messages.append(HeldoutMessage(intent, group, None if malform == "-" else malform, text))
    return messages


def _fingerprint(config: Path, data: Path) -> str:
    digest = hashlib.sha256(config.read_bytes())
    # Rasa's own components do not depend on our nlu/ code: do not retrain them for it.
    folders = [data, ROOT / "nlu"] if "nlu." in config.read_text(encoding="utf-8") else [data]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".yml", ".yaml", ".py", ".tsv", ".txt"}:
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def train_model(name: str, config: Path, data: Path, out_dir: Path) -> tuple[Path, float | None]:
    """Train (or reuse) an NLU model; returns its path and the training time if trained."""
    from rasa.model_training import train_nlu

    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    model_name = f"{slug}-{_fingerprint(config, data)}"
    model = out_dir / f"{model_name}.tar.gz"
    if model.exists():
        return model, None
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    result = train_nlu(str(config), str(data), str(out_dir), fixed_model_name=model_name)
    if result is None:
        raise RuntimeError(f"training {name} with {config} failed")
    return Path(result), time.monotonic() - started


async def parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    """Parse every text with the model."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def _malform_entity(parse: dict[str, Any]) -> str | None:
    for entity in parse.get("entities", []):
        if entity.get("entity") == "malform":
            return str(entity.get("value"))
    return None


def score(
    messages: list[HeldoutMessage], parses: list[dict[str, Any]], has_malform: bool
) -> Scores:
    """Score parses against the held-out truth."""
    truth = [m.intent for m in messages]
    predicted = [str((p.get("intent") or {}).get("name")) for p in parses]
    overall = nlu_metrics.intent_scores(truth, predicted)
    per_malform = {}
    for group in ("nn", "nb"):
        idx = [i for i, m in enumerate(messages) if m.group == group]
        per_malform[group] = nlu_metrics.intent_scores(
            [truth[i] for i in idx], [predicted[i] for i in idx]
        )
    malform_accuracy = malform_abstain = None
    if has_malform:
        telling = [(m, p) for m, p in zip(messages, parses, strict=True) if m.malform]
        silent = [(m, p) for m, p in zip(messages, parses, strict=True) if not m.malform]
        malform_accuracy = sum(_malform_entity(p) == m.malform for m, p in telling) / len(telling)
        malform_abstain = sum(_malform_entity(p) is None for _, p in silent) / max(len(silent), 1)
    pairs = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    errors = [
        {"text": m.text, "intent": m.intent, "predicted": p}
        for m, p in zip(messages, predicted, strict=True)
        if m.intent != p
    ]
    return Scores(
        n=len(messages),
        accuracy=overall["accuracy"],
        macro_f1=overall["macro_f1"],
        per_malform=per_malform,
        malform_accuracy=malform_accuracy,
        malform_abstain=malform_abstain,
        confusions=[(t, p, c) for (t, p), c in pairs.most_common(12)],
        errors=errors,
        per_intent=nlu_metrics.per_intent(truth, predicted),
        costs=nlu_metrics.costs(truth, predicted),
        truth=truth,
        predicted=predicted,
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render(
    results: dict[str, Scores], cv: dict[str, dict[str, float]], heldout: Path = HELDOUT
) -> str:
    """The side-by-side report of one held-out set as plain text."""
    names = list(results)
    width = max(26, *(len(n) + 2 for n in names))
    lines = [
        f"Held-out set: {heldout.relative_to(ROOT)} ({next(iter(results.values())).n} messages)",
        "",
    ]
    header = f"{'':34}" + "".join(f"{n:>{width}}" for n in names)
    lines.append(header)
    rows: list[tuple[str, list[str]]] = [
        ("intent accuracy", [_fmt(results[n].accuracy) for n in names]),
        ("intent macro-F1", [_fmt(results[n].macro_f1) for n in names]),
    ]
    for group, label in (("nn", "Nynorsk"), ("nb", "Bokmål")):
        rows.append(
            (
                f"  {label} accuracy",
                [_fmt(results[n].per_malform[group]["accuracy"]) for n in names],
            )
        )
        rows.append(
            (
                f"  {label} macro-F1",
                [_fmt(results[n].per_malform[group]["macro_f1"]) for n in names],
            )
        )
    rows.append(
        ("målform accuracy (text tells)", [_fmt(results[n].malform_accuracy) for n in names])
    )
    rows.append(
        ("målform left out (text silent)", [_fmt(results[n].malform_abstain) for n in names])
    )
    rows.append(
        (
            "training seconds (this run)",
            [
                _fmt(results[n].train_seconds) if results[n].train_seconds else "cached"
                for n in names
            ],
        )
    )
    for key in next(iter(results.values())).costs:
        rows.append((key, [_fmt(results[n].costs.get(key)) for n in names]))
    for name, cv_scores in cv.items():
        rows.append((f"CV macro-F1 [{name}]", [_fmt(cv_scores["macro_f1"])]))
        for group in ("nn", "nb"):
            if f"{group}_macro_f1" in cv_scores:
                rows.append((f"  CV {group} macro-F1", [_fmt(cv_scores[f"{group}_macro_f1"])]))
    for label, values in rows:
        lines.append(f"{label:34}" + "".join(f"{v:>{width}}" for v in values))
    for name in names:
        lines.append("")
        lines.append(f"Most frequent confusions, {name} (true -> predicted: count):")
        for true, pred, count in results[name].confusions or [("-", "-", 0)]:
            lines.append(f"  {true} -> {pred}: {count}")
        lines.append("")
        lines.append(f"Per intent, {name} (lowest F1 first):")
        lines.extend(nlu_metrics.render_per_intent(results[name].per_intent))
        lines.append("")
        lines.append(f"Confusion matrix, {name} (rows: true intent):")
        lines.extend(nlu_metrics.render_confusion(results[name].truth, results[name].predicted))
    return "\n".join(lines)


def _quiet_structlog() -> None:
    """Rasa 3.6 logs every parse at debug level through structlog; keep the report readable."""
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    """Train, parse, score and print; writes var/nlu-report/report.json too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a config to compare (default: config.yml and Rasa's default)",
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "nlu")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "nlu-report")
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold cross-validation")
    parser.add_argument("--errors", action="store_true", help="list every misclassified message")
    parser.add_argument(
        "--cv-only", action="store_true", help="only cross-validate (skip the held-out set)"
    )
    parser.add_argument(
        "--baseline", action="store_true", help="also Rasa's default config (20+ minutes)"
    )
    parser.add_argument(
        "--sealed",
        action="store_true",
        help="also the sealed sets, summary numbers only (each use spends them)",
    )
    args = parser.parse_args(argv)
    logging.getLogger().setLevel(logging.WARNING)
    _quiet_structlog()

    configs = dict(DEFAULT_CONFIGS)
    if args.baseline:
        configs[BASELINE_CONFIG[0]] = BASELINE_CONFIG[1]
    if args.config:
        configs = {}
        for item in args.config:
            name, _, path = item.partition("=")
            configs[name] = Path(path)
    sets = {label: read_heldout(path) for label, path in HELDOUT_SETS.items() if path.exists()}
    results: dict[str, dict[str, Scores]] = {label: {} for label in sets}
    cv: dict[str, dict[str, float]] = {}
    for name, config in configs.items():
        if args.cv_only:
            cv[name] = cross_validate(config, args.data, args.cv)
            print(f"[{name}] CV macro-F1 {cv[name]['macro_f1']:.3f}", file=sys.stderr, flush=True)
            continue
        model, seconds = train_model(name, config, args.data, args.out / "models")
        has_malform = "MalformDetector" in config.read_text(encoding="utf-8")
        for label, messages in sets.items():
            parses = asyncio.run(parse_all(model, [m.text for m in messages]))
            scores = score(messages, parses, has_malform)
            scores.train_seconds = seconds
            results[label][name] = scores
            print(
                f"[{name}] {label}: macro-F1 nn {scores.per_malform['nn']['macro_f1']:.3f}"
                f" nb {scores.per_malform['nb']['macro_f1']:.3f}",
                file=sys.stderr,
                flush=True,
            )
        if args.sealed:
            from nlu_score import summary  # scripts/nlu_score.py: aggregate numbers only

            for label, path in SEALED_SETS.items():
                print(f"[{name}] {label}: {summary(path, model)}", flush=True)
        if args.cv:
            cv[name] = cross_validate(config, args.data, args.cv)
    if args.cv_only:
        for name, fold_scores in cv.items():
            print(
                f"{name:34} CV accuracy {fold_scores['accuracy']:.3f}"
                f"  macro-F1 {fold_scores['macro_f1']:.3f}"
                f" (nn {fold_scores.get('nn_macro_f1', 0.0):.3f},"
                f" nb {fold_scores.get('nb_macro_f1', 0.0):.3f})"
            )
        return 0
    for label, set_results in results.items():
        print("=" * 78)
        print(render(set_results, cv, HELDOUT_SETS[label]))
        if args.errors:
            for name, result in set_results.items():
                print(f"\nMisclassified by {name} ({label}):")
                for error in result.errors:
                    print(f"  {error['intent']:>26} -> {error['predicted']:<26} {error['text']}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(
        json.dumps(
            {
                "results": {
                    label: {n: asdict(r) for n, r in set_results.items()}
                    for label, set_results in results.items()
                },
                "cv": cv,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
