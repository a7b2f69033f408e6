"""Application recorders that write each event's Merkle leaf in the event's transaction.

Each recorder keeps the ledger head it last committed, so appending costs no
extra read; the head is adopted only after the transaction commits, and dropped
on any failure (the next append then reads it from the store).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL

from service.audit.ledger import ID_TEXTS, LedgerSQL, append_leaves, id_texts
from service.audit.merkle import MerkleFrontier
from service.store.recorders import ListenPollPostgresRecorder, PollingSQLiteRecorder

#: Up to this many events go in one multi-row INSERT on SQLite (999 variables at most
#: in old SQLite builds: 4 per event); larger batches go one statement per event.
MULTI_ROW_EVENTS = 200


class _Writing(threading.local):
    #: The head a transaction of this thread has written, not yet committed.
    frontier: MerkleFrontier | None = None


class HeadCache:
    """The committed ledger head of this process, and the one a transaction is writing."""

    def __init__(self) -> None:
        self.committed: MerkleFrontier | None = None
        self._writing = _Writing()

    def start(self) -> MerkleFrontier | None:
        return self.committed

    def written(self, frontier: MerkleFrontier) -> None:
        self._writing.frontier = frontier

    def commit(self) -> None:
        writing = self._writing
        self.committed = writing.frontier
        writing.frontier = None

    def drop(self) -> None:
        self.committed = None
        self._writing.frontier = None


class MerkleSQLiteMixin(SQLiteApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_cache = HeadCache()

    @functools.cached_property
    def ledger_sql(self) -> LedgerSQL:
        return LedgerSQL(self.events_table_name, "?", "BLOB")

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.ledger_sql.create]

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        try:
            positions = super().insert_events(stored_events, **kwargs)
        except BaseException:
            self.head_cache.drop()
            raise
        self.head_cache.commit()
        return positions

    @functools.cached_property
    def _insert_rows(self) -> dict[int, str]:
        return {}

    def _insert_statement(self, n: int) -> str:
        """One INSERT of ``n`` events (the library executes one statement per event)."""
        statement = self._insert_rows.get(n)
        if statement is None:
            rows = ", ".join(["(?, ?, ?, ?)"] * n)
            statement = f"INSERT INTO {self.events_table_name} VALUES {rows}"
            self._insert_rows[n] = statement
        return statement

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        n = len(stored_events)
        if 0 < n <= MULTI_ROW_EVENTS:
            params: list[Any] = []
            ids = ID_TEXTS
            for s in stored_events:
                oid = s.originator_id
                if isinstance(oid, UUID):  # its 32 hex digits, as the library stores it
                    texts = ids.get(oid.int)
                    oid = (texts or id_texts(oid))[1]
                params += (oid, s.originator_version, s.topic, s.state)
            statement = self._insert_rows.get(n) or self._insert_statement(n)
            c.execute(statement, params)
            # One statement under the write lock: the rows got consecutive rowids
            # (max(rowid) + 1 each, in order), the last of them is ``lastrowid``.
            last = c.lastrowid
            positions: Sequence[int] | None = list(range(last - n + 1, last + 1))
        else:
            positions = super()._insert_events(c, stored_events, **kwargs)
        if positions:
            self.head_cache.written(
                append_leaves(
                    c,
                    self.ledger_sql,
                    stored_events,
                    positions,
                    c.executemany,
                    self.head_cache.start(),
                )
            )
        return positions


class MerklePostgresMixin(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_cache = HeadCache()
        self.ledger_sql = LedgerSQL(
            self.events_table_name, "%s", "BYTEA", schema=self.datastore.schema
        )
        self.sql_create_statements.extend(SQL(s).format() for s in self.ledger_sql.create)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        try:
            positions = super().insert_events(stored_events, **kwargs)
        except BaseException:
            self.head_cache.drop()
            raise
        self.head_cache.commit()
        return positions

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if positions:
            self.head_cache.written(
                append_leaves(
                    curs,
                    self.ledger_sql,
                    stored_events,
                    positions,
                    curs.executemany,
                    self.head_cache.start(),
                )
            )
        return positions


class LedgerSQLiteRecorder(MerkleSQLiteMixin, PollingSQLiteRecorder):
    """The store's SQLite recorder: Merkle leaves with each event, and a followable log."""


class LedgerPostgresRecorder(MerklePostgresMixin, ListenPollPostgresRecorder):
    """The store's PostgreSQL recorder: Merkle leaves, LISTEN/NOTIFY with a fallback pull."""
