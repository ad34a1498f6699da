"""Themes of a case's input for the politicians' report: groups of similar texts (pure).

Each text becomes a TF-IDF vector over its lemmas (sublinear term frequency,
smoothed IDF, L2-normalised; stop words, junk words and lemmas found in more
than half the texts are left out, since the case's own subject says nothing
about what sets one opinion apart from another). Identical texts (after
`report_groups.normalise`) are one vector with a weight.

The clustering is deterministic and needs no scikit-learn:

1. *Leader pass*: texts in order of weight (then arrival) join the cluster
   whose centroid is most similar (cosine ≥ `THRESHOLD`), else start one. An
   inverted index from lemma to clusters keeps this near linear.
2. *Agglomerative merge*: the `MERGE_LIMIT` largest clusters are merged pair
   by pair, most similar centroids first, while the cosine is ≥ `THRESHOLD`
   (centroid linkage). Ties go to the older cluster.

A theme is a cluster of at least `MIN_INPUTS` inputs: a label of its top
lemmas (by centroid weight), its number of inputs and senders, and a few
example texts nearest the centroid, with personal data masked.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from medverk.inputs.personal_data import without_personal_data
from medverk.officers.report_groups import normalise

__all__ = ["THRESHOLD", "Theme", "find_themes", "lemma_lists"]

Lemmatiser = Callable[[str], list[str]]
Vector = dict[str, float]
THRESHOLD = 0.3
MAX_DOCUMENT_SHARE = 0.5
MERGE_LIMIT = 300
MIN_INPUTS = 2
MAX_THEMES = 12
LABEL_LEMMAS = 3
EXAMPLES = 3
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Theme:
    """One theme as the report shows it."""

    label: tuple[str, ...]
    count: int
    senders: int
    examples: tuple[str, ...]


def lemma_lists(
    texts: Sequence[str], lemmatise: Lemmatiser, stop_words: frozenset[str]
) -> list[list[str]]:
    """Each text's content lemmas (letters only, 2+ characters, no stop words).

    Every distinct word form is lemmatised once, as in `report.top_words`.
    """
    cache: dict[str, list[str]] = {}
    result = []
    for text in texts:
        lemmas: list[str] = []
        for match in _WORD.finditer(text):
            form = match.group(0).lower()
            if form not in cache:
                words = (lemma.lower().strip("-'") for lemma in lemmatise(form))
                cache[form] = [
                    w for w in words if len(w) >= 2 and w.isalpha() and w not in stop_words
                ]
            lemmas += cache[form]
        result.append(lemmas)
    return result


@dataclass
class _Doc:
    text: str
    weight: int
    senders: set[str]
    vector: Vector
    order: int


@dataclass
class _Cluster:
    members: list[int]
    total: Vector
    norm2: float
    weight: int
    order: int

    def cosine(self, other: Vector, other_norm: float = 1.0) -> float:
        small, large = (self.total, other) if len(self.total) < len(other) else (other, self.total)
        dot = sum(value * large.get(key, 0.0) for key, value in small.items())
        return dot / math.sqrt(self.norm2 * other_norm) if self.norm2 and other_norm else 0.0


def _documents(rows: Iterable[tuple[str, str, list[str]]]) -> tuple[list[_Doc], list[Counter[str]]]:
    docs: dict[str, _Doc] = {}
    terms: dict[str, Counter[str]] = {}
    for text, sender, lemmas in rows:
        key = normalise(text)
        if key in docs:
            docs[key].weight += 1
            docs[key].senders.add(sender)
            continue
        docs[key] = _Doc(text.strip(), 1, {sender}, {}, len(docs))
        terms[key] = Counter(lemmas)
    return list(docs.values()), list(terms.values())


def _vectorise(docs: list[_Doc], terms: list[Counter[str]]) -> None:
    frequency: Counter[str] = Counter(lemma for counts in terms for lemma in counts)
    n = len(docs)
    limit = max(2.0, MAX_DOCUMENT_SHARE * n)
    idf = {
        lemma: math.log((1 + n) / (1 + df)) + 1 for lemma, df in frequency.items() if df <= limit
    }
    for doc, counts in zip(docs, terms, strict=True):
        raw = {k: (1 + math.log(c)) * idf[k] for k, c in counts.items() if k in idf}
        norm = math.sqrt(sum(v * v for v in raw.values()))
        doc.vector = {k: v / norm for k, v in raw.items()} if norm else {}


def _add(cluster: _Cluster, vector: Vector, weight: int, dot: float) -> None:
    """Add `weight` copies of a unit vector to the cluster's sum (dot: sum · vector)."""
    for key, value in vector.items():
        cluster.total[key] = cluster.total.get(key, 0.0) + weight * value
    cluster.norm2 += 2 * weight * dot + weight * weight
    cluster.weight += weight


