"""The retention rule: old input anonymised or deleted, newer input untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from medverk.cli import main
from medverk.clock import utcnow
from medverk.retention import run_retention
from medverk.store.inputs_repo import ANONYMISED_SENDER_KEY
from medverk.store.models import Input, OutboundMessage
from tests.medverk.store.search_support import findable_ids

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


def make_input(key: str, age_days: int) -> Input:
    return Input(
        idempotency_key=key,
        case_ref="26/1187",
        text=f"Innspel {key}",
        malform="nb",
        channel="web",
        sender_key="s" * 64,
        consent_contact=True,
        contact="ola@example.no",
        age_group="16-17",
        created_at=utcnow() - timedelta(days=age_days),
    )


async def seed(sessionmaker) -> None:
    async with sessionmaker.begin() as session:
        session.add_all([make_input("old", 100), make_input("new", 10)])
        session.add(
            OutboundMessage(
                sender_key="s" * 64,
                channel="telegram",
                kind="answer",
                text="Svar",
                created_at=utcnow() - timedelta(days=100),
            )
        )


async def test_anonymise_mode_keeps_text_and_drops_identity(sessionmaker) -> None:
    """Anonymise: old rows lose sender, contact and age; new rows are untouched."""
    await seed(sessionmaker)
    result = await run_retention(sessionmaker, days=30, mode="anonymise")
    assert (result.inputs, result.messages) == (1, 1)
    async with sessionmaker() as session:
        rows = {r.idempotency_key: r for r in (await session.execute(select(Input))).scalars()}
    assert rows["old"].sender_key == ANONYMISED_SENDER_KEY
    assert rows["old"].contact is None and rows["old"].text == "Innspel old"
    assert rows["new"].contact == "ola@example.no"


async def test_delete_mode_removes_old_rows(sessionmaker) -> None:
    """Delete: old rows are gone, new rows stay."""
    await seed(sessionmaker)
    result = await run_retention(sessionmaker, days=30, mode="delete")
    assert result.inputs == 1
    async with sessionmaker() as session:
        keys = (await session.execute(select(Input.idempotency_key))).scalars().all()
    assert keys == ["new"]


async def test_deleted_input_is_gone_from_search(sessionmaker) -> None:
    """Delete mode removes the text from the search index too, not only the row."""
    await seed(sessionmaker)
    async with sessionmaker() as session:
        rows = await session.execute(select(Input.idempotency_key, Input.id))
        ids = {key: row_id for key, row_id in rows.all()}
    assert await findable_ids(sessionmaker, "Innspel old") == {ids["old"]}
    await run_retention(sessionmaker, days=30, mode="delete")
    assert await findable_ids(sessionmaker, "Innspel old") == set()
    assert await findable_ids(sessionmaker, "innspel") == {ids["new"]}


async def test_anonymised_input_is_found_by_its_kept_text_only(sessionmaker) -> None:
    """Anonymise keeps the text for the case record, so search still finds it by that text;
    the removed contact and sender were never searchable and stay so."""
    await seed(sessionmaker)
    await run_retention(sessionmaker, days=30, mode="anonymise")
    async with sessionmaker() as session:
        old_id = await session.scalar(select(Input.id).where(Input.idempotency_key == "old"))
    assert await findable_ids(sessionmaker, "Innspel old") == {old_id}
    assert await findable_ids(sessionmaker, "ola@example.no") == set()
    assert await findable_ids(sessionmaker, "s" * 64) == set()


async def test_zero_days_is_refused(sessionmaker) -> None:
    """A retention of less than one day would delete what was just sent."""
    with pytest.raises(ValueError, match="at least one day"):
        await run_retention(sessionmaker, days=0, mode="delete")


def test_cli_runs_retention(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`medverk retention run` applies the rule to the configured database."""
    from medverk.store.migrate import upgrade_head

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("MEDVERK_DATABASE_URL", url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    upgrade_head(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert main(["retention", "run", "--days", "30", "--mode", "delete"]) == 0
    assert "0 inputs deleted" in capsys.readouterr().out
