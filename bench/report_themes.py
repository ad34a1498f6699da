"""Benchmark: themes of a case's input (TF-IDF over lemmas + clustering) for the report.

Times `lemma_lists` (the project's spaCy lemmatiser, loaded before timing) and
`find_themes` on generated input of two kinds:

- `campaign`: a school hearing's input: 16 opinions on four subjects, written
  with small variations (added words, numbers), so many texts are near-identical;
- `distinct`: every text different (random words from 400, 40 hidden topics),
  the worst case for the clustering.

    .venv/app/bin/python bench/report_themes.py --count 1000 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from medverk.officers.report import _stop_words  # noqa: E402
from medverk.officers.themes import find_themes, lemma_lists  # noqa: E402

OPINIONS = {
    "buss": [
        "Bussen er for dyr for ungdom",
        "Gratis buss for alle under 18",
        "Det er urettferdig at vi må betale 40 kr for bussen",
        "Bussen går for sjeldan om kvelden",
        "Fleire bussavgangar på kvelden",
    ],
    "park": [
        "Vi treng fleire benkar i parken",
        "Parken treng lys om kvelden",
        "Meir lys og benkar i parken",
    ],
    "skate": [
        "Vi vil ha ein skatepark ved skulen",
        "Skateparken bør liggje nær sentrum",
        "Bygg skatepark med rampe",
    ],
    "klubb": [
        "Fritidsklubben må vere open lenger",
        "Opningstidene på klubben er for korte",
        "Klubben bør ha ope i helgene",
    ],
}
EXTRA = ["synest eg", "heilt ærleg", "takk", "det hadde vore fint", "please"]


def campaign(rng: random.Random, count: int) -> list[str]:
    texts = []
    for _ in range(count):
        text = rng.choice(OPINIONS[rng.choice(list(OPINIONS))])
        if rng.random() < 0.6:
            text += " " + rng.choice(EXTRA)
        if rng.random() < 0.3:
            text += f" {rng.randint(1, 999)}"
        texts.append(text)
    return texts


def distinct(rng: random.Random, count: int) -> list[str]:
    words = sorted({"".join(rng.choices("abcdefghijklmnop", k=7)) for _ in range(400)})
    topics = [rng.sample(words, 6) for _ in range(40)]
    return [" ".join(rng.sample(topics[n % 40], 4) + rng.sample(words, 2)) for n in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from nlu.norwegian import lemmas

    lemmas("buss")  # load the pipeline before timing
    stop = _stop_words(frozenset())
    stop = stop | {lemma for word in stop for lemma in lemmas(word)}
    print("kind      texts  lemmas_s  themes_s  themes  unthemed")
    for count in args.count:
        for kind, make in (("campaign", campaign), ("distinct", distinct)):
            texts = make(random.Random(7), count)  # noqa: S311 - generated test data
            senders = [f"s{n % max(1, count // 2)}" for n in range(count)]
            lemma_s, theme_s = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                lists = lemma_lists(texts, lemmas, stop)
                middle = time.perf_counter()
                themes, rest = find_themes(zip(texts, senders, lists, strict=True))
                lemma_s.append(middle - start)
                theme_s.append(time.perf_counter() - middle)
            print(
                f"{kind:9} {count:6}  {statistics.median(lemma_s):8.2f}  "
                f"{statistics.median(theme_s):8.2f}  {len(themes):6}  {rest:8}"
            )


if __name__ == "__main__":
    main()
