"""Medverk's Norwegian spaCy pipeline, built in the project from `spacy.blank("nb")`.

No pretrained Norwegian model can be downloaded where Medverk runs, so the
pipeline is assembled from parts that ship with the packages and the repository:

- the tokenizer of `spacy.blank("nb")`;
- `medverk_lemmatizer`: a lower-casing, part-of-speech-free lookup lemmatizer
  whose table is the Bokmål full-form list of spacy-lookups-data (nouns, verbs,
  adjectives, adverbs) extended by `nlu/data/extra_lemmas.tsv` (Nynorsk forms,
  the project's own words, dialect and chat spellings);
- an entity ruler with the labels `case_ref` (saksnummer such as 24/1187 or
  2024/1187), `committee` (kommunestyret, ungdomsrådet, hovudutval …) and
  `municipality` (names found in the case data under `data/cases/`).

The built pipeline is cached under `var/spacy/nb_medverk` together with a
fingerprint of its sources, so it is rebuilt only when a source changes
(`python -m nlu.norwegian build` forces it; `make train` calls it). This module
imports without Rasa: the app env uses `lemmas()` and `find_entities()`.

No `from __future__ import annotations` here: spaCy resolves the factory's
annotations at run time to validate its config.
"""

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc

__all__ = [
    "CASE_REF_PATTERN",
    "FoundEntity",
    "build_pipeline",
    "committee_names",
    "find_entities",
    "lemma_table",
    "lemmas",
    "load_pipeline",
    "municipality_names",
    "save_pipeline",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
EXTRA_LEMMAS = DATA_DIR / "extra_lemmas.tsv"
COMMITTEES = DATA_DIR / "committees.txt"
BOKMAL_POS_TABLES = ("noun", "verb", "adj", "adv")
# A saksnummer is year/sequence: 24/1187 or 2024/1187 (the sequence may be zero-padded).
CASE_REF_PATTERN = r"^(?:\d{2}|\d{4})/\d{1,6}$"
# Bump when the way the pipeline is assembled changes, so caches are rebuilt.
BUILD_VERSION = "1"
# eInnsyn field names (and our sample's plain ones) that hold committee or
# municipality names in the case data.
_COMMITTEE_KEYS = frozenset({"utvalg", "utval", "committee"})
_MUNICIPALITY_KEYS = frozenset({"kommune", "kommunenavn", "municipality", "kommunenamn"})


@dataclass(frozen=True)
class FoundEntity:
    """An entity the ruler found: label, matched text and character offsets."""

    label: str
    text: str
    start: int
    end: int


class LookupLemmatizer:
    """Sets `token.lemma_` from a lower-case form→lemma table (no POS needed)."""

    def __init__(self, table: dict[str, str] | None = None) -> None:
        self.table: dict[str, str] = table or {}

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            token.lemma_ = self.table.get(lower, lower)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(directory / "table.msgpack", self.table)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "LookupLemmatizer":
        self.table = srsly.read_msgpack(Path(path) / "table.msgpack")
        return self


@Language.factory("medverk_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    return LookupLemmatizer()


def _bokmal_table_path() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / "nb_lemma_exc.json.gz"


def _read_extra_lemmas(path: Path = EXTRA_LEMMAS) -> dict[str, str]:
    extra: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{path}:{number}: expected 'form<TAB>lemma', got {line!r}")
        extra[parts[0].lower()] = parts[1].lower()
    return extra


def lemma_table() -> dict[str, str]:
    """The merged form→lemma table: Bokmål full forms, then the project's additions.

    Where the Bokmål table gives a form several lemmas, the first part of speech
    in `BOKMAL_POS_TABLES` wins; `extra_lemmas.tsv` corrects the cases that
    matter to Medverk. Forms that are their own lemma are left out (the
    lemmatizer falls back to the lower-cased form).
    """
    with gzip.open(_bokmal_table_path(), "rt", encoding="utf-8") as handle:
        exceptions: dict[str, dict[str, list[str]]] = json.load(handle)
    table: dict[str, str] = {}
    for pos in BOKMAL_POS_TABLES:
        for form, forms_lemmas in exceptions.get(pos, {}).items():
            lower = form.lower()
            if lower not in table and forms_lemmas:
                table[lower] = forms_lemmas[0].lower()
    table.update(_read_extra_lemmas())
    return {form: lemma for form, lemma in table.items() if form != lemma}


def _read_name_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _json_files(cases_dir: Path) -> list[Path]:
    if not cases_dir.is_dir():
        return []
    return sorted(path for path in cases_dir.rglob("*.json") if path.is_file())


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _names_under(cases_dir: Path, keys: frozenset[str]) -> list[str]:
    names: set[str] = set()
    for path in _json_files(cases_dir):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a broken case file must not stop training; the cases area reports it
        for key, value in _walk(document):
            if key not in keys:
                continue
            if isinstance(value, dict):
                value = value.get("navn") or value.get("name")
            if isinstance(value, str) and 2 <= len(value.strip()) <= 80:
                names.add(value.strip())
    return sorted(names)


def _default_cases_dir() -> Path:
    return Path(os.environ.get("MEDVERK_CASES_DIR", "").strip() or PROJECT_ROOT / "data" / "cases")


def committee_names(cases_dir: Path | None = None) -> list[str]:
    """Committee names: the project's list plus every `utvalg` in the case data."""
    names = _read_name_list(COMMITTEES) + _names_under(
        cases_dir or _default_cases_dir(), _COMMITTEE_KEYS
    )
    return sorted({name.lower() for name in names})


def municipality_names(cases_dir: Path | None = None) -> list[str]:
    """Municipality names found in the case data (`kommune`, `municipality` fields)."""
    return _names_under(cases_dir or _default_cases_dir(), _MUNICIPALITY_KEYS)


def _ruler_patterns(cases_dir: Path) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = [
        {"label": "case_ref", "pattern": [{"TEXT": {"REGEX": CASE_REF_PATTERN}}]}
    ]
    patterns += [{"label": "committee", "pattern": name} for name in committee_names(cases_dir)]
    for name in municipality_names(cases_dir):
        patterns.append({"label": "municipality", "pattern": name})
        # "Eksempel kommune" is also said as just "Eksempel".
        short = re.sub(r"\s+(kommune|herad)$", "", name, flags=re.IGNORECASE)
        if short != name:
            patterns.append({"label": "municipality", "pattern": short})
    return patterns


def build_pipeline(cases_dir: Path | None = None) -> Language:
    """Assemble the pipeline in memory from its sources (takes a few seconds)."""
    nlp = spacy.blank("nb")
    # The ruler comes first: it tokenizes its phrase patterns with the pipes before it,
    # and matching on LOWER needs no lemmas.
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True})
    ruler.add_patterns(_ruler_patterns(cases_dir or _default_cases_dir()))  # type: ignore[attr-defined]
    lemmatizer = nlp.add_pipe("medverk_lemmatizer")
    assert isinstance(lemmatizer, LookupLemmatizer)
    lemmatizer.table = lemma_table()
    return nlp


