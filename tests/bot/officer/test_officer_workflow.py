"""Working through volume: bulk actions, kept filters, next unread, multi-choice
filters, assignment, tags, notes, målform, templates and the answer confirmation."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

from sqlalchemy import select

from medverk.clock import utcnow
from medverk.store import inputs_repo
from medverk.store.models import AuditEvent, Input, InputNote, InputTag, OutboundMessage
from tests.bot.officer.support import LoggedIn, OfficerClient


def _row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/officer/inputs/(\d+)[?"]', html)]


async def _get(client: OfficerClient, input_id: int) -> Input:
    async with client.sessionmaker() as db:
        item = await db.get(Input, input_id)
        assert item is not None
        return item


async def _officer_id(client: OfficerClient, username: str) -> int:
    from medverk.store.officer_repo import get_officer_by_username

    async with client.sessionmaker() as db:
        officer = await get_officer_by_username(db, username)
        assert officer is not None
        return officer.id


async def test_bulk_actions_change_the_ticked_inputs_and_keep_the_filter(
    logged_in: LoggedIn,
) -> None:
    """Read, unread, tag, assign and hide act on the ticked ids only, and the officer
    lands on the same filtered inbox with a notice saying what happened."""
    client = await logged_in("ola")
    now = utcnow()
    ids = [
        await client.add_input(text=f"buss {n}", created_at=now - timedelta(minutes=n))
        for n in range(4)
    ]
    other = await client.add_input(case_ref="26/2000", text="anna sak")
    token = await client.csrf()
    here = "case=26%2F1001&q=buss"
    ticked = ids[:3]

    async def bulk(action: str, **extra: str) -> str:
        response = await client.client.post(
            "/officer/inputs/bulk",
            data=[("csrf_token", token), ("here", here), ("action", action)]
            + [("id", str(i)) for i in ticked]
            + list(extra.items()),
            allow_redirects=False,
        )
        assert response.status == 303, await response.text()
        location = response.headers["Location"]
        query = parse_qs(urlsplit(location).query)
        assert query["case"] == ["26/1001"] and query["q"] == ["buss"], location
        assert "tag" not in query, location  # the notice never becomes a filter
        return await (await client.client.get(location)).text()

    html = await bulk("read")
    assert "3 innspel er merka som lesne." in html
    assert [(await _get(client, i)).status for i in ids] == ["read", "read", "read", "new"]
    html = await bulk("unread")
    assert "3 innspel er merka som ulesne." in html
    assert {(await _get(client, i)).status for i in ticked} == {"new"}
    html = await bulk("tag", tag="  Buss   og trafikk ")
    assert "3 innspel har fått merkelappen «Buss og trafikk»." in html
    kari = await _officer_id(client, "kari")
    html = await bulk("assign", officer_id=str(kari))
    assert "3 innspel er tildelte kari." in html
    assert {(await _get(client, i)).assigned_to for i in ticked} == {kari}
    refused = await bulk("hide", reason=" ")
    assert "Skriv kvifor innspelet skal skjulast." in refused
    html = await bulk("hide", reason="spam")
    assert "3 innspel er skjulte." in html
    assert (await _get(client, ids[3])).status == "new"
    assert (await _get(client, other)).status == "new"
    async with client.sessionmaker() as db:
        tags = (await db.scalars(select(InputTag))).all()
        actions = (await db.scalars(select(AuditEvent.action))).all()
    assert sorted(t.input_id for t in tags) == sorted(ticked)
    assert {t.tag for t in tags} == {"Buss og trafikk"} and {t.case_ref for t in tags} == {
        "26/1001"
    }
    assert {"bulk_read", "bulk_unread", "bulk_tag", "bulk_assign", "bulk_hide"} <= set(actions)


async def test_bulk_without_ticks_says_so(logged_in: LoggedIn) -> None:
    """Pressing a bulk button with nothing ticked changes nothing and explains why."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    token = await client.csrf()
    response = await client.client.post(
        "/officer/inputs/bulk", data={"csrf_token": token, "action": "read", "here": ""}
    )
    assert "Du har ikkje valt noko innspel" in await response.text()
    odd = await client.client.post(
        "/officer/inputs/bulk",
        data={"csrf_token": token, "action": "read", "here": "case=1\r\nSet-Cookie: x=1"},
        allow_redirects=False,
    )
    location = odd.headers["Location"]
    assert location.startswith("/officer/inputs?case=1%0D%0ASet-Cookie") and "\n" not in location
    assert "set-cookie" not in {name.lower() for name in odd.headers}
    assert (await _get(client, input_id)).status == "new"
    refused = await client.client.post(
        "/officer/inputs/bulk", data={"action": "read", "id": str(input_id)}
    )
    assert refused.status == 403  # CSRF as everywhere


