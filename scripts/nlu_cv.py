"""Cross-validation for scripts/nlu_report.py: the same seeded stratified folds for every config."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from nlu_metrics import intent_scores

CV_SEED = 42


def seeded_folds(folds: int, training: Any) -> list[tuple[Any, Any]]:
    """Stratified folds, the same for every config (Rasa's generate_folds reshuffles
    on every call, which makes two configs' cross-validation scores unpaired)."""
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    examples = training.intent_examples
    labels = [example.get("intent") for example in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=CV_SEED)
    pairs = []
    for train_index, test_index in splitter.split(examples, labels):
        pairs.append(
            (
                TrainingData(
                    training_examples=[examples[i] for i in train_index],
                    entity_synonyms=training.entity_synonyms,
                    regex_features=training.regex_features,
                    lookup_tables=training.lookup_tables,
                ),
                TrainingData(training_examples=[examples[i] for i in test_index]),
            )
        )
    return pairs


def example_malform(example: Any) -> str:
    """The målform a training example's block says it is in (metadata malform), or "-"."""
    metadata = example.get("metadata") or {}
    for level in ("example", "intent"):
        value = (metadata.get(level) or {}).get("malform")
        if value in ("nn", "nb"):
            return str(value)
    return "-"


def cross_validate(
    config: Path,
    data: Path,
    folds: int,
    predictions: list[dict[str, str]] | None = None,
    always_train: list[Path] | None = None,
) -> dict[str, float]:
    """Stratified K-fold cross-validation of intent classification on the training data,
    on the same folds for every config: accuracy and macro-F1 overall and per målform
    (`nn_macro_f1`, `nb_macro_f1`, from each block's `metadata: {malform: ...}`).
    When `predictions` is given, every test example is appended to it (text, målform,
    intent, predicted): training data, so its errors may be read. Files in `always_train`
    (e.g. a new round's examples) join every fold's training part and are never tested,
    so data before and after a round are scored on the same folds."""
    import tempfile

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    training = TrainingDataImporter.load_from_dict(training_data_paths=[str(data)]).get_nlu_data()
    extra = (
        TrainingDataImporter.load_from_dict(
            training_data_paths=[str(path) for path in always_train]
        ).get_nlu_data()
        if always_train
        else None
    )
    truth: list[str] = []
    predicted: list[str] = []
    groups: list[str] = []
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nlu-cv-") as tmp:
        for train, test in seeded_folds(folds, training):
            data_file = Path(tmp) / "train.yml"
            RasaYAMLWriter().dump(data_file, train.merge(extra) if extra else train)
            model = train_nlu(str(config), str(data_file), tmp)
            agent = Agent.load(str(model))
            for example in test.intent_examples:
                parse = asyncio.run(agent.parse_message(example.get("text")))
                truth.append(example.get("intent"))
                predicted.append(str((parse.get("intent") or {}).get("name")))
                groups.append(example_malform(example))
                texts.append(example.get("text"))
    scores = intent_scores(truth, predicted)
    for group in ("nn", "nb"):
        idx = [i for i, g in enumerate(groups) if g == group]
        part = intent_scores([truth[i] for i in idx], [predicted[i] for i in idx])
        scores[f"{group}_macro_f1"] = part["macro_f1"]
        scores[f"{group}_accuracy"] = part["accuracy"]
    if predictions is not None:
        predictions.extend(
            {"text": t, "malform": g, "intent": y, "predicted": p}
            for t, g, y, p in zip(texts, groups, truth, predicted, strict=True)
        )
    return scores
