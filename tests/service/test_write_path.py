"""The recorders' lean write path: same rows, same errors, same ledger as the library's path.

SQLite writes a transaction's events in one multi-row INSERT (positions from the
last rowid); PostgreSQL sends BEGIN and COMMIT itself in one pipeline (two round
trips instead of five).  Whatever the path, a conflict stores nothing — no event,
no leaf, no head change — and the next write goes on from the same head.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from service.api.store_policy import ServerPostgresRecorder
from service.app import Minutebook
from service.audit.auditor import verify
from service.audit.recorders import LedgerPostgresRecorder
from service.store.recorders import PIPELINE_MAX_BYTES
from service.store.url import parse_store_url


def _event(originator_id: uuid.UUID, version: int, size: int = 20) -> StoredEvent:
    return StoredEvent(
        originator_id=originator_id, originator_version=version, topic="t:T", state=b"x" * size
    )


def _leaves(app: Minutebook) -> list[tuple[int, int]]:
    recorder: Any = app.recorder
    sql = recorder.ledger_sql
    if app.store.kind == "sqlite":
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(sql.select_leaves, (0, 100_000))
            return [(int(r[0]), int(r[1])) for r in c.fetchall()]
    with recorder.datastore.get_connection() as conn, conn.cursor() as c:
        c.execute(sql.select_leaves, (0, 100_000))
        return [(int(r["leaf_index"]), int(r["position"])) for r in c.fetchall()]


def test_positions_leaves_and_conflicts_on_the_lean_path(store_url: str) -> None:
    app = Minutebook(parse_store_url(store_url))
    try:
        recorder = app.recorder
        a, b = uuid.uuid4(), uuid.uuid4()
        first = list(recorder.insert_events([_event(a, 1), _event(b, 1), _event(a, 2)]) or [])
        stored = recorder.select_notifications(1, 10)
        assert first == [n.id for n in stored]
        assert [(n.originator_id, n.originator_version) for n in stored] == [(a, 1), (b, 1), (a, 2)]
        assert _leaves(app) == list(enumerate(first))
        # a taken version: nothing of the transaction is stored, not even its first event
        with pytest.raises(IntegrityError):
            recorder.insert_events([_event(b, 2), _event(a, 2)])
        assert recorder.max_notification_id() == first[-1]
        assert _leaves(app) == list(enumerate(first))
        # and the next write goes on from the same head, on a healthy connection
        later = list(recorder.insert_events([_event(b, 2)]) or [])
        assert later[0] > first[-1]
        assert _leaves(app) == list(enumerate(first + later))
        assert verify(app).ok
    finally:
        app.close()


def test_a_large_batch_is_written_whole(store_url: str) -> None:
    app = Minutebook(parse_store_url(store_url))
    try:
        size = PIPELINE_MAX_BYTES // 4 + 1  # 5 of these exceed the pipeline limit
        a = uuid.uuid4()
        ids = list(app.recorder.insert_events([_event(a, v, size) for v in range(1, 6)]) or [])
        assert len(ids) == 5
        assert ids == sorted(ids)
        assert [len(n.state) for n in app.recorder.select_notifications(ids[0], 10)] == [size] * 5
        assert verify(app).ok
    finally:
        app.close()


def test_the_server_recorder_keeps_its_own_insert_policy() -> None:
    # The server's bounded retries wrap the library's insert: the lean path steps aside.
    assert "_defers_insert" in dir(ServerPostgresRecorder)
    server = object.__new__(ServerPostgresRecorder)
    plain = object.__new__(LedgerPostgresRecorder)
    assert server._defers_insert is True
    assert plain._defers_insert is False


def test_many_events_in_one_transaction_take_the_library_statements(store_url: str) -> None:
    # Past the multi-row statements' limits (SQLite: 200 rows, PostgreSQL: 10,000 rows).
    app = Minutebook(parse_store_url(store_url))
    try:
        a = uuid.uuid4()
        ids = list(app.recorder.insert_events([_event(a, v, 4) for v in range(1, 10_002)]) or [])
        assert len(ids) == 10_001
        assert ids == sorted(ids)
        assert _leaves(app)[-1] == (10_000, ids[-1])
        assert verify(app).ok
    finally:
        app.close()


def test_write_turns_come_in_order_with_the_writer_first() -> None:
    """Views (ordinary turns) keep their order; the application's writer goes ahead of them."""
    import threading
    import time

    from service.store.recorders import _Turns

    turns = _Turns()
    order: list[str] = []
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with turns.turn():
            holding.set()
            release.wait(5)

    def take(name: str, first: bool) -> None:
        with turns.turn(first=first):
            order.append(name)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(5)
    waiters = []
    for name, first in (("view-1", False), ("view-2", False), ("writer", True)):
        t = threading.Thread(target=take, args=(name, first))
        t.start()
        waiters.append(t)
        time.sleep(0.05)  # queued in this order
    release.set()
    for t in (holder, *waiters):
        t.join(5)
    assert order == ["writer", "view-1", "view-2"]
    with turns.turn():  # free again
        pass


