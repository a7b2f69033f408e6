"""2. Concurrent writes and 3. reads over HTTP on loopback, against side-by-side references.

Writes: 16 concurrent clerks minute items and revise them (4:1) on a real
``minutebook serve`` over SQLite, each moving on to its next meeting after 40
(:data:`ITEMS_PER_MEETING`); throughput is compared with raw
single-insert-per-commit on the same disk (the physical limit of one fsync per
command), p50/p99 are reported.  Reads: current minutes and the action tracker
vs a bare Litestar route returning the same bytes from memory (same uvicorn
settings) — peak rate ratio, and p99 at half of our peak rate (with the reference's p99
at the same rate beside it: the share of the tail that is the machine's).

The load comes from a small HTTP/1.1 keep-alive client on raw asyncio sockets
(one connection per clerk or reader, requests prepared as bytes), so that the
two cores measure the server rather than the client: an httpx client costs
about as much CPU per request as the server does.  Each comparison is measured
in interleaved rounds (ours, then the reference, then ours again...), so that
other work on the machine weighs on both sides alike.

The writes are measured in two layouts, each on a fresh store: the default, one
``minutebook serve`` process that also runs the views (keys ``http_write_*``), and
the scale-out layout, ``serve --no-projections`` beside a ``minutebook projections
run`` worker process that keeps the views (keys ``http_write_worker_*``; its
``catch_up_ms`` is the time from the last write until every view has it).

``python -m ops.bench.http [--seconds N]`` runs this part alone.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from domain.ids import slugify
from ops.bench.common import percentile, sqlite_store
from ops.bench.server import minutebook_server, projection_worker, reference_server, token

BODY = "HTTP Bench Board"
CLERKS = 16
#: Requests on one meeting before a clerk moves on to the next (a long agenda: real
#: minutes run to 10-50 items).  ``--items-per-meeting 0`` keeps one meeting a clerk
#: for the whole run, the stress case of a document that grows without end.
ITEMS_PER_MEETING = 40
READERS = 8
ROUNDS = 3


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection: send a prepared request, await its response."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc or ConnectionError("the server closed the connection"))

    def _complete(self) -> None:
        waiter = self.waiter
        if waiter is None:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        status = int(head[9:12])
        at = head.find(b"\r\ncontent-length:")
        if at >= 0:
            line_end = head.find(b"\r\n", at + 2)
            length = int(head[at + 17 : line_end if line_end >= 0 else len(head)])
        elif status in (204, 304):
            length = 0
        else:
            waiter.set_exception(RuntimeError(f"no Content-Length in {head[:200]!r}"))
            return
        total = end + 4 + length
        if len(self.buffer) < total:
            return
        body = bytes(self.buffer[end + 4 : total])
        del self.buffer[:total]
        self.waiter = None
        waiter.set_result((status, body))

    async def send(self, request: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def _connect(base: str) -> _Connection:
    host, _, port = base.removeprefix("http://").partition(":")
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(_Connection, host, int(port))
    return conn


def _request(method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def _raw_rate(path: Path, seconds: float) -> float:
    """Single-row inserts, one commit (one fsync) each, for ``seconds``."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS t (a TEXT, b INTEGER, c TEXT, d BLOB, PRIMARY KEY (a, b))"
    )
    first = conn.execute("SELECT count(*) FROM t").fetchone()[0]
    n = 0
    start = time.perf_counter()
    until = start + seconds
    while time.perf_counter() < until:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (f"x{first + n}", 1, "topic", b"x" * 400))
        conn.execute("COMMIT")
        n += 1
    rate = n / (time.perf_counter() - start)
    conn.close()
    return rate


