"""One way to run a gateway background task, and one way to stop it.

- For the app's lifetime, inside a `cleanup_ctx` generator:
  `async with background_task(loop(), "name"): yield`. The task starts on entry; on exit
  it is cancelled and awaited, so shutdown never leaves it running. The same works for
  any block ("typing…" while a reply is made).
- A task started on demand (the held-message retry loop) is stopped with
  `await cancel_and_wait(task)`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any

__all__ = ["background_task", "cancel_and_wait"]


@contextlib.asynccontextmanager
async def background_task(work: Coroutine[Any, Any, None], name: str) -> AsyncIterator[None]:
    """Run `work` as a named task while the block runs; cancel and await it afterwards."""
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        await cancel_and_wait(task)


async def cancel_and_wait(task: asyncio.Task[Any] | None) -> None:
    """Cancel `task` (if any) and wait until it has stopped."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
