"""Measure the read side: rebuild speed (events/s) and lag (commit → visible) under load.

    .venv/bin/python -m ops.measure_projections [--events 50000] [--seconds 10]
                                                [--stores sqlite,postgres] [--json]
                                                [--parts rebuild,each,catch_up,lag]

For each store: generate ``--events`` events of realistic history (ops.bench.history),
rebuild all views in one pass and each view alone (best of three), then run the views
in-process while one writer records items back to back for ``--seconds``, and report
the lag from a command's commit to the moment every view includes it (p50/p99), and
a clerk's read-your-writes wait (command, then ``wait_for`` its position).

``--parts`` picks what is measured: ``rebuild`` (all views, one pass, with the raw
read-and-decode of the same log as in ``ops.bench`` and their ratio), ``each`` (each
view alone), ``catch_up`` (a service starting with empty views on the log, until every
view includes its head: wall and CPU seconds), ``lag``.  Default: all but catch_up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from ops.bench.common import machine, postgres_available, postgres_store, sqlite_store
from ops.bench.history import generate
from projections.catalogue import VIEWS
from projections.env import dialect, open_datastore
from projections.rebuild import rebuild
from projections.service import ProjectionService
from projections.status import tables
from service import commands as c
from service.app import Minutebook
from service.runtime import ensure_schema
from service.store.url import StoreConfig, parse_store_url


class TimedService(ProjectionService):
    """Records when each view committed each position."""

    def __init__(self, store: StoreConfig) -> None:
        super().__init__(store, worker=True)
        self.seen: list[tuple[str, int, float]] = []

    def _committed(self, name: str, position: int) -> None:
        self.seen.append((name, position, time.monotonic()))
        super()._committed(name, position)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"p50_ms": at(0.50), "p99_ms": at(0.99), "max_ms": round(ordered[-1] * 1000, 2)}


def best_rebuild(store: StoreConfig, names: list[str] | None, tries: int = 3) -> dict[str, Any]:
    reports = [rebuild(store, names) for _ in range(tries)]
    best = max(reports, key=lambda r: r.events_per_second)
    return {
        "events": best.events,
        "seconds": best.seconds,
        "events_per_second": best.events_per_second,
    }


def commands(body: str) -> Iterator[Callable[[Minutebook], Any]]:
    """Meetings of 20 items each, back to back: one command at a time."""
    first = dt.date(2040, 5, 1)
    n = 0
    while True:
        day = first + dt.timedelta(days=n // 20)
        if n % 20 == 0:
            yield partial(_schedule, body, day)
        else:
            yield partial(_item, body, day, n)
        n += 1


def _schedule(body: str, day: dt.date, app: Minutebook) -> Any:
    return app.schedule_meeting(c.ScheduleMeeting(body=body, date=day))


def _item(body: str, day: dt.date, n: int, app: Minutebook) -> Any:
    return app.minute_item(
        c.MinuteItem(body=body, date=day, title=f"Item {n}", paragraphs=("Noted.",))
    )


def lag_under_load(store: StoreConfig, seconds: float) -> dict[str, Any]:
    app = Minutebook(store)
    body = f"Load {time.monotonic_ns()}"
    app.register_body(c.RegisterBody(name=body))
    service = TimedService(store)
    service.start()
    try:
        head = app.recorder.max_notification_id() or 0
        assert service.wait_for(head, 600), service.errors
        committed: list[tuple[int, float]] = []
        load_before = os.getloadavg()[0]
        deadline = time.monotonic() + seconds
        for command in commands(body):
            if time.monotonic() > deadline:
                break
            result = command(app)
            committed.append((result.position, time.monotonic()))
        last = committed[-1][0]
        assert service.wait_for(last, 600), service.errors
        lags = _lags(service.seen, committed)
        ryw = []
        app.register_body(c.RegisterBody(name=body + " ryw"))
        for command in _take(commands(body + " ryw"), 200):
            started = time.monotonic()
            result = command(app)
            assert service.wait_for(result.position, 10)
            ryw.append(time.monotonic() - started)
    finally:
        service.stop()
        app.close()
    return {
        "commands": len(committed),
        "commands_per_second": round(len(committed) / seconds, 1),
        "lag": percentiles(lags),
        "read_your_writes": percentiles(ryw),
        # The lag is a chain of wake-ups, each waiting for a core: on a shared machine it
        # follows the load (p99 ×3–5 at 8–10 runnable per 2 cores), so say what it was.
        "load_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _take(items: Iterator[Any], n: int) -> Iterator[Any]:
    for _, item in zip(range(n), items, strict=False):
        yield item


def _lags(seen: list[tuple[str, int, float]], committed: list[tuple[int, float]]) -> list[float]:
    """For each command: when the slowest view first reached its position, minus its commit."""
    reached: dict[str, list[tuple[int, float]]] = {}
    for name, position, at in seen:
        reached.setdefault(name, []).append((position, at))
    lags = []
    for position, at in committed:
        visible = max(next(t for p, t in reached[name] if p >= position) for name in reached)
        lags.append(max(visible - at, 0.0))
    return lags


@contextmanager
def store_of(kind: str) -> Iterator[StoreConfig]:
    if kind == "sqlite":
        with sqlite_store() as (url, _):
            yield parse_store_url(url)
    else:
        with postgres_store() as (url, _):
            store = parse_store_url(url)
            ensure_schema(store)
            yield store


def catch_up_from_empty(store: StoreConfig) -> dict[str, Any]:
    """A service starting on the log with no views yet: until every view has its head."""
    app = Minutebook(store)
    head = app.recorder.max_notification_id() or 0
    app.close()
    datastore = open_datastore(store, pool_size=1)
    try:
        with datastore.transaction(commit=True) as c:
            for table in sorted(tables(c, dialect(store))):
                if table.startswith("view_") or table == "projection_generations":
                    c.execute(f"DROP TABLE IF EXISTS {dialect(store).name(table)}")
    finally:
        datastore.close()
    wall, cpu = time.perf_counter(), time.process_time()
    service = ProjectionService(store, worker=True)
    service.start()
    try:
        assert service.wait_for(head, 3600), service.errors
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        service.stop()
    return {
        "events": head,
        "seconds": round(wall, 3),
        "events_per_second": round(head / wall, 1),
        "cpu_seconds": round(cpu, 3),
    }


def decode_all(app: Minutebook) -> float:
    """Events/s reading the whole log and decoding every event (the rebuild's reference)."""
    start, count, after = time.perf_counter(), 0, 0
    while True:
        batch = app.recorder.select_notifications(after, 5000, inclusive_of_start=False)
        for n in batch:
            app.mapper.to_domain_event(n)
        count += len(batch)
        if len(batch) < 5000:
            break
        after = batch[-1].id
    return count / (time.perf_counter() - start)


def raw_read_and_decode(store: StoreConfig) -> float:
    """:func:`decode_all` on a store of its own."""
    app = Minutebook(store)
    try:
        return decode_all(app)
    finally:
        app.close()


PARTS = ("rebuild", "each", "catch_up", "lag")


def measure(
    kind: str, events: int, seconds: float, parts: tuple[str, ...] = ("rebuild", "each", "lag")
) -> dict[str, Any]:
    with store_of(kind) as store:
        app = Minutebook(store)
        started = time.monotonic()
        written = generate(app, events)
        generated = time.monotonic() - started
        app.close()
        result: dict[str, Any] = {
            "store": kind,
            "events": written,
            "generated_events_per_second": round(written / generated, 1),
        }
        if "rebuild" in parts:
            raw = max(raw_read_and_decode(store) for _ in range(2))
            result["rebuild_all"] = best_rebuild(store, None)
            result["raw_read_and_decode_per_second"] = round(raw, 1)
            result["rebuild_ratio"] = round(result["rebuild_all"]["events_per_second"] / raw, 3)
        if "each" in parts:
            result["rebuild_each"] = {name: best_rebuild(store, [name]) for name in VIEWS}
        if "catch_up" in parts:
            result["catch_up"] = catch_up_from_empty(store)
        if "lag" in parts:
            result["lag"] = lag_under_load(store, seconds)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--parts",
        default="rebuild,each,lag",
        help=f"what to measure, comma-separated, of {','.join(PARTS)} (default rebuild,each,lag)",
    )
    args = parser.parse_args()
    parts = tuple(p for p in args.parts.split(",") if p)
    if not parts or any(p not in PARTS for p in parts):
        parser.error(f"--parts: choose from {', '.join(PARTS)}")
    results: list[dict[str, Any]] = []
    for kind in args.stores.split(","):
        if kind == "postgres" and not postgres_available():
            print("PostgreSQL is not reachable: skipped")
            continue
        results.append(measure(kind, args.events, args.seconds, parts))
    report = {"machine": machine(), "results": results}
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    threading.current_thread().name = "measure"
    main()