def source_fingerprint(cases_dir: Path | None = None) -> str:
    """Hash of everything the pipeline is built from; the cache is keyed by it."""
    digest = hashlib.sha256()
    digest.update(BUILD_VERSION.encode())
    digest.update(spacy.about.__version__.encode())
    digest.update(metadata.version("spacy-lookups-data").encode())
    for path in (EXTRA_LEMMAS, COMMITTEES):
        digest.update(path.read_bytes())
    resolved = cases_dir or _default_cases_dir()
    digest.update("\n".join(committee_names(resolved) + municipality_names(resolved)).encode())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    var_dir = os.environ.get("MEDVERK_VAR_DIR", "").strip() or PROJECT_ROOT / "var"
    return Path(var_dir) / "spacy" / "nb_medverk"


def save_pipeline(nlp: Language, directory: Path, fingerprint: str) -> None:
    """Write the pipeline and its fingerprint atomically (a half-written cache is never used)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    (staging / "medverk_fingerprint.txt").write_text(fingerprint, encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    staging.rename(directory)


def _cached_fingerprint(directory: Path) -> str | None:
    try:
        return (directory / "medverk_fingerprint.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def load_pipeline(cache_dir: Path | None = None, cases_dir: Path | None = None) -> Language:
    """Load the cached pipeline, or build and cache it when a source changed.

    A read-only `var/` is fine: the pipeline is then built in memory each time.
    """
    directory = cache_dir or default_cache_dir()
    fingerprint = source_fingerprint(cases_dir)
    if _cached_fingerprint(directory) == fingerprint:
        return spacy.load(directory)
    nlp = build_pipeline(cases_dir)
    # Caching is an optimisation; the in-memory pipeline is complete without it.
    with contextlib.suppress(OSError):
        save_pipeline(nlp, directory, fingerprint)
    return nlp


@lru_cache(maxsize=1)
def shared_pipeline() -> Language:
    """The process-wide pipeline (loaded once, on first use)."""
    return load_pipeline()


def lemmas(text: str) -> list[str]:
    """Lower-case lemmas of the words in `text` (punctuation and spaces left out)."""
    return [
        token.lemma_ for token in shared_pipeline()(text) if not (token.is_punct or token.is_space)
    ]


def find_entities(text: str) -> list[FoundEntity]:
    """Case numbers, committees and municipalities the entity ruler finds in `text`."""
    return [
        FoundEntity(span.label_, span.text, span.start_char, span.end_char)
        for span in shared_pipeline()(text).ents
    ]


def main(argv: list[str] | None = None) -> None:
    """`python -m nlu.norwegian build [--out DIR]`: (re)build the cached pipeline."""
    parser = argparse.ArgumentParser(prog="python -m nlu.norwegian", description=main.__doc__)
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=None, help="cache directory")
    parser.add_argument("--cases-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    directory = args.out or default_cache_dir()
    nlp = build_pipeline(args.cases_dir)
    save_pipeline(nlp, directory, source_fingerprint(args.cases_dir))
    print(f"Built the Norwegian pipeline in {directory}")


if __name__ == "__main__":
    main()
