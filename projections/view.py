"""Views: tracking recorders that keep documents, written with their tracking in one transaction.

:class:`DocumentView` is the dialect-free part; :class:`SQLiteDocumentView` and
:class:`PostgresDocumentView` add it to the library's ``SQLiteTrackingRecorder``
and ``PostgresTrackingRecorder`` (so ``_insert_tracking`` runs in the same
transaction as the rows, and the library's TrackingRecorder suite applies).

A commit by a runner first checks that its generation is still the live one;
a rebuild's swap makes the old runner's next commit raise :class:`ViewSwappedError`.
Commits do not wait for the disk (``synchronous=NORMAL`` on SQLite's WAL,
``synchronous_commit=off`` on PostgreSQL): a crash can lose the last few
commits of a view, never half of one, and the runner then replays from its
tracked position.  On SQLite that is a setting of the views' own connections
(their datastore is never the application's); the event log's stays ``FULL``.

On PostgreSQL a commit is sent in pipeline mode (:func:`_commit_pipelined`): the
whole transaction in two round trips instead of one per statement, the commit
being what a change waits on before it shows in a view.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import weakref
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    ProgrammingError,
    Tracking,
    TrackingRecorder,
)
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import (
    SQLiteConnection,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
    SQLiteTransaction,
)
from psycopg import Connection, Pipeline
from psycopg import Cursor as PgCursor
from psycopg.pq import ExecStatus, TransactionStatus
from psycopg.rows import DictRow
from psycopg.sql import SQL

from projections import generations
from projections.locks import lock_key
from projections.sql import Cursor, Dialect, DocumentTable, Row
from service.store.recorders import (
    PIPELINE_MAX_BYTES,
    _Turns,
    persistence_error,
    sqlite_signal_key,
    sqlite_turn,
)


class ViewSwappedError(Exception):
    """A rebuild made another generation of this view live: this runner must restart."""


class DocumentView(TrackingRecorder):
    view_name: str = ""
    datastore: Any
    dialect: Dialect
    table: DocumentTable
    generation: int
    check_live: bool

    def _setup(
        self, view_name: str | None, dialect: Dialect, generation: int | None, check_live: bool
    ) -> None:
        self.view_name = view_name or type(self).view_name
        if not self.view_name:
            raise ValueError(f"{type(self).__name__} needs a view name")
        self.dialect = dialect
        self.check_live = check_live
        self.generation = generation if generation is not None else self.live_generation()
        self.table = DocumentTable(dialect, self.view_name, self.generation)

    def live_generation(self) -> int:
        """The generation readers use now (registering generation 1 for a new view)."""
        try:
            with self.read_transaction() as c:
                found = generations.live(c, self.dialect, self.view_name)
        except (OperationalError, ProgrammingError):
            found = None
        if found is not None:
            return found
        with self.write_transaction(check_live=False) as c:
            return generations.ensure(c, self.dialect, self.view_name)

    # Dialect hooks ------------------------------------------------------------------

    def read_transaction(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    def write_transaction(self, *, check_live: bool) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    if TYPE_CHECKING:  # supplied by the library's tracking recorder later in the MRO

        def _insert_tracking(self, c: Any, tracking: Tracking) -> None: ...

    # Writing ------------------------------------------------------------------------

    def commit(
        self, upserts: Sequence[Row], deletes: Sequence[tuple[str, str]], tracking: Tracking
    ) -> None:
        """The rows and the tracking record, in one transaction (or nothing)."""
        with self.write_transaction(check_live=self.check_live) as c:
            self.write(c, upserts, deletes, tracking)

    def guard_live(self, c: Cursor) -> None:
        """Inside a write transaction: raise :class:`ViewSwappedError` unless this view's
        generation is still the live one (and, where a swap could race, keep it so)."""
        self._check_live(c)

    def write(
        self,
        c: Cursor,
        upserts: Sequence[Row],
        deletes: Sequence[tuple[str, str]],
        tracking: Tracking,
    ) -> None:
        self.table.write(c, upserts, deletes)
        self._insert_tracking(c, tracking)

    def _check_live(self, c: Cursor) -> None:
        swapped = self._swapped(generations.live(c, self.dialect, self.view_name))
        if swapped is not None:
            raise swapped

    def _swapped(self, live: int | None) -> ViewSwappedError | None:
        """The error for a commit that found generation ``live`` live (None: not swapped)."""
        if live is not None and live != self.generation:
            return ViewSwappedError(
                f"view {self.view_name!r}: generation {live} is live now, not {self.generation}"
            )
        return None

    def drop_tables(self) -> None:
        with self.write_transaction(check_live=False) as c:
            for statement in self.table.drop():
                c.execute(statement)

    # Reading ------------------------------------------------------------------------

    def get_row(self, kind: str, key: str) -> Row | None:
        with self.read_transaction() as c:
            return self.table.get(c, kind, key)

    def rows(self) -> list[Row]:
        with self.read_transaction() as c:
            return self.table.all_rows(c)


#: One view's share of a joint commit: the view, its rows to put and its rows to delete.
ViewWrite = tuple[DocumentView, Sequence[Row], Sequence[tuple[str, str]]]


def commit_views(writes: Sequence[ViewWrite], tracking: Tracking) -> None:
    """Several views' rows, each with its own tracking record, in one transaction.

    The views must share one datastore (one database).  All or nothing: a view
    swapped by a rebuild meanwhile fails the whole commit with
    :class:`ViewSwappedError`, and each view later resumes from its own tracking
    record, so exactly-once holds for every view.  Why: the views following the
    log in one process commit together after each batch, which on SQLite is one
    write turn and one ``BEGIN``/``COMMIT`` instead of one per view — the turns
    the application's writer (and so every clerk) otherwise waits behind.
    """
    if not writes:
        return
    if _commit_pipelined(writes, tracking):
        return
    with writes[0][0].write_transaction(check_live=False) as c:
        for view, upserts, deletes in writes:
            if view.check_live:
                view.guard_live(c)
            view.write(c, upserts, deletes, tracking)


#: The views' connections already set to ``synchronous=NORMAL`` (a statement, and a
#: release and retake of the GIL, saved on every commit after a connection's first).
_relaxed: weakref.WeakSet[SQLiteConnection] = weakref.WeakSet()


class _Immediate(SQLiteTransaction):
    """BEGIN IMMEDIATE: the write lock is taken first, so the generation read stays true.

    The view's connection commits without waiting for the disk (``synchronous=NORMAL``:
    in WAL mode a commit is still all or nothing, and one lost in a power failure is
    replayed from the view's tracked position).  A setting of this connection only: the
    views' datastore is never the application's, whose writer stays at ``FULL``.
    """

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            if self.connection not in _relaxed:  # a setting of the connection: once each
                cursor.execute("PRAGMA synchronous=NORMAL")
                _relaxed.add(self.connection)
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise OperationalError(e) from e
        return cursor


class SQLiteDocumentView(DocumentView, SQLiteTrackingRecorder):
    #: SQLite's page cache for this view's writes, in KiB (None: SQLite's default, 2 MB).
    cache_kib: int | None = None

    def __init__(
        self,
        datastore: SQLiteDatastore,
        *,
        view_name: str | None = None,
        generation: int | None = None,
        check_live: bool = True,
        **kwargs: Any,
    ) -> None:
        self.datastore = datastore
        self._setup(view_name, Dialect("sqlite"), generation, check_live)
        super().__init__(datastore, **kwargs)
        t = self.dialect.name(self.table.tracking)
        self.insert_tracking_statement = (
            f"INSERT INTO {t} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {t} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        tracking = self.dialect.name(self.table.tracking)
        return [
            generations.ddl(self.dialect),
            *self.table.create(),
            f"CREATE TABLE IF NOT EXISTS {tracking} (application_name TEXT, "
            "notification_id INTEGER, PRIMARY KEY (application_name)) WITHOUT ROWID",
        ]

    @contextmanager
    def read_transaction(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=False) as c:
            yield c

    def get_row(self, kind: str, key: str) -> Row | None:
        """One row in one statement: SQLite reads a statement run outside a transaction as
        a transaction of its own, so no ``BEGIN`` and ``ROLLBACK`` around it (a view's
        handlers ask for each document not yet in their cache: two statements, and two
        releases and retakes of the GIL, saved on each)."""
        with self.datastore.get_connection(commit=False) as conn:
            cursor = SQLiteCursor(conn._sqlite_conn.cursor())
            try:
                return self.table.get(cursor, kind, key)
            except sqlite3.Error as e:
                raise persistence_error(e) from e
            finally:
                cursor.sqlite_cursor.close()

    @functools.cached_property
    def _turns(self) -> _Turns:
        # The database file is fixed for the view's life: resolve its path once
        # (``realpath`` is several system calls, once per commit otherwise).
        return sqlite_turn(sqlite_signal_key(self.datastore.pool.db_name))

    @contextmanager
    def write_transaction(self, *, check_live: bool) -> Iterator[Cursor]:
        with self._turns.turn(), self.datastore.get_connection(commit=True) as conn:
            assert isinstance(conn, SQLiteConnection)
            with _Immediate(conn, commit=True) as c, c:
                if self.cache_kib is not None:
                    c.execute(f"PRAGMA cache_size = -{int(self.cache_kib)}")
                if check_live:
                    self._check_live(c)
                yield c


class PostgresDocumentView(DocumentView, PostgresTrackingRecorder):
    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        view_name: str | None = None,
        generation: int | None = None,
        check_live: bool = True,
        tracking_table_name: str | None = None,  # named after the generation instead
        **kwargs: Any,
    ) -> None:
        self.datastore = datastore
        self._setup(view_name, Dialect("postgres", datastore.schema), generation, check_live)
        super().__init__(datastore, tracking_table_name=self.table.tracking, **kwargs)
        self._rendered_tracking: bytes | None = None
        self.sql_create_statements.extend(
            SQL(s).format() for s in (generations.ddl(self.dialect), *self.table.create())
        )

    @property
    def generation_lock(self) -> int:
        return lock_key(self.datastore.schema, self.view_name, "generation")

    def commit(
        self, upserts: Sequence[Row], deletes: Sequence[tuple[str, str]], tracking: Tracking
    ) -> None:
        """The rows and the tracking record, in one transaction (or nothing): pipelined."""
        if not _commit_pipelined([(self, upserts, deletes)], tracking):
            super().commit(upserts, deletes, tracking)

    @functools.cached_property
    def _live_statement(self) -> bytes:
        return f"SELECT live FROM {self.dialect.name(generations.TABLE)} WHERE name = %s".encode()

    def _tracking_statement(self, conn: Connection[DictRow]) -> bytes:
        """The library's tracking insert, rendered once (psycopg renders a ``Composed`` on
        every execute)."""
        if self._rendered_tracking is None:
            self._rendered_tracking = self.insert_tracking_statement.as_bytes(conn)
        return self._rendered_tracking

    @contextmanager
    def read_transaction(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=False) as c:
            yield c

    def guard_live(self, c: Cursor) -> None:
        # Shared with other commits; a swap takes it exclusively (projections.rebuild).
        c.execute("SELECT pg_advisory_xact_lock_shared(%s)", (self.generation_lock,))
        self._check_live(c)

    @contextmanager
    def write_transaction(self, *, check_live: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=True) as c:
            c.execute("SET LOCAL synchronous_commit = off")
            if check_live:
                self.guard_live(c)
            yield c


# PostgreSQL: a commit in two round trips ---------------------------------------------------


@functools.cache
def _pipelinable(cls: type[PostgresDocumentView]) -> bool:
    """Whether ``cls`` writes as this module does: a subclass that changes how a commit
    checks its generation, writes or tracks keeps the transaction of :meth:`write_transaction`
    (its hooks are what it means, e.g. a test's crash between the rows and the tracking)."""
    insert_tracking: object = cls._insert_tracking  # typed on DocumentView for its callers
    return (
        cls.write is DocumentView.write
        and cls.guard_live is PostgresDocumentView.guard_live
        and cls._check_live is DocumentView._check_live
        and insert_tracking is PostgresTrackingRecorder._insert_tracking
        and cls.write_transaction is PostgresDocumentView.write_transaction
    )


def _payload_bytes(writes: Sequence[ViewWrite], limit: int) -> int:
    """About the bytes of parameters a commit sends (counting stops once above ``limit``).

    A value the table refuses (a NULL in a NOT NULL column) is counted as empty: the
    server refuses it, with the error the old path gave, not this count."""
    total = 0
    for _, upserts, deletes in writes:
        for r in upserts:
            total += len(r.doc or b"") + len(r.kind or "") + len(r.key or "")
            total += len(r.grp or "") + len(r.sort or "") + len(r.f1 or "") + len(r.f2 or "")
        for kind, key in deletes:
            total += len(kind or "") + len(key or "")
        if total > limit:
            break
    return total


_LOCK_SHARED = b"SELECT pg_advisory_xact_lock_shared(%s)"


def _commit_pipelined(writes: Sequence[ViewWrite], tracking: Tracking) -> bool:
    """Commit ``writes`` on PostgreSQL in pipeline mode, or return False to leave them to
    the transaction of :meth:`DocumentView.write_transaction`.

    Why: a change shows in a view once the view's transaction has committed, and that
    transaction was a round trip per statement (BEGIN, ``synchronous_commit``, the
    generation lock and read, the deletes, the upserts, the tracking insert, COMMIT) —
    most of the lag from a command to the views on a loaded server.  Here the
    (autocommit) connection sends the same statements in the same order with one Sync:
    the first round trip brings the generation and the tracking row back; then the
    generation is checked (:class:`ViewSwappedError`) and the tracking row must have been
    recorded (the library's :class:`IntegrityError` for a position not past the view's,
    on which exactly-once rests), and COMMIT goes in the second round trip.  Any error
    rolls the transaction back before the connection goes back to the pool, so it is
    all or nothing as before, with the errors raised as before (a generation found
    swapped before a failing statement is reported as the swap, as the old order of
    checks did).

    Left to the old path: other stores, views of other datastores, a datastore with the
    library's multi-row tracking, subclasses with their own hooks (:func:`_pipelinable`),
    and batches above ``PIPELINE_MAX_BYTES`` (psycopg issue 685: a very large message in
    pipeline mode can hang; as the store's recorder does).
    """
    first = writes[0][0]
    if not isinstance(first, PostgresDocumentView) or not Pipeline.is_supported():
        return False
    datastore: PostgresDatastore = first.datastore
    if not datastore.single_row_tracking:
        return False
    for view, _, _ in writes:
        if (
            not isinstance(view, PostgresDocumentView)
            or view.datastore is not datastore
            or not _pipelinable(type(view))
        ):
            return False
    if _payload_bytes(writes, PIPELINE_MAX_BYTES) > PIPELINE_MAX_BYTES:
        return False
    params = {
        "application_name": tracking.application_name,
        "notification_id": tracking.notification_id,
    }
    # Each view with the cursors of its generation read (None: not checked) and its
    # tracking insert, in the order they were sent.
    sent: list[tuple[PostgresDocumentView, PgCursor[DictRow] | None, PgCursor[DictRow]]] = []
    error: BaseException | None = None
    with datastore.get_connection() as conn:  # maps psycopg's errors to the library's
        try:
            with conn.pipeline() as pipeline:
                try:
                    c = conn.cursor()
                    c.execute(b"BEGIN")
                    c.execute(b"SET LOCAL synchronous_commit = off")
                    for view, upserts, deletes in writes:
                        assert isinstance(view, PostgresDocumentView)
                        live: PgCursor[DictRow] | None = None
                        if view.check_live:  # as guard_live: shared with other commits
                            c.execute(_LOCK_SHARED, (view.generation_lock,), prepare=True)
                            live = conn.cursor()
                            live.execute(view._live_statement, (view.view_name,), prepare=True)
                        view.table.write(c, upserts, deletes)
                        recorded = conn.cursor()
                        recorded.execute(view._tracking_statement(conn), params, prepare=True)
                        sent.append((view, live, recorded))
                    pipeline.sync()
                    for view, live, recorded in sent:
                        if live is not None:
                            found = live.fetchone()
                            swapped = view._swapped(None if found is None else int(found["live"]))
                            if swapped is not None:
                                raise swapped
                        if recorded.fetchone() is None:
                            raise IntegrityError(
                                "Failed to record tracking for "
                                f"{tracking.application_name} {tracking.notification_id}"
                            )
                    c.execute(b"COMMIT")  # sent at the pipeline's exit: the second round trip
                except BaseException as e:  # raised after the pipeline's exit (no warning)
                    error = e
        except BaseException as e:
            error = error or e
        if error is not None:
            if conn.info.transaction_status != TransactionStatus.IDLE and not conn.closed:
                with contextlib.suppress(Exception):
                    conn.execute(b"ROLLBACK")
            raise _swap_before(sent, error)
    return True


def _swap_before(
    sent: Sequence[tuple[PostgresDocumentView, PgCursor[DictRow] | None, PgCursor[DictRow]]],
    error: BaseException,
) -> BaseException:
    """The error a commit reports: a swap its generation read found before the statement
    that failed (the old path checked the generation first, so e.g. the old tables
    dropped after a swap were reported as the swap), else ``error`` itself.  A statement
    after the failing one was not run, and its cursor has no result."""
    if isinstance(error, (ViewSwappedError, IntegrityError)):
        return error
    for view, live, _ in sent:
        result = None if live is None else live.pgresult
        if live is None or result is None or result.status != ExecStatus.TUPLES_OK:
            continue
        live.scroll(0, mode="absolute")  # (read already if the sync went through)
        found = live.fetchone()
        swapped = view._swapped(None if found is None else int(found["live"]))
        if swapped is not None:
            swapped.__cause__ = error
            return swapped
    return error
