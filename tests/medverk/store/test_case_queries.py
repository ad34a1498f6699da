"""Case, report and decision queries that moved into the store (report_repo, decisions_repo,
cases_repo helpers, demo_repo), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.store import cases_repo, decisions_repo, demo_repo, inputs_repo, report_repo
from medverk.store.models import AgendaItem, CaseSyncRun, Input, Meeting
from tests.medverk.store.test_inputs_repo import make_input

TODAY = date(2026, 12, 2)
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def _item(item_id: str, case_ref: str, **overrides: object) -> AgendaItem:
    values: dict[str, object] = {
        "id": item_id,
        "case_ref": case_ref,
        "title": f"Sak {case_ref}",
        "committee": "Ungdomsrådet",
        "municipality": "Testvik",
        "topics": "",
    }
    values.update(overrides)
    return AgendaItem(**values)


async def _seed(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker.begin() as db:
        db.add(
            Meeting(
                id="m1",
                committee="Ungdomsrådet",
                meeting_date=NOON + timedelta(days=3),
                place="Rådhuset, sal 2",
                title="Møte",
                municipality="Testvik",
            )
        )
        await db.flush()
        db.add_all(
            [
                _item(
                    "a1",
                    "26/1",
                    meeting_id="m1",
                    meeting_date=NOON + timedelta(days=3),
                    topics="skatepark rampe",
                ),
                _item(
                    "a2",
                    "26/1",
                    meeting_date=NOON - timedelta(days=30),
                    decision="Vedteke",
                    decision_date=date(2026, 11, 2),
                    topics="skatepark",
                ),
                _item(
                    "a3",
                    "26/2",
                    meeting_date=NOON - timedelta(days=10),
                    decision="",
                    hearing_deadline=TODAY + timedelta(days=5),
                    topics="buss",
                ),
                _item("a4", "26/3", meeting_date=NOON - timedelta(days=10), topics="buss"),
            ]
        )


async def test_meeting_place_and_topics(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The place of a stored meeting (None for an unknown one); each topics text once."""
    await _seed(sessionmaker)
    async with sessionmaker() as db:
        assert await cases_repo.meeting_place(db, "m1") == "Rådhuset, sal 2"
        assert await cases_repo.meeting_place(db, "nope") is None
        assert sorted(await cases_repo.distinct_topics(db)) == [
            "buss",
            "skatepark",
            "skatepark rampe",
        ]


async def test_maybe_taking_input_is_the_superset(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A meeting today or later, or a hearing still open; soonest meeting first; limited."""
    await _seed(sessionmaker)
    async with sessionmaker() as db:
        items = await cases_repo.maybe_taking_input(db, TODAY, limit=10)
        assert [item.id for item in items] == ["a3", "a1"]
        assert [item.id for item in await cases_repo.maybe_taking_input(db, TODAY, 1)] == ["a3"]


async def test_last_successful_sync_end(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The newest finish among successful runs, aware UTC; None before any success."""
    async with sessionmaker() as db:
        assert await cases_repo.last_successful_sync_end(db) is None
    async with sessionmaker.begin() as db:
        db.add_all(
            [
                CaseSyncRun(source="file", finished_at=NOON - timedelta(hours=2), ok=True),
                CaseSyncRun(source="file", finished_at=NOON - timedelta(hours=1), ok=True),
                CaseSyncRun(source="file", finished_at=NOON, ok=False),
            ]
        )
    async with sessionmaker() as db:
        assert await cases_repo.last_successful_sync_end(db) == NOON - timedelta(hours=1)


async def test_report_queries(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Visible input only, oldest first; the newest agenda item; the latest decision."""
    await _seed(sessionmaker)
    async with sessionmaker.begin() as db:
        db.add(make_input("k1", case_ref="26/1", text="Andre", created_at=NOON))
        db.add(make_input("k2", case_ref="26/1", text="Første", created_at=NOON - timedelta(1)))
        db.add(make_input("k3", case_ref="26/1", text="Skjult", status="hidden"))
        db.add(make_input("k4", case_ref="26/2", text="Annan sak"))
    async with sessionmaker() as db:
        rows = await report_repo.visible_input_rows(db, "26/1", (Input.text, Input.created_at))
        assert [row.text for row in rows] == ["Første", "Andre"]
        assert rows[1].created_at == NOON
        newest = await report_repo.newest_agenda_item(db, "26/1")
        assert newest is not None and newest.id == "a1"
        assert await report_repo.newest_agenda_item(db, "99/9") is None
        assert await report_repo.latest_decision(db, "26/1") == "Vedteke"
        assert await report_repo.latest_decision(db, "26/3") is None


async def test_decision_queries(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Who waits for a decision (visible, not told, not anonymised); items with a decision."""
    await _seed(sessionmaker)
    async with sessionmaker.begin() as db:
        db.add(make_input("w1", case_ref="26/1", wants_reply=True))
        db.add(make_input("w2", case_ref="26/1", wants_reply=True, decision_notified_at=NOON))
        db.add(make_input("w3", case_ref="26/1", wants_reply=True, status="hidden"))
        db.add(make_input("w4", case_ref="26/1", wants_reply=False))
        db.add(make_input("w5", case_ref="26/2", wants_reply=True, anonymised_at=NOON))
    async with sessionmaker.begin() as db:
        waiting = await decisions_repo.lock_inputs_awaiting_decision(db)
        assert [item.idempotency_key for item in waiting] == ["w1"]
        decided = await decisions_repo.decided_agenda_items(db, {"26/1", "26/2", "26/3"})
        assert [item.id for item in decided] == ["a2"]


async def test_demo_cases_and_bulk_insert(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Stored cases as (ref, title, committee); bulk-inserted rows count as demo, not real."""
    async with sessionmaker() as db:
        assert await demo_repo.stored_cases(db) == []
    await _seed(sessionmaker)
    row = {
        "idempotency_key": "demo-1",
        "case_ref": "26/1",
        "text": "Demo",
        "malform": "nb",
        "channel": "web",
        "sender_key": "d" * 64,
        "demo": True,
        "created_at": NOON,
        "updated_at": NOON,
    }
    async with sessionmaker.begin() as db:
        assert len(await demo_repo.stored_cases(db, limit=2)) == 2
        assert ("26/2", "Sak 26/2", "Ungdomsrådet") in await demo_repo.stored_cases(db)
        await demo_repo.insert_inputs(db, [row])
        db.add(make_input("real-1"))
    async with sessionmaker() as db:
        assert await inputs_repo.count_inputs(db) == 2
        assert await demo_repo.count_real_inputs(db) == 1
        stored = [i for i in await inputs_repo.inputs_of_sender(db, "d" * 64)]
        assert stored[0].created_at == NOON
        fetched = await inputs_repo.get_input(db, stored[0].id)
        assert fetched is not None and fetched.text == "Demo"
        assert await inputs_repo.get_input(db, 999_999) is None
