"""Application recorders that write each event's Merkle leaf in the event's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL

from service.audit.ledger import LedgerSQL, append_leaves


class MerkleSQLiteMixin(SQLiteApplicationRecorder):
    @property
    def ledger_sql(self) -> LedgerSQL:
        return LedgerSQL(self.events_table_name, "?", "BLOB")

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.ledger_sql.create]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if positions:
            append_leaves(c, self.ledger_sql, stored_events, positions, c.executemany)
        return positions


class MerklePostgresMixin(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger_sql = LedgerSQL(
            self.events_table_name, "%s", "BYTEA", schema=self.datastore.schema
        )
        self.sql_create_statements.extend(SQL(s).format() for s in self.ledger_sql.create)

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if positions:
            append_leaves(curs, self.ledger_sql, stored_events, positions, curs.executemany)
        return positions


class LedgerSQLiteRecorder(MerkleSQLiteMixin):
    pass


class LedgerPostgresRecorder(MerklePostgresMixin):
    pass
