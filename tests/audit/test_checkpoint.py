"""The ledger head is a checkpoint plus the leaves after it (both stores).

The head row is written only when an append crosses a multiple of
``CHECKPOINT_INTERVAL``; everything that reads the head must still see the
current, complete one: the digest, the proofs, ``verify``, a restarted process and
a second process appending to the same store.  Here the interval is made small so
that every test crosses several checkpoints and stops between them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from service import commands as c
from service.app import Minutebook
from service.audit import ledger
from service.audit.auditor import digest, prove_consistency, prove_inclusion, verify
from service.audit.digest import Digest, parse_digest
from service.audit.ledger import LedgerGapError, col, read_checkpoint, read_frontier
from service.audit.merkle import (
    MerkleFrontier,
    root_from_leaves,
    verify_consistency,
)
from service.store.url import parse_store_url
from tests.audit.proofs import inclusion_holds

DATE = dt.date(2024, 6, 6)


@pytest.fixture(autouse=True)
def small_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger, "CHECKPOINT_INTERVAL", 4)


@pytest.fixture
def two_apps(store_url: str) -> Iterator[tuple[Minutebook, Minutebook]]:
    """Two applications (two processes' worth of caches) on one store."""
    a = Minutebook(parse_store_url(store_url))
    b = Minutebook(parse_store_url(store_url))
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _body(app: Minutebook, name: str) -> None:
    app.register_body(c.RegisterBody(name=name))
    app.schedule_meeting(c.ScheduleMeeting(body=name, date=DATE))


def _item(app: Minutebook, name: str, title: str) -> None:
    app.minute_item(c.MinuteItem(body=name, date=DATE, title=title))


def _read(app: Minutebook, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute(statement, params)
        rows: list[Any] = cursor.fetchall()
    return rows


def _stored_leaves(app: Minutebook) -> list[bytes]:
    sql: ledger.LedgerSQL = app.recorder.ledger_sql  # type: ignore[attr-defined]
    rows = _read(app, sql.select_leaves, (0, 1_000_000))
    assert [int(col(r, 0, "leaf_index")) for r in rows] == list(range(len(rows)))
    return [bytes(col(r, 2, "leaf_hash")) for r in rows]


def _checkpoint_size(app: Minutebook) -> int:
    sql: ledger.LedgerSQL = app.recorder.ledger_sql  # type: ignore[attr-defined]
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        return read_checkpoint(cursor, sql).size


def _assert_head_is_complete(app: Minutebook) -> Digest:
    """The digest is the root over every stored leaf, and verify agrees with it."""
    leaves = _stored_leaves(app)
    now = digest(app)
    assert now == Digest(len(leaves), root_from_leaves(leaves))
    assert now.size == len(app.recorder.select_notifications(1, 1_000_000))
    report = verify(app, now)
    assert report.ok, report.problem
    assert report.digest == str(now)
    return now


def test_the_head_between_checkpoints_is_complete(app: Minutebook) -> None:
    _body(app, "Checkpoint Board")
    sizes = set()
    for n in range(9):  # 2 leaves a command: crosses a multiple of 4 every other command
        _item(app, "Checkpoint Board", f"Item {n}")
        now = _assert_head_is_complete(app)
        checkpoint = _checkpoint_size(app)
        assert checkpoint <= now.size < checkpoint + 2 * ledger.CHECKPOINT_INTERVAL
        sizes.add(now.size - checkpoint)
    assert 0 in sizes and len(sizes) > 1  # stopped both at and between checkpoints


def test_proofs_against_a_head_between_checkpoints(app: Minutebook) -> None:
    _body(app, "Proof Board")
    _item(app, "Proof Board", "First")
    old = _assert_head_is_complete(app)
    assert old.size % ledger.CHECKPOINT_INTERVAL != 0  # a head past its checkpoint
    for n in range(2):
        _item(app, "Proof Board", f"Later {n}")
    new = _assert_head_is_complete(app)
    assert _checkpoint_size(app) < new.size
    for position in (1, old.size, new.size):
        proof = prove_inclusion(app, position)
        assert proof["tree_size"] == new.size and proof["root"] == new.root.hex()
        assert inclusion_holds(proof, new.root)
    doc = prove_consistency(app, old)
    assert parse_digest(doc["to"]["digest"]) == new
    assert verify_consistency(
        old.size, new.size, old.root, new.root, [bytes.fromhex(h) for h in doc["proof"]]
    )


def test_the_head_survives_a_restart_between_checkpoints(store_url: str) -> None:
    app = Minutebook(parse_store_url(store_url))
    try:
        _body(app, "Restart Board")
        _item(app, "Restart Board", "Before")
        before = _assert_head_is_complete(app)
        assert _checkpoint_size(app) < before.size
    finally:
        app.close()
    again = Minutebook(parse_store_url(store_url))
    try:
        assert digest(again) == before
        for n in range(3):  # the restarted writer goes on from the complete head
            _item(again, "Restart Board", f"After {n}")
        after = _assert_head_is_complete(again)
        assert after.size == before.size + 6
        assert verify(again, before).ok
    finally:
        again.close()


def test_two_applications_on_one_store_keep_one_ledger(
    two_apps: tuple[Minutebook, Minutebook],
) -> None:
    a, b = two_apps
    _body(a, "Board A")
    _body(b, "Board B")  # b appends after a: a's cached head is now stale
    for n in range(5):
        # different records: only the ledger's leaf index can make them collide
        _item(a, "Board A", f"A {n}")
        _item(b, "Board B", f"B {n}")
    for app in (a, b):
        assert digest(app) == _assert_head_is_complete(app)
    assert digest(a).size == 2 * (4 + 2 * 5)  # every command stored: 4 events a board, 2 an item


def _event(originator_id: uuid.UUID, version: int) -> StoredEvent:
    return StoredEvent(
        originator_id=originator_id, originator_version=version, topic="t:T", state=b"{}"
    )


def test_a_stale_cached_head_collides_and_writes_nothing(
    two_apps: tuple[Minutebook, Minutebook],
) -> None:
    a, b = two_apps
    x, y = uuid.uuid4(), uuid.uuid4()
    a.recorder.insert_events([_event(x, 1)])  # a caches the head of size 1
    b.recorder.insert_events([_event(y, 1), _event(y, 2), _event(y, 3)])  # crosses 4
    assert _checkpoint_size(b) == 4
    head = digest(b)
    with pytest.raises(IntegrityError):  # a's leaf 1 is taken: no event, leaf or head stored
        a.recorder.insert_events([_event(x, 2)])
    assert digest(a) == head and _checkpoint_size(a) == 4
    assert a.recorder.max_notification_id() == 4
    a.recorder.insert_events([_event(x, 2)])  # the retry reads the head: checkpoint + leaves
    assert _assert_head_is_complete(a).size == 5


def test_a_checkpoint_never_moves_back(app: Minutebook) -> None:
    _body(app, "Forward Board")
    for n in range(3):
        _item(app, "Forward Board", f"Item {n}")
    now = _assert_head_is_complete(app)
    stored = _checkpoint_size(app)
    assert stored >= 4
    sql: ledger.LedgerSQL = app.recorder.ledger_sql  # type: ignore[attr-defined]
    with app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
        cursor.execute(sql.upsert_head, (0, MerkleFrontier().to_bytes()))
    assert _checkpoint_size(app) == stored
    assert digest(app) == now


def test_a_store_with_a_head_written_every_commit_keeps_working(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stores written before the checkpoints have a complete head row: read as one."""
    monkeypatch.setattr(ledger, "CHECKPOINT_INTERVAL", 1)  # the old layout: every commit
    old = Minutebook(parse_store_url(store_url))
    try:
        _body(old, "Old Board")
        _item(old, "Old Board", "Old item")
        before = _assert_head_is_complete(old)
        assert _checkpoint_size(old) == before.size
    finally:
        old.close()
    monkeypatch.setattr(ledger, "CHECKPOINT_INTERVAL", 256)
    new = Minutebook(parse_store_url(store_url))
    try:
        assert digest(new) == before
        _item(new, "Old Board", "New item")
        after = _assert_head_is_complete(new)
        assert _checkpoint_size(new) == before.size < after.size
        assert verify(new, before).ok
    finally:
        new.close()


def test_a_missing_leaf_after_the_checkpoint_stops_the_writer(store_url: str) -> None:
    app = Minutebook(parse_store_url(store_url))
    try:
        _body(app, "Gap Board")
        _item(app, "Gap Board", "Item")  # 6 leaves: checkpoint 4, leaves 4 and 5 after it
        assert _checkpoint_size(app) == 4
        sql: ledger.LedgerSQL = app.recorder.ledger_sql  # type: ignore[attr-defined]
        with app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"DELETE FROM {sql.leaves} WHERE leaf_index = 4")
        with (
            pytest.raises(LedgerGapError),
            app.recorder.datastore.transaction(commit=False) as cursor,  # type: ignore[attr-defined]
        ):
            read_frontier(cursor, sql)
        report = verify(app)
        assert not report.ok and "ledger entry 4 is missing" in (report.problem or "")
    finally:
        app.close()
    again = Minutebook(parse_store_url(store_url))  # no cached head: it reads the ledger
    try:
        last = again.recorder.max_notification_id()
        with pytest.raises(LedgerGapError):
            _item(again, "Gap Board", "Refused")
        assert again.recorder.max_notification_id() == last
    finally:
        again.close()
