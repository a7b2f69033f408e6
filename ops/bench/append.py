"""1. Append: commands/s through the application vs raw inserts of the same bytes.

The reference inserts, per transaction, exactly the event rows one command stores
(the same ids, topics and state bytes, as stored) into a table of the events
table's shape, with the same durability (SQLite WAL + synchronous FULL; PostgreSQL
defaults): the physical limit of one commit per command.  It does not write the
Merkle leaves (nor the head checkpoint, every 256 leaves) that the application writes
in the same transaction, nor take PostgreSQL's table lock or NOTIFY: those are part of
what is measured.

The two take turns on slices of the run (``SLICE``), so both see the same load;
``python -m ops.bench.append`` runs this part alone.  ``--frames`` instead counts the
SQLite WAL pages each writes per command (untimed and deterministic: the pages a
commit must write and sync, which the rates on a shared disk only blur).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from ops.bench.common import PG_URL, postgres_available, postgres_store, sqlite_store
from service import commands as c
from service.app import Minutebook
from service.store.url import parse_store_url

BODY = "Append Board"


def _commands(n: int) -> list[c.MinuteItem]:
    days = [dt.date(2023, 6, 1) + dt.timedelta(days=d) for d in range(20)]
    return [
        c.MinuteItem(
            body=BODY,
            date=days[i % 20],
            title=f"Item {i}",
            paragraphs=("The Partnership considered the report and noted progress. " * 3,),
            resolutions=("That the report be noted.",),
        )
        for i in range(n)
    ]


Rows = list[list[tuple[str, int, str, bytes]]]
#: The app and the raw reference take turns on consecutive slices of this many
#: commands: both see the same machine (a shared machine's load and its disk's flush
#: times change by the second), and the raw reference writes the rows the app has
#: just written.
SLICE = 20


class _App:
    """The application on a fresh store: a body, 20 meetings, then timed commands."""

    def __init__(self, url: str) -> None:
        self.app = Minutebook(parse_store_url(url))
        self.app.register_body(c.RegisterBody(name=BODY))
        for d in range(20):
            self.app.schedule_meeting(
                c.ScheduleMeeting(body=BODY, date=dt.date(2023, 6, 1) + dt.timedelta(days=d))
            )
        self.seconds = self.cpu = 0.0

    def run(self, commands: list[c.MinuteItem]) -> Rows:
        """Run the commands one at a time; the rows each stored, as stored."""
        app = self.app
        head = app.recorder.max_notification_id() or 0
        start, cpu = time.perf_counter(), time.process_time()
        for cmd in commands:
            app.minute_item(cmd)
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - cpu
        rows = [
            (_stored_id(r.originator_id), r.originator_version, r.topic, r.state)
            for r in app.recorder.select_notifications(head + 1, 2 * len(commands) + 10)
        ]
        assert len(rows) == 2 * len(commands), "a command stores exactly two events"
        return [rows[i : i + 2] for i in range(0, len(rows), 2)]


def _stored_id(originator_id: uuid.UUID | str) -> str:
    """The id as the SQLite store keeps it (32 hex digits), so the raw rows are the same bytes."""
    return originator_id.hex if isinstance(originator_id, uuid.UUID) else originator_id


class _RawSQLite:
    def __init__(self, path: Any) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(
            "CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
            "state BLOB, PRIMARY KEY (originator_id, originator_version))"
        )
        self.seconds = self.cpu = 0.0

    def run(self, batches: Rows) -> None:
        conn = self.conn
        start, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            conn.execute("BEGIN")
            for row in batch:
                conn.execute("INSERT INTO raw_events VALUES (?, ?, ?, ?)", row)
            conn.execute("COMMIT")
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - cpu


class _RawPostgres:
    """Plain inserts of the rows, one transaction per command.

    ``pipelined``: BEGIN, the INSERTs and COMMIT sent at once (one round trip, the
    physical limit); otherwise one round trip per statement, as psycopg does by default
    (the reference of earlier runs, kept for comparison).
    """

    def __init__(self, schema: str, pipelined: bool) -> None:
        table = f"{schema}.raw_events{'' if pipelined else '_unpipelined'}"
        self.pipelined = pipelined
        self.conn = psycopg.connect(PG_URL, autocommit=pipelined)
        self.conn.execute(
            f"CREATE TABLE {table} (originator_id uuid NOT NULL, originator_version "
            "bigint NOT NULL, topic text, state bytea, notification_id bigserial, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        self.conn.execute(f"CREATE UNIQUE INDEX ON {table} (notification_id)")
        if not pipelined:
            self.conn.commit()
        self.insert = (
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)"
        )
        self.seconds = self.cpu = 0.0

    def run(self, batches: Rows) -> None:
        conn, insert = self.conn, self.insert
        params = [[(uuid.UUID(oid), v, t, s) for oid, v, t, s in batch] for batch in batches]
        start, cpu = time.perf_counter(), time.process_time()
        if self.pipelined:
            for batch in params:
                with conn.pipeline(), conn.cursor() as cur:
                    cur.execute("BEGIN")
                    for row in batch:
                        cur.execute(insert, row)
                    cur.execute("COMMIT")
        else:
            for batch in params:
                with conn.transaction(), conn.cursor() as cur:
                    for row in batch:
                        cur.execute(insert, row)
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - cpu


class _Note(Aggregate):
    """The smallest aggregate: one event kind carrying a text, for :class:`_Library`."""

    @event("Noted")
    def note(self, text: str) -> None:
        pass


class _Library:
    """The eventsourcing library's own save path, with its defaults: the ceiling it sets.

    Per command, two aggregates each record one event whose text is as long as the
    state of the corresponding event the app stored, saved together in one
    transaction (``Application.save``) by the library's default recorder and mapper
    (JSON transcoder, no Merkle leaves).  The issue quotes this path at 0.62-0.70 of
    raw on SQLite and 0.55 on PostgreSQL: what the app is measured against is never
    faster than the library it is built on, so this is shown beside it.
    """

    def __init__(self, env: dict[str, str]) -> None:
        self.app: Application[Any] = Application(env=env)
        self.pair = (_Note(), _Note())
        self.app.save(*self.pair)
        self.seconds = self.cpu = 0.0

    def run(self, batches: Rows) -> None:
        texts = [tuple("x" * len(state) for _, _, _, state in batch) for batch in batches]
        first, second = self.pair
        save = self.app.save
        start, cpu = time.perf_counter(), time.process_time()
        for one, two in texts:
            first.note(one)
            second.note(two)
            save(first, second)
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - cpu


def _library_sqlite(path: Path) -> _Library:
    return _Library({"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})


#: The connection settings of a store's environment: all the library's save path takes
#: from it (its own mapper, recorder and pool defaults otherwise).
_CONNECTION = ("DBNAME", "HOST", "PORT", "USER", "PASSWORD", "SCHEMA")


def _library_postgres(schema: str) -> _Library:
    env = parse_store_url(f"{PG_URL}?schema={schema}").env
    connection = {f"POSTGRES_{k}": env[f"POSTGRES_{k}"] for k in _CONNECTION}
    return _Library({"PERSISTENCE_MODULE": "eventsourcing.postgres", **connection})


Raw = _RawSQLite | _RawPostgres | _Library


def _compare(
    app: _App, raws: list[Raw], n: int, size: int, cpu: dict[str, Any]
) -> tuple[float, list[float]]:
    """Commands/s through the app and transactions/s of each raw reference, in turns.

    ``cpu`` gets this process's CPU time per command (µs) of the app and of each raw
    reference: less noisy than the rates on a shared machine (the database server's
    CPU is not in it).
    """
    size = max(1, min(size, n))
    warm = min(size, 20)
    commands = _commands(warm + n)
    rows = app.run(commands[:warm])  # warm up all (statement caches, first pages)
    for raw in raws:
        raw.run(rows)
        raw.seconds = raw.cpu = 0.0
    app.seconds = app.cpu = 0.0
    rounds = n // size
    for k in range(rounds):
        rows = app.run(commands[warm + k * size : warm + (k + 1) * size])
        for raw in raws:
            raw.run(rows)
    done = size * rounds
    cpu.update(app=app.cpu / done * 1e6, raws=[raw.cpu / done * 1e6 for raw in raws])
    return done / app.seconds, [done / raw.seconds for raw in raws]


def measure(n: int, postgres: bool, size: int = SLICE) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    with sqlite_store() as (url, path):
        app = _App(url)
        raw_sqlite = _RawSQLite(path.with_name("raw.db"))
        library = _library_sqlite(path.with_name("library.db"))
        try:
            cpu: dict[str, Any] = {}
            app_rate, (raw, lib) = _compare(app, [raw_sqlite, library], n, size, cpu)
        finally:
            app.app.close()
            raw_sqlite.conn.close()
            library.app.close()
        out.update(
            append_app_sqlite=app_rate,
            append_raw_sqlite=raw,
            append_ratio_sqlite=app_rate / raw,
            append_library_sqlite=lib,
            append_library_ratio_sqlite=lib / raw,
            append_cpu_us_app_sqlite=cpu["app"],
            append_cpu_us_raw_sqlite=cpu["raws"][0],
            append_cpu_us_library_sqlite=cpu["raws"][1],
        )
    if postgres:
        with postgres_store() as (url, schema):
            app = _App(url)
            raws = [_RawPostgres(schema, pipelined=True), _RawPostgres(schema, pipelined=False)]
            library = _library_postgres(schema)
            try:
                cpu = {}
                app_rate, (raw, unpipelined, lib) = _compare(app, [*raws, library], n, size, cpu)
            finally:
                app.app.close()
                library.app.close()
                for r in raws:
                    r.conn.close()
            out.update(
                append_app_postgres=app_rate,
                append_raw_postgres=raw,
                append_ratio_postgres=app_rate / raw,
                append_raw_postgres_unpipelined=unpipelined,
                append_ratio_postgres_vs_unpipelined=app_rate / unpipelined,
                append_library_postgres=lib,
                append_library_ratio_postgres=lib / raw,
                append_cpu_us_app_postgres=cpu["app"],
                append_cpu_us_raw_postgres=cpu["raws"][0],
                append_cpu_us_library_postgres=cpu["raws"][2],
            )
    else:
        out.update(append_ratio_postgres=None)
    return out


#: Commands per chunk of the WAL-frames count: the WAL stays under SQLite's automatic
#: checkpoint (1,000 pages) within a chunk, so its growth counts every frame written.
FRAME_CHUNK = 100


def _wal_frames(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    size = wal.stat().st_size if wal.exists() else 0
    with sqlite3.connect(str(path)) as conn:
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    return max(0, size - 32) // (page + 24)  # 32-byte WAL header, 24-byte frame header


def _truncate_wal(path: Path) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert not busy, "the WAL could not be reset (a reader holds it)"
    finally:
        conn.close()


def wal_frames(n: int) -> dict[str, float]:
    """WAL frames (pages) written per command by the app and by the raw reference (SQLite).

    Untimed, deterministic: the WAL is reset before each chunk of ``FRAME_CHUNK``
    commands and its growth read after it.  The raw reference writes the rows the app
    has just written, one transaction per command, as in :func:`measure`.
    """
    counts = {"app": 0, "raw": 0}
    done = 0
    with sqlite_store() as (url, path):
        app = _App(url)
        raw_path = path.with_name("raw.db")
        raw = _RawSQLite(raw_path)
        try:
            commands = _commands(n + FRAME_CHUNK)
            raw.run(app.run(commands[:FRAME_CHUNK]))  # warm up: first pages of every b-tree
            for start in range(FRAME_CHUNK, n + 1, FRAME_CHUNK):
                _truncate_wal(path)
                rows = app.run(commands[start : start + FRAME_CHUNK])
                counts["app"] += _wal_frames(path)
                _truncate_wal(raw_path)
                raw.run(rows)
                counts["raw"] += _wal_frames(raw_path)
                done += FRAME_CHUNK
        finally:
            app.app.close()
            raw.conn.close()
    return {
        "wal_frames_per_cmd_app_sqlite": counts["app"] / done,
        "wal_frames_per_cmd_raw_sqlite": counts["raw"] / done,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.bench.append", description="Part 1 of the benchmark alone."
    )
    parser.add_argument("-n", type=int, default=2000, help="commands per store (default 2000)")
    parser.add_argument(
        "--slice", type=int, default=SLICE, help=f"commands per turn (default {SLICE})"
    )
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--frames",
        action="store_true",
        help="only count SQLite WAL frames per command, app vs raw (untimed, deterministic)",
    )
    args = parser.parse_args(argv)
    results: dict[str, float | None]
    if args.frames:
        results = dict(wal_frames(args.n))
    else:
        results = measure(args.n, not args.sqlite_only and postgres_available(), args.slice)
    for key, value in results.items():
        print(f"{key:<38}  {'—' if value is None else f'{value:,.3f}':>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
