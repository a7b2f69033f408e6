"""PostgreSQL views commit a batch in pipeline mode: still all or nothing, with the same
errors as the one-statement-at-a-time transaction (a swap, a position already tracked),
and batches too large for pipeline mode take that old path."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresDatastore

from projections import generations
from projections.minutes import PostgresMinutesView
from projections.sql import Row
from projections.threads import PostgresThreadsView
from projections.view import ViewSwappedError, commit_views
from service.store.recorders import PIPELINE_MAX_BYTES
from tests.conftest import PG_URL
from tests.projections.pg import FreshSchema

pytestmark = pytest.mark.postgres

APP = "Minutebook"


def row(key: str, doc: bytes = b'{"a":1}', grp: str | None = "g") -> Row:
    return Row("note", key, grp, "s", None, None, doc)  # type: ignore[arg-type]


@pytest.fixture
def datastore(schema: FreshSchema) -> Iterator[PostgresDatastore]:
    # One connection: a commit that left it inside a transaction would show in the next.
    store = schema.datastore(pool_size=1, max_overflow=0)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def view(datastore: PostgresDatastore) -> PostgresMinutesView:
    found = PostgresMinutesView(datastore)
    found.create_table()
    return found


@pytest.fixture
def pipelines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the explicit pipelines opened (psycopg's own, inside ``executemany``, are not)."""
    opened: list[int] = []
    original = psycopg.Connection.pipeline

    def counting(self: Any) -> Any:
        opened.append(1)
        return original(self)

    monkeypatch.setattr(psycopg.Connection, "pipeline", counting)
    return opened


