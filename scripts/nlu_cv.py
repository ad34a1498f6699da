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


def cross_validate(config: Path, data: Path, folds: int) -> dict[str, float]:
    """Stratified K-fold cross-validation of intent classification on the training data,
    on the same folds for every config."""
    import tempfile

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    training = TrainingDataImporter.load_from_dict(training_data_paths=[str(data)]).get_nlu_data()
    truth: list[str] = []
    predicted: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nlu-cv-") as tmp:
        for train, test in seeded_folds(folds, training):
            data_file = Path(tmp) / "train.yml"
            RasaYAMLWriter().dump(data_file, train)
            model = train_nlu(str(config), str(data_file), tmp)
            agent = Agent.load(str(model))
            for example in test.intent_examples:
                parse = asyncio.run(agent.parse_message(example.get("text")))
                truth.append(example.get("intent"))
                predicted.append(str((parse.get("intent") or {}).get("name")))
    return intent_scores(truth, predicted)
