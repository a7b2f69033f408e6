"""Digest, verification and proofs over the stored log and its Merkle ledger.

``verify`` recomputes every leaf from the stored events alone, compares them
with the ledger in log order and reports the first position where they part:
an edited, deleted (in the middle or at the end), inserted or reordered event.
With a digest kept outside the system it also proves that the log as it stood
then is an unchanged prefix of today's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import msgspec

from service.app import Minutebook
from service.audit.digest import Digest
from service.audit.ledger import (
    LedgerSQL,
    canonical_id,
    fast_leaf,
    leaf_rows,
    read_frontier,
    record_id,
)
from service.audit.merkle import (
    MerkleFrontier,
    consistency_proof,
    consistency_proof_document,
    inclusion_proof,
    inclusion_proof_document,
    leaf_data,
)

BATCH = 5000


class VerifyReport(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    size: int
    digest: str
    first_bad_position: int | None = None
    problem: str | None = None


@contextmanager
def _cursor(app: Minutebook) -> Iterator[Any]:
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        yield cursor


def _sql(app: Minutebook) -> LedgerSQL:
    sql: LedgerSQL = app.recorder.ledger_sql  # type: ignore[attr-defined]
    return sql


def digest(app: Minutebook) -> Digest:
    with _cursor(app) as cursor:
        frontier = read_frontier(cursor, _sql(app))
    return Digest(frontier.size, frontier.root())


class LogRow(NamedTuple):
    """One stored event as read for verification: no decoding, canonical record id."""

    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


def _select_rows(app: Minutebook) -> str:
    recorder: Any = app.recorder
    if app.store.kind == "sqlite":
        return (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {recorder.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
    return (
        "SELECT notification_id, originator_id, originator_version, topic, state "
        f'FROM "{recorder.datastore.schema}"."{recorder.events_table_name}" '
        "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    )


def log_rows(app: Minutebook) -> Iterator[LogRow]:
    """Every stored event in log order, read in batches straight from the table."""
    statement, start = _select_rows(app), 0
    while True:
        with _cursor(app) as cursor:
            cursor.execute(statement, (start, BATCH))
            rows = cursor.fetchall()
        for row in rows:
            values = tuple(row.values()) if isinstance(row, dict) else tuple(row)
            yield LogRow(
                int(values[0]), canonical_id(values[1]), int(values[2]), values[3], bytes(values[4])
            )
        if len(rows) < BATCH:
            return
        start = int(values[0])


def row_leaf(row: LogRow) -> bytes:
    return fast_leaf(row.id, row.originator_id, row.originator_version, row.topic, row.state)


def _leaves(app: Minutebook) -> Iterator[tuple[int, int, bytes]]:
    index = 0
    sql = _sql(app)
    while True:
        with _cursor(app) as cursor:
            cursor.execute(sql.select_leaves, (index, BATCH))
            rows = leaf_rows(cursor.fetchall())
        yield from rows
        if len(rows) < BATCH:
            return
        index = rows[-1][0] + 1


def _compare(
    index: int, event: LogRow | None, leaf: tuple[int, int, bytes] | None
) -> tuple[int, str] | None:
    """The first bad position and why, or None when event and ledger agree here."""
    if event is None and leaf is not None:
        return leaf[1], f"event at position {leaf[1]} is missing from the log (deleted at the end)"
    if leaf is None and event is not None:
        return event.id, f"event at position {event.id} has no ledger entry (inserted)"
    assert event is not None and leaf is not None
    if leaf[0] != index:
        return leaf[1], f"ledger entry {index} is missing or out of order"
    if leaf[1] < event.id:
        return leaf[1], f"event at position {leaf[1]} is missing from the log (deleted)"
    if leaf[1] > event.id:
        return event.id, f"event at position {event.id} was not in the ledger (inserted)"
    if row_leaf(event) != leaf[2]:
        return event.id, f"event at position {event.id} was altered (its stored bytes changed)"
    return None


def verify(app: Minutebook, against: Digest | None = None) -> VerifyReport:
    frontier = MerkleFrontier()
    at_digest: bytes | None = None
    events, leaves = log_rows(app), _leaves(app)
    index = 0
    while True:
        event, leaf = next(events, None), next(leaves, None)
        if event is None and leaf is None:
            break
        bad = _compare(index, event, leaf)
        if bad is not None:
            return _failed(frontier, *bad)
        assert leaf is not None
        frontier.append(leaf[2])
        index += 1
        if against is not None and frontier.size == against.size:
            at_digest = frontier.root()
    with _cursor(app) as cursor:
        head = read_frontier(cursor, _sql(app))
    if head.size != frontier.size or head.root() != frontier.root():
        return _failed(frontier, None, "the ledger head does not match the recomputed tree")
    if against is not None:
        if against.size == 0:
            at_digest = MerkleFrontier().root()
        if at_digest is None:
            return _failed(
                frontier,
                None,
                f"the digest covers {against.size} events; the log has only "
                f"{frontier.size}: events were deleted",
            )
        if at_digest != against.root:
            return _failed(
                frontier,
                None,
                f"the log's first {against.size} events no longer match the "
                "digest: stored history was rewritten",
            )
    return VerifyReport(
        ok=True, size=frontier.size, digest=str(Digest(frontier.size, frontier.root()))
    )


def _failed(frontier: MerkleFrontier, position: int | None, problem: str) -> VerifyReport:
    return VerifyReport(
        ok=False,
        size=frontier.size,
        digest=str(Digest(frontier.size, frontier.root())),
        first_bad_position=position,
        problem=problem,
    )


def _all_leaf_hashes(app: Minutebook, size: int) -> list[bytes]:
    hashes = [h for _, _, h in _leaves(app)]
    if len(hashes) < size:
        raise ValueError(f"the log has {len(hashes)} events; the digest covers {size}")
    return hashes[:size]


def prove_inclusion(
    app: Minutebook, position: int, against: Digest | None = None
) -> dict[str, Any]:
    """An inclusion proof that the event at ``position`` is in the log of the digest."""
    against = against or digest(app)
    with _cursor(app) as cursor:
        cursor.execute(_sql(app).select_leaf_by_position, (position,))
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"there is no event at position {position}")
    index = int(row["leaf_index"] if isinstance(row, dict) else row[0])
    if index >= against.size:
        raise ValueError(f"the event at position {position} is newer than the digest")
    (event,) = app.recorder.select_notifications(position, 1)
    data = leaf_data(
        position, record_id(event.originator_id), event.originator_version, event.topic, event.state
    )
    leaves = _all_leaf_hashes(app, against.size)
    return inclusion_proof_document(
        position, index, against.size, data, inclusion_proof(index, leaves), against.root
    )


def prove_consistency(app: Minutebook, old: Digest, new: Digest | None = None) -> dict[str, Any]:
    new = new or digest(app)
    if old.size > new.size:
        raise ValueError("the first digest must not be newer than the second")
    leaves = _all_leaf_hashes(app, new.size)
    return consistency_proof_document(
        old.size, old.root, new.size, new.root, consistency_proof(old.size, leaves)
    )
