"""7. Scaling: append, concurrent HTTP writes and HTTP reads with 10k, 100k and 1M stored events.

For each size, side by side in the same run:

1. a fresh SQLite store is filled with generated realistic history (bodies,
   meetings, items, actions, circulations, confirmations) through the
   application in batches of commands (``history.generate``); the whole
   generation is timed: ``import_events_per_s``;
2. append through the application, in process as in benchmark 1: a fresh
   ``Minutebook`` (reopened on the store, as after a restart) schedules a new
   meeting of one of the history's bodies, then minutes 200 items into it one
   ``app.minute_item`` at a time (p50 of those); the first command, which loads
   the body's aggregate from the store, is reported on its own;
3. a real ``minutebook serve`` is started on the store; its projections catch up
   from the log (timed from process start until every view's lag is 0; the time
   until ``/ready`` answers is reported too);
4. concurrent HTTP writes: 16 clerks for a few seconds (benchmark 2's ``http._Clerk``
   on its raw-socket client: items of a new body's meetings, 1 revision in 5, a new
   meeting after 40 requests);
   besides the p50, the writes per second, the server's CPU per write (all its
   threads, from ``/proc``) and the group committer's commands per commit (from
   ``/metrics``) are reported, as benchmark 2 reports them: with 16 clerks the p50
   is about 16 / writes per second, so a change in the p50 between sizes is either
   more server CPU per write (the server's cost grew with the store) or the same CPU
   and less throughput (waiting: locks, fsyncs, a busy machine).  The CPU per write
   is the steadier figure on a shared machine; ``scale_http_write_server_cpu_ratio``
   compares it between sizes (not a target);
5. HTTP reads at a fixed modest rate (one client, 10/s), separately: the current
   minutes (JSON) of meetings of a history body, and that body's action tracker
   (its first page of 50);
6. the server's RSS (``VmRSS`` of ``/proc/<pid>/status``) after that load;
7. the server is stopped and started again on the same store (its views already
   caught up, as after a restart in production) and 4–6 are repeated:
   ``scale_restarted_*`` (the contract's figures are those of the first run,
   whose process has also followed the whole log, as a long-running one has).

Ratios compare the largest size with the smallest (the ``_1m_vs_10k`` keys keep
their contract names whatever sizes are given).  ``scale_p50_ratio_1m_vs_10k`` is
the worst of the append, HTTP write and HTTP read p50 ratios.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import time
from pathlib import Path
from typing import Any

import httpx

from ops.bench.common import percentile, sqlite_store
from ops.bench.history import generate
from ops.bench.http import (
    ITEMS_PER_MEETING,
    _Clerk,
    _group_commits,
    _read_load,
    _request,
    _server_cpu_seconds,
    _setup_writes,
    _wait_caught_up,
    _write_round,
)
from ops.bench.server import minutebook_server, token
from service import commands as c
from service.app import Minutebook
from service.store.url import parse_store_url

BODY = "Bench Partnership 0"  # a body of the generated history (history.generate)
SLUG = "bench-partnership-0"
HISTORY_START = dt.date(2015, 5, 7)  # history.generate's first meeting; every 21 days
APPENDS = 200
WRITE_CLIENTS = 16
WRITE_SECONDS = 5.0
READ_SECONDS = 5.0
# One client at 10 requests/s per read kind: unloaded while a request takes < 100 ms;
# a slower one is then timed back to back (its p50 is its own time, no queueing).
READ_CONCURRENCY = 1
READ_RATE = 10.0
CATCH_UP_TIMEOUT = 1800.0


def label(size: int) -> str:
    """10000 → "10k", 1000000 → "1m" (for keys)."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def parse_sizes(text: str) -> list[int]:
    """ "10000,100k,1m" → [10000, 100000, 1000000]."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1], 1)
        sizes.append(int(float(part.rstrip("km")) * factor))
    if not sizes:
        raise ValueError("no sizes given")
    return sizes


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def _append(url: str, n: int) -> tuple[float, float, int]:
    """``minute_item`` one command at a time, in process: (p50 ms, first command ms, head).

    The first command schedules the meeting; it loads the body's aggregate from the
    store (a replay of all the body's events: snapshotting is off).
    """
    app = Minutebook(parse_store_url(url))
    try:
        # A meeting before the history (municipal year 2014, no numbers used yet).
        day = HISTORY_START - dt.timedelta(days=60)
        start = time.perf_counter()
        app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=day, time="10:00"))
        first = (time.perf_counter() - start) * 1000
        latencies = []
        for i in range(n):
            cmd = c.MinuteItem(
                body=BODY,
                date=day,
                title=f"Appended item {i}",
                paragraphs=("The Partnership considered the report and noted progress. " * 3,),
                resolutions=("That the report be noted.",),
            )
            start = time.perf_counter()
            app.minute_item(cmd)
            latencies.append((time.perf_counter() - start) * 1000)
        head = app.recorder.max_notification_id() or 0
    finally:
        app.close()
    return percentile(latencies, 50), first, head


def _read_p50(base: str, paths: list[str], headers: dict[str, str]) -> float:
    requests = [_request("GET", path, headers) for path in paths]
    latencies: list[float] = []
    asyncio.run(_read_load(base, requests, READ_CONCURRENCY, READ_SECONDS, READ_RATE, latencies))
    return percentile(latencies, 50)


def _writes(base: str, clerk_token: str, body: str) -> list[float]:
    """Benchmark 2's clerks (``http._Clerk``, on its raw-socket client: an httpx client
    costs as much CPU a request as the server) writing for a body of our choosing (one
    per server run on a store); the latency of every request."""
    _setup_writes(base, clerk_token, WRITE_CLIENTS, body)
    auth = {"Authorization": f"Bearer {clerk_token}"}
    clerks = [_Clerk(k, auth, ITEMS_PER_MEETING, body) for k in range(WRITE_CLIENTS)]
    latencies: list[float] = []
    asyncio.run(_write_round(base, clerks, WRITE_SECONDS, latencies))
    return latencies


def _load(url: str, head: int, clerk: str, headers: dict[str, str], run: int) -> dict[str, float]:
    """Start a server on the store, let it catch up, write, read; its figures and RSS."""
    started = time.perf_counter()
    with (
        minutebook_server(url) as (base, process),
        httpx.Client(base_url=base, headers=headers, timeout=60) as client,
    ):
        ready = time.perf_counter() - started
        _wait_caught_up(client, head, CATCH_UP_TIMEOUT)
        catch_up = time.perf_counter() - started
        rss_caught_up = rss_kb(process.pid)
        commits, commands = _group_commits(base)
        cpu = _server_cpu_seconds(process.pid)
        writes = _writes(base, clerk, f"Scale Bench Board {run}")
        # The timed writes and the set-up ones (the body and one meeting per clerk).
        cpu = _server_cpu_seconds(process.pid) - cpu
        written = len(writes) + 1 + WRITE_CLIENTS
        commits_after, commands_after = _group_commits(base)
        _wait_caught_up(client, 0, CATCH_UP_TIMEOUT)
        # Current minutes of the body's first 20 meetings (present at every size).
        minutes = [
            f"/api/bodies/{SLUG}/meetings/"
            f"{(HISTORY_START + dt.timedelta(days=21 * k)).isoformat()}/minutes"
            for k in range(20)
        ]
        tracker = [f"/api/actions?body={SLUG}&limit=50"]
        for path in (minutes[0], tracker[0]):  # warm up, and fail early on a bad path
            client.get(path).raise_for_status()
        minutes_p50 = _read_p50(base, minutes, headers)
        tracker_p50 = _read_p50(base, tracker, headers)
        return {
            "server_ready_s": ready,
            "catch_up_s": catch_up,
            "http_write_p50_ms": percentile(writes, 50),
            "http_write_per_s": len(writes) / WRITE_SECONDS,
            "http_write_server_cpu_ms": cpu / written * 1000,
            "http_write_batch": (commands_after - commands) / max(commits_after - commits, 1),
            "http_read_minutes_p50_ms": minutes_p50,
            "http_read_tracker_p50_ms": tracker_p50,
            "http_read_p50_ms": max(minutes_p50, tracker_p50),
            "rss_mb_caught_up": rss_caught_up / 1024,
            "rss_mb": rss_kb(process.pid) / 1024,
            "rss_peak_mb": rss_kb(process.pid, "VmHWM") / 1024,
        }


def one_size(size: int) -> dict[str, float]:
    with sqlite_store() as (url, _):
        app = Minutebook(parse_store_url(url))
        start = time.perf_counter()
        written = generate(app, size)
        import_rate = written / (time.perf_counter() - start)
        app.close()
        # The HTTP clients below run in this process: let the generating application
        # go (it held about 85k more objects after 100k events than after 10k), so the
        # process that measures the server is the same at every size.
        del app
        gc.collect()
        append_p50, append_first, head = _append(url, APPENDS)
        clerk, reader = token(url, "clerk"), token(url, "reader")
        headers = {"Authorization": f"Bearer {reader}", "Accept": "application/json"}
        fresh = _load(url, head, clerk, headers, 1)  # its projections catch up from 0
        restarted = _load(url, head, clerk, headers, 2)  # the views already caught up
    s = label(size)
    out = {
        f"scale_events_{s}": float(written),
        f"scale_import_events_per_s_{s}": import_rate,
        f"scale_append_p50_ms_{s}": append_p50,
        f"scale_append_first_ms_{s}": append_first,
        f"scale_catch_up_events_per_s_{s}": head / fresh["catch_up_s"],
    }
    out.update({f"scale_{k}_{s}": v for k, v in fresh.items()})
    out.update(
        {
            f"scale_restarted_{k}_{s}": restarted[k]
            for k in (
                "server_ready_s",
                "http_write_p50_ms",
                "http_write_per_s",
                "http_write_server_cpu_ms",
                "http_write_batch",
                "http_read_p50_ms",
                "rss_mb_caught_up",
                "rss_mb",
            )
        }
    )
    return out


def measure(sizes: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for size in sizes:
        out.update(one_size(size))
    small, large = label(min(sizes)), label(max(sizes))

    def ratio(name: str) -> float:
        return float(out[f"{name}_{large}"] / out[f"{name}_{small}"])

    ratios = {
        "append": ratio("scale_append_p50_ms"),
        "http_write": ratio("scale_http_write_p50_ms"),
        "http_read_minutes": ratio("scale_http_read_minutes_p50_ms"),
        "http_read_tracker": ratio("scale_http_read_tracker_p50_ms"),
    }
    out.update({f"scale_{k}_p50_ratio": v for k, v in ratios.items()})
    out.update(
        scale_p50_ratio_1m_vs_10k=max(ratios.values()),
        scale_rss_ratio_1m_vs_10k=ratio("scale_rss_mb"),
        scale_restarted_rss_ratio=ratio("scale_restarted_rss_mb"),
        scale_restarted_http_write_p50_ratio=ratio("scale_restarted_http_write_p50_ms"),
        # Not targets: what tells a dearer write (CPU) from a slower one (throughput).
        scale_http_write_server_cpu_ratio=ratio("scale_http_write_server_cpu_ms"),
        scale_http_write_per_s_ratio=ratio("scale_http_write_per_s"),
        scale_restarted_http_write_server_cpu_ratio=ratio(
            "scale_restarted_http_write_server_cpu_ms"
        ),
        scale_restarted_http_read_p50_ratio=ratio("scale_restarted_http_read_p50_ms"),
        import_events_per_s=out[f"scale_import_events_per_s_{large}"],
    )
    return out
