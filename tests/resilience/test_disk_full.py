"""The disk is full for logs: the action server and gateway keep answering and storing.

Each is started again with its output on /dev/full (every write fails with
ENOSPC, as on a full disk); logging must never take a process down.
"""

from __future__ import annotations

import subprocess

import aiohttp
import pytest
from stack_chat import Chat, kill, stored_inputs, wait_for_cases, wait_healthy

from medverk.runner import PROJECT_ROOT, Stack

pytestmark = pytest.mark.stack


def _restart_logging_to_dev_full(stack: Stack, name: str) -> subprocess.Popen[bytes]:
    kill(stack, name)
    with open("/dev/full", "wb") as full:
        process = subprocess.Popen(
            stack.commands[name],
            cwd=PROJECT_ROOT,
            env=stack.env(),
            stdout=full,
            stderr=full,
            start_new_session=True,
        )
    stack.processes[name] = process
    return process


async def test_full_disk_for_logs_loses_no_input(stack: Stack) -> None:
    """Logs cannot be written: a whole input form still works and the row is stored."""
    settings = stack.settings()
    await wait_for_cases(settings)
    processes = [_restart_logging_to_dev_full(stack, name) for name in ("actions", "gateway")]
    await wait_healthy(stack.gateway_url, timeout=60)
    sender = "resil-diskfull-0001"
    text = "Gratis buss gjer at eg kan vere med på trening utan at foreldra mine må køyre"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        assert "Kva vil du seie" in await chat.text("eg vil gi innspel på sak 26/411")
        assert "Kor gammal er du?" in await chat.text(text)
        assert "Vil du ha svar" in await chat.text("eg er 16")
        assert "Skal eg sende" in await chat.text("nei takk")
        assert "har lagra innspelet" in await chat.text("ja")
        # A message that fails and logs a warning (404 on the case) is logged to the full disk too.
        assert await chat.text("kva med sak 99/99999?")
    assert all(process.poll() is None for process in processes)
    [row] = await stored_inputs(settings, f"web:{sender}")
    assert row.text == text
