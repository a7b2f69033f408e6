"""The Merkle ledger stored beside the event log, written in the same transaction.

Two tables next to the events table:

* ``<app>_merkle_leaves(leaf_index, position, leaf_hash)`` — one row per stored
  event, in log order (``leaf_index`` is the 0-based rank, ``position`` the
  notification id);
* ``<app>_merkle_head(id=1, size, frontier)`` — the compact frontier of perfect
  subtree roots, from which the current root (the digest) follows at once.

Appending costs the leaf hash plus ~1 node hash per event (amortised) and two
statements per transaction.  Writers are serialised by the store (SQLite's
write lock, PostgreSQL's table lock taken by eventsourcing), so the head row is
read and written consistently.  Everything here is recomputable from the log.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from service.audit.merkle import MerkleFrontier, leaf_data, leaf_hash


class Cursor(Protocol):
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...
    def fetchone(self) -> Any: ...


class LedgerSQL:
    """The ledger's statements for one dialect (``?`` for SQLite, ``%s`` for psycopg)."""

    def __init__(self, prefix: str, placeholder: str, blob: str, schema: str | None = None) -> None:
        q = f"{schema}." if schema else ""
        self.leaves = f"{q}{prefix}_merkle_leaves"
        self.head = f"{q}{prefix}_merkle_head"
        p = placeholder
        # SQLite: INTEGER PRIMARY KEY makes the leaf index the table's rowid (one b-tree
        # fewer to write per leaf than BIGINT PRIMARY KEY, same values and constraint);
        # stores created before keep their BIGINT key, which works the same.
        key = "INTEGER" if placeholder == "?" else "BIGINT"
        self.create = [
            f"CREATE TABLE IF NOT EXISTS {self.leaves} (leaf_index {key} PRIMARY KEY, "
            f"position BIGINT NOT NULL UNIQUE, leaf_hash {blob} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.head} (id INTEGER PRIMARY KEY, "
            f"size BIGINT NOT NULL, frontier {blob} NOT NULL)",
        ]
        self.insert_leaf = f"INSERT INTO {self.leaves} VALUES ({p}, {p}, {p})"
        self._row = f"({p}, {p}, {p})"
        self._insert_leaves: dict[int, str] = {}
        self.select_head = f"SELECT size, frontier FROM {self.head} WHERE id = 1"
        self.upsert_head = (
            f"INSERT INTO {self.head} VALUES (1, {p}, {p}) "
            "ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, frontier = EXCLUDED.frontier"
        )
        self.select_leaves = (
            f"SELECT leaf_index, position, leaf_hash FROM {self.leaves} "
            f"WHERE leaf_index >= {p} ORDER BY leaf_index LIMIT {p}"
        )
        self.select_leaf_by_position = (
            f"SELECT leaf_index, leaf_hash FROM {self.leaves} WHERE position = {p}"
        )

    def insert_leaves(self, n: int) -> str:
        """One INSERT of ``n`` leaves (the statement text is kept, so drivers reuse its plan)."""
        statement = self._insert_leaves.get(n)
        if statement is None:
            rows = ", ".join([self._row] * n)
            statement = self._insert_leaves[n] = f"INSERT INTO {self.leaves} VALUES {rows}"
        return statement


def record_id(originator_id: UUID | str) -> str:
    """The record id as hashed: the canonical UUID text on every store."""
    return str(originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id)))


_HEAD = struct.Struct(">BQI")
_U64 = struct.Struct(">Q")
_U32 = struct.Struct(">I")
_sha256 = hashlib.sha256


def fast_leaf(position: int, record: str, version: int, topic: str, state: bytes) -> bytes:
    """``leaf_hash(leaf_data(...))`` in one expression: the verify and export hot path."""
    rid, top = record.encode(), topic.encode()
    return _sha256(
        b"\x00"
        + _HEAD.pack(1, position, len(rid))
        + rid
        + _U64.pack(version)
        + _U32.pack(len(top))
        + top
        + _U32.pack(len(state))
        + state
    ).digest()


def canonical_id(value: UUID | str) -> str:
    """The canonical UUID text of an id as stored (UUID, 32 hex digits, or dashed)."""
    if isinstance(value, UUID):
        return str(value)
    if len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}".lower()
    return str(UUID(value))


def event_leaf(position: int, event: StoredEvent) -> bytes:
    data = leaf_data(
        position, record_id(event.originator_id), event.originator_version, event.topic, event.state
    )
    return leaf_hash(data)


def col(row: Any, index: int, name: str) -> Any:
    """A column of a row from sqlite3 (sequence) or psycopg's dict rows."""
    return row[name] if isinstance(row, dict) else row[index]


def read_frontier(cursor: Cursor, sql: LedgerSQL) -> MerkleFrontier:
    cursor.execute(sql.select_head)
    row = cursor.fetchone()
    if row is None:
        return MerkleFrontier()
    return MerkleFrontier.from_bytes(bytes(col(row, 1, "frontier")))


#: Up to this many leaves go in one multi-row INSERT (one statement, one round trip);
#: larger batches (imports) use ``executemany``.
MULTI_ROW_LEAVES = 64


def append_leaves(
    cursor: Cursor,
    sql: LedgerSQL,
    stored_events: Sequence[StoredEvent],
    positions: Sequence[int],
    executemany: Any,
    frontier: MerkleFrontier | None = None,
) -> MerkleFrontier:
    """Append the events' leaves and advance the head, inside the caller's transaction.

    ``frontier`` is the head as this process last committed it (saves a read); if
    another process appended since, the leaf indexes collide with its leaves and the
    transaction fails with an integrity error, so a stale head is never written.
    Returns the new head, to be kept by the caller once the transaction commits.

    A command's events take two statements: one multi-row INSERT of their leaves
    (hashed with ``fast_leaf``) and the upsert of the head; an import's batch of more
    than ``MULTI_ROW_LEAVES`` goes through ``executemany``.
    """
    frontier = read_frontier(cursor, sql) if frontier is None else frontier.copy()
    index = frontier.size
    append = frontier.append
    n = len(stored_events)
    if n != len(positions):
        raise ValueError(f"{n} events but {len(positions)} positions")
    if n <= MULTI_ROW_LEAVES:
        params: list[Any] = []
        for position, event in zip(positions, stored_events, strict=True):
            h = fast_leaf(
                position,
                canonical_id(event.originator_id),
                event.originator_version,
                event.topic,
                event.state,
            )
            append(h)
            params += (index, position, h)
            index += 1
        if n:
            cursor.execute(sql.insert_leaves(n), params)
    else:
        rows = []
        for position, event in zip(positions, stored_events, strict=True):
            h = event_leaf(position, event)
            append(h)
            rows.append((index, position, h))
            index += 1
        executemany(sql.insert_leaf, rows)
    cursor.execute(sql.upsert_head, (frontier.size, frontier.to_bytes()))
    return frontier


def leaf_rows(rows: Iterable[Any]) -> list[tuple[int, int, bytes]]:
    return [
        (int(col(r, 0, "leaf_index")), int(col(r, 1, "position")), bytes(col(r, 2, "leaf_hash")))
        for r in rows
    ]
