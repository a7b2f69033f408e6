"""Finding a leaf by log position without an index on position (SQLite).

New SQLite stores do not index the leaves' position (one WAL page less per
commit); the lookup is a binary search over the leaf index instead.  It must find
every leaf, including after gaps in the positions (a store loaded from a
PostgreSQL export keeps that store's gaps), find nothing for a position that has
no leaf, read O(log n) rows, and work the same on stores created with the index.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest

from service import commands as c
from service.app import Minutebook
from service.audit.auditor import prove_inclusion
from service.audit.ledger import LedgerSQL
from service.store.url import parse_store_url
from tests.audit.proofs import inclusion_holds


def _ledger(positions: list[int]) -> tuple[sqlite3.Connection, LedgerSQL]:
    conn = sqlite3.connect(":memory:")
    sql = LedgerSQL("events", "?", "BLOB")
    for statement in sql.create:
        conn.execute(statement)
    conn.executemany(
        sql.insert_leaf, [(i, p, p.to_bytes(32, "big")) for i, p in enumerate(positions)]
    )
    return conn, sql


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 64, 1000])
def test_every_position_is_found_and_no_other(size: int) -> None:
    rng = random.Random(size)
    positions, p = [], 0
    for _ in range(size):
        p += rng.choice([1, 1, 1, 2, 5])  # gaps, as a sequence leaves them
        positions.append(p)
    conn, sql = _ledger(positions)
    for index, position in enumerate(positions):
        rows = conn.execute(sql.select_leaf_by_position, (position,)).fetchall()
        assert rows == [(index, position.to_bytes(32, "big"))]
    taken = set(positions)
    for missing in [-1, 0, p + 1, p + 100, *(q for q in range(p) if q not in taken)]:
        assert conn.execute(sql.select_leaf_by_position, (missing,)).fetchall() == []


def test_a_new_sqlite_ledger_has_no_position_index_and_searches_by_key() -> None:
    conn, sql = _ledger(list(range(1, 11)))
    assert conn.execute(f"PRAGMA index_list({sql.leaves})").fetchall() == []
    plan = " | ".join(
        str(row[3])
        for row in conn.execute("EXPLAIN QUERY PLAN " + sql.select_leaf_by_position, (3,))
    )
    assert "SCAN m" not in plan and f"SCAN {sql.leaves}" not in plan, plan
    assert "INTEGER PRIMARY KEY" in plan, plan
    # and it reads ~log2(n) rows, not n: the search's steps are bounded by the size
    steps = conn.execute(
        sql.select_leaf_by_position.replace(
            "SELECT leaf_index, leaf_hash FROM", "SELECT (SELECT count(*) FROM s) FROM", 1
        ).rsplit(" AND position", 1)[0],
        (3,),
    ).fetchall()
    assert steps and steps[0][0] <= 6  # 1 + ceil(log2(10))


def test_postgres_keeps_its_unique_position_lookup() -> None:
    sql = LedgerSQL("events", "%s", "BYTEA", schema="s")
    assert "UNIQUE" in sql.create[0]
    assert sql.select_leaf_by_position.endswith("WHERE position = %s")


def _fill(app: Minutebook, name: str, items: int) -> None:
    app.register_body(c.RegisterBody(name=name))
    app.schedule_meeting(c.ScheduleMeeting(body=name, date=dt.date(2024, 6, 6)))
    for n in range(items):
        app.minute_item(c.MinuteItem(body=name, date=dt.date(2024, 6, 6), title=f"Item {n}"))


def test_proofs_on_a_store_created_with_the_position_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(  # the table as stores created before this change have it
        "CREATE TABLE stored_events_merkle_leaves (leaf_index INTEGER PRIMARY KEY, "
        "position BIGINT NOT NULL UNIQUE, leaf_hash BLOB NOT NULL)"
    )
    conn.commit()
    conn.close()
    app = Minutebook(parse_store_url(f"sqlite:///{path}"))
    try:
        _fill(app, "Old Index Board", 3)
        size = app.recorder.max_notification_id()
        assert size == 4 + 2 * 3
        for position in range(1, size + 1):
            proof = prove_inclusion(app, position)
            assert proof["leaf_index"] == position - 1
            assert inclusion_holds(proof)
        with pytest.raises(LookupError):
            prove_inclusion(app, size + 1)
    finally:
        app.close()
    conn = sqlite3.connect(path)
    try:  # the leaves went into the old table, which keeps its index
        assert conn.execute("PRAGMA index_list(stored_events_merkle_leaves)").fetchall()
        (count,) = conn.execute("SELECT count(*) FROM stored_events_merkle_leaves").fetchone()
        assert count == size
    finally:
        conn.close()
