"""scripts/rotate_heldout.py: a tuned-against held-out set becomes training data once."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from rotate_heldout import blocks_for, known_examples

SET = """# Fresh held-out set X
# Columns (tab-separated): intent, group, malform, text
greet\tnn\t-\thei
greet\tnn\tnn\tgod morgon, eg har eit spørsmål
greet\tnn\tnn\tGod morgon, eg har eit spørsmål!
give_input\tnb\tnb\tjeg synes bussen er for dyr
give_input\tnb\tnb\tse [her](http://x)
affirm\tnb\t-\t👍
"""


def test_only_new_messages_become_examples_grouped_by_intent_and_group(tmp_path: Path) -> None:
    data = tmp_path / "nlu"
    data.mkdir()
    (data / "basics.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - Hei\n',
        encoding="utf-8",
    )
    heldout = tmp_path / "fresh-x.tsv"
    heldout.write_text(SET, encoding="utf-8")

    text, count = blocks_for(heldout, known_examples(data))
    parsed = yaml.safe_load('version: "3.1"\nnlu:\n' + text)

    # "hei" is already trained on, the second "god morgon" differs only in case and signs,
    # markup would read as an entity annotation, and a sign alone has no words.
    assert count == 2
    assert [(b["intent"], b["metadata"]["malform"]) for b in parsed["nlu"]] == [
        ("give_input", "nb"),
        ("greet", "nn"),
    ]
    assert parsed["nlu"][1]["examples"] == "- god morgon, eg har eit spørsmål\n"
    assert "# fresh-x.tsv, rotated in" in text


def test_a_message_seen_in_an_earlier_set_is_not_added_twice(tmp_path: Path) -> None:
    heldout = tmp_path / "fresh-x.tsv"
    heldout.write_text(SET, encoding="utf-8")
    known: set[str] = set()
    _, first = blocks_for(heldout, known)
    _, second = blocks_for(heldout, known)
    assert (first, second) == (3, 0)
