"""The supervisor restarts a process that died, with backoff, and leaves the others alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from medverk.supervision import Backoff, Supervisor


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_backoff_doubles_for_quick_deaths_and_resets_after_a_stable_run() -> None:
    """1, 2, 4 … capped at the limit; a process that stayed up a minute starts from 1 again."""
    backoff = Backoff(first=1, limit=8, stable_after=60)
    assert [backoff.delay(uptime=2) for _ in range(5)] == [1, 2, 4, 8, 8]
    assert backoff.delay(uptime=61) == 1


def test_a_killed_process_is_restarted_and_the_others_keep_running() -> None:
    """SIGKILL one of two processes: it comes back, the other keeps its pid."""
    processes = {"actions": _sleeper(), "rasa": _sleeper()}
    lines: list[str] = []

    def restart(name: str) -> None:
        processes[name] = _sleeper()

    supervisor = Supervisor(lambda: dict(processes), restart, lines.append)
    supervisor.start()
    try:
        first_actions, rasa = processes["actions"], processes["rasa"]
        os.kill(first_actions.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while processes["actions"] is first_actions and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes["actions"] is not first_actions
        assert processes["actions"].poll() is None
        assert rasa.poll() is None and processes["rasa"] is rasa
        assert supervisor.restarts() == {"actions": 1, "rasa": 0}
        assert any("actions stopped unexpectedly (exit -9)" in line for line in lines)
    finally:
        supervisor.stop()
        for process in processes.values():
            process.kill()
            process.wait()


def test_a_process_that_cannot_start_is_tried_again_later() -> None:
    """A restart that raises OSError is scheduled again; the supervisor keeps running."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    processes = {"gateway": dead}
    attempts: list[float] = []

    def restart(name: str) -> None:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise OSError("no such file")
        processes[name] = _sleeper()

    supervisor = Supervisor(lambda: dict(processes), restart, lambda _line: None)
    try:
        deadline = time.monotonic() + 10
        while len(attempts) < 2 and time.monotonic() < deadline:
            supervisor.check_once()
            time.sleep(0.1)
        assert len(attempts) == 2
        assert processes["gateway"].poll() is None
    finally:
        processes["gateway"].kill()
        processes["gateway"].wait()
