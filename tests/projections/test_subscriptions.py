"""Following the log: SQLite by polling (woken at once by this process's commits); PostgreSQL by
LISTEN/NOTIFY with a fallback pull, so a lost notification or a lost connection never stalls it.

On PostgreSQL too this process's commits wake its followers at once, so the tests of the
NOTIFY and of the fallback write as another process would (:class:`OtherProcessRecorder`)."""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from service.store.recorders import ListenPollPostgresRecorder, PollingSQLiteRecorder
from service.store.subscriptions import BatchingSubscription, ListenPollSubscription
from tests.conftest import PG_URL
from tests.projections.pg import FreshSchema


def event() -> StoredEvent:
    return StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic="t", state=b"{}")


def next_within(subscription: BatchingSubscription, seconds: float) -> Notification | None:
    """The next notification, or None if none came within ``seconds``."""
    found: list[Notification] = []
    reader = threading.Thread(target=lambda: found.append(next(subscription)), daemon=True)
    reader.start()
    reader.join(seconds)
    return found[0] if found else None


def test_sqlite_polls_for_commits_from_elsewhere_and_wakes_at_once_for_its_own(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "log.db")
    follower = PollingSQLiteRecorder(SQLiteDatastore(db))
    follower.create_table()
    elsewhere = SQLiteApplicationRecorder(SQLiteDatastore(db))  # no wake-up: another process
    ours = PollingSQLiteRecorder(SQLiteDatastore(db))
    with follower.subscribe(gt=0) as subscription:
        assert isinstance(subscription, BatchingSubscription)
        time.sleep(0.1)
        elsewhere.insert_events([event()])
        assert next_within(subscription, 2.0) is not None
        subscription.poll_interval = 30.0  # from now on only a wake-up can be this quick
        time.sleep(0.1)
        started = time.monotonic()
        ours.insert_events([event()])
        assert next_within(subscription, 2.0) is not None
        assert time.monotonic() - started < 1.0


def test_sqlite_batches_hand_over_what_is_pulled_up_to_a_limit(tmp_path: Path) -> None:
    recorder = PollingSQLiteRecorder(SQLiteDatastore(str(tmp_path / "log.db")))
    recorder.create_table()
    recorder.insert_events([event() for _ in range(25)])
    with recorder.subscribe(gt=0) as subscription:
        assert isinstance(subscription, BatchingSubscription)
        sizes = [len(subscription.next_batch(10)) for _ in range(3)]
    assert sizes == [10, 10, 5]


class DeafSubscription(ListenPollSubscription):
    """Never hears a NOTIFY: every notification is lost."""

    def _listen(self) -> None:
        self._stopping.wait()


class DeafRecorder(ListenPollPostgresRecorder):
    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> DeafSubscription:
        return DeafSubscription(
            self, gt, topics, fallback_interval=self.fallback_interval, signal_key=self.signal_key
        )


class FastFallbackDeafRecorder(DeafRecorder):
    fallback_interval = 0.2


class OtherProcessRecorder(ListenPollPostgresRecorder):
    """Writes as a recorder in another process would: no in-process wake-up reaches this
    process's followers, only the NOTIFY."""

    @functools.cached_property
    def signal_key(self) -> str:
        return f"another process {uuid.uuid4()}"


@pytest.fixture
def pg() -> Iterator[PostgresDatastore]:
    schema = FreshSchema().open()
    datastore = schema.datastore(pool_size=2, max_overflow=4)
    try:
        yield datastore
    finally:
        datastore.close()
        schema.close()


def test_postgres_lost_notifications_delay_but_never_stall(pg: PostgresDatastore) -> None:
    recorder = FastFallbackDeafRecorder(pg, events_table_name="stored_events")
    recorder.create_table()
    elsewhere = OtherProcessRecorder(pg, events_table_name="stored_events")
    with recorder.subscribe(gt=0) as subscription:
        time.sleep(0.3)
        elsewhere.insert_events([event()])  # its NOTIFY is lost, nothing else wakes us
        assert next_within(subscription, 3.0) is not None


class SlowFallbackRecorder(ListenPollPostgresRecorder):
    fallback_interval = 60.0


def _listener_pid(channel: str) -> int | None:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE query = %s AND pid <> pg_backend_pid()",
            (f'LISTEN "{channel}"',),
        ).fetchone()
    return None if row is None else int(row[0])


def _wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_postgres_listen_connection_lost_is_listened_again(pg: PostgresDatastore) -> None:
    table = f"ev_{uuid.uuid4().hex[:12]}"
    recorder = SlowFallbackRecorder(pg, events_table_name=table)
    recorder.create_table()
    elsewhere = OtherProcessRecorder(pg, events_table_name=table)
    channel = recorder.channel_name
    with recorder.subscribe(gt=0) as subscription:
        assert isinstance(subscription, ListenPollSubscription)
        _wait_for(lambda: _listener_pid(channel) is not None)
        first = _listener_pid(channel)
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (first,))
        _wait_for(lambda: subscription.listen_failures >= 1)
        _wait_for(lambda: _listener_pid(channel) not in (None, first))
        time.sleep(0.2)
        elsewhere.insert_events([event()])  # only NOTIFY can bring it in time (fallback: 60 s)
        assert next_within(subscription, 3.0) is not None
