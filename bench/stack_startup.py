"""Benchmark: time from start to ready, memory of each process, chat latency.

Run: `PYTHONPATH=. .venv/app/bin/python bench/stack_startup.py [--messages 50]`.
Starts the whole stack on free ports with the model in models/, like `make run`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from medverk.runner import Stack, StackPorts
from medverk.settings import PROJECT_ROOT

MESSAGES = [
    "hei",
    "kva kan du hjelpe meg med?",
    "hva kan du hjelpe meg med?",
    "kva saker skal opp snart?",
    "ka e ungdomsrådet",
]


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _chat(base: str, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(  # noqa: S310 - our own gateway, http on loopback
        f"{base}/api/chat", data=body, headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        response.read()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="medverk-bench-"))
    stack = Stack(
        ports=StackPorts.free(),
        var_dir=var_dir,
        model=PROJECT_ROOT / "models",
        gateway_host="127.0.0.1",
    )
    started = time.perf_counter()
    stack.start()
    try:
        stack.wait_ready()
        ready = time.perf_counter() - started
        latencies = [
            _chat(stack.gateway_url, f"benchsender{i % 5:03d}", MESSAGES[i % len(MESSAGES)])
            for i in range(args.messages)
        ]
        memory = {name: round(_rss_mib(p.pid), 1) for name, p in stack.processes.items()}
    finally:
        stack.stop()
    latencies.sort()
    print(
        json.dumps(
            {
                "ready_seconds": round(ready, 1),
                "rss_mib": memory,
                "chat_ms": {
                    "p50": round(statistics.median(latencies), 1),
                    "p95": round(latencies[int(len(latencies) * 0.95) - 1], 1),
                    "n": len(latencies),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
