"""Tampering done directly in the database is detected at the right position (both stores)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from service import commands as c
from service.app import Minutebook
from service.audit.auditor import digest, prove_consistency, prove_inclusion, verify
from service.audit.digest import parse_digest
from service.audit.ledger import canonical_id, fast_leaf
from service.audit.merkle import leaf_data, leaf_hash, verify_consistency
from tests.audit.proofs import inclusion_holds


def fill(app: Minutebook, items: int = 6) -> None:
    app.register_body(c.RegisterBody(name="Audit Board"))
    app.schedule_meeting(c.ScheduleMeeting(body="Audit Board", date=dt.date(2024, 6, 6)))
    for n in range(1, items + 1):
        app.minute_item(
            c.MinuteItem(
                body="Audit Board", date=dt.date(2024, 6, 6), number=str(n), title=f"Item {n}"
            )
        )


@contextmanager
def raw_sql(app: Minutebook) -> Iterator[tuple[Callable[..., Any], str]]:
    """(execute, events table) on a connection of its own, committed at the end."""
    if app.store.kind == "sqlite":
        conn = sqlite3.connect(str(app.store.sqlite_path))
        try:
            yield conn.execute, "stored_events"
            conn.commit()
        finally:
            conn.close()
    else:
        env = app.store.env
        with psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            dbname=env["POSTGRES_DBNAME"],
            autocommit=True,
        ) as conn:
            yield conn.execute, f'"{env["POSTGRES_SCHEMA"]}".minutebook_events'


def pos(app: Minutebook) -> str:
    return "rowid" if app.store.kind == "sqlite" else "notification_id"


def test_an_untouched_log_verifies_and_digest_is_stable(app: Minutebook) -> None:
    fill(app)
    report = verify(app)
    assert report.ok and report.size == app.recorder.max_notification_id()
    assert report.digest == str(digest(app))


def test_edited_bytes_are_found_at_their_position(app: Minutebook) -> None:
    fill(app)
    if app.store.kind == "sqlite":
        edit = "CAST(REPLACE(CAST(state AS TEXT), 'Item 3', 'Item X') AS BLOB)"
    else:
        edit = "convert_to(replace(convert_from(state, 'UTF8'), 'Item 3', 'Item X'), 'UTF8')"
    (target,) = [n.id for n in app.recorder.select_notifications(1, 100) if b'"Item 3"' in n.state]
    with raw_sql(app) as (execute, table):
        execute(f"UPDATE {table} SET state = {edit} WHERE {pos(app)} = {target}")
    report = verify(app)
    assert not report.ok and report.first_bad_position == target
    assert "altered" in (report.problem or "")


@pytest.mark.parametrize("where, expected", [("= 5", 5), ("= (SELECT MAX(p) FROM t)", None)])
def test_deleted_events_are_found(app: Minutebook, where: str, expected: int | None) -> None:
    fill(app)
    last = app.recorder.max_notification_id()
    with raw_sql(app) as (execute, table):
        p = pos(app)
        clause = where.replace("MAX(p) FROM t", f"MAX({p}) FROM {table}")
        execute(f"DELETE FROM {table} WHERE {p} {clause}")
    report = verify(app)
    assert not report.ok
    assert report.first_bad_position == (expected or last)
    assert "missing" in (report.problem or "")


def test_inserted_event_is_found(app: Minutebook) -> None:
    fill(app)
    with raw_sql(app) as (execute, table):
        execute(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
            f"SELECT originator_id, 99, topic, state FROM {table} WHERE {pos(app)} = 4"
        )
    report = verify(app)
    assert not report.ok and "inserted" in (report.problem or "")
    assert report.first_bad_position == app.recorder.max_notification_id()


def test_swapped_rows_are_found_at_the_first(app: Minutebook) -> None:
    fill(app)
    with raw_sql(app) as (execute, table):
        p = pos(app)
        execute(
            f"UPDATE {table} SET state = (SELECT state FROM {table} WHERE {p} = 8) WHERE {p} = 6"
        )
    report = verify(app)
    assert not report.ok and report.first_bad_position == 6


def test_rewritten_history_with_a_rebuilt_ledger_fails_against_a_kept_digest(
    app: Minutebook,
) -> None:
    fill(app)
    kept = digest(app)
    with raw_sql(app) as (execute, table):
        p = pos(app)
        execute(f"DELETE FROM {table} WHERE {p} = (SELECT MAX({p}) FROM {table})")
        ledger = (
            table.replace("events", "events_merkle_leaves")
            if app.store.kind == "sqlite"
            else table.replace("minutebook_events", "minutebook_events_merkle_leaves")
        )
        execute(f"DELETE FROM {ledger} WHERE position = (SELECT MAX(position) FROM {ledger})")
    report = verify(app, kept)
    assert not report.ok


def test_inclusion_and_consistency_proofs_verify(app: Minutebook) -> None:
    fill(app, 3)
    old = digest(app)
    fill_more = c.MinuteItem(
        body="Audit Board", date=dt.date(2024, 6, 6), number="10", title="Later"
    )
    app.minute_item(fill_more)
    proof = prove_inclusion(app, 5)
    assert inclusion_holds(proof)
    doc = prove_consistency(app, old)
    new = parse_digest(doc["to"]["digest"])
    assert verify_consistency(
        old.size, new.size, old.root, new.root, [bytes.fromhex(h) for h in doc["proof"]]
    )
    assert verify(app, old).ok


@given(
    st.integers(0, 2**63),
    st.uuids(),
    st.integers(0, 2**40),
    st.text(max_size=40),
    st.binary(max_size=200),
)
def test_the_fast_leaf_equals_the_documented_leaf(
    position: int, record: uuid.UUID, version: int, topic: str, state: bytes
) -> None:
    expected = leaf_hash(leaf_data(position, str(record), version, topic, state))
    assert fast_leaf(position, canonical_id(record.hex), version, topic, state) == expected
    assert fast_leaf(position, canonical_id(record), version, topic, state) == expected
