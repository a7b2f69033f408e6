"""Application recorders that projections can follow (``subscribe()`` on both stores).

eventsourcing 9.5's SQLite application recorder raises NotImplementedError from
``subscribe()``; :class:`PollingSQLiteRecorder` supplies a polling subscription
and wakes it at once when this process commits.  :class:`ListenPollPostgresRecorder`
keeps LISTEN/NOTIFY and adds a fallback pull (see :mod:`service.store.subscriptions`).

Both also wake the subscriptions of this process that follow the same store as
soon as a write commits (:data:`~service.store.subscriptions.COMMIT_SIGNALS`): the
service runs its views in the process that writes, and a wake-up handed over in
memory costs them no round trip through the server, no listening thread's turn for
the GIL and no wait behind the other processes that share the machine's cores.
PostgreSQL's NOTIFY still wakes followers in other processes.

Select them with the library's recorder-topic setting::

    env["APPLICATION_RECORDER_TOPIC"] = SQLITE_RECORDER_TOPIC   # or POSTGRES_RECORDER_TOPIC

Neither overrides ``_insert_events``: subclasses (e.g. the audit ledger's
recorders) extend it and call ``super()`` as usual.

Both write a transaction with fewer layers than the library (the write path runs
once per command, next to one commit): SQLite without the library's nested context
managers (same statements, same error translation) and, on a file database, through
a connection of the recorder's own instead of the pool's writer (see
:meth:`PollingSQLiteRecorder._write`); PostgreSQL in two round trips
instead of five, with the notification sent after the commit (see
:meth:`ListenPollPostgresRecorder._insert_lean`).  A subclass that wraps
``insert_events`` between this class and the library's (the server's bounded
retries) keeps the library's PostgreSQL path.

SQLite has one write lock per database file, and a connection that finds it
taken sleeps (1, 2, 5 … 100 ms) before trying again: a busy writer starves the
projections that follow it.  Within a process, :func:`sqlite_turn` hands out
the write turns in order instead; :class:`PollingSQLiteRecorder` and the views
(:mod:`projections.view`) both take their turn with it, the recorder's ahead of
the views' (clerks wait on its commits; the views may lag a little).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
    Subscription,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteConnection
from eventsourcing.utils import retry
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Composed, Identifier, Literal

from service.store.subscriptions import (
    COMMIT_SIGNALS,
    ListenPollSubscription,
    PollingSubscription,
)

SQLITE_RECORDER_TOPIC = "service.store.recorders:PollingSQLiteRecorder"
POSTGRES_RECORDER_TOPIC = "service.store.recorders:ListenPollPostgresRecorder"


#: sqlite3's errors as the library translates them (eventsourcing.sqlite.SQLiteTransaction).
_SQLITE_ERRORS: tuple[tuple[type[sqlite3.Error], type[PersistenceError]], ...] = (
    (sqlite3.InterfaceError, InterfaceError),
    (sqlite3.DataError, DataError),
    (sqlite3.OperationalError, OperationalError),
    (sqlite3.IntegrityError, IntegrityError),
    (sqlite3.InternalError, InternalError),
    (sqlite3.ProgrammingError, ProgrammingError),
    (sqlite3.NotSupportedError, NotSupportedError),
    (sqlite3.DatabaseError, DatabaseError),
)


def persistence_error(error: sqlite3.Error) -> PersistenceError:
    for sqlite_type, ours in _SQLITE_ERRORS:
        if isinstance(error, sqlite_type):
            return ours(error)
    return PersistenceError(error)


def sqlite_signal_key(db_name: str) -> str:
    """One key per database file, however it was named; in-memory names as given."""
    if not db_name or ":memory:" in db_name or "mode=memory" in db_name:
        return f"sqlite:{db_name}"
    path = db_name[len("file:") :].split("?", 1)[0] if db_name.startswith("file:") else db_name
    return f"sqlite:{os.path.realpath(path)}"


def postgres_signal_key(datastore: Any, channel: str) -> str:
    """One key per PostgreSQL log (server, database, schema, table), for in-process wake-ups.

    Two names for one server (``localhost`` and ``127.0.0.1``) give two keys: a
    follower then misses only the in-process wake-up, never the NOTIFY.
    """
    kwargs = getattr(datastore.pool, "kwargs", None) or {}
    where = f"{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('dbname')}"
    return f"postgres:{where}/{datastore.schema}/{channel}"


class _Turns:
    """Write turns handed out in the order they were asked for, with a lane ahead.

    Each waiter gets the turn straight from the one before it (no wake-up of all
    the waiters, no race for the lock).  A ``first`` turn (the application's
    writer: clerks wait on its commit) goes before every ordinary turn not yet
    begun; the ordinary turns (the views, which may lag a little) keep their order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._first: deque[threading.Lock] = deque()
        self._waiting: deque[threading.Lock] = deque()

    @contextmanager
    def turn(self, *, first: bool = False) -> Iterator[None]:
        self.acquire(first=first)
        try:
            yield
        finally:
            self.release()

    def acquire(self, *, first: bool = False) -> None:
        """Wait for the turn (``turn()`` as two calls: release it in a ``finally``)."""
        with self._lock:
            if not self._busy:
                self._busy = True
                return
            waiter = threading.Lock()
            waiter.acquire()
            lane = self._first if first else self._waiting
            lane.append(waiter)
        try:
            waiter.acquire()  # released by the turn before, which hands this one the turn
        except BaseException:  # interrupted while waiting: give up the place, or the turn
            with self._lock:
                queued = waiter in lane
                if queued:
                    lane.remove(waiter)
            if not queued:
                self.release()
            raise

    def release(self) -> None:
        with self._lock:
            lane = self._first or self._waiting
            if lane:
                lane.popleft().release()  # still busy: the turn passes to that waiter
            else:
                self._busy = False


