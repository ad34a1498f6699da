"""One way to run a gateway background task for the app's lifetime.

Inside a `cleanup_ctx` generator: `async with background_task(loop(), "name"): yield`.
The task starts on entry; on exit it is cancelled and awaited, so shutdown never leaves it
running.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any

__all__ = ["background_task"]


@contextlib.asynccontextmanager
async def background_task(work: Coroutine[Any, Any, None], name: str) -> AsyncIterator[None]:
    """Run `work` as a named task while the block runs; cancel and await it afterwards."""
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
