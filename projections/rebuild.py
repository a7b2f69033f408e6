"""Rebuilding views from the log into fresh tables, then swapping them in.

1. Each view gets a new generation: tables no reader or runner uses.
2. One pass over the log, page by page: each event is decoded once and applied
   by every view being rebuilt; a commit (one transaction and one tracking
   record per view) every ``flush_every`` events.
3. Catch up with what was written meanwhile; then the swap, in one transaction
   that holds off the live runner's commits (SQLite: the write lock;
   PostgreSQL: the view's generation lock, taken exclusively): apply the last
   events — at least as far as the live runner got — and make the new
   generation live.  The live runner's next commit sees the swap and restarts
   on the new tables (:mod:`projections.service`).
4. Drop the view's other generations.

Readers use the live generation throughout: they never see a half-built view.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import msgspec
from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.sqlite import SQLiteApplicationRecorder

from projections import generations
from projections.base import DocumentProjection, plain
from projections.catalogue import ViewSpec, specs
from projections.env import APPLICATION_NAME, LogReader, dialect, follower_env, open_datastore
from projections.locks import ViewLocks
from projections.sql import Cursor, Dialect, DocumentTable
from projections.status import tables
from projections.view import DocumentView, PostgresDocumentView
from service.store.url import StoreConfig


class RebuiltView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    generation: int
    replaced: int
    position: int


class RebuildReport(msgspec.Struct, frozen=True, kw_only=True):
    views: tuple[RebuiltView, ...]
    events: int
    seconds: float
    events_per_second: float


class _Builder:
    def __init__(self, spec: ViewSpec, view: DocumentView) -> None:
        self.spec = spec
        self.view = view
        self.projection: DocumentProjection = spec.projection(view)
        self.projection.changes.complete = True  # fresh tables: nothing to look up
        self.replaced = 0


def rebuild(
    store: StoreConfig,
    names: Sequence[str] | None = None,
    *,
    page: int = 5000,
    flush_every: int = 50_000,
) -> RebuildReport:
    chosen = specs(names)
    locks = ViewLocks(store, "rebuild")
    reader = LogReader(env=follower_env(store))
    datastore = open_datastore(store)
    d = dialect(store)
    try:
        for spec in chosen:
            locks.acquire(spec.name)
        started = time.monotonic()
        builders = [_new_generation(spec, store, datastore, d) for spec in chosen]
        events = _replay(reader, builders, flush_every, page)
        head = reader.recorder.max_notification_id() or 0
        while head - (builders[0].projection.position or 0) > page:  # written meanwhile
            events += _replay(reader, builders, flush_every, page)
            head = reader.recorder.max_notification_id() or 0
        for builder in builders:
            _swap(builder, reader, d, page)
        seconds = time.monotonic() - started
        for builder in builders:
            _drop_other_generations(builder.view, d)
    finally:
        locks.release_all()
        reader.close()
        datastore.close()
    return RebuildReport(
        views=tuple(
            RebuiltView(
                name=b.spec.name,
                generation=b.view.generation,
                replaced=b.replaced,
                position=b.projection.position or 0,
            )
            for b in builders
        ),
        events=events,
        seconds=round(seconds, 3),
        events_per_second=round(events / seconds, 1) if seconds > 0 else 0.0,
    )


def _new_generation(spec: ViewSpec, store: StoreConfig, datastore: Any, d: Dialect) -> _Builder:
    with datastore.transaction(commit=True) as c:
        generation = generations.allocate(c, d, spec.name)
    view = spec.view_class(store.kind)(datastore, generation=generation, check_live=False)
    view.drop_tables()
    view.create_table()
    return _Builder(spec, view)


def _read(
    reader: LogReader, after: int, page: int, upto: int | None, topics: frozenset[str]
) -> tuple[list[StoredEvent | None], int]:
    """The next page of the log: the stored events some view reads (None for the others),
    and the last position read (``after`` if there was nothing)."""
    recorder = reader.recorder
    if not isinstance(recorder, SQLiteApplicationRecorder):
        found = recorder.select_notifications(
            start=after, limit=page, stop=upto, inclusive_of_start=False
        )
        return [n if n.topic in topics else None for n in found], (found[-1].id if found else after)
    # SQLite: the library converts every originator id to a UUID; only decoded ones need it.
    query = "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
    query += "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?"
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(query, (after, upto if upto is not None else 2**62, page))
        rows = c.fetchall()
    return [StoredEvent(r[1], r[2], r[3], r[4]) if r[3] in topics else None for r in rows], (
        rows[-1][0] if rows else after
    )


def _replay(
    reader: LogReader,
    builders: Sequence[_Builder],
    flush_every: int,
    page: int,
    upto: int | None = None,
    cursor: Cursor | None = None,
) -> int:
    """Apply the log after the builders' position (up to ``upto``); each event decoded once."""
    topics = frozenset().union(*(b.projection.handled_topics for b in builders))
    mapper = reader.mapper
    raw = plain(mapper)
    position = builders[0].projection.position or 0
    count = since = 0
    while upto is None or position < upto:
        found, last = _read(reader, position, page, upto, topics)
        if last == position:
            break
        events = [mapper.to_domain_event(s) if s is not None else None for s in found]
        for builder in builders:
            builder.projection.apply(events, found if raw else None)
        count += len(found)
        since += len(found)
        position = last
        if since >= flush_every and cursor is None:
            _commit(builders, position)
            since = 0
    if since:
        _commit(builders, position, cursor)
    return count


def _commit(builders: Sequence[_Builder], position: int, cursor: Cursor | None = None) -> None:
    for builder in builders:
        builder.projection.commit(Tracking(APPLICATION_NAME, position), cursor)


def _swap(builder: _Builder, reader: LogReader, d: Dialect, page: int) -> None:
    view, name = builder.view, builder.spec.name
    try:
        with view.write_transaction(check_live=False) as c:
            if isinstance(view, PostgresDocumentView):
                c.execute("SELECT pg_advisory_xact_lock(%s)", (view.generation_lock,))
            live = generations.ensure(c, d, name)
            old = DocumentTable(d, name, live)
            reached = old.position(c, APPLICATION_NAME) if old.tracking in tables(c, d) else None
            upto = max(reached or 0, reader.recorder.max_notification_id() or 0)
            _replay(reader, [builder], page, page, upto=upto, cursor=c)
            generations.make_live(c, d, name, view.generation)
            builder.replaced = live
    except BaseException:
        builder.projection.changes.forget()
        raise


def _drop_other_generations(view: DocumentView, d: Dialect) -> None:
    pattern = re.compile(rf"^view_{re.escape(view.view_name)}_g(\d+)(_tracking)?$")
    with view.write_transaction(check_live=False) as c:
        for table in sorted(tables(c, d)):
            m = pattern.match(table)
            if m and int(m.group(1)) != view.generation:
                c.execute(f"DROP TABLE IF EXISTS {d.name(table)}")
