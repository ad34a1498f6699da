"""Start every Medverk process (action server, Rasa engine, gateway) and stop them together.

`python -m medverk.runner` is what `make run` calls: migrations, then the three
processes, waits until each is healthy, prints the demo URL, restarts a
process that dies (with backoff, the others keep running; medverk.supervision)
and on Ctrl-C stops them all. `--test-ports -- CMD ...` starts the same stack on free ports
with a throw-away `var/` directory, runs CMD against it (MEDVERK_TEST_BASE_URL
tells CMD where the gateway is) and returns CMD's exit code. `--cluster` (`make run-cluster`)
starts two engines behind HAProxy instead (medverk.cluster).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from medverk.files import private_files
from medverk.settings import PROJECT_ROOT, Settings, load_settings
from medverk.stack_secrets import internal_tokens
from medverk.supervision import Supervisor

__all__ = ["Stack", "StackPorts", "free_port", "running_stack"]

RASA_PYTHON = PROJECT_ROOT / ".venv" / "rasa" / "bin" / "python"
APP_PYTHON = PROJECT_ROOT / ".venv" / "app" / "bin" / "python"
READY_TIMEOUT_SECONDS = 240


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class StackPorts:
    """Where each process listens."""

    rasa: int = 5005
    actions: int = 5055
    gateway: int = 8080

    @classmethod
    def free(cls) -> StackPorts:
        return cls(rasa=free_port(), actions=free_port(), gateway=free_port())


@dataclass
class Stack:
    """The three processes of a running Medverk, started and stopped together."""

    ports: StackPorts
    var_dir: Path
    model: Path | None = None
    gateway_host: str = "0.0.0.0"
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    def env(self) -> dict[str, str]:
        """Environment shared by all processes (telemetry always off)."""
        env = dict(os.environ)
        env.setdefault("MEDVERK_DATABASE_URL", f"sqlite:///{self.var_dir / 'medverk.db'}")
        env.update(
            {
                "RASA_TELEMETRY_ENABLED": "false",
                "MEDVERK_VAR_DIR": str(self.var_dir),
                "MEDVERK_RASA_URL": self.rasa_url,
                "MEDVERK_ACTION_SERVER_URL": self.action_server_url,
                "MEDVERK_RASA_TRACKER_DB": str(self.var_dir / "rasa_tracker.db"),
                "MEDVERK_PORT": str(self.ports.gateway),
                "MEDVERK_HOST": self.gateway_host,
                "PYTHONPATH": str(PROJECT_ROOT),
                # rasa-sdk binds 0.0.0.0 unless told; the action server stays on loopback.
                "SANIC_HOST": "127.0.0.1",
            }
        )
        env.update(internal_tokens(env))
        env.setdefault("MEDVERK_PUBLIC_URL", self.gateway_url)
        env.update(self.extra_env)
        return env

    def settings(self) -> Settings:
        """The settings every process of this stack runs with."""
        return load_settings(self.env())

    def _rasa_token(self) -> str:
        return self.settings().rasa_api_token

    def _spawn(self, name: str, args: list[str]) -> None:
        self.commands[name] = args
        with open(self.var_dir / f"{name}.log", "ab") as log:
            # The child keeps its own copy of the descriptor; ours can close now.
            self.processes[name] = subprocess.Popen(  # noqa: S603 - fixed argument lists
                args,
                cwd=PROJECT_ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        """Migrate the database, then start action server, Rasa and gateway."""
        private_files(self.var_dir)
        env = self.env()
        subprocess.run(  # noqa: S603
            [str(APP_PYTHON), "-m", "medverk.cli", "db", "upgrade"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
        )
        # Cases in the store before the first question; a dead source is not fatal
        # (the gateway's scheduled sync tries again, and answers say how old data is).
        subprocess.run(  # noqa: S603
            [str(APP_PYTHON), "-m", "medverk.cli", "cases", "sync"],
            cwd=PROJECT_ROOT,
            env=env,
            check=False,
        )
        self._spawn(
            "actions",
            [
                str(APP_PYTHON),
                "-m",
                "medverk.action_server",
                "--actions",
                "actions",
                "--port",
                str(self.ports.actions),
            ],
        )
        model = str(self.model or PROJECT_ROOT / "models")
        self._spawn(
            "rasa",
            [
                *_rasa_cli(self.env()),
                "run",
                "--model",
                model,
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.ports.rasa),
                "--enable-api",
                # The auth token comes from MEDVERK_RASA_AUTH_TOKEN, not argv (F12).
            ],
        )
        self._spawn("gateway", [str(APP_PYTHON), "-m", "bot"])

    def restart(self, name: str) -> None:
        """Start process `name` again with the command it was first started with."""
        self._spawn(name, self.commands[name])

    def supervise(self) -> Supervisor:
        """A started supervisor that restarts any process of this stack that dies."""
        supervisor = Supervisor(
            lambda: dict(self.processes), self.restart, lambda line: print(line, flush=True)
        )
        supervisor.start()
        return supervisor

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Block until Rasa has a model, the action server and gateway answer."""
        deadline = time.monotonic() + timeout
        checks = {
            "actions": f"{self.action_server_url}/health",
            "rasa": f"{self.rasa_url}/status?token={self._rasa_token()}",
            "gateway": f"{self.gateway_url}/healthz",
        }
        pending = dict(checks)
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    log = self.var_dir / f"{name}.log"
                    raise RuntimeError(f"{name} stopped (exit {process.returncode}); see {log}")
                if _answers_ok(url):
                    del pending[name]
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop every process: SIGTERM to its group, SIGKILL after 15 s."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _rasa_cli(env: dict[str, str]) -> list[str]:
    """`rasa` via our launcher (it adds the auth token from the environment, F12).

    MEDVERK_RASA_CLI=stock (the benchmark's before/after comparison) makes the launcher
    run plain Rasa, without its two changes; `env` is the environment the launcher gets.
    """
    del env
    return [str(RASA_PYTHON), "-m", "medverk.rasa_launcher"]