class _Clerk:
    """One clerk on one connection: minutes items on its own meeting, revises every fifth.

    With ``items_per_meeting`` the clerk schedules its next meeting (a write too) after
    that many requests on one, as a clerk moves on to the next meeting's minutes;
    without it one meeting takes every item of the run (hundreds: far more than any
    real meeting, and the views rewrite a meeting's whole document as it grows).
    """

    def __init__(
        self,
        k: int,
        auth: dict[str, str],
        items_per_meeting: int | None = None,
        body: str = BODY,
    ) -> None:
        self.k = k
        self.meetings = f"/api/bodies/{slugify(body)}/meetings"
        self.auth = auth
        self.items_per_meeting = items_per_meeting
        self.meeting = 0
        self.base = self._items_path()
        self.done = 0
        self.in_meeting = 0
        self._scheduling = False

    def _day(self) -> str:
        return (dt.date(2024, 1, 1) + dt.timedelta(days=self.k + CLERKS * self.meeting)).isoformat()

    def _items_path(self) -> str:
        return f"{self.meetings}/{self._day()}/items"

    def next_request(self) -> bytes:
        """The next request (:meth:`advance` when it has succeeded)."""
        k, done, i = self.k, self.done, self.in_meeting
        if self.items_per_meeting is not None and i >= self.items_per_meeting:
            self.meeting += 1
            self.base = self._items_path()
            self.in_meeting = 0
            self._scheduling = True
            body = json.dumps({"date": self._day()}).encode()
            return _request("POST", self.meetings, self.auth, body)
        if i % 5 == 4:
            body = json.dumps({"title": f"Revised {done}"}).encode()
            return _request("PATCH", f"{self.base}/{k}-{done - 1}", self.auth, body)
        number = f"{k}-{done}"
        body = json.dumps(
            {
                "number": number,
                "title": f"Item {number}",
                "paragraphs": ["The Board noted the report. " * 4],
                "resolutions": ["That the report be noted."],
            }
        ).encode()
        return _request("POST", self.base, self.auth, body)

    def advance(self) -> None:
        """The request from :meth:`next_request` succeeded."""
        self.done += 1
        if self._scheduling:
            self._scheduling = False
        else:
            self.in_meeting += 1


async def _write_round(
    base: str, clerks: list[_Clerk], seconds: float, latencies: list[float]
) -> tuple[int, float]:
    connections = [await _connect(base) for _ in clerks]

    async def run(clerk: _Clerk, conn: _Connection, until: float) -> int:
        n = 0
        while time.perf_counter() < until:
            request = clerk.next_request()
            start = time.perf_counter()
            status, body = await conn.send(request)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 300:
                raise RuntimeError(f"write failed: {status} {body[:200]!r}")
            clerk.advance()
            n += 1
        return n

    try:
        start = time.perf_counter()
        until = start + seconds
        counts = await asyncio.gather(
            *(run(c, conn, until) for c, conn in zip(clerks, connections, strict=True))
        )
        return sum(counts), time.perf_counter() - start
    finally:
        for conn in connections:
            conn.close()