async def test_multi_choice_age_reply_assigned_and_tag_filters(logged_in: LoggedIn) -> None:
    """Several age groups at once; wants/waiting for an answer; Mine; one tag."""
    client = await logged_in("ola")
    now = utcnow()
    young = await client.add_input(age_group="under 13", created_at=now, wants_reply=True)
    teen = await client.add_input(age_group="16-17", created_at=now - timedelta(minutes=1))
    adult = await client.add_input(age_group="18-25", created_at=now - timedelta(minutes=2))
    unknown = await client.add_input(age_group=None, created_at=now - timedelta(minutes=3))
    answered = await client.add_input(
        wants_reply=True, status="answered", answer="Ja", created_at=now - timedelta(minutes=4)
    )
    ola = await _officer_id(client, "ola")
    async with client.sessionmaker.begin() as db:
        (await db.get(Input, teen)).assigned_to = ola  # type: ignore[union-attr]
        db.add(InputTag(input_id=adult, tag="Lys", case_ref="26/1001", created_by="ola"))

    async def shown(query: str) -> list[int]:
        return _row_ids(await (await client.client.get("/officer/inputs?" + query)).text())

    assert await shown("age_group=under+13&age_group=16-17") == [young, teen]
    assert await shown("age_group=under+13,16-17,none") == [young, teen, unknown]
    assert await shown("reply=wants") == [young, answered]
    assert await shown("reply=waiting") == [young]
    assert await shown("assigned=me") == [teen]
    assert await shown(f"assigned={ola}") == [teen]
    assert len(await shown("assigned=none")) == 4
    assert await shown("tag=Lys") == [adult]
    html = await (
        await client.client.get("/officer/inputs?age_group=16-17&age_group=under+13")
    ).text()
    assert re.search(r'value="under 13"\s+checked', html) and re.search(
        r'value="16-17"\s+checked', html
    )
    assert "<strong>Ventar</strong>" in html or "Ventar" in html


async def test_search_words_are_marked_and_escaped(logged_in: LoggedIn) -> None:
    """Every search term is wrapped in <mark> in the list; the citizen's HTML stays text."""
    client = await logged_in("ola")
    await client.add_input(text="Skulebussen <b>går</b> for sjeldan, Buss!")
    html = await (await client.client.get("/officer/inputs?q=buss")).text()
    assert "Skule<mark>buss</mark>en &lt;b&gt;går&lt;/b&gt; for sjeldan, <mark>Buss</mark>!" in html