_turns: dict[str, _Turns] = {}
_turns_lock = threading.Lock()


def sqlite_turn(key: str) -> _Turns:
    """The write turns of one SQLite database file in this process."""
    with _turns_lock:
        found = _turns.get(key)
        if found is None:
            found = _turns[key] = _Turns()
        return found


class PollingSQLiteRecorder(SQLiteApplicationRecorder):
    #: Seconds between pulls when nothing in this process signals a commit.
    poll_interval: float = 0.02
    #: The connection this recorder writes events with (a file database; see ``_write``).
    _writer: SQLiteConnection | None = None

    @functools.cached_property
    def signal_key(self) -> str:
        # The database file is fixed for the recorder's life: resolve its path once
        # (``realpath`` costs several system calls, once per commit otherwise).
        return sqlite_signal_key(self.datastore.pool.db_name)

    @functools.cached_property
    def _turns(self) -> _Turns:
        return sqlite_turn(self.signal_key)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        turns = self._turns
        turns.acquire(first=True)  # (``turns.turn()`` less its generator: once per commit)
        try:
            positions = self._write(stored_events, **kwargs)  # committed on return
        finally:
            turns.release()
        COMMIT_SIGNALS.notify(self.signal_key, positions[-1] if positions else None)
        return positions

    def _write(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's ``insert_events`` transaction, without its layers of context managers.

        Same statements (``BEGIN``, the recorder's ``_insert_events``, ``COMMIT``), same
        rollback on any error and the same translation of ``sqlite3`` errors into the
        library's persistence errors.

        A file database is written through a connection of the recorder's own, made by
        the pool as it makes its connections (same settings), instead of the pool's
        writer: getting and returning that costs the pool's semaphore, conditions and
        writer lock, every commit, to exclude writers that the write turns (taken
        around this call) already exclude in this process, and that SQLite's lock
        excludes between processes (as it does for any other connection of the pool
        that writes, e.g. a snapshot's).  An in-memory database keeps the pool's
        writer (its connections share a cache, whose locks do not wait), and a closed
        pool still refuses the write.
        """
        pool = self.datastore.pool
        writer = self._writer
        if writer is None or pool.closed:
            writer = self._own_writer(pool)
        connection = writer if writer is not None else pool.get_connection(is_writer=True)
        try:
            raw: sqlite3.Connection = connection._sqlite_conn
            cursor = raw.cursor()
            try:
                try:
                    cursor.execute("BEGIN")
                    positions = self._insert_events(cursor, stored_events, **kwargs)  # type: ignore[arg-type]
                except BaseException:
                    raw.rollback()
                    raise
                raw.commit()
            except sqlite3.Error as e:
                raise persistence_error(e) from e
            finally:
                cursor.close()
        finally:
            if connection is not writer:
                pool.put_connection(connection)
        return positions

    def _own_writer(self, pool: Any) -> SQLiteConnection | None:
        """The recorder's own writing connection: made on first use, for a file database
        whose pool is open (``None`` otherwise: write through the pool)."""
        if pool.closed:
            self.close_writer()
            return None
        if pool.is_sqlite_memory_mode:
            return None
        # The pool's own factory method: the same connection settings as its connections.
        self._writer = pool._create_connection()
        return self._writer

    def close_writer(self) -> None:
        """Close the recorder's own writing connection, if any (the pool closes the rest)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(
            self, gt, topics, poll_interval=self.poll_interval, signal_key=self.signal_key
        )


def _as_bytes(statement: Any, conn: Any) -> bytes:
    if isinstance(statement, bytes):
        return statement
    if isinstance(statement, str):
        return statement.encode()
    rendered: bytes = statement.as_bytes(conn)
    return rendered


#: Larger batches go through the library's array insert.
MULTI_ROW_MAX = 10_000
#: Multi-row INSERTs of up to this many rows are prepared on the server (the usual sizes).
MULTI_ROW_PREPARED = 8
#: Batches of events larger than this (bytes of stored state) are written without
#: pipeline mode (psycopg issue 685: a very large message in pipeline mode can hang).
PIPELINE_MAX_BYTES = 512 * 1024


def store_channel(schema: str, table: str) -> str:
    """The NOTIFY channel of one log: its schema and table, at most 63 bytes.

    Channels belong to the database, not to a schema: the library names the channel
    after the table alone, so every store in the database (each schema of a shared
    server, each test's) woke every other store's followers, and each wake-up cost
    them an empty pull.  PostgreSQL refuses (``pg_notify``) or cuts (``LISTEN``) a
    longer name, so a long one keeps a digest of the whole.
    """
    name = f"{schema}.{table}"
    if len(name.encode()) <= 63:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{name.encode()[:46].decode(errors='ignore')}.{digest}"


class ListenPollPostgresRecorder(PostgresApplicationRecorder):
    #: Seconds between pulls when no notification arrives (a lost NOTIFY costs at most this).
    fallback_interval: float = 1.0

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        if not datastore.enable_db_functions:  # whose insert function has the channel built in
            self.channel_name = store_channel(datastore.schema, self.events_table_name)

    @functools.cached_property
    def _defers_insert(self) -> bool:
        """Whether a subclass between us and the library's recorder wraps ``insert_events``
        (e.g. the server's bounded retries): it then keeps the library's path, unchanged."""
        mro = type(self).__mro__
        between = mro[
            mro.index(ListenPollPostgresRecorder) + 1 : mro.index(PostgresApplicationRecorder)
        ]
        return any("insert_events" in vars(k) for k in between)

    @functools.cached_property
    def signal_key(self) -> str:
        return postgres_signal_key(self.datastore, self.channel_name)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids: Sequence[int] | None
        if self._defers_insert or not stored_events:
            ids = super().insert_events(stored_events, **kwargs)
        else:
            ids = self._insert_with_retries(stored_events, **kwargs)
        if stored_events:  # committed: wake this process's followers without the NOTIFY's trip
            COMMIT_SIGNALS.notify(self.signal_key, ids[-1] if ids else None)
        return ids

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def _insert_with_retries(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        return self._insert_lean(stored_events, **kwargs)

    def _insert_lean(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's statements and hooks in two round trips instead of five.

        The library runs ``conn.transaction()`` inside ``conn.pipeline()``; psycopg then
        nests pipelines around the transaction's start and end, and each nesting is a
        Sync — a round trip.  Here the (autocommit) connection sends ``BEGIN`` and
        ``COMMIT`` itself: the first Sync brings the notification ids (and raises any
        integrity error), the second, at the pipeline's exit, commits; on an error the
        transaction is rolled back before the connection goes back to the pool.

        The table lock is taken as the library takes it.  The notification goes right
        after the COMMIT, in the same round trip, in a transaction of its own: inside
        the events' transaction it would hold PostgreSQL's cluster-wide notification
        lock from the commit's start to the end of its WAL flush, so every notifying
        commit on the server would wait for the others' flushes.  A follower woken by
        it finds the events committed; if the process dies between the two, the
        followers' periodic pull (``fallback_interval``) brings the events.
        """
        ids: Sequence[int] | None = None
        error: BaseException | None = None
        pipelined = sum(len(e.state) for e in stored_events) <= PIPELINE_MAX_BYTES
        with self.datastore.get_connection() as conn:  # maps psycopg's errors to the library's
            try:
                with conn.pipeline() if pipelined else contextlib.nullcontext() as pipeline:
                    try:
                        with conn.cursor() as first, conn.cursor() as curs:
                            first.execute(b"BEGIN")
                            self._insert_events(first, stored_events, **kwargs)
                            for lock in self._rendered(conn, "lock", self.lock_table_statements):
                                curs.execute(lock, prepare=True)  # as the library's _lock_table
                            self._insert_rows(curs, stored_events)
                            if pipeline is not None:
                                pipeline.sync()
                            ids = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
                            first.execute(b"COMMIT")  # sent with the leaves at the pipeline's exit
                            (notify,) = self._rendered(conn, "notify", [self._notify_statement])
                            # The last position as payload: a follower that has pulled it
                            # already (woken in-process) need not pull again.
                            last = str(ids[-1]) if ids else ""
                            first.execute(notify, (last,), prepare=True)
                    except Exception as e:  # raised after the pipeline's exit (no warning)
                        error = e
            except Exception as e:
                error = error or e
            if error is not None:
                if conn.info.transaction_status != TransactionStatus.IDLE and not conn.closed:
                    with contextlib.suppress(Exception):
                        conn.execute(b"ROLLBACK")
                raise error
        return ids

    def _insert_rows(self, curs: Any, stored_events: Sequence[StoredEvent]) -> None:
        """The rows in one multi-row INSERT … RETURNING notification_id.

        The library inserts an array of a composite type through ``unnest``, which
        psycopg adapts value by value in Python; plain parameters are adapted in C.
        The ids come back in the rows' order, as the library's statement assumes too.
        """
        n = len(stored_events)
        if n > MULTI_ROW_MAX:  # PostgreSQL takes at most 65,535 parameters a statement
            PostgresAggregateRecorder._insert_stored_events(self, curs, stored_events)
            return
        statement = self._insert_statements.get(n)
        if statement is None:
            rows = SQL(", ").join([SQL("(%s, %s, %s, %s)")] * n)
            composed = SQL(
                "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
                "VALUES {2} RETURNING notification_id"
            ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name), rows)
            statement = self._insert_statements[n] = composed.as_bytes(curs.connection)
        params: list[Any] = []
        for e in stored_events:
            params += (e.originator_id, e.originator_version, e.topic, e.state)
        curs.execute(statement, params, prepare=n <= MULTI_ROW_PREPARED)

    @functools.cached_property
    def _insert_statements(self) -> dict[int, bytes]:
        return {}

    def _rendered(self, conn: Any, key: str, statements: Sequence[Any]) -> list[bytes]:
        """Statements rendered once (psycopg renders a ``Composed`` on every execute)."""
        found = self._rendered_statements.get(key)
        if found is None:
            found = self._rendered_statements[key] = [
                s
                if isinstance(s, bytes)
                else s.encode()
                if isinstance(s, str)
                else s.as_bytes(conn)
                for s in statements
            ]
        return found

    @functools.cached_property
    def _rendered_statements(self) -> dict[str, list[bytes]]:
        return {}

    @functools.cached_property
    def _notify_statement(self) -> Composed:
        # Its own (implicit) transaction, committed without waiting for a WAL flush:
        # PostgreSQL gives a notifying transaction an id, so a plain NOTIFY here would
        # cost a second flush per write.  The events' transaction, committed just
        # before, keeps its full durability; a wake-up lost in a crash costs a
        # follower one fallback pull.
        return SQL(
            "SELECT set_config('synchronous_commit', 'off', true), pg_notify({0}, %s)"
        ).format(Literal(self.channel_name))

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return ListenPollSubscription(
            self, gt, topics, fallback_interval=self.fallback_interval, signal_key=self.signal_key
        )
