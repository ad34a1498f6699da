"""A local stand-in for the eInnsyn API (aiohttp), serving the sample data.

Every body it sends is validated against the response schema of the eInnsyn
OpenAPI spec for that path, so the HTTP source is tested against what the
real API may send. Failure modes are switched on per test: a slow answer, a
500, malformed JSON, agenda items only as ids (so the client must fetch them).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openapi_schema_validator as osv
import yaml
from aiohttp import web

SPEC_PATH = Path(__file__).parent / "einnsyn" / "einnsyn.openapi.yml"


def load_spec() -> dict[str, Any]:
    """The eInnsyn OpenAPI spec kept with the tests."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


class SchemaCheck:
    """Validates bodies against the spec's 200 response schemas."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.checked = 0

    def response_schema(self, path: str) -> dict[str, Any]:
        operation = self.spec["paths"][path]["get"]
        return operation["responses"]["200"]["content"]["application/json"]["schema"]

    def errors(self, path: str, body: Any) -> list[str]:
        schema = {"components": self.spec["components"], **self.response_schema(path)}
        validator = osv.OAS30ReadValidator(schema)
        return [error.message for error in validator.iter_errors(body)]

    def check(self, path: str, body: Any) -> None:
        errors = self.errors(path, body)
        if errors:
            raise AssertionError(
                f"stand-in body for {path} breaks the eInnsyn schema: {errors[:3]}"
            )
        self.checked += 1


@dataclass
class StandinState:
    """What the stand-in does next, and what it has seen."""

    api_key: str = "test-key"
    items_as_ids: bool = False
    slow_requests: int = 0
    slow_seconds: float = 2.0
    fail_requests: int = 0
    malformed_requests: int = 0
    requests: list[web.Request] = field(default_factory=list)


def _page(items: list[dict[str, Any]], request: web.Request, path: str) -> dict[str, Any]:
    limit = int(request.query.get("limit", "25"))
    if not 1 <= limit <= 100:
        raise web.HTTPBadRequest(text="limit must be 1..100")
    start = 0
    cursor = request.query.get("startingAfter")
    if cursor:
        ids = [item["id"] for item in items]
        if cursor not in ids:
            raise web.HTTPBadRequest(text="unknown startingAfter")
        start = ids.index(cursor) + 1
    chunk = items[start : start + limit]
    body: dict[str, Any] = {"items": chunk}
    if start + limit < len(items) and chunk:
        body["next"] = str(
            request.url.with_path(path).update_query(startingAfter=chunk[-1]["id"], limit=limit)
        )
    return body


def create_standin(sample: Path, state: StandinState, schema: SchemaCheck) -> web.Application:
    """The stand-in app: `GET /moetemappe`, `GET /moetemappe/{id}/moetesak`."""
    document = json.loads(sample.read_text(encoding="utf-8"))
    meetings = sorted(document["items"], key=lambda m: m["moetedato"], reverse=True)
    by_id = {meeting["id"]: meeting for meeting in meetings}

    @web.middleware
    async def faults(request: web.Request, handler: Any) -> web.StreamResponse:
        state.requests.append(request)
        if request.headers.get("API-KEY") != state.api_key:
            return web.json_response({"error": "invalid API key"}, status=401)
        if state.slow_requests > 0:
            state.slow_requests -= 1
            await asyncio.sleep(state.slow_seconds)
        if state.fail_requests > 0:
            state.fail_requests -= 1
            return web.json_response({"error": "internal"}, status=500)
        if state.malformed_requests > 0:
            state.malformed_requests -= 1
            return web.Response(
                text='{"items": [{"entity": "Moetemappe", ', content_type="application/json"
            )
        return await handler(request)

    async def list_meetings(request: web.Request) -> web.Response:
        expand = request.query.get("expand", "").split(",")
        shaped = []
        for meeting in meetings:
            copy = dict(meeting)
            if state.items_as_ids or "moetesak" not in expand:
                copy["moetesak"] = [sak["id"] for sak in meeting["moetesak"]]
            shaped.append(copy)
        body = _page(shaped, request, "/moetemappe")
        schema.check("/moetemappe", body)
        return web.json_response(body)

    async def list_items(request: web.Request) -> web.Response:
        meeting = by_id.get(request.match_info["id"])
        if meeting is None:
            raise web.HTTPNotFound()
        body = _page(meeting["moetesak"], request, request.path)
        schema.check("/moetemappe/{id}/moetesak", body)
        return web.json_response(body)

    app = web.Application(middlewares=[faults])
    app.router.add_get("/moetemappe", list_meetings)
    app.router.add_get("/moetemappe/{id}/moetesak", list_items)
    return app
