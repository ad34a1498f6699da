"""The cluster (medverk/cluster.py): 50 conversations while an engine is killed; Redis stopped.

One cluster for the module: two engines, two action servers, HAProxy and the gateway,
store and tracker on a fresh PostgreSQL database, locks in a Redis the test starts
itself (so it can stop it; the shared one on 6379 is left alone).

- 50 conversations each give input through `/api/chat` (`chat_load.py`: a message sent
  again keeps its `message_id`, so the gateway takes it once) while engine `rasa-1` is
  SIGKILLed and the supervisor starts it again: each conversation's tracker (Rasa's
  tracker API, through HAProxy) holds exactly the messages that were answered, in the
  order sent; every confirmed input is stored once.
- Redis stopped: the person gets the gateway's "try again in a minute" answer (503),
  and the assistant answers again once Redis is back.

MEDVERK_CLUSTER_SECONDS and MEDVERK_CLUSTER_CONVERSATIONS change the size.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from chat_load import Talk, Tally, conversation
from conftest import POSTGRES_URL, _admin
from stack_chat import Chat, kill, stored_inputs, until_answered, wait_for_cases, wait_healthy

from medverk.cluster import Cluster, running_cluster
from medverk.runner import free_port

pytestmark = pytest.mark.stack

SECONDS = float(os.environ.get("MEDVERK_CLUSTER_SECONDS", "45"))
CONVERSATIONS = int(os.environ.get("MEDVERK_CLUSTER_CONVERSATIONS", "50"))
KILL_AT = 12.0
FINISH_SECONDS = 60.0


@pytest.fixture(scope="module")
def redis_port() -> Iterator[tuple[int, list[subprocess.Popen[bytes]]]]:
    """A Redis of the test's own (no snapshots); the list holds the running server."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    servers = [_start_redis(binary, port)]
    yield port, servers
    for server in servers:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)


def _start_redis(binary: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False
        )
        if b"PONG" in probe.stdout:
            return server
        time.sleep(0.2)
    raise AssertionError("redis-server did not start")


@pytest.fixture(scope="module")
def cluster(
    trained_model_path: Path, redis_port: tuple[int, list[subprocess.Popen[bytes]]]
) -> Iterator[Cluster]:
    name = "medverk_cluster_" + uuid.uuid4().hex[:10]
    base = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0]
    try:
        _admin("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    env = {
        "MEDVERK_TODAY": "2026-11-28",
        # The 50 conversations come from one address.
        "MEDVERK_CHAT_LIMIT_PER_IP": "100000",
        "MEDVERK_CHAT_LIMIT_PER_SENDER": "100000",
    }
    try:
        with running_cluster(
            f"{base}/{name}", f"127.0.0.1:{redis_port[0]}", trained_model_path, env
        ) as running:
            yield running
    finally:
        for db in (name, f"{name}_rasa"):
            _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _input_text(index: int, sender: str) -> Callable[[int], str]:
    return lambda form: f"Innspel {index}-{form} {sender}: bussen er for dyr for oss på bygda"


def tracker_user_texts(events: list[dict[str, Any]]) -> list[str]:
    """The user messages a tracker holds, after Rasa's rewinds (UserUtteranceReverted)."""
    texts: list[str] = []
    for event in events:
        if event.get("event") == "user":
            texts.append(str(event.get("text")))
        elif event.get("event") == "rewind" and texts:
            texts.pop()
    return texts


async def _tracker(session: aiohttp.ClientSession, cluster: Cluster, sender: str) -> list[str]:
    url = f"{cluster.rasa_url}/conversations/{quote('web:' + sender, safe='')}/tracker"
    params = {"include_events": "ALL", "token": cluster.settings().rasa_api_token}
    async with session.get(url, params=params) as response:
        assert response.status == 200, await response.text()
        return tracker_user_texts((await response.json())["events"])


def compare(talk: Talk, in_tracker: list[str]) -> tuple[bool, int]:
    """(the tracker matches, extra copies): in order, nothing lost; a message may be there
    twice only when it was sent again after an error (the engine died after saving)."""
    extra = 0
    i = 0
    for text in talk.answered:
        while i < len(in_tracker) and in_tracker[i] != text:
            if in_tracker[i] not in talk.retried:
                return False, extra
            extra += 1
            i += 1
        if i == len(in_tracker):
            return False, extra
        i += 1
    tail = in_tracker[i:]
    return all(text in talk.retried for text in tail), extra + len(tail)


