"""Load benchmark (`make bench-load`): Medverk next to stock Rasa, same machine, same run.

Targets, one after another, each started fresh and stopped after its run:

- `medverk`: the whole stack (gateway `/api/chat`, engine via `medverk.rasa_launcher`,
  action server, SQLite store), chat limits raised by settings;
- `medverk-stock-cli` (full mode): the same, the engine started by the plain `rasa` CLI
  (Rasa's per-response `jsonschema.validate`), to measure the launcher;
- `default-config`: Rasa's default config trained on Medverk's data, plain `rasa` CLI,
  with Medverk's action server and gateway;
- `moodbot`: `rasa init --no-prompt` (trained), plain `rasa run`, its REST channel;
- `cluster`: `make run-cluster`'s layout (two engines behind HAProxy, Redis lock store,
  PostgreSQL tracker store and store, two action servers; bench/load_cluster.py).

Two modes (`--modes`, both by default): `closed`, closed-loop users (no think time: what
the stack can serve; the msg/s ratios come from it), and `class`, a class of pupils
typing (3-8 s of think time before each message, seeded; `--class-users`, default 20 50
100): the latencies a pupil sees, which the latency targets are about.

For each user count: msg/s, p50/p95/p99, errors, inputs confirmed vs stored, peak RSS of
each process (VmHWM). For Medverk also cost growth: message 5 vs 200 of one conversation,
and 10 vs N stored conversations (rows written straight into the tracker store).
Writes everything to JSON (default var/bench-load/result.json).

    .venv/app/bin/python bench/load.py --quick        # a few minutes
    .venv/app/bin/python bench/load.py                # 1, 20, 50, 100 users, 60 s each
    .venv/app/bin/python bench/load.py --users 2 --seconds 10 --targets medverk --stored 100
    .venv/app/bin/python bench/load.py --targets medverk cluster --modes closed class
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import aiohttp

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.load_cluster import bench_cluster, stored_inputs_postgres  # noqa: E402
from bench.load_engines import (  # noqa: E402 - after the path set-up above
    BENCH_DIR,
    default_config_model,
    moodbot_engine,
    peak_rss_mb,
    seed_tracker_conversations,
    stored_inputs,
)
from bench.load_users import (  # noqa: E402
    Target,
    gateway_target,
    play_class,
    play_long_conversation,
    play_users,
    rasa_rest_target,
    summarise,
)
from medverk.runner import Stack, StackPorts  # noqa: E402

UNLIMITED = {"MEDVERK_CHAT_LIMIT_PER_SENDER": "1000000", "MEDVERK_CHAT_LIMIT_PER_IP": "1000000"}
PROBE = ["hei", "kva saker er på høyring no?", "kva er ungdomsrådet?", "takk"]


# A loaded 2-core machine needs more than the runner's 240 s to load a model.
READY_SECONDS = 900


def _bench_stack(var_dir: Path, model: Path, env: dict[str, str]) -> Stack:
    return Stack(
        ports=StackPorts.free(),
        var_dir=var_dir,
        model=model,
        gateway_host="127.0.0.1",
        extra_env=env,
    )


@contextmanager
def _stack(stack: Stack, name: str) -> Iterator[Stack]:
    try:
        stack.start()
        stack.wait_ready(READY_SECONDS)
        yield stack
    finally:
        stack.stop()
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for log in stack.var_dir.glob("*.log"):  # kept for a look after the run
            shutil.copy(log, BENCH_DIR / f"{name}-{log.name}")


def _ms(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[len(ordered) // 2] * 1000, 1)


async def _probe(stack: Stack, tag: str) -> float:
    """Median latency of 10 fresh short conversations, one after another."""
    target = gateway_target("probe", stack.gateway_url)
    latencies: list[float] = []
    for n in range(10):
        sender = f"probe-{tag}-{n:03d}"
        async with aiohttp.ClientSession() as session:
            for message in PROBE:
                started = asyncio.get_running_loop().time()
                async with session.post(target.url, json={"sender": sender, "message": message}):
                    pass
                latencies.append(asyncio.get_running_loop().time() - started)
    return _ms(latencies)


async def _loads(target: Target, args: argparse.Namespace, out: dict[str, Any]) -> None:
    """The closed-loop loads (`loads`) and the class loads (`class_loads`) into `out`."""
    out["loads"], out["class_loads"] = [], []
    if "closed" in args.modes:
        for count in args.users:
            result = await play_users(target, count, args.seconds)
            out["loads"].append({"users": count, **summarise(result)})
            print(f"  {count:>3} users, closed loop: {_line(out['loads'][-1])}", flush=True)
    if "class" in args.modes:
        for count in args.class_users:
            result = await play_class(target, count, args.class_seconds, tuple(args.think))
            out["class_loads"].append({"users": count, **summarise(result)})
            print(f"  {count:>3} pupils, class:       {_line(out['class_loads'][-1])}", flush=True)


def _line(row: dict[str, Any]) -> str:
    return (
        f"{row['msg_per_s']:>6} msg/s  p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
        f"p99 {row['p99_ms']:>7} ms  errors {row['errors']}  confirmed {row['inputs_confirmed']}"
    )


async def _measure(name: str, stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    """Every load on a running stack (the growth probes for `medverk` only)."""
    settings = stack.settings()
    counter = stored_inputs_postgres if name == "cluster" else stored_inputs
    await play_users(gateway_target(name, stack.gateway_url), 1, 3)  # warm-up
    out: dict[str, Any] = {"target": name}
    growth = name == "medverk" and args.stored > 0
    if growth:
        seed_tracker_conversations(settings.rasa_tracker_db, 10, "few")
        out["probe_10_stored_ms"] = await _probe(stack, "few")
    before = await asyncio.to_thread(counter, settings.database_url)
    target = gateway_target(name, stack.gateway_url)
    await _loads(target, args, out)
    out["inputs_stored"] = await asyncio.to_thread(counter, settings.database_url) - before
    out["inputs_confirmed"] = sum(
        row["inputs_confirmed"] for row in out["loads"] + out["class_loads"]
    )
    if name == "medverk" and args.long > 0:
        lat = await play_long_conversation(target, "bench-long-0001", args.long)
        out["message_5_ms"] = _ms(lat[2:7])
        out[f"message_{args.long}_ms"] = _ms(lat[-5:])
        out["long_ratio"] = round(out[f"message_{args.long}_ms"] / out["message_5_ms"], 2)
    if growth:
        seed_tracker_conversations(settings.rasa_tracker_db, args.stored, "many")
        out[f"probe_{args.stored}_stored_ms"] = await _probe(stack, "many")
        out["stored_ratio"] = round(
            out[f"probe_{args.stored}_stored_ms"] / out["probe_10_stored_ms"], 2
        )
    out["peak_rss_mb"] = {p: peak_rss_mb(proc.pid) for p, proc in stack.processes.items()}
    out["peak_rss_mb"]["total"] = round(sum(out["peak_rss_mb"].values()), 1)
    print(f"  inputs confirmed {out['inputs_confirmed']}, stored {out['inputs_stored']}")
    print(f"  peak RSS MB {out['peak_rss_mb']}", flush=True)
    return out


async def run_stack_target(
    name: str, model: Path, args: argparse.Namespace, stock_cli: bool
) -> dict[str, Any]:
    env = dict(UNLIMITED)
    if stock_cli:
        env["MEDVERK_RASA_CLI"] = "stock"
    print(f"== {name} (starting the stack)", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="medverk-bench-") as var_dir,
        _stack(_bench_stack(Path(var_dir), model, env), name) as stack,
    ):
        return await _measure(name, stack, args)


async def run_cluster(args: argparse.Namespace) -> dict[str, Any]:
    """The same loads through `make run-cluster`'s layout (started in a thread: it uses
    `asyncio.run` for its databases)."""
    print("== cluster (two engines, HAProxy, Redis lock store, PostgreSQL)", flush=True)
    with ExitStack() as stop:
        enter = stop.enter_context
        cluster = await asyncio.to_thread(enter, bench_cluster(args.model, dict(UNLIMITED)))
        try:
            return await _measure("cluster", cluster, args)
        finally:
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            for log in cluster.var_dir.glob("*.log"):
                shutil.copy(log, BENCH_DIR / f"cluster-{log.name}")
            await asyncio.to_thread(stop.close)


async def run_moodbot(args: argparse.Namespace) -> dict[str, Any]:
    print("== moodbot (rasa init, plain rasa run, REST)", flush=True)
    with moodbot_engine() as (url, process):
        await play_users(rasa_rest_target("moodbot", url), 1, 3)  # warm-up
        out: dict[str, Any] = {"target": "moodbot"}
        target = rasa_rest_target("moodbot", url)
        await _loads(target, args, out)
        out["peak_rss_mb"] = {"rasa": peak_rss_mb(process.pid)}
    return out


def ratios(results: dict[str, dict[str, Any]], ours_name: str = "medverk") -> dict[str, Any]:
    """`ours_name`'s closed-loop msg/s over each other target's, per user count."""
    ours = {row["users"]: row for row in results[ours_name]["loads"]}
    table: dict[str, Any] = {}
    for name, other in results.items():
        if name == ours_name:
            continue
        for row in other["loads"]:
            if row["users"] in ours and row["msg_per_s"]:
                ratio = round(ours[row["users"]]["msg_per_s"] / row["msg_per_s"], 2)
                table.setdefault(name, {})[str(row["users"])] = ratio
    return table


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, dict[str, Any]] = {}
    report: dict[str, Any] = {"users": args.users, "seconds": args.seconds, "results": results}
    for name in args.targets:
        try:
            await _run_target(name, args, results)
        except (RuntimeError, TimeoutError, OSError) as exc:
            print(f"  {name} failed: {exc}", flush=True)
            results[name] = {"target": name, "failed": str(exc), "loads": []}
        _write(args.json, report)  # what is measured so far survives a later failure
    if "medverk" in results and results["medverk"]["loads"]:
        report["medverk_throughput_ratio"] = ratios(results)
    if "cluster" in results and results["cluster"]["loads"]:
        report["cluster_throughput_ratio"] = ratios(results, "cluster")
    return report


def _write(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))


async def _run_target(name: str, args: argparse.Namespace, results: dict[str, Any]) -> None:
    if name == "medverk":
        results[name] = await run_stack_target(name, args.model, args, stock_cli=False)
    elif name == "medverk-stock-cli":
        results[name] = await run_stack_target(name, args.model, args, stock_cli=True)
    elif name == "default-config":
        model = args.default_config_model or default_config_model()
        results[name] = await run_stack_target(name, model, args, stock_cli=True)
    elif name == "moodbot":
        results[name] = await run_moodbot(args)
    elif name == "cluster":
        results[name] = await run_cluster(args)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 and 50 users, 20 s each")
    parser.add_argument("--users", type=int, nargs="+")
    parser.add_argument("--seconds", type=float)
    parser.add_argument(
        "--targets",
        nargs="+",
        choices=["medverk", "medverk-stock-cli", "default-config", "moodbot", "cluster"],
    )
    parser.add_argument("--modes", nargs="+", choices=["closed", "class"], default=None)
    parser.add_argument("--class-users", type=int, nargs="+", help="pupils (class mode)")
    parser.add_argument("--class-seconds", type=float, help="default: --seconds")
    parser.add_argument(
        "--think", type=float, nargs=2, default=[3.0, 8.0], help="class mode: min max s"
    )
    parser.add_argument("--stored", type=int, default=100_000, help="seeded conversations")
    parser.add_argument("--long", type=int, default=200, help="messages of the long conversation")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models")
    parser.add_argument(
        "--default-config-model",
        type=Path,
        help="an already trained default-config model (else trained and cached here); "
        "its inference cost does not depend on the epochs it was trained for",
    )
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "var/bench-load/result.json")
    parser.add_argument("--check", action="store_true", help="exit 1 on errors or lost inputs")
    args = parser.parse_args(argv)
    args.users = args.users or ([20, 50] if args.quick else [1, 20, 50, 100])
    args.seconds = args.seconds or (20.0 if args.quick else 60.0)
    args.modes = args.modes or ["closed", "class"]
    args.class_users = args.class_users or [20, 50, 100]
    args.class_seconds = args.class_seconds or args.seconds
    args.targets = args.targets or (
        ["medverk", "cluster", "default-config", "moodbot"]
        if args.quick
        else ["medverk", "cluster", "medverk-stock-cli", "default-config", "moodbot"]
    )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = asyncio.run(main_async(args))
    _write(args.json, report)
    if "medverk_throughput_ratio" in report:
        print("Medverk msg/s ÷ other:", json.dumps(report["medverk_throughput_ratio"]))
    if "cluster_throughput_ratio" in report:
        print("cluster msg/s ÷ other:", json.dumps(report["cluster_throughput_ratio"]))
    print(f"written: {args.json}")
    return 1 if args.check and failures(report) else 0


def failures(report: dict[str, Any]) -> list[str]:
    """Errors, or confirmed inputs not stored exactly once, in Medverk's own runs."""
    found = []
    for name, result in report["results"].items():
        if not name.startswith("medverk") and name != "cluster":
            continue
        if "failed" in result:
            found.append(f"{name}: the run failed: {result['failed']}")
            continue
        errors = sum(row["errors"] for row in result["loads"] + result.get("class_loads", []))
        if errors:
            found.append(f"{name}: {errors} errors")
        if result["inputs_confirmed"] != result["inputs_stored"]:
            found.append(
                f"{name}: {result['inputs_confirmed']} confirmed, {result['inputs_stored']} stored"
            )
    for line in found:
        print("FAILED", line)
    return found


if __name__ == "__main__":
    sys.exit(main())
