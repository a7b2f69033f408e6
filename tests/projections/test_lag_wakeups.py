"""How PostgreSQL followers are woken: at once by this process's commits, by NOTIFY from other
processes, never by another store's commits, and one pull per commit however often it is announced.

The views run in the process that writes; their lag (commit → visible, issue #7) is a chain
of wake-ups, and every wake-up that brings nothing costs them a query, a round trip and a turn
for the GIL.  Each test here fails if the wake-up it is about is missing or wasted.
"""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Iterator, Sequence

import psycopg
import pytest
from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from service.store.recorders import ListenPollPostgresRecorder, store_channel
from service.store.subscriptions import ListenPollSubscription
from tests.conftest import PG_URL
from tests.projections.pg import FreshSchema

TABLE = "stored_events"


def event() -> StoredEvent:
    return StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic="t", state=b"{}")


class CountingSubscription(ListenPollSubscription):
    """Counts its pulls (queries of the log); ``deaf``: never hears a NOTIFY."""

    deaf = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.pulls = 0
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _pull(self) -> None:
        self.pulls += 1
        super()._pull()

    def _listen(self) -> None:
        if self.deaf:
            self._stopping.wait()
        else:
            super()._listen()


class DeafSubscription(CountingSubscription):
    deaf = True


class Follower(ListenPollPostgresRecorder):
    """Pulls only when woken: its periodic pull is a minute away."""

    fallback_interval = 60.0
    subscription_class: type[CountingSubscription] = CountingSubscription

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> CountingSubscription:
        return self.subscription_class(
            self, gt, topics, fallback_interval=self.fallback_interval, signal_key=self.signal_key
        )


class DeafFollower(Follower):
    subscription_class = DeafSubscription


class OtherProcessRecorder(ListenPollPostgresRecorder):
    """Writes as a recorder in another process would: only its NOTIFY can wake us."""

    @functools.cached_property
    def signal_key(self) -> str:
        return f"another process {uuid.uuid4()}"


def next_within(subscription: CountingSubscription, seconds: float) -> Notification | None:
    found: list[Notification] = []
    reader = threading.Thread(target=lambda: found.append(next(subscription)), daemon=True)
    reader.start()
    reader.join(seconds)
    return found[0] if found else None


def settled(subscription: CountingSubscription, seconds: float = 0.3) -> int:
    """The pull count once no pull has happened for ``seconds``."""
    count = subscription.pulls
    while True:
        time.sleep(seconds)
        if subscription.pulls == count:
            return count
        count = subscription.pulls


@pytest.fixture
def other_schema() -> Iterator[FreshSchema]:
    with FreshSchema() as fresh:
        yield fresh


def datastore(schema: FreshSchema) -> PostgresDatastore:
    return schema.datastore(pool_size=2, max_overflow=4)


def test_this_process_commits_wake_a_follower_that_hears_no_notify(schema: FreshSchema) -> None:
    # Two datastores, as the application's writer and the views' log reader have.
    follower_store, writer_store = datastore(schema), datastore(schema)
    try:
        follower = DeafFollower(follower_store, events_table_name=TABLE)
        follower.create_table()
        writer = ListenPollPostgresRecorder(writer_store, events_table_name=TABLE)
        assert writer.signal_key == follower.signal_key
        with follower.subscribe(gt=0) as subscription:
            time.sleep(0.2)
            started = time.monotonic()
            (position,) = writer.insert_events([event()]) or [0]
            found = next_within(subscription, 5.0)
            assert found is not None and found.id == position
            assert time.monotonic() - started < 1.0  # deaf, with a minute to its next pull
    finally:
        follower_store.close()
        writer_store.close()


def test_another_stores_commits_in_the_same_database_do_not_wake_a_follower(
    schema: FreshSchema, other_schema: FreshSchema
) -> None:
    ours, theirs = datastore(schema), datastore(other_schema)
    try:
        follower = Follower(ours, events_table_name=TABLE)
        follower.create_table()
        other_store = OtherProcessRecorder(theirs, events_table_name=TABLE)
        other_store.create_table()
        assert follower.channel_name != other_store.channel_name
        with follower.subscribe(gt=0) as subscription:
            time.sleep(0.2)
            before = settled(subscription)
            for _ in range(5):
                other_store.insert_events([event()])
            assert settled(subscription) == before  # not one pull for another store's commits
            # While a commit to this store, from another process, is heard at once.
            OtherProcessRecorder(ours, events_table_name=TABLE).insert_events([event()])
            assert next_within(subscription, 5.0) is not None
    finally:
        ours.close()
        theirs.close()


def test_a_commit_announced_twice_costs_one_pull(schema: FreshSchema) -> None:
    follower_store, writer_store = datastore(schema), datastore(schema)
    try:
        follower = Follower(follower_store, events_table_name=TABLE)
        follower.create_table()
        writer = ListenPollPostgresRecorder(writer_store, events_table_name=TABLE)
        with follower.subscribe(gt=0) as subscription:
            time.sleep(0.2)
            before = settled(subscription)
            commits = 10
            written: list[int] = []
            for _ in range(commits):
                written += writer.insert_events([event()]) or []  # in-process, then NOTIFY
                time.sleep(0.05)
            assert [next_within(subscription, 5.0) for _ in written] != [None] * commits
            # Each commit is announced in-process and by its NOTIFY; the second is dropped
            # once the first one's pull has brought the commit (allowing one more pull).
            assert settled(subscription) - before <= commits + 1
    finally:
        follower_store.close()
        writer_store.close()


def test_a_notify_without_a_position_still_wakes(schema: FreshSchema) -> None:
    store = datastore(schema)
    try:
        follower = Follower(store, events_table_name=TABLE)
        follower.create_table()
        library = PostgresApplicationRecorder(store, events_table_name=TABLE)
        with follower.subscribe(gt=0) as subscription:
            time.sleep(0.2)
            library.insert_events([event()])  # the library's NOTIFY names another channel
            with psycopg.connect(PG_URL, autocommit=True) as conn:  # as older writers send it
                conn.execute(
                    psycopg.sql.SQL("NOTIFY {0}").format(
                        psycopg.sql.Identifier(follower.channel_name)
                    )
                )
            assert next_within(subscription, 5.0) is not None
    finally:
        store.close()


def test_channels_name_the_schema_and_fit_postgres_limit() -> None:
    assert store_channel("a", TABLE) != store_channel("b", TABLE)
    long_a, long_b = "s" * 60 + "a", "s" * 60 + "b"
    assert store_channel(long_a, TABLE) != store_channel(long_b, TABLE)
    assert all(len(store_channel(s, TABLE).encode()) <= 63 for s in (long_a, long_b, "a"))