def make_live(schema: FreshSchema, name: str, generation: int) -> None:
    """As a rebuild's swap does: another generation of ``name`` becomes live."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(
            f'UPDATE "{schema.name}".{generations.TABLE} SET live = %s WHERE name = %s',
            (generation, name),
        )


@pytest.fixture
def returned(caplog: pytest.LogCaptureFixture) -> Any:
    """``returned(datastore)``: the connection went back to the pool idle, the transaction
    rolled back by the commit itself (the pool rolls back any other, with a warning)."""
    caplog.set_level(logging.WARNING, logger="psycopg.pool")

    def check(datastore: PostgresDatastore) -> bool:
        rolled = [r for r in caplog.records if "rolling back returned" in r.getMessage()]
        with datastore.get_connection() as conn:
            status = conn.info.transaction_status
        return not rolled and status == psycopg.pq.TransactionStatus.IDLE

    return check


def test_a_batch_commits_its_rows_deletes_and_tracking_in_one_pipeline(
    view: PostgresMinutesView, datastore: PostgresDatastore, pipelines: list[int], returned: Any
) -> None:
    view.commit([row("a"), row("b"), row("c")], [], Tracking(APP, 1))
    view.commit([row("a", b'{"a":2}'), row("d")], [("note", "b")], Tracking(APP, 2))
    assert len(pipelines) == 2
    assert [(r.key, r.doc) for r in view.rows()] == [
        ("a", b'{"a":2}'),
        ("c", b'{"a":1}'),
        ("d", b'{"a":1}'),
    ]
    assert view.max_tracking_id(APP) == 2
    assert returned(datastore)


def test_a_statement_failing_mid_batch_leaves_nothing_of_it(
    view: PostgresMinutesView, datastore: PostgresDatastore, pipelines: list[int], returned: Any
) -> None:
    view.commit([row("a")], [], Tracking(APP, 1))
    # The third row breaks NOT NULL on the server, after the delete and two upserts ran.
    with pytest.raises(IntegrityError):
        view.commit([row("b"), row("c"), row("x", grp=None)], [("note", "a")], Tracking(APP, 2))
    assert len(pipelines) == 2
    assert [r.key for r in view.rows()] == ["a"]
    assert view.max_tracking_id(APP) == 1
    assert returned(datastore)  # rolled back before the connection went back to the pool
    view.commit([row("b")], [], Tracking(APP, 2))  # and the next commit is unaffected
    assert [r.key for r in view.rows()] == ["a", "b"]


def test_a_position_already_tracked_is_refused_and_writes_nothing(
    view: PostgresMinutesView, datastore: PostgresDatastore, returned: Any
) -> None:
    view.commit([row("a")], [], Tracking(APP, 5))
    for again in (5, 4):
        with pytest.raises(IntegrityError, match="Failed to record tracking"):
            view.commit([row("b")], [("note", "a")], Tracking(APP, again))
        assert [r.key for r in view.rows()] == ["a"]
        assert view.max_tracking_id(APP) == 5
        assert returned(datastore)


def test_a_swapped_generation_raises_and_writes_nothing(
    schema: FreshSchema, view: PostgresMinutesView, datastore: PostgresDatastore, returned: Any
) -> None:
    view.commit([row("a")], [], Tracking(APP, 1))
    make_live(schema, "minutes", view.generation + 1)
    with pytest.raises(ViewSwappedError, match="generation 2 is live now"):
        view.commit([row("b")], [("note", "a")], Tracking(APP, 2))
    assert [r.key for r in view.rows()] == ["a"]
    assert view.max_tracking_id(APP) == 1
    assert returned(datastore)


def test_a_swap_whose_old_tables_are_dropped_is_still_reported_as_the_swap(
    schema: FreshSchema, view: PostgresMinutesView
) -> None:
    """The generation is read before the writes fail on the missing tables."""
    make_live(schema, "minutes", view.generation + 1)
    view.drop_tables()
    with pytest.raises(ViewSwappedError):
        view.commit([row("b")], [], Tracking(APP, 2))


def test_a_commit_during_a_swap_waits_for_it_then_finds_it(
    schema: FreshSchema, view: PostgresMinutesView
) -> None:
    outcome: list[BaseException | None] = []

    def commit() -> None:
        try:
            view.commit([row("b")], [], Tracking(APP, 2))
            outcome.append(None)
        except BaseException as e:
            outcome.append(e)

    with psycopg.connect(PG_URL) as swap:  # a rebuild's swap: the lock, exclusively
        swap.execute("SELECT pg_advisory_xact_lock(%s)", (view.generation_lock,))
        swap.execute(
            f'UPDATE "{schema.name}".{generations.TABLE} SET live = %s WHERE name = %s',
            (view.generation + 1, "minutes"),
        )
        thread = threading.Thread(target=commit)
        thread.start()
        time.sleep(0.3)
        assert outcome == []  # held off by the swap's lock
        swap.commit()
    thread.join(timeout=10)
    assert len(outcome) == 1 and isinstance(outcome[0], ViewSwappedError)
    assert view.rows() == []
    assert view.max_tracking_id(APP) is None


def test_a_joint_commit_with_one_view_swapped_writes_nothing_for_any(
    schema: FreshSchema, datastore: PostgresDatastore, view: PostgresMinutesView, returned: Any
) -> None:
    threads = PostgresThreadsView(datastore)
    threads.create_table()
    commit_views([(view, [row("a")], []), (threads, [row("a")], [])], Tracking(APP, 1))
    assert threads.max_tracking_id(APP) == view.max_tracking_id(APP) == 1
    make_live(schema, "threads", threads.generation + 1)
    with pytest.raises(ViewSwappedError, match="'threads'"):
        commit_views([(view, [row("b")], []), (threads, [row("b")], [])], Tracking(APP, 2))
    assert [r.key for r in view.rows()] == ["a"]  # the first view's rows: not written
    assert view.max_tracking_id(APP) == 1
    assert returned(datastore)


def test_a_batch_above_the_pipeline_limit_commits_by_the_old_path(
    view: PostgresMinutesView, datastore: PostgresDatastore, pipelines: list[int], returned: Any
) -> None:
    doc = b"x" * 4096
    count = PIPELINE_MAX_BYTES // len(doc) + 10
    view.commit([row(f"k{i:04d}", doc) for i in range(count)], [], Tracking(APP, 1))
    assert pipelines == []  # no pipeline of ours: the statements one by one
    assert len(view.rows()) == count
    assert view.max_tracking_id(APP) == 1
    # The old path refuses a tracked position as the pipelined one does.
    with pytest.raises(IntegrityError):
        view.commit([row(f"k{i:04d}", b"y" * 4096) for i in range(count)], [], Tracking(APP, 1))
    assert {r.doc for r in view.rows()} == {doc}
    assert returned(datastore)
