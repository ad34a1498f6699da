"""The eInnsyn HTTP API as a case source (aiohttp): paging, timeouts, retries, API key.

Lists a municipality's meetings (`GET /moetemappe`, newest first, cursor
paging with `limit`/`startingAfter`) back to `history_days` ago, and each
meeting's agenda items with their recommendation and decision expanded
(`GET /moetemappe/{id}/moetesak`) when the meeting does not carry them.
Failures raise the errors of `medverk.cases.sources`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

import aiohttp

from medverk.cases.einnsyn_format import CaseFormatError, item_record, meeting_record
from medverk.cases.records import CaseBatch, MeetingRecord
from medverk.cases.sources import CaseSourceDataError, CaseSourceUnavailable
from medverk.clock import today as local_today

__all__ = ["EinnsynCaseSource"]

log = logging.getLogger(__name__)

_ITEM_EXPAND = "innstilling,vedtak,vedtak.vedtakstekst"
_MEETING_EXPAND = "moetesak,moetesak.innstilling,moetesak.vedtak,moetesak.vedtak.vedtakstekst"
# Statuses worth another try: rate limiting and server-side trouble.
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class EinnsynCaseSource:
    """Meetings and agenda items of one municipality from the eInnsyn API."""

    name = "einnsyn"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_key: str,
        *,
        journalenhet: str = "",
        municipality: str = "",
        page_size: int = 100,
        history_days: int = 120,
        max_pages: int = 200,
        timeout_seconds: float = 10.0,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.journalenhet = journalenhet
        self.municipality = municipality
        self.page_size = max(1, min(page_size, 100))
        self.history_days = history_days
        self.max_pages = max_pages
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self.attempts = max(1, attempts)
        self.backoff_seconds = backoff_seconds

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["API-KEY"] = self.api_key
        return headers

    async def _get_json(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """GET with a timeout, retrying connection errors and 429/5xx with backoff."""
        url = f"{self.base_url}{path}"
        last_error = ""
        for attempt in range(1, self.attempts + 1):
            try:
                async with self.session.get(
                    url, params=params, headers=self._headers(), timeout=self.timeout
                ) as response:
                    if response.status in _RETRY_STATUSES:
                        last_error = f"HTTP {response.status} from {path}"
                    elif response.status >= 400:
                        raise CaseSourceUnavailable(f"HTTP {response.status} from {path}")
                    else:
                        try:
                            body = await response.json(content_type=None)
                        except ValueError as exc:
                            raise CaseSourceDataError(f"{path} answered malformed JSON") from exc
                        if not isinstance(body, dict):
                            raise CaseSourceDataError(f"{path} answered {type(body).__name__}")
                        return body
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                last_error = f"{type(exc).__name__} on {path}: {exc}".strip()
            if attempt < self.attempts:
                delay = self.backoff_seconds * 2 ** (attempt - 1)
                # Jitter keeps several replicas from retrying in lockstep.
                await asyncio.sleep(delay * (1 + random.random() / 4))  # noqa: S311
                log.info("eInnsyn retry %d/%d after %s", attempt, self.attempts - 1, last_error)
        raise CaseSourceUnavailable(last_error or f"no answer from {path}")

    async def _pages(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        """Every page of a list endpoint (cursor: the last item's id)."""
        return [item async for item in self._iter_pages(path, params)]

    async def _iter_pages(self, path: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
        cursor: str | None = None
        for _ in range(self.max_pages):
            query = {**params, "limit": str(self.page_size)}
            if cursor:
                query["startingAfter"] = cursor
            body = await self._get_json(path, query)
            items = body.get("items")
            if not isinstance(items, list):
                raise CaseSourceDataError(f"{path} answered without an 'items' list")
            for item in items:
                yield item
            last = items[-1] if items else None
            cursor = last if isinstance(last, str) else (last or {}).get("id")
            if not body.get("next") or not items or not cursor:
                return
        log.warning("eInnsyn paging stopped after %d pages of %s", self.max_pages, path)

    def _cutoff(self) -> datetime:
        start: date = local_today() - timedelta(days=self.history_days)
        return datetime(start.year, start.month, start.day, tzinfo=timezone.utc)

    async def fetch(self) -> CaseBatch:
        """Meetings from `history_days` ago onwards (newest first) with their agenda items."""
        params = {"expand": _MEETING_EXPAND, "sortOrder": "desc"}
        if self.journalenhet:
            params["journalenhet"] = self.journalenhet
        cutoff = self._cutoff()
        raw: list[tuple[dict[str, Any], list[Any]]] = []
        async for obj in self._iter_pages("/moetemappe", params):
            if not isinstance(obj, dict) or obj.get("deleted") is True:
                continue
            meeting = self._meeting(obj)
            if meeting.meeting_date < cutoff:
                break
            saker = obj.get("moetesak")
            if not isinstance(saker, list) or any(not isinstance(sak, dict) for sak in saker):
                path = f"/moetemappe/{meeting.id}/moetesak"
                saker = await self._pages(path, {"expand": _ITEM_EXPAND})
            raw.append((obj, saker))
        # Parsing runs the lemmatizer: off the event loop, so the gateway stays responsive.
        return await asyncio.to_thread(self._parse, raw)

    def _meeting(self, obj: dict[str, Any]) -> MeetingRecord:
        try:
            return meeting_record(obj, self._municipality(obj))
        except CaseFormatError as exc:
            raise CaseSourceDataError(str(exc)) from exc

    def _parse(self, raw: list[tuple[dict[str, Any], list[Any]]]) -> CaseBatch:
        batch = CaseBatch()
        for obj, saker in raw:
            meeting = self._meeting(obj)
            batch.meetings.append(meeting)
            for sak in saker:
                if not isinstance(sak, dict) or sak.get("deleted") is True:
                    continue
                try:
                    item = item_record(sak, meeting, meeting.municipality, is_sample=False)
                except CaseFormatError as exc:
                    raise CaseSourceDataError(str(exc)) from exc
                if item is not None:
                    batch.items.append(item)
        return batch

    def _municipality(self, obj: dict[str, Any]) -> str:
        enhet = obj.get("journalenhet")
        if isinstance(enhet, dict):
            name = enhet.get("navnNynorsk") or enhet.get("navn")
            if isinstance(name, str) and name:
                return name
        return self.municipality
