"""Small SQL helpers for the server's own tables (tokens, idempotency keys) in the store.

The tables live beside the event store — the SQLite file, or the PostgreSQL
database and schema of the store URL — so one backup holds everything.  SQL is
written with ``?`` placeholders and portable types; PostgreSQL gets ``%s``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from service.errors import StoreUnavailableError
from service.store.url import StoreConfig

Row = tuple[Any, ...]


class SqlStore:
    """Autocommit statements on the store's database, from any thread."""

    def __init__(self, store: StoreConfig) -> None:
        self.kind = store.kind
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pool: ConnectionPool | None = None
        self._sqlite_path = str(store.sqlite_path) if store.sqlite_path else None
        if store.kind == "postgres":
            env = store.env
            kwargs: dict[str, Any] = {
                "dbname": env["POSTGRES_DBNAME"],
                "host": env["POSTGRES_HOST"],
                "port": env["POSTGRES_PORT"],
                "user": env["POSTGRES_USER"],
                "connect_timeout": 5,
                "autocommit": True,
            }
            if env.get("POSTGRES_PASSWORD"):
                kwargs["password"] = env["POSTGRES_PASSWORD"]
            if store.postgres_schema:
                kwargs["options"] = f"-c search_path={store.postgres_schema}"
            self._pool = ConnectionPool(
                kwargs=kwargs, min_size=1, max_size=4, open=False, timeout=10.0
            )
            try:
                self._pool.open(wait=True, timeout=10.0)
            except Exception as e:  # psycopg_pool.PoolTimeout and connection errors
                raise StoreUnavailableError(f"cannot reach PostgreSQL at {store.display}") from e

    def _sqlite(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            assert self._sqlite_path is not None
            conn = sqlite3.connect(
                self._sqlite_path, timeout=10, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _run(self, sql: str, params: Sequence[Any], fetch: bool) -> tuple[int, list[Row]]:
        try:
            if self._pool is None:
                cur = self._sqlite().execute(sql, tuple(params))
                return cur.rowcount, (cur.fetchall() if fetch else [])
            with self._pool.connection() as conn:
                pcur = conn.execute(sql.replace("?", "%s"), tuple(params))
                rows = pcur.fetchall() if fetch and pcur.description else []
                return pcur.rowcount, rows
        except (sqlite3.OperationalError, psycopg.OperationalError) as e:
            raise StoreUnavailableError(f"the store did not answer: {e}") from e

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
        if self._pool is None:
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
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_name,))
            for statement in statements:
                conn.execute(statement)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()