def trained_model() -> Path | None:
    """The model the tests use (MEDVERK_TEST_MODEL, else models/), or None when untrained."""
    model = Path(os.environ.get("MEDVERK_TEST_MODEL", PROJECT_ROOT / "models"))
    if not model.exists() or (model.is_dir() and not any(model.glob("*.tar.gz"))):
        return None
    return model


def _answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, TimeoutError):
        return False


@contextmanager
def running_stack(
    var_dir: Path | None = None, model: Path | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """A whole stack on free ports, ready to use; stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="medverk-stack-") as tmp:
        stack = Stack(
            ports=StackPorts.free(),
            var_dir=var_dir or Path(tmp),
            model=model,
            gateway_host="127.0.0.1",
            extra_env=extra_env or {},
        )
        supervisor: Supervisor | None = None
        try:
            stack.start()
            stack.wait_ready()
            supervisor = stack.supervise()
            yield stack
        finally:
            if supervisor is not None:
                supervisor.stop()
            stack.stop()


def _serve_forever(stack: Stack) -> int:
    stopping = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    stack.start()
    supervisor: Supervisor | None = None
    try:
        print("Starting Medverk (the Rasa engine needs up to a minute) ...", flush=True)
        stack.wait_ready()
        print(
            f"\nMedverk is ready: {stack.gateway_url}/  (demo page with the chat widget)\n"
            f"  officer app: {stack.gateway_url}/officer/   health: {stack.gateway_url}/healthz\n"
            f"  logs: {stack.var_dir}/*.log   Stop with Ctrl-C.\n",
            flush=True,
        )
        supervisor = stack.supervise()
        while not stopping:
            time.sleep(0.5)
        return 0
    finally:
        print("Stopping Medverk ...", flush=True)
        if supervisor is not None:
            supervisor.stop()
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of `make run` and of the browser tests."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test-ports", action="store_true", help="free ports and a temp var dir")
    parser.add_argument(
        "--cluster", action="store_true", help="two engines behind HAProxy (medverk.cluster)"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD to run against the stack")
    args = parser.parse_args(argv)
    command = [part for part in args.command if part != "--"]
    if args.test_ports:
        with running_stack() as stack:
            env = dict(
                os.environ,
                MEDVERK_TEST_BASE_URL=stack.gateway_url,
                **{
                    "MEDVERK_TEST_VAR_DIR": str(stack.var_dir),
                    "MEDVERK_DATABASE_URL": stack.env()["MEDVERK_DATABASE_URL"],
                    "MEDVERK_VAR_DIR": str(stack.var_dir),
                },
            )
            if not command:
                print(f"stack ready at {stack.gateway_url}; nothing to run")
                return 0
            return subprocess.run(command, env=env, cwd=PROJECT_ROOT).returncode  # noqa: S603
    if args.cluster:
        from medverk.cluster import cluster_from_environment

        return _serve_forever(cluster_from_environment())
    return _serve_forever(stack_from_environment())


def stack_from_environment() -> Stack:
    """The stack `make run` starts: ports, var dir and the gateway's MEDVERK_HOST (F8)."""
    ports = StackPorts(
        rasa=int(os.environ.get("MEDVERK_RASA_PORT", 5005)),
        actions=int(os.environ.get("MEDVERK_ACTION_SERVER_PORT", 5055)),
        gateway=int(os.environ.get("MEDVERK_PORT", 8080)),
    )
    var_dir = Path(os.environ.get("MEDVERK_VAR_DIR", PROJECT_ROOT / "var"))
    host = os.environ.get("MEDVERK_HOST", "0.0.0.0")
    return Stack(ports=ports, var_dir=var_dir, gateway_host=host)


if __name__ == "__main__":
    sys.exit(main())