async def test_input_page_keeps_the_filter_and_goes_to_the_next_unread(
    logged_in: LoggedIn,
) -> None:
    """Rows link with back=<filter>; back, actions and next unread keep it; 'mark read
    and next' opens the next new input in the same filter."""
    client = await logged_in("ola")
    now = utcnow()
    first = await client.add_input(text="a", created_at=now)
    read = await client.add_input(text="b", status="read", created_at=now - timedelta(minutes=1))
    second = await client.add_input(text="c", created_at=now - timedelta(minutes=2))
    elsewhere = await client.add_input(case_ref="26/9", text="d", created_at=now)
    inbox = await (await client.client.get("/officer/inputs?case=26%2F1001")).text()
    back = quote("case=26%2F1001", safe="")
    assert f'href="/officer/inputs/{first}?back={back}"' in inbox
    page = await (await client.client.get(f"/officer/inputs/{first}?back={back}")).text()
    assert 'href="/officer/inputs?case=26%2F1001"' in page
    assert f'href="/officer/inputs/{second}?back={back}" id="next-unread"' in page
    token = await client.csrf()
    response = await client.client.post(
        f"/officer/inputs/{first}/read",
        data={"csrf_token": token, "back": "case=26%2F1001", "then": "next"},
        allow_redirects=False,
    )
    assert response.headers["Location"] == f"/officer/inputs/{second}?back={back}&done=read"
    response = await client.client.post(
        f"/officer/inputs/{second}/read",
        data={"csrf_token": token, "back": "case=26%2F1001", "then": "next"},
    )
    assert "Ingen fleire ulesne innspel i filteret." in await response.text()
    assert (await _get(client, elsewhere)).status == "new"
    unread = await client.client.post(
        f"/officer/inputs/{read}/unread", data={"csrf_token": token}, allow_redirects=False
    )
    assert unread.status == 303 and (await _get(client, read)).status == "new"


