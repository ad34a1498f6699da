"""The store: SQLAlchemy 2 models, engine/session factory and repositories.

Repository functions take an `AsyncSession` and never commit; the caller
(a request handler or an action) owns the transaction with
`async with sessionmaker.begin()`.
"""
