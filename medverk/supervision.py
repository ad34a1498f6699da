"""Keep every process of a stack running: restart the one that died, with backoff.

A process that exits unexpectedly is started again after a delay that doubles
with each quick death (1 s, 2 s, 4 s … up to 30 s) and starts from 1 s again
once the process has stayed up for a minute. The other processes never stop
because one died: while the engine or the action server is away, the gateway
answers kindly and `/healthz` names the part that is down.

The supervisor is a thread, so `make run` (the main thread waits for Ctrl-C)
and the tests' `running_stack` (the main thread runs the tests) share it.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["Backoff", "Supervisor"]

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5


@dataclass
class Backoff:
    """Delay before the next restart of one process."""

    first: float = 1.0
    limit: float = 30.0
    # A process that stayed up this long was healthy: its next death starts at `first`.
    stable_after: float = 60.0
    _next: float = field(default=0.0, init=False)

    def delay(self, uptime: float) -> float:
        """The wait before restarting a process that was up for `uptime` seconds."""
        if uptime >= self.stable_after or self._next == 0.0:
            self._next = self.first
        else:
            self._next = min(self.limit, self._next * 2)
        return self._next


@dataclass
class _Watched:
    backoff: Backoff = field(default_factory=Backoff)
    started_at: float = field(default_factory=time.monotonic)
    restart_at: float | None = None
    restarts: int = 0


class Supervisor(threading.Thread):
    """Watches `processes()` and calls `restart(name)` for each one that died."""

    def __init__(
        self,
        processes: Callable[[], Mapping[str, subprocess.Popen[bytes]]],
        restart: Callable[[str], None],
        report: Callable[[str], None] = print,
    ) -> None:
        super().__init__(name="medverk-supervisor", daemon=True)
        self._processes = processes
        self._restart = restart
        self._report = report
        self._stopping = threading.Event()
        self._watched: dict[str, _Watched] = {}
        self._lock = threading.Lock()

    def restarts(self) -> dict[str, int]:
        """How many times each process was restarted so far."""
        with self._lock:
            return {name: watched.restarts for name, watched in self._watched.items()}

    def stop(self) -> None:
        """Stop watching (before the stack stops its processes on purpose)."""
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=5)

    def run(self) -> None:
        # Plain sleeps, not Event.wait(timeout): the loop then needs no timed condition
        # wait, which libfaketime (the date tests) can hold forever.
        while not self._stopping.is_set():
            time.sleep(POLL_SECONDS)
            if not self._stopping.is_set():
                self.check_once()

    def check_once(self) -> None:
        """One look at every process: schedule or perform the restarts due."""
        now = time.monotonic()
        for name, process in list(self._processes().items()):
            with self._lock:
                watched = self._watched.setdefault(name, _Watched())
            if process.poll() is None:
                continue
            if watched.restart_at is None:
                delay = watched.backoff.delay(now - watched.started_at)
                watched.restart_at = now + delay
                self._report(
                    f"{name} stopped unexpectedly (exit {process.returncode}); "
                    f"restarting in {delay:.0f} s, the other parts keep running."
                )
                continue
            if now < watched.restart_at or self._stopping.is_set():
                continue
            try:
                self._restart(name)
            except OSError as exc:
                watched.restart_at = now + watched.backoff.delay(0.0)
                self._report(f"{name} could not be started again ({exc}); trying later.")
                continue
            with self._lock:
                watched.restarts += 1
                watched.started_at = time.monotonic()
                watched.restart_at = None
            self._report(f"{name} started again (restart {watched.restarts}).")
