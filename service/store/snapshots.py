"""Snapshots kept one per aggregate: the new one replaces the older ones in one transaction.

The library's snapshot store keeps every snapshot ever taken.  A body's snapshot
holds its minute numbers, so keeping them all would store the numbers again and
again (quadratic in the body's items); only the latest is ever read to load an
aggregate, and a historical version older than it is replayed from the log (the
log, not the snapshots, is the record: snapshots are outside the ledger).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import EventStore
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier


def replace_snapshot(store: EventStore[UUID], snapshot: Any) -> None:
    """Store ``snapshot`` and delete the aggregate's older snapshots, atomically."""
    recorder = store.recorder
    stored = store.mapper.to_stored_event(snapshot)
    originator_id = UUID(str(stored.originator_id))
    version = stored.originator_version
    if isinstance(recorder, SQLiteAggregateRecorder):
        with recorder.datastore.transaction(commit=True) as c:
            recorder._insert_events(c, [stored])
            c.execute(
                f"DELETE FROM {recorder.events_table_name} "
                "WHERE originator_id = ? AND originator_version < ?",
                (originator_id.hex, version),
            )
    elif isinstance(recorder, PostgresAggregateRecorder):
        delete = SQL(
            "DELETE FROM {0}.{1} WHERE originator_id = %s AND originator_version < %s"
        ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        with recorder.datastore.transaction(commit=True) as curs:
            recorder._insert_stored_events(curs, [stored])
            curs.execute(delete, (originator_id, version))
    else:  # another store: the library's put (older snapshots stay)
        store.put([snapshot])