def _leader_pass(docs: list[_Doc]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    postings: dict[str, list[int]] = {}
    for index in sorted(range(len(docs)), key=lambda i: (-docs[i].weight, docs[i].order)):
        doc = docs[index]
        dots: dict[int, float] = {}
        for key, value in doc.vector.items():
            for cid in postings.get(key, ()):
                dots[cid] = dots.get(cid, 0.0) + value * clusters[cid].total[key]
        best, best_cos = -1, 0.0
        for cid, dot in dots.items():
            cos = dot / math.sqrt(clusters[cid].norm2)
            if cos >= THRESHOLD and (
                best < 0 or cos > best_cos or (cos == best_cos and cid < best)
            ):
                best, best_cos = cid, cos
        if best < 0:
            clusters.append(_Cluster([], {}, 0.0, 0, len(clusters)))
            best, dot = len(clusters) - 1, 0.0
        else:
            dot = dots[best]
        cluster = clusters[best]
        for key in doc.vector:
            if key not in cluster.total:
                postings.setdefault(key, []).append(best)
        cluster.members.append(index)
        _add(cluster, doc.vector, doc.weight, dot)
    return clusters


def _merge(clusters: list[_Cluster]) -> list[_Cluster]:
    """Centroid-linkage agglomerative merging of the largest clusters."""
    ranked = sorted(clusters, key=lambda c: (-c.weight, c.order))
    live = [c for c in ranked[:MERGE_LIMIT] if c.total]
    rest = [c for c in ranked[:MERGE_LIMIT] if not c.total] + ranked[MERGE_LIMIT:]
    alive = set(range(len(live)))
    sims: dict[tuple[int, int], float] = {}
    for i in range(len(live)):
        for j in range(i + 1, len(live)):
            cos = live[i].cosine(live[j].total, live[j].norm2)
            if cos >= THRESHOLD:
                sims[(i, j)] = cos
    while sims:
        # Most similar first; on a tie the pair of older (larger) clusters.
        (i, j), _ = max(sims.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))
        a, b = live[i], live[j]
        dot = sum(v * a.total.get(k, 0.0) for k, v in b.total.items())
        for key, value in b.total.items():
            a.total[key] = a.total.get(key, 0.0) + value
        a.norm2 += 2 * dot + b.norm2
        a.weight += b.weight
        a.members += b.members
        alive.discard(j)
        sims = {pair: cos for pair, cos in sims.items() if i not in pair and j not in pair}
        for other in alive - {i}:
            cos = a.cosine(live[other].total, live[other].norm2)
            if cos >= THRESHOLD:
                sims[(min(i, other), max(i, other))] = cos
    return [live[i] for i in sorted(alive)] + rest


def _theme(cluster: _Cluster, docs: list[_Doc]) -> Theme:
    label = sorted(cluster.total.items(), key=lambda pair: (-pair[1], pair[0]))[:LABEL_LEMMAS]
    senders = set().union(*(docs[i].senders for i in cluster.members))
    nearest = sorted(
        cluster.members,
        key=lambda i: (-cluster.cosine(docs[i].vector), -docs[i].weight, docs[i].order),
    )
    examples = tuple(without_personal_data(docs[i].text) for i in nearest[:EXAMPLES])
    return Theme(tuple(k for k, _ in label), cluster.weight, len(senders), examples)


def find_themes(
    rows: Iterable[tuple[str, str, list[str]]], limit: int = MAX_THEMES
) -> tuple[list[Theme], int]:
    """Themes from (text, sender key, lemmas) rows, largest first; and the number of
    inputs in no theme shown (too small, or past `limit`)."""
    docs, terms = _documents(rows)
    _vectorise(docs, terms)
    clusters = _merge(_leader_pass(docs))
    ranked = sorted(
        (c for c in clusters if c.total and c.weight >= MIN_INPUTS),
        key=lambda c: (-c.weight, c.order),
    )[:limit]
    themes = [_theme(cluster, docs) for cluster in ranked]
    total = sum(doc.weight for doc in docs)
    return themes, total - sum(theme.count for theme in themes)