def test_tracker_user_texts_applies_rewinds() -> None:
    events = [{"event": "user", "text": "a"}, {"event": "rewind"}, {"event": "user", "text": "b"}]
    assert tracker_user_texts(events) == ["b"]
    assert compare(Talk("s", answered=["b"]), ["b"]) == (True, 0)
    assert compare(Talk("s", answered=["a", "b"]), ["b", "a"])[0] is False
    assert compare(Talk("s", answered=["a"], retried={"a"}), ["a", "a"]) == (True, 1)


async def test_50_conversations_while_an_engine_is_killed(cluster: Cluster) -> None:
    settings = cluster.settings()
    await wait_for_cases(settings)
    await wait_healthy(cluster.gateway_url)
    before = len(await stored_inputs(settings))
    run = uuid.uuid4().hex[:6]
    talks = [Talk(f"cluster-{run}-{i:03d}") for i in range(CONVERSATIONS)]
    tally = Tally()
    started = time.monotonic()
    stop_at = started + SECONDS

    killed_at: list[float] = []

    async def kill_engine() -> None:
        await asyncio.sleep(KILL_AT)
        kill(cluster, "rasa-1")
        killed_at.append(time.monotonic() - started)

    connector = aiohttp.TCPConnector(limit=CONVERSATIONS + 5)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        await asyncio.gather(
            kill_engine(),
            *(
                conversation(
                    session,
                    cluster.gateway_url,
                    talk,
                    _input_text(i, talk.sender),
                    stop_at,
                    FINISH_SECONDS,
                    tally,
                )
                for i, talk in enumerate(talks)
            ),
        )
        elapsed = time.monotonic() - started
        recovered = await wait_healthy(cluster.gateway_url)
        await _wait_engine_back(cluster)
        trackers = [await _tracker(session, cluster, talk.sender) for talk in talks]
    results = [compare(talk, tracker) for talk, tracker in zip(talks, trackers, strict=True)]
    mismatched = [talk.sender for talk, (ok, _extra) in zip(talks, results, strict=True) if not ok]
    rows = (await stored_inputs(settings))[before:]
    stored = [row.text for row in rows if run in row.text]
    confirmed = [text for talk in talks for text in talk.confirmed]
    duplicates = [t for t, n in collections.Counter(stored).items() if n > 1]
    numbers = {
        "conversations": CONVERSATIONS,
        "seconds": round(elapsed),
        "engine_killed_at_s": [round(at) for at in killed_at],
        "turns": tally.turns,
        "turns_answered": sum(len(talk.answered) for talk in talks),
        "status_counts": dict(tally.statuses),
        "unexpected_replies": tally.unexpected,
        "unexpected_samples": tally.unexpected_samples,
        "trackers_matching": CONVERSATIONS - len(mismatched),
        "retried_turns_saved_twice": sum(extra for _ok, extra in results),
        "inputs_confirmed": len(confirmed),
        "inputs_stored": len(stored),
        "duplicates": len(duplicates),
        "restarts": cluster_restarts(cluster),
        "healthy_after_s": round(recovered, 1),
    }
    print("cluster under load with an engine killed:", json.dumps(numbers))
    assert len(killed_at) == 1
    assert numbers["restarts"] == {"rasa-1": 1}, numbers
    assert not mismatched, (mismatched[:3], numbers)
    assert not duplicates
    assert set(confirmed) <= set(stored), numbers
    assert len(stored) - len(confirmed) <= max(1, len(stored) * 3 // 100), numbers
    assert confirmed


def cluster_restarts(cluster: Cluster) -> dict[str, int]:
    supervisor = cluster.supervisor
    return {k: v for k, v in supervisor.restarts().items() if v} if supervisor else {}


async def _wait_engine_back(cluster: Cluster, timeout: float = 120) -> None:
    """Both engines answer again (the killed one restarted by the supervisor)."""
    port = cluster.cluster_ports.engines[0]
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(f"http://127.0.0.1:{port}/") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
    raise AssertionError("the killed engine did not come back")


async def test_redis_stopped_gives_a_clear_answer_and_recovers(
    cluster: Cluster, redis_port: tuple[int, list[subprocess.Popen[bytes]]]
) -> None:
    port, servers = redis_port
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        chat = Chat(session, cluster.gateway_url, f"redis-{uuid.uuid4().hex[:8]}")
        assert await until_answered(chat, "hei", timeout=60)
        servers[0].terminate()
        servers[0].wait(timeout=10)
        status, body = await chat.post("kva er ei høyring?")
        # The failed turn saved nothing: the person sends it again.
        assert status == 503, body
        assert body["messages"][0]["text"].startswith("Eg får ikkje svara akkurat no")
        servers[0] = _start_redis(shutil.which("redis-server") or "redis-server", port)
        started = time.monotonic()
        reply = await until_answered(chat, "kva er ei høyring?", timeout=60)
        print(f"redis back: answered again after {time.monotonic() - started:.1f} s")
        assert reply
