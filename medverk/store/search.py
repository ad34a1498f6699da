"""Free-text search over citizens' input, with each database's own full-text index.

Officers type parts of words: "buss" must find "Busstilbodet" and "skulebussen",
because Norwegian writes compounds as one word. So a term matches as a
case-insensitive substring anywhere in the text, and both databases answer that
from a trigram index (built and kept in step by migration 0002):

- SQLite: the FTS5 table `inputs_search` with the `trigram` tokenizer. It has
  external content (the text is stored once, in `inputs`); triggers on `inputs`
  keep it in step on insert, update of the text and delete, so deleting an
  input (a citizen's "delete my data", retention) removes it from the index in
  the same transaction. A term is sent to FTS5 as one quoted string, so the
  officer's text is never read as FTS5 query syntax.
- PostgreSQL: a GIN index with `gin_trgm_ops` (pg_trgm) on `inputs.text`,
  which serves `text ILIKE '%term%'`.

Case folding is Unicode-aware on both (Æ finds æ); letters are not folded
further (å is not a, as it should not be in Norwegian). Several words must all
match; a quoted part ("ny skatepark") must match as written, spaces included.

Terms shorter than three characters have no trigrams. They are matched with
ILIKE on the rows the longer terms found, or, if the query has only short
terms, by scanning the table (as all search did before the index; about 1 s at
100,000 inputs). On SQLite that ILIKE folds only ASCII letters (SQLite's own
`lower()`), so a short term like "Øy" is case-sensitive there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, ColumnElement, and_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from medverk.store.models import Input

__all__ = [
    "MIN_INDEXED_LENGTH",
    "SEARCH_TABLE",
    "TRIGRAM_INDEX",
    "contains_pattern",
    "include_name",
    "query_terms",
    "text_matches",
]

# Names created by migration 0002; keep them in step with it.
SEARCH_TABLE = "inputs_search"
TRIGRAM_INDEX = "ix_inputs_text_trgm"
# A trigram index cannot answer shorter terms.
MIN_INDEXED_LENGTH = 3

# A double-quoted part is one term; otherwise runs of non-space characters.
_TERM = re.compile(r'"([^"]*)"|(\S+)')
# Control characters (NUL among them, which PostgreSQL refuses in text) never
# occur in stored input worth finding; they are dropped from the query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_terms(query: str) -> list[str]:
    """The terms of an officer's query: words, or "quoted parts" as one term each."""
    cleaned = _CONTROL.sub(" ", query).strip()
    terms: list[str] = []
    for match in _TERM.finditer(cleaned):
        quoted, word = match.groups()
        term = (quoted if quoted is not None else word.strip('"')).strip()
        if term and term not in terms:
            terms.append(term)
    # Nothing but quotes: look for them as written rather than match everything.
    return terms or ([cleaned] if cleaned else [])


def contains_pattern(term: str) -> str:
    """A LIKE pattern (escape character backslash) for text that contains `term`."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts5_string(term: str) -> str:
    """`term` as an FTS5 string literal: with the trigram tokenizer, a substring match."""
    return '"' + term.replace('"', '""') + '"'


class _IndexedMatch(FunctionElement[bool]):
    """Every one of some terms (3+ characters) occurs in `inputs.text`, via the trigram index.

    Arguments: the FTS5 query (used on SQLite), then one ILIKE pattern per term
    (used elsewhere). Compiled per dialect below.
    """

    type = Boolean()
    inherit_cache = True
    name = "medverk_text_matches"
    # A condition in itself: without this, SQLite (no native boolean) gets
    # "... IN (...) = 1", which its planner cannot drive from the FTS5 subquery.
    _is_implicitly_boolean = True


@compiles(_IndexedMatch, "sqlite")
def _compile_sqlite(element: _IndexedMatch, compiler: SQLCompiler, **kw: Any) -> str:
    fts_query = next(iter(element.clauses))
    # Only constant names are formatted in; the officer's text is the bound FTS5 query.
    return (
        f"{compiler.process(Input.__table__.c.id, **kw)} IN "  # noqa: S608
        f"(SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH "
        f"{compiler.process(fts_query, **kw)})"
    )


@compiles(_IndexedMatch)
def _compile_default(element: _IndexedMatch, compiler: SQLCompiler, **kw: Any) -> str:
    patterns = list(element.clauses)[1:]
    text = Input.__table__.c.text
    return compiler.process(and_(*(text.ilike(p, escape="\\") for p in patterns)), **kw)


def text_matches(terms: Sequence[str]) -> list[ColumnElement[bool]]:
    """SQL conditions: every term occurs in the input's text (case-insensitive)."""
    long_terms = [t for t in terms if len(t) >= MIN_INDEXED_LENGTH]
    short_terms = [t for t in terms if len(t) < MIN_INDEXED_LENGTH]
    where: list[ColumnElement[bool]] = []
    if long_terms:
        fts_query = " AND ".join(_fts5_string(term) for term in long_terms)
        where.append(
            _IndexedMatch(
                bindparam("fts_query", fts_query, unique=True),
                *(bindparam("pattern", contains_pattern(t), unique=True) for t in long_terms),
            )
        )
    where.extend(Input.text.ilike(contains_pattern(term), escape="\\") for term in short_terms)
    return where


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter: leave out the search index, which the models do not describe.

    The FTS5 table (and the `inputs_search_*` shadow tables SQLite keeps for it)
    and the trigram index are database-specific and made by migration 0002, so
    comparing the models with the database must not count them. Shared by
    `migrations/env.py` and the migration test.
    """
    del parent_names
    if type_ == "table" and name is not None:
        return name != SEARCH_TABLE and not name.startswith(SEARCH_TABLE + "_")
    if type_ == "index":
        return name != TRIGRAM_INDEX
    return True
