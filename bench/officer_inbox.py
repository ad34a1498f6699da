"""Benchmark: the officer inbox with 100,000 inputs in the store.

Run: `PYTHONPATH=. .venv/app/bin/python bench/officer_inbox.py [--inputs 100000]
[--database-url postgresql://postgres@127.0.0.1:5432/test]`.

Fills a fresh database (a temporary SQLite file by default; for PostgreSQL a
throw-away database) with fictional demo input, then times what one inbox page
load does (counts per status + the page of rows), over HTTP through the real
gateway (login, session, audit write, template), for typical filters. Prints
median and 95th percentile in milliseconds, and the CSV export of everything.
Then times bulk actions on 50 ticked inputs (mark read, tag, assign: the POST and
the filtered inbox page it returns to, as the browser does it), and the
dashboards (overall and one committee). Then times the free-text search itself
(`medverk.officers.inbox.search`: counts per status plus one page, straight on
the database) for typical queries.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

BENCH_PASSWORD = "benk-lampe-fjord-sykkel"  # noqa: S105 - a throw-away benchmark account
QUERIES = {
    "newest page (no filter)": "",
    "page 200": "page=200",
    "one case": "case={case}",
    "committee + status new": "committee={committee}&status=new",
    "målform nb + telegram": "malform=nb&channel=telegram",
    "age group 13-15": "age_group=13-15",
    "last 30 days": "from={month_ago}",
    "free text 'skatepark'": "q=skatepark",
    "free text 'buss' (part of words)": "q=buss",
    "free text, no hit": "q=zzzxq",
    "everything incl. hidden": "status=all",
}


# Free-text searches timed on the database alone: (label, InboxFilter.from_query arguments).
SEARCHES = {
    "'skatepark'": {"q": "skatepark"},
    "'buss' (part of words)": {"q": "buss"},
    "'for' (in 4 of 10 inputs)": {"q": "for"},
    "'BUSSEN kvelden' (two words)": {"q": "BUSSEN kvelden"},
    "'grøntområde' (æøå)": {"q": "grøntområde"},
    "'\"eg synest\"' (quoted)": {"q": '"eg synest"'},
    "'skatepark' + case + status new": {"q": "skatepark", "case": "{case}", "status": "new"},
    "'skatepark', page 20": {"q": "skatepark", "page": "20"},
    "'skatepark', incl. hidden": {"q": "skatepark", "status": "all"},
    "'zzzxq' (no hit)": {"q": "zzzxq"},
    "'om' (2 letters: no index)": {"q": "om"},
}


def _percentiles(timings: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of some timings."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


async def _time_searches(database_url: str, repeat: int, case: str) -> None:
    """p50/p95 of `search()` (counts + one page of 50) for each of SEARCHES."""
    from medverk.officers.inbox import InboxFilter, search
    from medverk.store.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    print(f"{'search() on the database':36} {'median ms':>10} {'p95 ms':>8} {'rows':>8}")
    for name, query in SEARCHES.items():
        inbox_filter = InboxFilter.from_query(
            {key: value.format(case=case) for key, value in query.items()}
        )
        timings = []
        total = 0
        for _ in range(repeat):
            async with sessionmaker() as db:
                t0 = time.perf_counter()
                result = await search(db, inbox_filter)
                timings.append((time.perf_counter() - t0) * 1000)
                total = result.total
        median, p95 = _percentiles(timings)
        print(f"{name:36} {median:10.1f} {p95:8.1f} {total:>8}")
    await engine.dispose()


# Bulk actions timed on 50 ticked inputs: (label, inbox query the form came from, extra fields).
BULK = {
    "mark 50 read (status new)": ("status=new", {"action": "read"}),
    "mark 50 unread (status read)": ("status=read", {"action": "unread"}),
    "tag 50 'benk' (one case)": ("case={case}", {"action": "tag", "tag": "benk"}),
    "assign 50 to a colleague": ("", {"action": "assign", "officer_id": "{colleague}"}),
}


async def _colleague_id(database_url: str) -> int:
    """The id of a second officer to assign input to (made on first run)."""
    from medverk.officers import accounts
    from medverk.store import officer_repo
    from medverk.store.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    async with create_sessionmaker(engine).begin() as db:
        found = await officer_repo.get_officer_by_username(db, "bench2")
        if found is None:
            found = await accounts.create_officer(db, username="bench2", password=BENCH_PASSWORD)
        colleague = found.id
    await engine.dispose()
    return colleague


async def _time_bulk(client: TestClient, repeat: int, colleague: int) -> None:
    """p50/p95 of a bulk action on 50 inputs: POST plus the inbox page it redirects to."""
    print(f"{'bulk action, 50 ticked (POST+page)':36} {'median ms':>10} {'p95 ms':>8} {'done':>8}")
    for name, (here, fields) in BULK.items():
        here = here.format(case="26/1001")
        timings = []
        done = ""
        for round_ in range(repeat):
            # A fresh page of 50 each round (page 1 empties as "new" ones are read).
            page = await client.get(f"/officer/inputs?{here}&page={round_ + 2}")
            html = await page.text()
            ids = re.findall(r'name="id" value="(\d+)" form="bulk"', html)[:50]
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
            assert csrf is not None and len(ids) == 50, (name, len(ids))
            data = [("csrf_token", csrf.group(1)), ("here", here)]
            data += [("id", i) for i in ids]
            data += [(k, v.format(colleague=colleague)) for k, v in fields.items()]
            t0 = time.perf_counter()
            response = await client.post("/officer/inputs/bulk", data=data)
            body = await response.text()
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status == 200, (name, response.status)
            notice = re.search(r'class="notice"[^>]*>([^<]+)<', body)
            count = re.search(r"\d+", notice.group(1)) if notice else None
            done = count.group(0) if count else "?"
        median, p95 = _percentiles(timings)
        print(f"{name:36} {median:10.1f} {p95:8.1f} {done:>8}")


async def _time_dashboards(client: TestClient, repeat: int, committee: str) -> None:
    """p50/p95 of the dashboard pages (all committees, and one)."""
    from urllib.parse import quote

    print(f"{'dashboard page':36} {'median ms':>10} {'p95 ms':>8}")
    for name, url in {
        "overall": "/officer/dashboard",
        "one committee": "/officer/dashboard?committee=" + quote(committee),
    }.items():
        timings = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = await client.get(url)
            await response.read()
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status == 200, (url, response.status)
        median, p95 = _percentiles(timings)
        print(f"{name:36} {median:10.1f} {p95:8.1f}")


def _admin_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _postgres_database(url: str) -> tuple[str, str]:
    """A throw-away database next to the one in `url`; returns (its URL, its name)."""
    import asyncpg

    name = "bench_" + uuid.uuid4().hex[:8]

    async def create() -> None:
        conn = await asyncpg.connect(_admin_dsn(url))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    asyncio.run(create())
    return url.rsplit("/", 1)[0] + "/" + name, name


def _drop_database(url: str, name: str) -> None:
    import asyncpg

    async def drop() -> None:
        conn = await asyncpg.connect(_admin_dsn(url))
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.close()

    asyncio.run(drop())


async def _run(database_url: str, inputs: int, repeat: int, var_dir: Path) -> None:
    os.environ["MEDVERK_VAR_DIR"] = str(var_dir)
    os.environ["MEDVERK_DATABASE_URL"] = database_url
    from bot.app import create_app
    from medverk.clock import today
    from medverk.officers import accounts
    from medverk.officers.demo import insert_demo_inputs
    from medverk.settings import load_settings
    from medverk.store import officer_repo
    from medverk.store.db import create_engine, create_sessionmaker
    from medverk.store.migrate import upgrade_head
    from medverk.store.models import Input

    settings = load_settings()
    await asyncio.to_thread(upgrade_head, settings.database_url)
    engine = create_engine(settings.database_url)
    started = time.perf_counter()
    async with create_sessionmaker(engine).begin() as db:
        existing = await db.scalar(select(func.count()).select_from(Input))
        if not existing:
            await insert_demo_inputs(db, inputs, secret="bench")  # noqa: S106 - demo key
        if await officer_repo.get_officer_by_username(db, "bench") is None:
            await accounts.create_officer(db, username="bench", password=BENCH_PASSWORD)
    seeded = time.perf_counter() - started
    print(f"{existing or inputs} inputs ({database_url.split(':')[0]}), set up in {seeded:.1f} s")
    from sqlalchemy import text

    # The state autovacuum keeps a live PostgreSQL in: statistics, and the trigram
    # index's pending list (where a bulk load leaves new rows) merged in.
    # VACUUM cannot run in a transaction.
    steady_state = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(steady_state))
    await engine.dispose()

    async with TestClient(TestServer(create_app(settings))) as client:
        page = await client.get("/officer/login")
        token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
        assert token is not None
        login = await client.post(
            "/officer/login",
            data={"login_token": token.group(1), "username": "bench", "password": BENCH_PASSWORD},
            allow_redirects=False,
        )
        assert login.status == 303, login.status
        values = {
            "case": "26/1001",
            "committee": "Demo: Ungdomsrådet",
            "month_ago": (today().toordinal() - 30),
        }
        from datetime import date

        values["month_ago"] = date.fromordinal(int(values["month_ago"])).isoformat()  # type: ignore[arg-type]
        print(f"{'inbox query':32} {'median ms':>10} {'p95 ms':>8} {'rows':>8}")
        for name, query in QUERIES.items():
            url = "/officer/inputs?" + query.format(**values)
            timings = []
            total = ""
            for _ in range(repeat):
                t0 = time.perf_counter()
                response = await client.get(url)
                html = await response.text()
                timings.append((time.perf_counter() - t0) * 1000)
                assert response.status == 200, (url, response.status)
            match = re.search(r"(\d+) innspel passar", html)
            total = match.group(1) if match else "?"
            median, p95 = _percentiles(timings)
            print(f"{name:32} {median:10.1f} {p95:8.1f} {total:>8}")
        colleague = await _colleague_id(database_url)
        await _time_bulk(client, repeat, colleague)
        await _time_dashboards(client, repeat, values["committee"])
        t0 = time.perf_counter()
        response = await client.get("/officer/inputs.csv?status=all")
        body = await response.read()
        print(
            f"CSV export of all {inputs} rows: {time.perf_counter() - t0:.2f} s, "
            f"{len(body) / 1e6:.1f} MB"
        )
        t0 = time.perf_counter()
        response = await client.get("/officer/report?case=" + values["case"])
        report = await response.text()
        shown = re.search(r'id="report-total">(\d+)<', report)
        print(
            f"report for one case ({shown.group(1) if shown else '?'} inputs): "
            f"{time.perf_counter() - t0:.2f} s, {len(report) / 1e6:.1f} MB of HTML"
        )
        t0 = time.perf_counter()
        response = await client.get("/officer/api/inputs?per_page=100")
        await response.read()
        print(f"JSON API page of 100: {(time.perf_counter() - t0) * 1000:.1f} ms")
    await _time_searches(database_url, max(repeat, 20), values["case"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument(
        "--sqlite-file", default="", help="keep the SQLite database here and reuse it next time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medverk-bench-") as tmp:
        if args.database_url:
            from medverk.settings import async_database_url

            admin_url = async_database_url(args.database_url)
            url, name = _postgres_database(admin_url)
            try:
                asyncio.run(_run(url, args.inputs, args.repeat, Path(tmp)))
            finally:
                _drop_database(admin_url, name)
        else:
            path = Path(args.sqlite_file) if args.sqlite_file else Path(tmp) / "bench.db"
            url = f"sqlite+aiosqlite:///{path.resolve()}"
            asyncio.run(_run(url, args.inputs, args.repeat, Path(tmp)))


if __name__ == "__main__":
    main()
