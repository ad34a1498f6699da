"""Abuse flag and demo mark in the inbox: shown beside the text, and a filter for the flag."""

from __future__ import annotations

import re
from datetime import timedelta

from medverk.clock import utcnow
from tests.bot.officer.support import LoggedIn


def _row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/officer/inputs/(\d+)[?"]', html)]


async def test_abuse_flag_filter_and_demo_mark(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    now = utcnow()
    rude = await client.add_input(text="Du er ein idiot", abuse_flag=True, created_at=now)
    demo = await client.add_input(demo=True, created_at=now - timedelta(minutes=1))
    plain = await client.add_input(created_at=now - timedelta(minutes=2))

    html = await (await client.client.get("/officer/inputs")).text()
    assert _row_ids(html) == [rude, demo, plain]
    assert html.count('class="badge badge-abuse">Mogleg krenkjande<') == 1
    assert html.count('class="badge badge-demo">Demo<') == 1
    assert 'id="f-abuse" name="abuse" value="1" >' in html

    flagged = await (await client.client.get("/officer/inputs?abuse=1")).text()
    assert _row_ids(flagged) == [rude]
    assert 'name="abuse" value="1" checked' in flagged
    assert "Berre moglege krenkjande" in flagged