def test_an_interrupted_wait_gives_up_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import types

    from service.store import recorders

    turns = recorders._Turns()

    class Interrupted(Exception):
        pass

    class Failing:
        """A waiter's lock whose wait (its second acquire) is interrupted."""

        def __init__(self) -> None:
            self.lock = threading.Lock()
            self.calls = 0

        def acquire(self) -> bool:
            self.calls += 1
            if self.calls == 2:
                raise Interrupted
            return self.lock.acquire()

        def release(self) -> None:
            self.lock.release()

    with turns.turn():
        monkeypatch.setattr(recorders, "threading", types.SimpleNamespace(Lock=Failing))
        with pytest.raises(Interrupted), turns.turn():
            pass
        monkeypatch.undo()
    with turns.turn():  # nobody is left waiting: the turn is free
        pass


def test_an_sqlite_file_is_written_through_the_recorders_own_connection(tmp_path: Any) -> None:
    """The recorder writes a file database through a connection of its own (not the pool's
    writer, whose locks cost every commit), closed with the application; the pool's
    writer stays free, and a write after the store is closed is still refused."""
    from eventsourcing.persistence import ConnectionPoolClosedError

    app = Minutebook(parse_store_url(f"sqlite:///{tmp_path / 'own.db'}"))
    recorder: Any = app.recorder
    pool = recorder.datastore.pool
    a = uuid.uuid4()
    try:
        positions = list(recorder.insert_events([_event(a, 1), _event(a, 2)]) or [])
        writer = recorder._writer
        assert writer is not None and not writer.closed
        assert pool.num_in_use == 0  # the pool's writer was not taken, and is free
        with recorder.datastore.transaction(commit=True) as c:  # e.g. a snapshot's write
            c.execute("SELECT 1")
        assert list(recorder.insert_events([_event(a, 3)]) or []) == [positions[-1] + 1]
        assert recorder._writer is writer  # one connection for every commit
        with pytest.raises(IntegrityError):  # errors as before, and nothing half-written
            recorder.insert_events([_event(a, 4), _event(a, 3)])
        assert recorder.max_notification_id() == positions[-1] + 1
        assert _leaves(app) == list(enumerate([*positions, positions[-1] + 1]))
    finally:
        app.close()
    assert writer.closed and recorder._writer is None
    with pytest.raises(ConnectionPoolClosedError):  # as the pool's writer refuses it
        recorder.insert_events([_event(a, 4)])


def test_an_in_memory_sqlite_store_keeps_the_pools_writer() -> None:
    from eventsourcing.sqlite import SQLiteDatastore

    from service.audit.recorders import LedgerSQLiteRecorder

    recorder = LedgerSQLiteRecorder(
        SQLiteDatastore(db_name="file:own_writer?mode=memory&cache=shared")
    )
    recorder.create_table()
    a = uuid.uuid4()
    assert list(recorder.insert_events([_event(a, 1)]) or []) == [1]
    assert recorder._writer is None
    recorder.datastore.close()
