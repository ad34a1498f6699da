"""The eInnsyn HTTP source against a local stand-in that speaks the OpenAPI schemas."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from conftest import SAMPLE
from einnsyn_standin import SchemaCheck, StandinState

from medverk.cases.einnsyn import EinnsynCaseSource
from medverk.cases.sources import CaseSourceDataError, CaseSourceUnavailable, FileCaseSource

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


def source(server: TestServer, http: aiohttp.ClientSession, **kwargs: Any) -> EinnsynCaseSource:
    options: dict[str, Any] = {"page_size": 4, "backoff_seconds": 0.01, "timeout_seconds": 1.0}
    options.update(kwargs)
    api_key = options.pop("api_key", "test-key")
    return EinnsynCaseSource(http, str(server.make_url("")), api_key, **options)


async def test_pages_through_every_meeting_with_the_api_key(
    standin: TestServer,
    standin_state: StandinState,
    schema_check: SchemaCheck,
    http: aiohttp.ClientSession,
) -> None:
    """Four meetings a page: every meeting and item arrives, cursor and key on each request."""
    batch = await source(standin, http).fetch()
    file_batch = await FileCaseSource(SAMPLE.parent).fetch()
    assert len(batch.meetings) == 15
    assert sorted(i.case_ref for i in batch.items) == sorted(i.case_ref for i in file_batch.items)
    requests = standin_state.requests
    assert len(requests) == 4  # 15 meetings, 4 a page
    assert all(r.headers["API-KEY"] == "test-key" for r in requests)
    assert "startingAfter" not in requests[0].query
    cursors = [r.query["startingAfter"] for r in requests[1:]]
    assert cursors == [batch.meetings[i].id for i in (3, 7, 11)]
    assert all(r.query["limit"] == "4" for r in requests)
    assert schema_check.checked >= 4


async def test_agenda_items_given_as_ids_are_fetched_per_meeting(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """When meetings list their agenda items as ids, the items are fetched and expanded."""
    standin_state.items_as_ids = True
    batch = await source(standin, http).fetch()
    assert len(batch.items) == 31
    paths = {r.path for r in standin_state.requests}
    assert any(path.endswith("/moetesak") for path in paths)
    culture = next(i for i in batch.items if i.case_ref == "2024/1187")
    assert (
        culture.hearing_deadline is not None
        and culture.hearing_deadline.isoformat() == "2026-12-15"
    )
    assert culture.recommendation and culture.recommendation.startswith("Kommunedirektøren")


async def test_a_slow_answer_times_out_and_is_retried(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """A first answer slower than the timeout is abandoned; the retry succeeds."""
    standin_state.slow_requests = 1
    standin_state.slow_seconds = 1.0
    started = time.perf_counter()
    batch = await source(standin, http, timeout_seconds=0.3, page_size=100).fetch()
    assert len(batch.items) == 31
    assert len(standin_state.requests) == 2
    assert time.perf_counter() - started < 1.5


async def test_a_source_that_stays_slow_is_unavailable(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """Every attempt timing out ends in CaseSourceUnavailable, after the allowed attempts."""
    standin_state.slow_requests = 10
    standin_state.slow_seconds = 1.0
    with pytest.raises(CaseSourceUnavailable, match="Timeout"):
        await source(standin, http, timeout_seconds=0.2, attempts=2).fetch()
    assert len(standin_state.requests) == 2


async def test_server_errors_are_retried_with_backoff(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """Two 500s, then an answer: the source waits longer each time and then succeeds."""
    standin_state.fail_requests = 2
    started = time.perf_counter()
    batch = await source(standin, http, page_size=100, backoff_seconds=0.1).fetch()
    assert len(batch.items) == 31
    assert len(standin_state.requests) == 3
    assert time.perf_counter() - started >= 0.1 + 0.2


async def test_a_500_on_every_attempt_is_unavailable(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """A server that keeps failing gives CaseSourceUnavailable naming the status."""
    standin_state.fail_requests = 3
    with pytest.raises(CaseSourceUnavailable, match="HTTP 500"):
        await source(standin, http).fetch()
    assert len(standin_state.requests) == 3


async def test_malformed_json_is_a_data_error(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """A body that is not JSON raises CaseSourceDataError (a ValueError), not a crash."""
    standin_state.malformed_requests = 1
    with pytest.raises(CaseSourceDataError, match="malformed JSON") as caught:
        await source(standin, http).fetch()
    assert isinstance(caught.value, ValueError)


async def test_a_wrong_api_key_is_not_retried(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """401 is final: one request, CaseSourceUnavailable."""
    with pytest.raises(CaseSourceUnavailable, match="HTTP 401"):
        await source(standin, http, api_key="wrong").fetch()
    assert len(standin_state.requests) == 1


async def test_old_meetings_stop_the_paging(
    standin: TestServer, standin_state: StandinState, http: aiohttp.ClientSession
) -> None:
    """Meetings older than the history window end the listing (newest come first)."""
    batch = await source(standin, http, history_days=30).fetch()
    assert {m.meeting_date.date().isoformat() for m in batch.meetings} >= {"2027-03-18"}
    assert min(m.meeting_date for m in batch.meetings).date().isoformat() >= "2026-10-29"
    assert len(standin_state.requests) < 4


async def test_a_dead_source_is_unavailable(http: aiohttp.ClientSession) -> None:
    """Nothing listening: CaseSourceUnavailable after the retries, quickly."""
    dead = EinnsynCaseSource(http, "http://127.0.0.1:9", "k", attempts=2, backoff_seconds=0.01)
    with pytest.raises(CaseSourceUnavailable):
        await asyncio.wait_for(dead.fetch(), 10)


def test_the_sample_file_is_valid_einnsyn(schema_check: SchemaCheck) -> None:
    """The shipped sample is a valid eInnsyn list body, marked as sample."""
    import json

    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert document["sample"] is True
    assert schema_check.errors("/moetemappe", {"items": document["items"]}) == []


def test_the_schema_check_catches_a_broken_item(schema_check: SchemaCheck) -> None:
    """The validator is not a rubber stamp: a Moetemappe without moetedato fails."""
    import json

    meeting = json.loads(SAMPLE.read_text(encoding="utf-8"))["items"][0]
    del meeting["moetedato"]
    assert schema_check.errors("/moetemappe", {"items": [meeting]}) != []
