"""The Merkle ledger stored beside the event log, written in the same transaction.

Two tables next to the events table:

* ``<app>_merkle_leaves(leaf_index, position, leaf_hash)`` — one row per stored
  event, in log order (``leaf_index`` is the 0-based rank, ``position`` the
  notification id);
* ``<app>_merkle_head(id=1, size, frontier)`` — a *checkpoint* of the compact
  frontier of perfect subtree roots, as it stood after some transaction.

The current head (whose root is the digest) is the checkpoint plus the leaves
after it (``leaf_index >= size``): :func:`read_frontier` folds them in.  The
checkpoint is rewritten only when an append crosses a multiple of
:data:`CHECKPOINT_INTERVAL` leaves, so a command writes its leaves and nothing
else: rewriting the one-row head on every commit cost SQLite one more WAL page
per commit (15–25% of the commit rate) and PostgreSQL one more statement and WAL
record.  Reading the head costs at most ``CHECKPOINT_INTERVAL - 1`` leaf rows.
Stores whose head was written on every commit are read the same way (their
checkpoint is simply complete).

Writers are serialised by the store (SQLite's write lock, PostgreSQL's table
lock), and a writer that appends from a head it cached collides on
``leaf_index`` (the primary key) if another process appended meanwhile, so it
never writes leaves, or a checkpoint, from a stale head; the checkpoint's upsert
also never moves it backwards.  Everything here is recomputable from the log.
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
    def fetchall(self) -> Any: ...


class LedgerSQL:
    """The ledger's statements for one dialect (``?`` for SQLite, ``%s`` for psycopg)."""

    def __init__(self, prefix: str, placeholder: str, blob: str, schema: str | None = None) -> None:
        q = f"{schema}." if schema else ""
        self.leaves = f"{q}{prefix}_merkle_leaves"
        self.head = f"{q}{prefix}_merkle_head"
        p = placeholder
        sqlite = placeholder == "?"
        # SQLite: INTEGER PRIMARY KEY makes the leaf index the table's rowid (one b-tree
        # fewer to write per leaf than BIGINT PRIMARY KEY, same values and constraint);
        # stores created before keep their BIGINT key, which works the same.  Nor does
        # SQLite get an index on position: it cost one more WAL page on every commit
        # (6.5 -> 5.4 pages a command), and positions rise with the leaf index, so a
        # leaf is found by position with a binary search over the key (below).  Stores
        # created before keep their UNIQUE index; the search works the same there.
        key = "INTEGER" if sqlite else "BIGINT"
        unique = "" if sqlite else " UNIQUE"
        self.create = [
            f"CREATE TABLE IF NOT EXISTS {self.leaves} (leaf_index {key} PRIMARY KEY, "
            f"position BIGINT NOT NULL{unique}, leaf_hash {blob} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.head} (id INTEGER PRIMARY KEY, "
            f"size BIGINT NOT NULL, frontier {blob} NOT NULL)",
        ]
        self.insert_leaf = f"INSERT INTO {self.leaves} VALUES ({p}, {p}, {p})"
        self._row = f"({p}, {p}, {p})"
        self._insert_leaves: dict[int, str] = {}
        self.select_head = f"SELECT size, frontier FROM {self.head} WHERE id = 1"
        # A checkpoint only ever moves forward (a no-op if a larger one is stored).
        self.upsert_head = (
            f"INSERT INTO {self.head} AS h VALUES (1, {p}, {p}) "
            "ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, frontier = EXCLUDED.frontier "
            "WHERE h.size < EXCLUDED.size"
        )
        self.select_leaf_hashes_from = (
            f"SELECT leaf_index, leaf_hash FROM {self.leaves} "
            f"WHERE leaf_index >= {p} ORDER BY leaf_index"
        )
        self.select_leaves = (
            f"SELECT leaf_index, position, leaf_hash FROM {self.leaves} "
            f"WHERE leaf_index >= {p} ORDER BY leaf_index LIMIT {p}"
        )
        self.select_leaf_by_position = (
            _search_by_position(self.leaves)
            if sqlite
            else f"SELECT leaf_index, leaf_hash FROM {self.leaves} WHERE position = {p}"
        )

    def insert_leaves(self, n: int) -> str:
        """One INSERT of ``n`` leaves (the statement text is kept, so drivers reuse its plan)."""
        statement = self._insert_leaves.get(n)
        if statement is None:
            rows = ", ".join([self._row] * n)
            statement = self._insert_leaves[n] = f"INSERT INTO {self.leaves} VALUES {rows}"
        return statement


def _search_by_position(leaves: str) -> str:
    """SQLite: the leaf at position ``?1`` by a binary search over the leaf index.

    Leaves are appended in log order, so positions rise with the leaf index; the
    search finds the first leaf whose position is not below ``?1`` in ~log2(n) rowid
    lookups (about 20 for a million leaves) and keeps it if its position is ``?1``.
    Same parameter and columns as ``WHERE position = ?``; no row if there is none.
    """
    mid = "(s.lo + s.hi) / 2"
    return (
        "WITH RECURSIVE s(lo, hi) AS ("
        f"SELECT 0, (SELECT max(leaf_index) FROM {leaves}) "
        f"UNION ALL SELECT CASE WHEN m.position < ?1 THEN {mid} + 1 ELSE s.lo END, "
        f"CASE WHEN m.position < ?1 THEN s.hi ELSE {mid} END "
        f"FROM s LEFT JOIN {leaves} AS m ON m.leaf_index = {mid} WHERE s.lo < s.hi) "
        f"SELECT leaf_index, leaf_hash FROM {leaves} "
        "WHERE leaf_index = (SELECT lo FROM s WHERE lo = hi) AND position = ?1"
    )


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


