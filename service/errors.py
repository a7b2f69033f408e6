"""Errors of the service layer (the domain's own live in domain.errors)."""

from __future__ import annotations

import sqlite3

import psycopg
from eventsourcing import persistence

from domain.errors import DomainError, RecordConflictError


class StaleVersionError(DomainError):
    """The clerk's copy is out of date (If-Match did not match): HTTP 412."""


class ConcurrentChangeError(RecordConflictError):
    """Someone else changed the record between read and save: nothing was stored."""


class StoreUnavailableError(Exception):
    """The store cannot be reached, or cannot take writes (HTTP 503).

    ``reason`` (optional) says why in words for the client, e.g. "the database file is
    locked by another connection"; without it the causes of the error are looked at.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


#: SQLite conditions that pass (the file is locked, read-only or full), by message and code.
_SQLITE_TRANSIENT = (
    ("database is locked", "the database file is locked by another connection"),
    ("database table is locked", "the database file is locked by another connection"),
    ("readonly", "the database file is read-only"),
    ("read-only", "the database file is read-only"),
    ("disk is full", "the disk holding the database is full"),
    ("disk i/o error", "the disk holding the database failed (I/O error)"),
    ("unable to open database", "the database file cannot be opened"),
)
#: The library's errors that mean "the database did not answer", not "the request is bad".
_UNAVAILABLE = (
    StoreUnavailableError,
    persistence.OperationalError,
    persistence.InterfaceError,
    psycopg.OperationalError,  # includes psycopg_pool.PoolTimeout and admin shutdowns
    psycopg.InterfaceError,
)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def store_unavailable_reason(exc: BaseException) -> str | None:
    """Why ``exc`` means the store is unavailable (to retry later), or None if it does not.

    Looks through the exception's causes, since the library wraps the drivers' errors:
    SQLite's "database is locked", read-only, disk full and I/O errors; PostgreSQL's
    connection errors (refused, terminated, pool timeout); and the library's
    ``OperationalError``, ``InterfaceError`` and other ``PersistenceError`` that are
    not about the request itself (integrity and data errors are).
    """
    chain = _chain(exc)
    for e in chain:
        if isinstance(e, StoreUnavailableError) and e.reason:
            return e.reason
        if isinstance(e, sqlite3.Error):
            text = str(e).lower()
            for needle, reason in _SQLITE_TRANSIENT:
                if needle in text:
                    return reason
    for e in chain:
        if isinstance(e, psycopg.Error | persistence.PersistenceError) and any(
            isinstance(c, psycopg.OperationalError | psycopg.InterfaceError) for c in chain
        ):
            return "the database connection failed"
        if isinstance(e, _UNAVAILABLE):
            return "the store did not answer"
    first = chain[0]
    if isinstance(first, persistence.PersistenceError) and not isinstance(
        first, persistence.IntegrityError | persistence.DataError
    ):
        return "the store did not answer"
    return None


def is_sqlite_write_problem(exc: BaseException) -> bool:
    """True when only writing fails (locked, read-only or full file): reads still work."""
    reason = store_unavailable_reason(exc) or ""
    return any(word in reason for word in ("locked", "read-only", "full"))
