"""The inbox and one input: filters, search, paging, escaping, actions, audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from medverk.clock import utcnow
from medverk.store.models import AuditEvent, Input, InputNote, OutboundMessage
from tests.bot.officer.support import LoggedIn

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

XSS = "<script>alert(1)</script>"


def _row_ids(html: str) -> list[int]:
    return [int(number) for number in re.findall(r'href="/officer/inputs/(\d+)[?"]', html)]


async def test_inbox_lists_newest_first_with_counts(logged_in: LoggedIn) -> None:
    """Newest input comes first; counts per status cover every status."""
    client = await logged_in("ola")
    now = utcnow()
    old = await client.add_input(text="Gamalt innspel", created_at=now - timedelta(days=3))
    new = await client.add_input(text="Nytt innspel", created_at=now)
    await client.add_input(text="Lese innspel", status="read", created_at=now - timedelta(days=1))
    await client.add_input(text="Stygt innspel", status="hidden", hidden_reason="sjikane")
    response = await client.client.get("/officer/inputs")
    html = await response.text()
    assert response.status == 200
    ids = _row_ids(html)
    assert ids[0] == new and ids[-1] == old and len(ids) == 3  # hidden left out by default
    assert "Stygt innspel" not in html
    counts = {
        label: int(number)
        for number, label in re.findall(r'<span class="count">(\d+)</span> (\w+)', html)
    }
    assert counts == {"Ny": 2, "Lese": 1, "Svara": 0, "Skjult": 1}
    assert "3 innspel passar til filteret" in html


async def test_every_filter_narrows_the_list(logged_in: LoggedIn) -> None:
    """Case, committee, status, målform, channel, age group, dates and text each filter."""
    client = await logged_in("ola")
    now = utcnow()
    a = await client.add_input(
        case_ref="26/1001", committee="Ungdomsrådet", malform="nn", channel="web",
        age_group="13-15", text="Skatepark no!", created_at=now,
    )  # fmt: skip
    b = await client.add_input(
        case_ref="26/1002", committee="Kommunestyret", malform="nb", channel="telegram",
        age_group=None, text="Bussen går for sjelden", status="read",
        created_at=now - timedelta(days=40),
    )  # fmt: skip
    hidden = await client.add_input(status="hidden", text="skjult", hidden_reason="spam")
    cases = {
        "case=26/1002": [b],
        "committee=Ungdomsrådet": [a],
        "status=read": [b],
        "status=hidden": [hidden],
        "malform=nb": [b],
        "channel=telegram": [b],
        "age_group=13-15": [a],
        "age_group=none": [b],
        "q=BUSSEN": [b],
        "q=%25": [],  # a literal percent sign matches nothing, not everything
        f"from={(now - timedelta(days=1)).date()}": [a],
        f"to={(now - timedelta(days=30)).date()}": [b],
    }
    for query, expected in cases.items():
        html = await (await client.client.get("/officer/inputs?" + query)).text()
        assert _row_ids(html) == expected, query
    everything = await (await client.client.get("/officer/inputs?status=all")).text()
    assert sorted(_row_ids(everything)) == sorted([a, b, hidden])


async def test_inbox_pages(logged_in: LoggedIn) -> None:
    """50 per page; the second page holds the rest and links back."""
    client = await logged_in("ola")
    base = utcnow()
    ids = [
        await client.add_input(text=f"innspel {n}", created_at=base - timedelta(minutes=n))
        for n in range(55)
    ]
    first = await (await client.client.get("/officer/inputs")).text()
    assert _row_ids(first) == ids[:50]
    assert "Side 1 av 2" in first and 'rel="next"' in first
    second = await (await client.client.get("/officer/inputs?page=2")).text()
    assert _row_ids(second) == ids[50:]
    assert 'rel="prev"' in second
    beyond = await (await client.client.get("/officer/inputs?page=99")).text()
    assert _row_ids(beyond) == ids[50:]


async def test_script_is_shown_as_text_everywhere(logged_in: LoggedIn) -> None:
    """A citizen's HTML is escaped in the inbox, the detail and the report."""
    client = await logged_in("ola")
    input_id = await client.add_input(text=f"Hei {XSS} <b>feit</b>", case_title=f"Sak {XSS}")
    for path in ("/officer/inputs", f"/officer/inputs/{input_id}", "/officer/report?case=26/1001"):
        html = await (await client.client.get(path)).text()
        assert XSS not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert "<b>feit</b>" not in html, path