async def test_notes_are_a_list_with_author_and_time(logged_in: LoggedIn) -> None:
    """Two officers add notes; both stay, each with its author; an empty note is refused."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    url = f"/officer/inputs/{input_id}"
    await client.client.post(
        url + "/note", data={"csrf_token": await client.csrf(), "note": "Først"}
    )
    await client.client.post("/officer/logout", data={"csrf_token": await client.csrf()})
    await client.login("kari")
    token = await client.csrf()
    empty = await client.client.post(url + "/note", data={"csrf_token": token, "note": "  "})
    assert empty.status == 400 and "Skriv noko i notatet først." in await empty.text()
    await client.client.post(url + "/note", data={"csrf_token": token, "note": "Så"})
    html = await (await client.client.get(url)).text()
    notes = re.findall(
        r'<p class="meta">(\w+), [\d.]+ [\d:]+</p><p class="note-text">(\w+)</p>', html
    )
    assert notes == [("ola", "Først"), ("kari", "Så")]
    async with client.sessionmaker() as db:
        assert len((await db.scalars(select(InputNote))).all()) == 2


async def test_tags_assignment_and_malform_on_the_input_page(logged_in: LoggedIn) -> None:
    """Tags are made on first use and offered on the case; assignment and a corrected
    målform are stored and audited; the answer templates follow the målform."""
    client = await logged_in("ola")
    input_id = await client.add_input(malform="nb", case_title="Ny skatepark")
    other = await client.add_input()
    token = await client.csrf()
    url = f"/officer/inputs/{input_id}"
    await client.client.post(url + "/tags", data={"csrf_token": token, "tag": "Lys"})
    await client.client.post(url + "/tags", data={"csrf_token": token, "tag": "Lys"})
    page = await (await client.client.get(f"/officer/inputs/{other}")).text()
    assert '<option value="Lys">' in page  # offered on the same case
    html = await (await client.client.get(url)).text()
    assert "Innbyggjaren skreiv Bokmål – svar på bokmål." in html
    assert "Takk for at du sa din mening om «Ny skatepark»." in html  # bokmål template
    kari = await _officer_id(client, "kari")
    await client.client.post(url + "/assign", data={"csrf_token": token, "officer_id": str(kari)})
    bad = await client.client.post(url + "/assign", data={"csrf_token": token, "officer_id": "999"})
    assert bad.status == 400
    fixed = await client.client.post(url + "/malform", data={"csrf_token": token, "malform": "nn"})
    assert "Målforma er retta." in await fixed.text()
    item = await _get(client, input_id)
    assert (item.assigned_to, item.malform) == (kari, "nn")
    html = await (await client.client.get(url)).text()
    assert "Takk for at du sa meininga di om «Ny skatepark»." in html
    await client.client.post(url + "/untag", data={"csrf_token": token, "tag": "Lys"})
    async with client.sessionmaker() as db:
        assert (await db.scalars(select(InputTag))).all() == []
        actions = set((await db.scalars(select(AuditEvent.action))).all())
    assert {"tag", "untag", "assign", "set_malform"} <= actions


async def test_answer_is_shown_for_confirmation_before_it_is_sent(logged_in: LoggedIn) -> None:
    """The first press shows the answer; only 'Ja, send svaret' (confirmed=1) sends it."""
    client = await logged_in("ola")
    input_id = await client.add_input(malform="nb")
    token = await client.csrf()
    url = f"/officer/inputs/{input_id}/answer"
    preview = await client.client.post(url, data={"csrf_token": token, "answer": "Takk <b>!</b>"})
    html = await preview.text()
    assert preview.status == 200 and "Vil du sende dette svaret?" in html
    assert 'id="answer-preview">Takk &lt;b&gt;!&lt;/b&gt;</blockquote>' in html
    assert (await _get(client, input_id)).answer is None
    async with client.sessionmaker() as db:
        assert (await db.scalars(select(OutboundMessage))).all() == []
    sent = await client.client.post(
        url, data={"csrf_token": token, "answer": "Takk <b>!</b>", "confirmed": "1"}
    )
    assert "Svaret er lagra" in await sent.text()
    assert (await _get(client, input_id)).answer == "Takk <b>!</b>"


async def test_case_list_is_searchable_with_counts_and_the_report_counts_tags(
    logged_in: LoggedIn,
) -> None:
    """The report index lists cases with input, new and waiting counts, and searches them."""
    client = await logged_in("ola")
    a = await client.add_input(case_ref="26/1001", case_title="Ny skatepark", wants_reply=True)
    await client.add_input(case_ref="26/1001", case_title="Ny skatepark", status="read")
    await client.add_input(case_ref="26/1001", status="hidden", hidden_reason="spam")
    await client.add_input(case_ref="26/2002", case_title="Bussruter", committee="Formannskapet")
    html = await (await client.client.get("/officer/report")).text()
    assert "2 saker" in html
    row = re.search(r"26/1001 Ny skatepark</a></td>.*?</tr>", html, re.S)
    assert row is not None
    assert re.findall(r'class="num">(\d+)</td>', row.group(0)) == ["2", "1", "1"]
    found = await (await client.client.get("/officer/report?q=buss")).text()
    assert "1 saker" in found and "Bussruter" in found and "Ny skatepark" not in found
    by_committee = await (await client.client.get("/officer/report?q=formannskap")).text()
    assert "Bussruter" in by_committee
    token = await client.csrf()
    await client.client.post(f"/officer/inputs/{a}/tags", data={"csrf_token": token, "tag": "Lys"})
    report = await (await client.client.get("/officer/report?case=26%2F1001")).text()
    assert re.search(r'id="report-tags">.*<th scope="row">Lys</th><td>1</td>', report, re.S)


async def test_tags_and_notes_go_with_the_input_when_it_is_deleted(logged_in: LoggedIn) -> None:
    """A citizen's "delete my data" removes their input's tags and notes too."""
    client = await logged_in("ola")
    input_id = await client.add_input(sender_key="d" * 64)
    token = await client.csrf()
    url = f"/officer/inputs/{input_id}"
    await client.client.post(url + "/tags", data={"csrf_token": token, "tag": "Lys"})
    await client.client.post(url + "/note", data={"csrf_token": token, "note": "Notat"})
    async with client.sessionmaker.begin() as db:
        await inputs_repo.delete_sender_data(db, "d" * 64)
    async with client.sessionmaker() as db:
        assert (await db.scalars(select(InputTag))).all() == []
        assert (await db.scalars(select(InputNote))).all() == []
