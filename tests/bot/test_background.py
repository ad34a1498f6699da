"""bot/background.py: a background task runs while its block runs and is stopped after it."""

from __future__ import annotations

import asyncio

from bot.background import background_task, cancel_and_wait


async def test_the_task_runs_in_the_block_and_is_cancelled_and_awaited_after() -> None:
    ticks: list[int] = []
    stopped = asyncio.Event()

    async def loop() -> None:
        try:
            while True:
                ticks.append(1)
                await asyncio.sleep(0)
        finally:
            stopped.set()

    async with background_task(loop(), "test-loop"):
        for _ in range(5):
            await asyncio.sleep(0)
        assert ticks
        assert any(task.get_name() == "test-loop" for task in asyncio.all_tasks())
    assert stopped.is_set()
    assert not any(task.get_name() == "test-loop" for task in asyncio.all_tasks())


async def test_cancel_and_wait_stops_a_task_and_accepts_none() -> None:
    task = asyncio.create_task(asyncio.sleep(60))
    await cancel_and_wait(task)
    assert task.cancelled()
    await cancel_and_wait(None)
