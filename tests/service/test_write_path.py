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
