"""2. Concurrent writes and 3. reads over HTTP on loopback, against side-by-side references.

Writes: 16 concurrent clerks (asyncio + httpx) minute items and revise them (4:1) on
a real ``minutebook serve`` over SQLite; throughput is compared with raw
single-insert-per-commit on the same disk (the physical limit of one fsync per
command), p50/p99 are reported.  Reads: current minutes and the action tracker
vs a bare Litestar route returning the same bytes from memory — peak rate ratio,
and p99 at half of our peak rate.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx

from ops.bench.common import percentile, sqlite_store
from ops.bench.server import minutebook_server, reference_server, token

BODY = "HTTP Bench Board"


def _raw_rate(path: Path, n: int = 400) -> float:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (a TEXT, b INTEGER, c TEXT, d BLOB, PRIMARY KEY (a, b))")
    start = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (f"x{i}", 1, "topic", b"x" * 400))
        conn.execute("COMMIT")
    rate = n / (time.perf_counter() - start)
    conn.close()
    return rate


async def _clerk(client: httpx.AsyncClient, k: int, until: float, latencies: list[float]) -> int:
    done = 0
    day = (dt.date(2024, 1, 1) + dt.timedelta(days=k)).isoformat()
    base = f"/api/bodies/http-bench-board/meetings/{day}/items"
    while time.perf_counter() < until:
        number = f"{k}-{done}"
        start = time.perf_counter()
        if done % 5 == 4:
            r = await client.patch(f"{base}/{k}-{done - 1}", json={"title": f"Revised {done}"})
        else:
            r = await client.post(
                base,
                json={
                    "number": number,
                    "title": f"Item {number}",
                    "paragraphs": ["The Board noted the report. " * 4],
                    "resolutions": ["That the report be noted."],
                },
            )
        latencies.append((time.perf_counter() - start) * 1000)
        if r.status_code >= 300:
            raise RuntimeError(f"write failed: {r.status_code} {r.text[:200]}")
        done += 1
    return done


async def _writes(
    base: str, clerk_token: str, clients: int, seconds: float
) -> tuple[float, list[float]]:
    headers = {"Authorization": f"Bearer {clerk_token}"}
    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:
        (await client.post("/api/bodies", json={"name": BODY})).raise_for_status()
        for k in range(clients):
            day = (dt.date(2024, 1, 1) + dt.timedelta(days=k)).isoformat()
            (
                await client.post("/api/bodies/http-bench-board/meetings", json={"date": day})
            ).raise_for_status()
        latencies: list[float] = []
        until = time.perf_counter() + seconds
        start = time.perf_counter()
        counts = await asyncio.gather(
            *(_clerk(client, k, until, latencies) for k in range(clients))
        )
        return sum(counts) / (time.perf_counter() - start), latencies


async def _read_load(
    base: str,
    paths: list[str],
    headers: dict[str, str],
    concurrency: int,
    seconds: float,
    rate: float | None,
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=base,
        headers=headers,
        timeout=30,
        limits=httpx.Limits(max_connections=concurrency + 2),
    ) as client:
        until = time.perf_counter() + seconds
        interval = concurrency / rate if rate else 0.0

        async def worker(k: int) -> int:
            n = 0
            next_at = time.perf_counter() + (interval * k / concurrency if rate else 0)
            while time.perf_counter() < until:
                if rate:
                    await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                    next_at += interval
                start = time.perf_counter()
                r = await client.get(paths[n % len(paths)])
                latencies.append((time.perf_counter() - start) * 1000)
                r.raise_for_status()
                n += 1
            return n

        start = time.perf_counter()
        total = sum(await asyncio.gather(*(worker(k) for k in range(concurrency))))
        return total / (time.perf_counter() - start), latencies


def measure(seconds: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with sqlite_store() as (url, path):
        raw = _raw_rate(path.with_name("raw.db"))
        with minutebook_server(url) as (base, _):
            clerk = token(url, "clerk")
            reader = token(url, "reader")
            rate, lat = asyncio.run(_writes(base, clerk, 16, seconds))
            out.update(
                http_write_per_s_sqlite=rate,
                http_write_raw_per_s_sqlite=raw,
                http_write_ratio_sqlite=rate / raw,
                http_write_p50_ms_sqlite=percentile(lat, 50),
                http_write_p99_ms_sqlite=percentile(lat, 99),
            )
            headers = {"Authorization": f"Bearer {reader}", "Accept": "application/json"}
            day = dt.date(2024, 1, 1).isoformat()
            paths = [
                f"/api/bodies/http-bench-board/meetings/{day}/minutes",
                "/api/actions?limit=50",
            ]
            with httpx.Client(base_url=base, headers=headers) as c:
                c.get(paths[0] + "?wait=true")
                payloads = {p.split("?")[0]: c.get(p).content for p in paths}
            ours, _ = asyncio.run(_read_load(base, paths, headers, 8, seconds, None))
            _, half = asyncio.run(_read_load(base, paths, headers, 8, seconds, ours / 2))
        with reference_server(payloads) as ref:
            theirs, _ = asyncio.run(
                _read_load(ref, [p.split("?")[0] for p in paths], {}, 8, seconds, None)
            )
    out.update(
        http_read_per_s=ours,
        http_read_reference_per_s=theirs,
        http_read_ratio=ours / theirs,
        http_read_p99_ms=percentile(half, 99),
    )
    return out