async def test_viewing_input_is_audited(logged_in: LoggedIn) -> None:
    """Opening the inbox and one input each write an audit event naming the officer."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    await client.client.get("/officer/inputs")
    await client.client.get(f"/officer/inputs/{input_id}")
    async with client.sessionmaker() as db:
        events = (await db.scalars(select(AuditEvent).order_by(AuditEvent.id))).all()
    views = [(e.officer_username, e.action, e.target) for e in events]
    assert ("ola", "view_inbox", "inbox") in views
    assert ("ola", "view_input", f"input:{input_id}") in views
    inbox_event = next(e for e in events if e.action == "view_inbox")
    assert f"ids={input_id}" in inbox_event.detail


async def test_unknown_input_is_404(logged_in: LoggedIn) -> None:
    """A missing input gives a Norwegian 404 page."""
    client = await logged_in("ola")
    response = await client.client.get("/officer/inputs/424242")
    assert response.status == 404
    assert "Fann ikkje" in await response.text()


async def _status(client: object, input_id: int) -> Input:
    async with client.sessionmaker() as db:  # type: ignore[attr-defined]
        item = await db.get(Input, input_id)
        assert item is not None
        return item


async def test_actions_without_csrf_are_refused(logged_in: LoggedIn) -> None:
    """Every action POST without the CSRF token is 403 and changes nothing."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    for action, data in (
        ("read", {}),
        ("hide", {"reason": "spam"}),
        ("note", {"note": "notat"}),
        ("answer", {"answer": "Takk!"}),
        ("unhide", {}),
    ):
        for token in (None, "feil-token"):
            form = dict(data, **({"csrf_token": token} if token else {}))
            response = await client.client.post(
                f"/officer/inputs/{input_id}/{action}", data=form, allow_redirects=False
            )
            assert response.status == 403, action
            assert "Skjemaet er for gammalt" in await response.text()
    item = await _status(client, input_id)
    assert (item.status, item.internal_note, item.answer) == ("new", None, None)


async def test_mark_read_hide_unhide_and_note(logged_in: LoggedIn) -> None:
    """The actions change the input and come back to it with a notice."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    token = await client.csrf()
    url = f"/officer/inputs/{input_id}"
    done = await client.client.post(url + "/read", data={"csrf_token": token})
    assert done.status == 200 and "Innspelet er merka som lese." in await done.text()
    assert (await _status(client, input_id)).status == "read"
    empty = await client.client.post(url + "/hide", data={"csrf_token": token, "reason": " "})
    assert empty.status == 400 and "Skriv kvifor" in await empty.text()
    await client.client.post(url + "/hide", data={"csrf_token": token, "reason": "sjikane"})
    item = await _status(client, input_id)
    assert (item.status, item.hidden_reason) == ("hidden", "sjikane")
    await client.client.post(url + "/unhide", data={"csrf_token": token})
    assert (await _status(client, input_id)).status == "read"
    await client.client.post(url + "/note", data={"csrf_token": token, "note": f"Sjå {XSS}"})
    async with client.sessionmaker() as db:
        notes = (await db.scalars(select(InputNote).where(InputNote.input_id == input_id))).all()
    assert [(n.text, n.officer_username) for n in notes] == [(f"Sjå {XSS}", "ola")]
    html = await (await client.client.get(url)).text()
    assert "Sjå &lt;script&gt;" in html


async def test_answer_reaches_the_citizen_in_their_malform(logged_in: LoggedIn) -> None:
    """An answer is stored on the input and queued on the citizen's channel, in their målform."""
    client = await logged_in("ola")
    nb_id = await client.add_input(malform="nb", channel="telegram", sender_key="b" * 64)
    nn_id = await client.add_input(malform="nn", channel="web", sender_key="c" * 64)
    token = await client.csrf()
    for input_id in (nb_id, nn_id):
        response = await client.client.post(
            f"/officer/inputs/{input_id}/answer",
            data={"csrf_token": token, "answer": "Takk, vi tek det med i saka.", "confirmed": "1"},
        )
        assert response.status == 200
        assert "Svaret er lagra" in await response.text()
    item = await _status(client, nb_id)
    assert item.status == "answered" and item.answer == "Takk, vi tek det med i saka."
    assert item.answered_at is not None and item.answered_by is not None
    async with client.sessionmaker() as db:
        messages = {m.input_id: m for m in (await db.scalars(select(OutboundMessage))).all()}
    assert messages[nb_id].channel == "telegram" and messages[nb_id].sender_key == "b" * 64
    assert messages[nb_id].text.startswith("Kommunen har svart på innspillet ditt")
    assert messages[nn_id].channel == "web"
    assert messages[nn_id].text.startswith("Kommunen har svara på innspelet ditt")
    assert messages[nn_id].delivered_at is None


async def test_empty_or_huge_answer_is_refused(logged_in: LoggedIn) -> None:
    """No answer is sent when it is blank or longer than the limit."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    token = await client.csrf()
    for text, message in (("   ", "Skriv eit svar"), ("x" * 3001, "for lang")):
        response = await client.client.post(
            f"/officer/inputs/{input_id}/answer", data={"csrf_token": token, "answer": text}
        )
        assert response.status == 400
        assert message in await response.text()
    async with client.sessionmaker() as db:
        assert (await db.scalars(select(OutboundMessage))).all() == []
