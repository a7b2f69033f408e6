"""Export the whole log as JSON Lines, and load an export into an empty store.

Format ``minutebook-export-v1``, one JSON object per line::

    {"format": "minutebook-export-v1", "store": "sqlite"}                 header
    {"position": 1, "record_id": "…", "version": 1, "topic": "…",
     "state": "<base64 of the exact stored bytes>", "leaf_hash": "<hex>"}  one per event
    {"count": N, "digest": "mb1-N-<root>"}                                  trailer

Export streams (constant memory).  Load reads the file twice: first it checks
every line, every leaf hash and the trailer's digest, then it writes all the
events at their original positions with their ledger in ONE transaction — so a
corrupted or truncated export is refused with its line number and nothing is
loaded, and the loaded store has the same log and the same digest.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import StoredEvent

from service.app import Minutebook
from service.audit.auditor import digest, log_rows, row_leaf
from service.audit.digest import format_digest, parse_digest
from service.audit.ledger import append_leaves, event_leaf
from service.audit.merkle import MerkleFrontier

FORMAT = "minutebook-export-v1"


class ExportLine(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    position: int
    record_id: UUID
    version: int
    topic: str
    state: str
    leaf_hash: str


class Trailer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    count: int
    digest: str


class ExportError(ValueError):
    """The export file is corrupted or truncated: names the line."""


_encoder = msgspec.json.Encoder()


def export_log(app: Minutebook, out: IO[bytes]) -> str:
    """Write the whole log to ``out``; returns the digest written in the trailer."""
    out.write(_encoder.encode({"format": FORMAT, "store": app.store.kind}) + b"\n")
    frontier = MerkleFrontier()
    for event in log_rows(app):
        h = row_leaf(event)
        frontier.append(h)
        line = ExportLine(
            position=event.id,
            record_id=UUID(str(event.originator_id)),
            version=event.originator_version,
            topic=event.topic,
            state=base64.b64encode(event.state).decode(),
            leaf_hash=h.hex(),
        )
        out.write(_encoder.encode(line) + b"\n")
    final = format_digest(frontier.size, frontier.root())
    out.write(_encoder.encode(Trailer(count=frontier.size, digest=final)) + b"\n")
    return final


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as f:
        yield from enumerate(f, 1)


def _event(number: int, raw: bytes) -> tuple[StoredEvent, int, bytes]:
    try:
        line = msgspec.json.decode(raw, type=ExportLine)
        state = base64.b64decode(line.state, validate=True)
        expected = bytes.fromhex(line.leaf_hash)
    except (msgspec.DecodeError, binascii.Error, ValueError) as e:
        raise ExportError(f"line {number}: not an exported event: {e}") from None
    event = StoredEvent(line.record_id, line.version, line.topic, state)
    if event_leaf(line.position, event) != expected:
        raise ExportError(
            f"line {number}: event at position {line.position} does not match its hash"
        )
    return event, line.position, expected


def check_export(path: Path) -> tuple[int, str]:
    """Validate the whole file; returns (count, digest) or raises ExportError."""
    frontier = MerkleFrontier()
    last_position = 0
    trailer: Trailer | None = None
    for number, raw in _lines(path):
        if number == 1:
            header = _decode_header(raw)
            if header.get("format") != FORMAT:
                raise ExportError(f"line 1: not a {FORMAT} file")
            continue
        if trailer is not None:
            raise ExportError(f"line {number}: data after the trailer")
        if raw.startswith(b'{"count"'):
            trailer = _decode_trailer(number, raw)
            continue
        _, position, h = _event(number, raw)
        if position <= last_position:
            raise ExportError(f"line {number}: position {position} is out of order")
        last_position = position
        frontier.append(h)
    if trailer is None:
        raise ExportError("the file ends without its trailer line: it is truncated")
    final = format_digest(frontier.size, frontier.root())
    if trailer.count != frontier.size or parse_digest(trailer.digest) != parse_digest(final):
        raise ExportError(
            f"the trailer's digest {trailer.digest} does not match the events ({final})"
        )
    return frontier.size, final


def _decode_header(raw: bytes) -> dict[str, Any]:
    try:
        value = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise ExportError("line 1: not a minutebook export header") from None
    if not isinstance(value, dict):
        raise ExportError("line 1: not a minutebook export header")
    return value


def _decode_trailer(number: int, raw: bytes) -> Trailer:
    try:
        return msgspec.json.decode(raw, type=Trailer)
    except msgspec.DecodeError as e:
        raise ExportError(f"line {number}: bad trailer: {e}") from None


def load_log(app: Minutebook, path: Path) -> str:
    """Load ``path`` into the empty store of ``app``; returns the digest (equal to the file's)."""
    _, final = check_export(path)
    if app.recorder.max_notification_id():
        raise ExportError("the store is not empty: load only into a new store")
    writer = _sqlite_writer if app.store.kind == "sqlite" else _postgres_writer
    writer(app, path)
    app.recorder.head_cache.drop()  # type: ignore[attr-defined]
    now = str(digest(app))
    if now != final:  # pragma: no cover - would mean a bug in the writer
        raise ExportError(f"loaded log digest {now} differs from the export's {final}")
    return final


def _batches(path: Path, size: int = 2000) -> Iterator[list[tuple[StoredEvent, int]]]:
    batch: list[tuple[StoredEvent, int]] = []
    for number, raw in _lines(path):
        if number == 1 or raw.startswith(b'{"count"'):
            continue
        event, position, _ = _event(number, raw)
        batch.append((event, position))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_writer(app: Minutebook, path: Path) -> None:
    recorder: Any = app.recorder
    table = recorder.events_table_name
    with recorder.datastore.transaction(commit=True) as c:
        for batch in _batches(path):
            c.executemany(
                f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (p, UUID(str(e.originator_id)).hex, e.originator_version, e.topic, e.state)
                    for e, p in batch
                ],
            )
            append_leaves(
                c, recorder.ledger_sql, [e for e, _ in batch], [p for _, p in batch], c.executemany
            )


def _postgres_writer(app: Minutebook, path: Path) -> None:
    recorder: Any = app.recorder
    schema, table = recorder.datastore.schema, recorder.events_table_name
    name = f'"{schema}"."{table}"'
    with recorder.datastore.transaction(commit=True) as c:
        c.execute(f"LOCK TABLE {name} IN EXCLUSIVE MODE")
        for batch in _batches(path):
            c.executemany(
                f"INSERT INTO {name} "
                "(originator_id, originator_version, topic, state, notification_id) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (UUID(str(e.originator_id)), e.originator_version, e.topic, e.state, p)
                    for e, p in batch
                ],
            )
            append_leaves(
                c, recorder.ledger_sql, [e for e, _ in batch], [p for _, p in batch], c.executemany
            )
        c.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'notification_id'), "
            f"GREATEST((SELECT MAX(notification_id) FROM {name}), 1))"
        )