def _setup_writes(base: str, clerk_token: str, clients: int, body: str = BODY) -> None:
    """The body and each clerk's first meeting."""
    headers = {"Authorization": f"Bearer {clerk_token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        client.post("/api/bodies", json={"name": body}).raise_for_status()
        for k in range(clients):
            day = (dt.date(2024, 1, 1) + dt.timedelta(days=k)).isoformat()
            client.post(
                f"/api/bodies/{slugify(body)}/meetings", json={"date": day}
            ).raise_for_status()


def _group_commits(base: str) -> tuple[float, float]:
    """The group committer's commits and commands so far, from the server's /metrics."""
    found = dict.fromkeys(("minutebook_commits_total", "minutebook_commands_total"), 0.0)
    for line in httpx.get(base + "/metrics", timeout=10).text.splitlines():
        name, _, value = line.partition(" ")
        if name in found:
            found[name] = float(value)
    return found["minutebook_commits_total"], found["minutebook_commands_total"]


def _writes(
    base: str,
    clerk_token: str,
    raw_db: Path,
    clients: int,
    seconds: float,
    pid: int,
    items_per_meeting: int | None = None,
    layout: str = "",
    worker: int | None = None,
) -> dict[str, Any]:
    """HTTP writes and raw inserts in interleaved rounds; rates over the rounds' totals.

    ``layout`` names the keys (``http_write{layout}_...``); ``worker``, the pid of a
    projection worker process whose CPU per write is reported too.
    """
    _setup_writes(base, clerk_token, clients)
    auth = {"Authorization": f"Bearer {clerk_token}"}
    clerks = [_Clerk(k, auth, items_per_meeting) for k in range(clients)]
    asyncio.run(_write_round(base, clerks, min(1.0, seconds / 4), []))  # warm-up
    latencies: list[float] = []
    done, elapsed, raw, cpu, worker_cpu = 0, 0.0, [], 0.0, 0.0
    commits, commands = _group_commits(base)
    for _ in range(ROUNDS):
        raw.append(_raw_rate(raw_db, seconds / ROUNDS / 2))
        cpu_before = _server_cpu_seconds(pid)
        worker_before = _server_cpu_seconds(worker) if worker else 0.0
        n, t = asyncio.run(_write_round(base, clerks, seconds / ROUNDS, latencies))
        cpu += _server_cpu_seconds(pid) - cpu_before
        worker_cpu += _server_cpu_seconds(worker) - worker_before if worker else 0.0
        done, elapsed = done + n, elapsed + t
    raw.append(_raw_rate(raw_db, seconds / ROUNDS / 2))
    commits_after, commands_after = _group_commits(base)
    rate, raw_rate = done / elapsed, sum(raw) / len(raw)
    key = f"http_write{layout}"
    out = {
        f"{key}_per_s_sqlite": rate,
        f"{key}_raw_per_s_sqlite": raw_rate,
        f"{key}_ratio_sqlite": rate / raw_rate,
        f"{key}_p50_ms_sqlite": percentile(latencies, 50),
        f"{key}_p99_ms_sqlite": percentile(latencies, 99),
        # Commands per commit of the group committer (service/app/writer.py) meanwhile.
        f"{key}_batch_sqlite": (commands_after - commands) / max(commits_after - commits, 1),
        # The server's CPU (all its threads) per write during the rounds: less noisy than
        # the rate on a shared machine, and what bounds the rate of one process.
        f"{key}_server_cpu_ms_sqlite": cpu / max(done, 1) * 1000,
    }
    if worker:
        out[f"{key}_views_cpu_ms_sqlite"] = worker_cpu / max(done, 1) * 1000
    return out


def _caught_up(client: httpx.Client, at_least: int) -> bool:
    views = client.get("/api/projections").raise_for_status().json()
    return all(v["lag"] == 0 and v["position"] >= at_least for v in views)


def _wait_caught_up(
    client: httpx.Client, at_least: int, timeout: float, poll: float = 0.05
) -> None:
    """Until every view has the log's head (and at least position ``at_least``)."""
    deadline = time.monotonic() + timeout
    while not _caught_up(client, at_least):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the projections did not catch up within {timeout:.0f} s")
        time.sleep(poll)


def _worker_writes(
    seconds: float, items_per_meeting: int | None, timeout: float = 60.0
) -> dict[str, Any]:
    """The writes on the scale-out layout: ``serve --no-projections`` + a views worker."""
    with (
        sqlite_store() as (url, path),
        minutebook_server(url, "--no-projections") as (base, server),
        projection_worker(url) as worker,
    ):
        clerk = token(url, "clerk")
        out = _writes(
            base,
            clerk,
            path.with_name("raw.db"),
            CLERKS,
            seconds,
            server.pid,
            items_per_meeting,
            layout="_worker",
            worker=worker.pid,
        )
        headers = {"Authorization": f"Bearer {clerk}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            start = time.perf_counter()
            _wait_caught_up(client, 0, timeout, poll=0.005)
        out["http_write_worker_catch_up_ms_sqlite"] = (time.perf_counter() - start) * 1000
        return out


async def _read_load(
    base: str,
    requests: list[bytes],
    concurrency: int,
    seconds: float,
    rate: float | None,
    latencies: list[float] | None = None,
) -> tuple[int, float]:
    """``concurrency`` connections asking in turn for ``requests``: as fast as answered, or
    at ``rate`` requests/s in all (each connection on its own evenly spaced schedule)."""
    connections = [await _connect(base) for _ in range(concurrency)]
    interval = concurrency / rate if rate else 0.0

    async def worker(k: int, conn: _Connection, until: float) -> int:
        n = 0
        next_at = time.perf_counter() + interval * k / concurrency
        while time.perf_counter() < until:
            if rate:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                next_at += interval
            start = time.perf_counter()
            status, body = await conn.send(requests[(n + k) % len(requests)])
            if latencies is not None:
                latencies.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise RuntimeError(f"read failed: {status} {body[:200]!r}")
            n += 1
        return n

    try:
        start = time.perf_counter()
        until = start + seconds
        total = sum(await asyncio.gather(*(worker(k, c, until) for k, c in enumerate(connections))))
        return total, time.perf_counter() - start
    finally:
        for conn in connections:
            conn.close()


def _interleaved(sides: list[Callable[[float], tuple[int, float]]], seconds: float) -> list[float]:
    """Each side's rate over ``ROUNDS`` alternating rounds of ``seconds / ROUNDS`` each."""
    done = [0] * len(sides)
    elapsed = [0.0] * len(sides)
    for _ in range(ROUNDS):
        for i, side in enumerate(sides):
            n, t = side(seconds / ROUNDS)
            done[i] += n
            elapsed[i] += t
    return [n / t for n, t in zip(done, elapsed, strict=True)]


def _server_cpu_seconds(pid: int) -> float:
    """The server process's CPU time so far (user + system, all threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def measure(
    seconds: float, *, writes_only: bool = False, items_per_meeting: int | None = ITEMS_PER_MEETING
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with sqlite_store() as (url, path), minutebook_server(url) as (base, server):
        clerk = token(url, "clerk")
        reader = token(url, "reader")
        raw_db = path.with_name("raw.db")
        out.update(_writes(base, clerk, raw_db, CLERKS, seconds, server.pid, items_per_meeting))
        if writes_only:
            out.update(_worker_writes(seconds, items_per_meeting))
            return out
        headers = {"Authorization": f"Bearer {reader}", "Accept": "application/json"}
        day = dt.date(2024, 1, 1).isoformat()
        paths = [
            f"/api/bodies/http-bench-board/meetings/{day}/minutes",
            "/api/actions?limit=50",
        ]
        with httpx.Client(base_url=base, headers=headers) as c:
            c.get(paths[0] + "?wait=true").raise_for_status()
            payloads = {p.split("?")[0]: c.get(p).content for p in paths}
        ours = [_request("GET", p, headers) for p in paths]
        theirs = [_request("GET", p, {"Accept": "application/json"}) for p in paths]
        with reference_server(payloads) as ref:

            def load(target: str, requests: list[bytes]) -> Callable[[float], tuple[int, float]]:
                return lambda s: asyncio.run(_read_load(target, requests, READERS, s, None))

            warm = min(1.0, seconds / 4)
            load(base, ours)(warm)
            load(ref, theirs)(warm)
            our_rate, their_rate = _interleaved([load(base, ours), load(ref, theirs)], seconds)
            # Latency at half of our peak rate; the reference at the same rate alongside, as
            # the machine's own share of the tail (scheduling on two shared cores).
            half: list[float] = []
            control: list[float] = []

            def paced(
                target: str, requests: list[bytes], into: list[float]
            ) -> Callable[[float], tuple[int, float]]:
                return lambda s: asyncio.run(
                    _read_load(target, requests, READERS, s, our_rate / 2, into)
                )

            _interleaved([paced(base, ours, half), paced(ref, theirs, control)], seconds)
    out.update(
        http_read_per_s=our_rate,
        http_read_reference_per_s=their_rate,
        http_read_ratio=our_rate / their_rate,
        http_read_p99_ms=percentile(half, 99),
        http_read_p50_ms=percentile(half, 50),
        http_read_reference_p99_ms=percentile(control, 99),
    )
    out.update(_worker_writes(seconds, items_per_meeting))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.bench.http", description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0, help="per measurement (15)")
    parser.add_argument(
        "--writes-only", action="store_true", help="only the concurrent writes (no reads)"
    )
    parser.add_argument(
        "--items-per-meeting",
        type=int,
        default=ITEMS_PER_MEETING,
        help="each clerk schedules a new meeting after this many writes on one "
        f"(default {ITEMS_PER_MEETING}; 0: one meeting per clerk for the whole run)",
    )
    args = parser.parse_args(argv)
    results = measure(
        args.seconds,
        writes_only=args.writes_only,
        items_per_meeting=args.items_per_meeting or None,
    )
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value:>14,.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
