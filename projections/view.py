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
tracked position.
"""

from __future__ import annotations

import functools
import sqlite3
import weakref
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import OperationalError, ProgrammingError, Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import (
    SQLiteConnection,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
    SQLiteTransaction,
)
from psycopg.sql import SQL

from projections import generations
from projections.locks import lock_key
from projections.sql import Cursor, Dialect, DocumentTable, Row
from service.store.recorders import _Turns, sqlite_signal_key, sqlite_turn


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
        live = generations.live(c, self.dialect, self.view_name)
        if live is not None and live != self.generation:
            raise ViewSwappedError(
                f"view {self.view_name!r}: generation {live} is live now, not {self.generation}"
            )

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
    with writes[0][0].write_transaction(check_live=False) as c:
        for view, upserts, deletes in writes:
            if view.check_live:
                view.guard_live(c)
            view.write(c, upserts, deletes, tracking)


#: The views' connections already set to ``synchronous=NORMAL`` (a statement, and a
#: release and retake of the GIL, saved on every commit after a connection's first).
_relaxed: weakref.WeakSet[SQLiteConnection] = weakref.WeakSet()


class _Immediate(SQLiteTransaction):
    """BEGIN IMMEDIATE: the write lock is taken first, so the generation read stays true."""

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
        self.sql_create_statements.extend(
            SQL(s).format() for s in (generations.ddl(self.dialect), *self.table.create())
        )

    @property
    def generation_lock(self) -> int:
        return lock_key(self.datastore.schema, self.view_name, "generation")

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
