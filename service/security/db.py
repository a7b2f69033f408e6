"""Small SQL helpers for the server's own tables (tokens, idempotency keys) in the store.

The tables live beside the event store — the SQLite file, or the PostgreSQL
database and schema of the store URL — so one backup holds everything.  SQL is
written with ``?`` placeholders and portable types; PostgreSQL gets ``%s``.

Failing fast matters more here than anywhere: every API request looks its token
up through this class.  On PostgreSQL a connection is made when none is idle
(refused at once while the database is down, made at once when it is back — no
pool back-off to wait out), an idle one is checked before use (a connection
the server killed is dropped, not used), and waiting for one of the few
connections gives up after ``wait`` seconds.  On SQLite the busy timeout is the
store's ``SQLITE_LOCK_TIMEOUT``.  Errors that mean the store is unavailable
become :class:`~service.errors.StoreUnavailableError`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from service.errors import StoreUnavailableError, store_unavailable_reason
from service.store.url import StoreConfig

Row = tuple[Any, ...]
PROBE_TABLE = "minutebook_probe"
PgConnection = psycopg.Connection[tuple[Any, ...]]


class _PgConnections:
    """At most ``size`` connections at a time; idle ones kept, checked before reuse."""

    def __init__(self, kwargs: dict[str, Any], display: str, size: int, wait: float) -> None:
        self.kwargs = kwargs
        self.display = display
        self.wait = wait
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[PgConnection] = []
        self._lock = threading.Lock()
        self._closed = False

    def _connect(self) -> PgConnection:
        try:
            return psycopg.connect(**self.kwargs)
        except psycopg.Error as e:
            raise StoreUnavailableError(f"cannot reach PostgreSQL at {self.display}") from e

    def _take(self) -> PgConnection:
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                return self._connect()
            if conn.closed or conn.broken:
                continue
            try:
                conn.execute("")  # the cheapest round trip: is the session still there?
            except psycopg.Error:
                conn.close()
                continue
            return conn

    @contextmanager
    def connection(self) -> Iterator[PgConnection]:
        if self._closed:
            raise StoreUnavailableError("the store is closed")
        if not self._slots.acquire(timeout=self.wait):
            raise StoreUnavailableError(
                f"no connection to PostgreSQL became free within {self.wait:g} s"
            )
        try:
            conn = self._take()
            try:
                yield conn
            finally:
                if conn.closed or conn.broken or self._closed:
                    conn.close()
                else:
                    with self._lock:
                        self._idle.append(conn)
        finally:
            self._slots.release()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class SqlStore:
    """Autocommit statements on the store's database, from any thread."""

    def __init__(self, store: StoreConfig, *, pg_connections: int = 4, wait: float = 5.0) -> None:
        self.kind = store.kind
        self.display = store.display
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pg: _PgConnections | None = None
        self._sqlite_path = str(store.sqlite_path) if store.sqlite_path else None
        self._sqlite_timeout = float(store.env.get("SQLITE_LOCK_TIMEOUT") or 10)
        if store.kind == "postgres":
            env = store.env
            kwargs: dict[str, Any] = {
                "dbname": env["POSTGRES_DBNAME"],
                "host": env["POSTGRES_HOST"],
                "port": env["POSTGRES_PORT"],
                "user": env["POSTGRES_USER"],
                "connect_timeout": max(2, int(env.get("POSTGRES_CONNECT_TIMEOUT") or 5)),
                "autocommit": True,
                "application_name": "minutebook",
            }
            if env.get("POSTGRES_PASSWORD"):
                kwargs["password"] = env["POSTGRES_PASSWORD"]
            if store.postgres_schema:
                kwargs["options"] = f"-c search_path={store.postgres_schema}"
            self._pg = _PgConnections(kwargs, store.display, pg_connections, wait)
            with self._pg.connection():  # fail now, with one message, if it cannot be reached
                pass

    def _sqlite(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            assert self._sqlite_path is not None
            conn = sqlite3.connect(
                self._sqlite_path,
                timeout=self._sqlite_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _run(self, sql: str, params: Sequence[Any], fetch: bool) -> tuple[int, list[Row]]:
        try:
            if self._pg is None:
                cur = self._sqlite().execute(sql, tuple(params))
                return cur.rowcount, (cur.fetchall() if fetch else [])
            with self._pg.connection() as conn:
                pcur = conn.execute(sql.replace("?", "%s"), tuple(params))
                rows = pcur.fetchall() if fetch and pcur.description else []
                return pcur.rowcount, rows
        except (sqlite3.OperationalError, psycopg.OperationalError, psycopg.InterfaceError) as e:
            reason = store_unavailable_reason(e) or "the store did not answer"
            raise StoreUnavailableError(f"{reason}: {e}") from e

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        return self._run(sql, params, fetch=False)[0]

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._run(sql, params, fetch=True)[1]

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def create(self, lock_name: str, statements: Sequence[str]) -> None:
        """Run ``CREATE … IF NOT EXISTS`` statements once, safely across processes."""
        try:
            if self._pg is None:
                lite = self._sqlite()
                lite.execute("BEGIN IMMEDIATE")
                try:
                    for statement in statements:
                        lite.execute(statement)
                    lite.execute("COMMIT")
                except BaseException:
                    lite.execute("ROLLBACK")
                    raise
                return
            with self._pg.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_name,))
                for statement in statements:
                    conn.execute(statement)
        except (sqlite3.OperationalError, psycopg.OperationalError, psycopg.InterfaceError) as e:
            reason = store_unavailable_reason(e) or "the store did not answer"
            raise StoreUnavailableError(f"{reason}: {e}") from e

    def add_column(self, table: str, column: str, sql_type: str) -> None:
        """Add a column to a table made before it existed (no-op when it is there)."""
        if self._pg is not None:
            self.create(
                table, (f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type}",)
            )
            return
        columns = {str(row[1]) for row in self.fetchall(f"PRAGMA table_info({table})")}
        if column in columns:
            return
        try:
            self.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
        except StoreUnavailableError as e:  # another process may have added it meanwhile
            if "duplicate column" not in str(e):
                raise

    def probe(self, *, write: bool, commit: bool = False, timeout: float = 1.0) -> None:
        """Raise StoreUnavailableError unless the store answers (and, with ``write``, would
        take a write: on SQLite, the write lock and a row of ``minutebook_probe``, rolled
        back unless ``commit`` — a commit also finds a full disk)."""
        if self._pg is not None or not write:
            self.fetchone("SELECT 1")
            return
        assert self._sqlite_path is not None
        try:
            conn = sqlite3.connect(self._sqlite_path, timeout=timeout, isolation_level=None)
            try:
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {PROBE_TABLE} (id INTEGER PRIMARY KEY, at TEXT)"
                )
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute(
                        f"INSERT OR REPLACE INTO {PROBE_TABLE} (id, at) VALUES (1, datetime())"
                    )
                finally:
                    conn.execute("COMMIT" if commit else "ROLLBACK")
            finally:
                conn.close()
        except sqlite3.Error as e:
            reason = store_unavailable_reason(e) or "the store did not answer"
            raise StoreUnavailableError(f"{reason}: {e}") from e

    def close(self) -> None:
        if self._pg is not None:
            self._pg.close()
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()
