"""The fast path of ``audit verify``: the log and its ledger checked a batch at a time.

``verify`` (auditor.py) is defined row by row: every stored event's leaf, recomputed,
must equal the ledger's leaf at the same rank and position.  Done literally in Python
that cost ~8 µs an event (~120k events/s), most of it not hashing: ``sqlite3.Row``
objects turned into tuples, a named tuple, a canonical-id parse and five calls per row.

Here a batch of ``BATCH`` events and ``BATCH`` ledger entries is read in one
transaction as plain tuples, the leaves are hashed in one loop (the record id's and the
topic's encoded parts are cached: records and topics repeat), and the whole batch is
compared with one list equality against ``(rank, position, leaf)`` triples.  A batch
that does not agree exactly is not judged here: ``verify`` goes back to its row-by-row
comparison from that batch on, which names the first bad position as before.

Each batch is one snapshot (SQLite's read transaction, PostgreSQL's REPEATABLE READ),
and the last one also reads the head, so events, leaves and head are read as one
consistent state even while clerks keep writing.  Memory is one batch plus the caches
(bounded by ``_MAX_CACHED``).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from psycopg.rows import tuple_row

from service.app import Minutebook
from service.audit.ledger import LedgerSQL, canonical_id, read_frontier
from service.audit.merkle import MerkleFrontier

#: Events per batch: a power of two, so a full batch (they start at multiples of it)
#: is one perfect subtree for ``MerkleFrontier.extend``; ~2 MB of rows at ~430 bytes a state.
BATCH = 4096

#: Distinct record ids / topics kept encoded before the cache is emptied.
_MAX_CACHED = 16_384

_sha256 = hashlib.sha256
_U64 = struct.Struct(">Q").pack
_U32 = struct.Struct(">I").pack


def hashed_id(value: Any) -> str:
    """The record id as hashed: canonical UUID text, or the stored text if it is no UUID
    (a tampered id must hash to a different leaf, not stop the verification)."""
    try:
        return canonical_id(value)
    except (ValueError, TypeError, AttributeError):
        return str(value)


def _field(text: str) -> bytes:
    data = text.encode()
    return _U32(len(data)) + data


class LeafHasher:
    """Leaf hashes (``fast_leaf``'s, byte for byte) of raw event rows
    ``(position, record id, version, topic, state)``."""

    __slots__ = ("_ids", "_topics")

    def __init__(self) -> None:
        self._ids: dict[Any, bytes] = {}
        self._topics: dict[Any, bytes] = {}

    def __call__(self, rows: list[tuple[Any, ...]]) -> list[bytes]:
        """Raises (TypeError, ValueError, struct.error...) on a row of the wrong types."""
        ids, topics = self._ids, self._topics
        if len(ids) > _MAX_CACHED:
            ids.clear()
        if len(topics) > _MAX_CACHED:
            topics.clear()
        sha, u64, u32 = _sha256, _U64, _U32
        out: list[bytes] = []
        append = out.append
        for position, record, version, topic, state in rows:
            rid = ids.get(record)
            if rid is None:
                rid = ids[record] = _field(hashed_id(record))
            top = topics.get(topic)
            if top is None:
                top = topics[topic] = _field(topic)
            append(
                sha(
                    b"".join(
                        (b"\x00\x01", u64(position), rid, u64(version), top, u32(len(state)), state)
                    )
                ).digest()
            )
        return out


class Batch(NamedTuple):
    """One snapshot's worth: events after a position, ledger entries from a rank, and
    the head when this is the last batch (``head_error`` if it could not be read)."""

    events: list[tuple[Any, ...]]
    leaves: list[tuple[Any, ...]]
    head: MerkleFrontier | None
    head_error: str | None


def events_statement(app: Minutebook) -> str:
    """Events after a position, in log order, with the record id as text."""
    recorder: Any = app.recorder
    if app.store.kind == "sqlite":
        return (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {recorder.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
    return (
        "SELECT notification_id, originator_id::text, originator_version, topic, state "
        f'FROM "{recorder.datastore.schema}"."{recorder.events_table_name}" '
        "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    )


@contextmanager
def snapshot(app: Minutebook) -> Iterator[tuple[Any, Any]]:
    """(the library's cursor, a plain-tuple cursor) in one read-only snapshot."""
    recorder: Any = app.recorder
    with recorder.datastore.transaction(commit=False) as cursor:
        if app.store.kind == "sqlite":
            # The library's wrapper holds the sqlite3 cursor; a second cursor on the same
            # connection shares its transaction, without the connection's sqlite3.Row.
            plain = cursor.sqlite_cursor.connection.cursor()
            plain.row_factory = None
            try:
                yield cursor, plain
            finally:
                plain.close()
        else:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with cursor.connection.cursor(row_factory=tuple_row) as plain:
                yield cursor, plain


def _head(cursor: Any, sql: LedgerSQL) -> tuple[MerkleFrontier | None, str | None]:
    try:
        return read_frontier(cursor, sql), None
    except ValueError as e:  # a malformed checkpoint or a gap in the ledger
        return None, f"the ledger head cannot be read ({e})"


def batches(app: Minutebook, sql: LedgerSQL) -> Iterator[Batch]:
    """The log and the ledger from the start, in step, as long as each batch is full;
    the first short batch (the end, or a disagreement) carries the head and is the last."""
    events_sql, start, index, batch = events_statement(app), 0, 0, BATCH
    while True:
        with snapshot(app) as (cursor, plain):
            plain.execute(events_sql, (start, batch))
            events = plain.fetchall()
            plain.execute(sql.select_leaves, (index, batch))
            leaves = plain.fetchall()
            last = len(events) < batch or len(leaves) < batch
            head, error = _head(cursor, sql) if last else (None, None)
        yield Batch(events, leaves, head, error)
        if last:
            return
        start, index = events[-1][0], index + batch


def agreeing_leaves(
    hasher: LeafHasher, events: list[tuple[Any, ...]], leaves: list[tuple[Any, ...]], index: int
) -> list[bytes] | None:
    """The batch's leaf hashes if every event agrees with the ledger entry of the same
    rank (index, position and recomputed leaf), else None (look row by row)."""
    if len(events) != len(leaves):
        return None
    try:
        hashes = hasher(events)
    except Exception:  # a row of the wrong types: tampered; the row-by-row pass names it
        return None
    positions = [event[0] for event in events]
    expected = list(zip(range(index, index + len(hashes)), positions, hashes, strict=True))
    return hashes if expected == leaves else None
