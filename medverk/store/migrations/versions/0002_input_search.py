"""full-text search over citizens' input

SQLite: an FTS5 table `inputs_search` (trigram tokenizer, external content:
the text stays only in `inputs`) kept in step by triggers on `inputs`.
PostgreSQL: the pg_trgm extension and a GIN trigram index on `inputs.text`.
Both let `medverk.store.search` find a term as a substring anywhere in the
text, case-insensitively, from an index. Existing rows are indexed here.

SQLite drops a table's triggers with the table: a later migration that
rebuilds `inputs` in batch mode must create the three triggers again
(tests/medverk/store/test_search.py fails if they are missing).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The names inputs_search and ix_inputs_text_trgm are also in medverk/store/search.py,
# which searches with them and leaves them out of the models-vs-database check.
_SQLITE_UPGRADE = (
    # case_sensitive 0 (the default) folds case Unicode-aware; trigram has no
    # diacritics option before SQLite 3.45, and å must stay apart from a anyway.
    "CREATE VIRTUAL TABLE inputs_search USING fts5("
    "text, content='inputs', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER inputs_search_insert AFTER INSERT ON inputs BEGIN
        INSERT INTO inputs_search(rowid, text) VALUES (new.id, new.text);
    END""",
    # An external-content FTS5 table must be told the old text to forget it.
    """CREATE TRIGGER inputs_search_delete AFTER DELETE ON inputs BEGIN
        INSERT INTO inputs_search(inputs_search, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER inputs_search_update AFTER UPDATE OF text ON inputs BEGIN
        INSERT INTO inputs_search(inputs_search, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO inputs_search(rowid, text) VALUES (new.id, new.text);
    END""",
    # Index the rows already stored.
    "INSERT INTO inputs_search(inputs_search) VALUES ('rebuild')",
)

_SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS inputs_search_update",
    "DROP TRIGGER IF EXISTS inputs_search_delete",
    "DROP TRIGGER IF EXISTS inputs_search_insert",
    "DROP TABLE IF EXISTS inputs_search",
)

_POSTGRESQL_UPGRADE = (
    # A trusted extension since PostgreSQL 13: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Building the index reads (indexes) every existing row.
    "CREATE INDEX ix_inputs_text_trgm ON inputs USING gin (text gin_trgm_ops)",
)

# pg_trgm stays installed: it may have been there before, and other objects may use it.
_POSTGRESQL_DOWNGRADE = ("DROP INDEX IF EXISTS ix_inputs_text_trgm",)


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(_POSTGRESQL_UPGRADE)
    # Any other database searches with plain ILIKE, without an index.


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_DOWNGRADE)
    elif dialect == "postgresql":
        _run(_POSTGRESQL_DOWNGRADE)
