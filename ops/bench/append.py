"""1. Append: commands/s through the application vs raw inserts of the same bytes.

The reference inserts, per transaction, exactly the rows one command stores (the
same topics and state bytes) into a table of the events table's shape, with the
same durability (SQLite WAL + synchronous FULL; PostgreSQL defaults): the physical
limit of one commit per command.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from typing import Any

import psycopg

from ops.bench.common import PG_URL, postgres_store, rate, sqlite_store
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


def _app_run(url: str, n: int) -> tuple[float, list[list[tuple[str, int, str, bytes]]]]:
    app = Minutebook(parse_store_url(url))
    app.register_body(c.RegisterBody(name=BODY))
    for d in range(20):
        app.schedule_meeting(
            c.ScheduleMeeting(body=BODY, date=dt.date(2023, 6, 1) + dt.timedelta(days=d))
        )
    commands = _commands(n)
    head = app.recorder.max_notification_id()
    per_second = rate(n, lambda: [app.minute_item(cmd) for cmd in commands] and None)
    rows = [
        (str(r.originator_id), r.originator_version, r.topic, r.state)
        for r in app.recorder.select_notifications(head + 1, 2 * n + 10)
    ]
    app.close()
    per_command = [rows[i : i + 2] for i in range(0, len(rows), 2)]
    return per_second, per_command


def _raw_sqlite(path: Any, batches: list[list[tuple[str, int, str, bytes]]]) -> float:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
        "state BLOB, PRIMARY KEY (originator_id, originator_version))"
    )

    def run() -> None:
        for batch in batches:
            conn.execute("BEGIN")
            for oid, version, topic, state in batch:
                conn.execute(
                    "INSERT INTO raw_events VALUES (?, ?, ?, ?)", (oid, version, topic, state)
                )
            conn.execute("COMMIT")

    result = rate(len(batches), run)
    conn.close()
    return result


def _raw_postgres(schema: str, batches: list[list[tuple[str, int, str, bytes]]]) -> float:
    with psycopg.connect(PG_URL) as conn:
        conn.execute(
            f"CREATE TABLE {schema}.raw_events (originator_id uuid NOT NULL, originator_version "
            "bigint NOT NULL, topic text, state bytea, notification_id bigserial, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        conn.execute(f"CREATE UNIQUE INDEX ON {schema}.raw_events (notification_id)")
        conn.commit()
        salt = uuid.uuid4()

        def run() -> None:
            for batch in batches:
                with conn.transaction(), conn.cursor() as cur:
                    for oid, version, topic, state in batch:
                        cur.execute(
                            f"INSERT INTO {schema}.raw_events (originator_id, originator_version, "
                            "topic, state) VALUES (%s, %s, %s, %s)",
                            (uuid.uuid5(salt, oid), version, topic, state),
                        )

        return rate(len(batches), run)


def measure(n: int, postgres: bool) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    with sqlite_store() as (url, path):
        app_rate, batches = _app_run(url, n)
        raw = _raw_sqlite(path.with_name("raw.db"), batches)
        out.update(
            append_app_sqlite=app_rate, append_raw_sqlite=raw, append_ratio_sqlite=app_rate / raw
        )
    if postgres:
        with postgres_store() as (url, schema):
            app_rate, batches = _app_run(url, n)
            raw = _raw_postgres(schema, batches)
            out.update(
                append_app_postgres=app_rate,
                append_raw_postgres=raw,
                append_ratio_postgres=app_rate / raw,
            )
    else:
        out.update(append_ratio_postgres=None)
    return out