#: What a leaf encodes of a record id (u32 length + canonical UUID text) and the
#: 32 hex digits SQLite stores, by the UUID's integer (hashed in C: a UUID's own hash,
#: its ``hex`` and its ``str`` are each a Python call, and every append needs them).
ID_TEXTS: dict[int, tuple[bytes, str]] = {}
#: What a leaf encodes of a topic (u32 length + UTF-8), by topic.
_TOPIC_PARTS: dict[str, bytes] = {}
#: The memos are emptied when they hold this many (a store has a few dozen topics, and
#: a command's records are mostly ones recently written).
_MEMO_SIZE = 16_384
#: A leaf hash's input up to the record id: the leaf prefix 0x00, the layout version
#: and the position.
_LEAD = struct.Struct(">BBQ")


def id_texts(originator_id: UUID | str) -> tuple[bytes, str]:
    """An id's leaf encoding (u32 length + canonical text) and its 32 hex digits."""
    key = originator_id.int if isinstance(originator_id, UUID) else None
    if key is not None:
        found = ID_TEXTS.get(key)
        if found is not None:
            return found
    text = canonical_id(originator_id)
    rid = text.encode()
    texts = (_U32.pack(len(rid)) + rid, text.replace("-", ""))
    if key is not None:
        if len(ID_TEXTS) >= _MEMO_SIZE:
            ID_TEXTS.clear()
        ID_TEXTS[key] = texts
    return texts


def _topic_part(topic: str) -> bytes:
    part = topic.encode()
    part = _U32.pack(len(part)) + part
    if len(_TOPIC_PARTS) >= _MEMO_SIZE:
        _TOPIC_PARTS.clear()
    _TOPIC_PARTS[topic] = part
    return part


def event_leaf(position: int, event: StoredEvent) -> bytes:
    data = leaf_data(
        position, record_id(event.originator_id), event.originator_version, event.topic, event.state
    )
    return leaf_hash(data)


def col(row: Any, index: int, name: str) -> Any:
    """A column of a row from sqlite3 (sequence) or psycopg's dict rows."""
    return row[name] if isinstance(row, dict) else row[index]


class LedgerGapError(ValueError):
    """The leaves after the checkpoint are not numbered on from it: the ledger was altered."""


#: The head checkpoint is rewritten when an append crosses a multiple of this many
#: leaves (every 128 two-event commands); reading the head folds in fewer leaves than this.
CHECKPOINT_INTERVAL = 256


def read_checkpoint(cursor: Cursor, sql: LedgerSQL) -> MerkleFrontier:
    """The stored head checkpoint (empty if none): a prefix of the current head."""
    cursor.execute(sql.select_head)
    row = cursor.fetchone()
    if row is None:
        return MerkleFrontier()
    return MerkleFrontier.from_bytes(bytes(col(row, 1, "frontier")))


def read_frontier(cursor: Cursor, sql: LedgerSQL) -> MerkleFrontier:
    """The current, complete head: the checkpoint plus every leaf stored after it.

    Raises :class:`LedgerGapError` if a leaf index is missing after the checkpoint
    (a head over a gap would let a writer fill it, so nothing is written from it).
    """
    frontier = read_checkpoint(cursor, sql)
    expected = frontier.size
    cursor.execute(sql.select_leaf_hashes_from, (expected,))
    append = frontier.append
    for row in cursor.fetchall():
        index = int(col(row, 0, "leaf_index"))
        if index != expected:
            raise LedgerGapError(
                f"the ledger has no leaf {expected} (next is {index}): it was altered"
            )
        append(bytes(col(row, 1, "leaf_hash")))
        expected += 1
    return frontier


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

    A command's events take one statement: a multi-row INSERT of their leaves (hashed
    with ``fast_leaf``); an import's batch of more than ``MULTI_ROW_LEAVES`` goes
    through ``executemany``.  The head checkpoint is upserted too when the append
    crosses a multiple of ``CHECKPOINT_INTERVAL``.
    """
    frontier = read_frontier(cursor, sql) if frontier is None else frontier.copy()
    index = start = frontier.size
    append = frontier.append
    n = len(stored_events)
    if n != len(positions):
        raise ValueError(f"{n} events but {len(positions)} positions")
    if n <= MULTI_ROW_LEAVES:
        # ``fast_leaf`` inline, its record and topic encodings remembered (same bytes).
        params: list[Any] = []
        ids, topics, lead, u64, u32 = ID_TEXTS, _TOPIC_PARTS, _LEAD.pack, _U64.pack, _U32.pack
        for position, event in zip(positions, stored_events, strict=True):
            oid = event.originator_id
            texts = ids.get(oid.int) if type(oid) is UUID else None
            rid = (texts or id_texts(oid))[0]
            top = topics.get(event.topic) or _topic_part(event.topic)
            state = event.state
            h = _sha256(
                lead(0, 1, position)
                + rid
                + u64(event.originator_version)
                + top
                + u32(len(state))
                + state
            ).digest()
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
    if index // CHECKPOINT_INTERVAL > start // CHECKPOINT_INTERVAL:
        cursor.execute(sql.upsert_head, (index, frontier.to_bytes()))
    return frontier


def leaf_rows(rows: Iterable[Any]) -> list[tuple[int, int, bytes]]:
    return [
        (int(col(r, 0, "leaf_index")), int(col(r, 1, "position")), bytes(col(r, 2, "leaf_hash")))
        for r in rows
    ]
