"""Exactly one runner per view (and one rebuild at a time): a lock per view, held while running.

PostgreSQL: a session advisory lock on a connection of its own (released when the
process dies).  SQLite: an exclusive ``flock`` on a file beside the database
(released when the process dies), with the holder's pid and host written in it.
A second runner is refused with :class:`ViewLockedError`, naming the holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import socket
from pathlib import Path
from typing import IO

import psycopg

from service.store.url import StoreConfig


class ViewLockedError(Exception):
    """Another process runs (or rebuilds) this view."""


def lock_key(*parts: str) -> int:
    """A signed 64-bit key for pg advisory locks, stable across processes."""
    digest = hashlib.sha256(":".join(("minutebook", *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ViewLocks:
    """Locks for views of one store, taken one by one and released together."""

    def __init__(self, store: StoreConfig, purpose: str = "runner") -> None:
        self.store = store
        self.purpose = purpose
        self._files: dict[str, IO[str]] = {}
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self._held: set[str] = set()

    def acquire(self, name: str) -> None:
        """Take the lock of view ``name`` or raise ViewLockedError saying who has it."""
        if name in self._held:
            return
        if self.store.kind == "sqlite":
            self._acquire_file(name)
        else:
            self._acquire_advisory(name)
        self._held.add(name)

    def release_all(self) -> None:
        for handle in self._files.values():
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        self._files.clear()
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
        self._held.clear()

    # SQLite -----------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        db = self.store.sqlite_path
        assert db is not None
        return db.with_name(f"{db.name}.{name}.{self.purpose}.lock")

    def _acquire_file(self, name: str) -> None:
        path = self._path(name)
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ViewLockedError(self._message(name, holder, str(path))) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        self._files[name] = handle

    # PostgreSQL ---------------------------------------------------------------------

    def _connection(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._conn is None:
            env = self.store.env
            self._conn = psycopg.connect(
                dbname=env["POSTGRES_DBNAME"],
                host=env["POSTGRES_HOST"],
                port=env["POSTGRES_PORT"],
                user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"] or None,
                connect_timeout=5,
                autocommit=True,
                application_name=f"minutebook projections {self.purpose} (pid {os.getpid()})",
            )
        return self._conn

    def _acquire_advisory(self, name: str) -> None:
        key = lock_key(self.store.postgres_schema or "public", name, self.purpose)
        conn = self._connection()
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        if row and row[0]:
            return
        holder = conn.execute(
            "SELECT a.pid, a.application_name, a.client_addr FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.objsubid = 1 "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = %s",
            (key,),
        ).fetchone()
        who = (
            f"PostgreSQL backend pid {holder[0]} ({holder[1] or 'no application name'}"
            f"{', from ' + str(holder[2]) if holder[2] else ''})"
            if holder
            else "another session"
        )
        raise ViewLockedError(self._message(name, who, f"advisory lock {key}"))

    def _message(self, name: str, holder: str, where: str) -> str:
        doing = "runs" if self.purpose == "runner" else "is rebuilding"
        return (
            f"the projection {name!r} of {self.store.display} already has a {self.purpose}: "
            f"{holder} {doing} it ({where}); exactly one may — stop that one first"
        )
