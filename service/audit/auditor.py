"""Digest, verification and proofs over the stored log and its Merkle ledger.

``verify`` recomputes every leaf from the stored events alone, compares them
with the ledger in log order and reports the first position where they part:
an edited, deleted (in the middle or at the end), inserted or reordered event,
or a row that can no longer be read as an event at all.  It then regrows the
tree and checks the ledger's head.  With a digest kept outside the system it
also proves that the log as it stood then is an unchanged prefix of today's.

The common case, nothing wrong, is checked a batch at a time (verify_scan.py, and
``MerkleFrontier.extend`` for the tree); the row-by-row comparison here names the
first bad position.
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
from service.audit.verify_scan import (
    LeafHasher,
    agreeing_leaves,
    batches,
    events_statement,
    snapshot,
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


def log_rows(app: Minutebook) -> Iterator[LogRow]:
    """Every stored event in log order, read in batches straight from the table."""
    statement, start = events_statement(app), 0
    while True:
        with snapshot(app) as (_, cursor):
            cursor.execute(statement, (start, BATCH))
            rows = cursor.fetchall()
        for row in rows:
            yield LogRow(int(row[0]), canonical_id(row[1]), int(row[2]), row[3], bytes(row[4]))
        if len(rows) < BATCH:
            return
        start = int(rows[-1][0])


def row_leaf(row: LogRow) -> bytes:
    return fast_leaf(row.id, row.originator_id, row.originator_version, row.topic, row.state)


def _leaves(app: Minutebook, index: int = 0) -> Iterator[tuple[int, int, bytes]]:
    sql = _sql(app)
    while True:
        with _cursor(app) as cursor:
            cursor.execute(sql.select_leaves, (index, BATCH))
            rows = leaf_rows(cursor.fetchall())
        yield from rows
        if len(rows) < BATCH:
            return
        index = rows[-1][0] + 1


class _Event(NamedTuple):
    """A stored event as the row-by-row pass reads it: its position and its leaf hash
    (None when the row cannot even be hashed: wrong types, so it was altered)."""

    id: int
    leaf: bytes | None


def _events(app: Minutebook, start: int) -> Iterator[_Event]:
    """Every stored event after ``start`` with its recomputed leaf, in log order."""
    statement, hasher = events_statement(app), LeafHasher()
    while True:
        with snapshot(app) as (_, cursor):
            cursor.execute(statement, (start, BATCH))
            rows = cursor.fetchall()
        for row in rows:
            try:
                (leaf,) = hasher([row])
            except Exception:  # e.g. text where bytes or a number belong
                leaf = None
            yield _Event(int(row[0]), leaf)
        if len(rows) < BATCH:
            return
        start = int(rows[-1][0])


def _compare(
    index: int, event: _Event | None, leaf: tuple[int, int, bytes] | None
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
    if event.leaf != leaf[2]:
        return event.id, f"event at position {event.id} was altered (its stored bytes changed)"
    return None


def verify(app: Minutebook, against: Digest | None = None) -> VerifyReport:
    """Check the whole log against its ledger and head (and ``against``, if given).

    Batches that agree entirely are taken whole (verify_scan.py); from the first that
    does not, the events and the ledger are compared row by row to name the first bad
    position.  Either way the tree is regrown from the ledger's leaves once they match.
    """
    tree, at_digest, hasher, sql = MerkleFrontier(), None, LeafHasher(), _sql(app)
    wanted = against.size if against is not None else -1
    index = start = 0
    for batch in batches(app, sql):
        hashes = agreeing_leaves(hasher, batch.events, batch.leaves, index)
        if hashes is None:
            return _row_by_row(app, tree, start, against, at_digest)
        if index < wanted <= index + len(hashes):
            tree.extend(hashes[: wanted - index])
            at_digest = tree.root()
            tree.extend(hashes[wanted - index :])
        else:
            tree.extend(hashes)
        index += len(hashes)
        if batch.events:
            start = int(batch.events[-1][0])
        if batch.head is not None or batch.head_error is not None:
            return _conclude(tree, batch.head, batch.head_error, against, at_digest)
    raise AssertionError("verify_scan.batches ends with the batch that reads the head")


def _row_by_row(
    app: Minutebook,
    tree: MerkleFrontier,
    start: int,
    against: Digest | None,
    at_digest: bytes | None,
) -> VerifyReport:
    """The rest of the verification, one event and one ledger entry at a time, from
    the event after position ``start`` and the ledger entry of rank ``tree.size``."""
    events, leaves = _events(app, start), _leaves(app, tree.size)
    while True:
        event, leaf = next(events, None), next(leaves, None)
        if event is None and leaf is None:
            break
        bad = _compare(tree.size, event, leaf)
        if bad is not None:
            return _failed(tree, *bad)
        assert leaf is not None
        tree.append(leaf[2])
        if against is not None and tree.size == against.size:
            at_digest = tree.root()
    with _cursor(app) as cursor:
        try:
            head, error = read_frontier(cursor, _sql(app)), None
        except ValueError as e:
            head, error = None, f"the ledger head cannot be read ({e})"
    return _conclude(tree, head, error, against, at_digest)


def _conclude(
    tree: MerkleFrontier,
    head: MerkleFrontier | None,
    head_error: str | None,
    against: Digest | None,
    at_digest: bytes | None,
) -> VerifyReport:
    """Every event agreed with the ledger: now the head, and the kept digest if given."""
    if head is None:
        return _failed(tree, None, head_error or "the ledger head cannot be read")
    if head.size != tree.size or head.root() != tree.root():
        return _failed(tree, None, "the ledger head does not match the recomputed tree")
    if against is not None:
        if against.size == 0:
            at_digest = MerkleFrontier().root()
        if at_digest is None:
            return _failed(
                tree,
                None,
                f"the digest covers {against.size} events; the log has only "
                f"{tree.size}: events were deleted",
            )
        if at_digest != against.root:
            return _failed(
                tree,
                None,
                f"the log's first {against.size} events no longer match the "
                "digest: stored history was rewritten",
            )
    return VerifyReport(ok=True, size=tree.size, digest=str(Digest(tree.size, tree.root())))


def _failed(tree: MerkleFrontier, position: int | None, problem: str) -> VerifyReport:
    return VerifyReport(
        ok=False,
        size=tree.size,
        digest=str(Digest(tree.size, tree.root())),
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
