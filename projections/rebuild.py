"""Rebuilding views from the log into fresh tables, then swapping them in.

1. Each view gets a new generation: tables no reader or runner uses (their
   non-unique indexes are made after they are filled).
2. One pass over the log, page by page: each event is decoded once and
   dispatched once to the handlers of every view being rebuilt; a commit (one
   transaction and one tracking record per view, each changed document encoded
   once) every ``flush_every`` events, made by a writer thread while the pass
   goes on (the database works without the GIL).  The collector is paused
   (:func:`~projections.runner.gc_paused`).
3. Catch up with what was written meanwhile; then the swap, in one transaction
   that holds off the live runner's commits (SQLite: the write lock;
   PostgreSQL: the view's generation lock, taken exclusively): apply the last
   events — at least as far as the live runner got — and make the new
   generation live.  The live runner's next commit sees the swap and restarts
   on the new tables (:mod:`projections.service`).
4. Drop the view's other generations.

Readers use the live generation throughout: they never see a half-built view.

:func:`catch_up` is the same pass for live views that are behind (a service
starting on a long log): one read and decode for all of them, instead of one
per view's runner.  First, :func:`upgrade` rebuilds the views whose live tables
are of another schema version than their code writes (:mod:`projections.versions`).

What a pass costs per event is the point here (issue 7: a rebuild at 50,000 events/s
on SQLite): on SQLite only the events some view reads are fetched
(:func:`_read`), they are decoded without the mapper's per-event overhead
(:mod:`projections.decoding`), and the writer thread inserts 200 rows a statement
(:data:`projections.sql.ROWS_PER_STATEMENT`).
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
import structlog
from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.sqlite import SQLiteApplicationRecorder

from projections import generations, versions
from projections.base import DocumentProjection, plain
from projections.catalogue import ViewSpec, specs
from projections.decoding import PageDecoder
from projections.env import APPLICATION_NAME, LogReader, dialect, follower_env, open_datastore
from projections.locks import ViewLockedError, ViewLocks
from projections.runner import gc_paused, main_thread_signals
from projections.sql import Cursor, Dialect, DocumentTable, Row
from projections.status import tables
from projections.view import (
    DocumentView,
    PostgresDocumentView,
    SQLiteDocumentView,
    ViewSwappedError,
)
from service.store.url import StoreConfig

log = structlog.get_logger("minutebook.projections")


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
        self.projection.changes.start_empty()  # fresh tables: nothing to look up
        self.replaced = 0
        #: Secondary indexes, dropped while the empty tables are filled, made after.
        self.indexes: list[str] = []


def rebuild(
    store: StoreConfig,
    names: Sequence[str] | None = None,
    *,
    page: int = 5000,
    flush_every: int = 10_000,
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
        with gc_paused():
            builders = [_new_generation(spec, store, datastore, d) for spec in chosen]
            writer = _Writer()
            try:
                events = _replay(reader, builders, flush_every, page, writer=writer)
                head = reader.recorder.max_notification_id() or 0
                while head - (builders[0].projection.position or 0) > page:  # written meanwhile
                    events += _replay(reader, builders, flush_every, page, writer=writer)
                    head = reader.recorder.max_notification_id() or 0
            finally:
                writer.close()
            for builder in builders:
                _make_indexes(builder)
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
        c.execute(versions.ddl(d))  # for the swap to record the version in (a store of old)
    view = spec.view_class(store.kind)(datastore, generation=generation, check_live=False)
    view.drop_tables()
    view.create_table()
    if isinstance(view, SQLiteDocumentView):
        view.cache_kib = REBUILD_CACHE_KIB
    builder = _Builder(spec, view)
    _drop_indexes(builder, d)
    return builder


#: SQLite's page cache for a rebuild's writes (the default, 2 MB, spills and re-reads pages).
REBUILD_CACHE_KIB = 64 * 1024


def _drop_indexes(builder: _Builder, d: Dialect) -> None:
    """Drop the new tables' non-unique indexes: made once at the end, they cost less than
    kept up to date row by row.  Their statements are kept for :func:`_make_indexes`."""
    table = builder.view.table.base
    with builder.view.write_transaction(check_live=False) as c:
        if d.kind == "sqlite":
            c.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
                (table,),
            )
        else:
            c.execute(
                "SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS sql "
                "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_class t ON t.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = %s AND t.relname = %s AND NOT x.indisunique",
                (d.schema, table),
            )
        found = [(r["name"], r["sql"]) for r in c.fetchall()]
        for name, sql in found:
            c.execute(f"DROP INDEX {d.name(name)}")
            builder.indexes.append(sql)


def _make_indexes(builder: _Builder) -> None:
    with builder.view.write_transaction(check_live=False) as c:
        for sql in builder.indexes:
            c.execute(sql)
    builder.indexes.clear()


def _read(
    reader: LogReader,
    after: int,
    page: int,
    upto: int | None,
    topics: frozenset[str],
    ids: _Ids,
) -> tuple[list[StoredEvent | None], list[int], int, int]:
    """The next ``page`` events of the log: the stored events some view reads (on SQLite,
    only those; elsewhere None for the others), their positions, the last position read
    (``after`` if there was nothing) and how many events that page held."""
    recorder = reader.recorder
    if not isinstance(recorder, SQLiteApplicationRecorder):
        notifications = recorder.select_notifications(
            start=after, limit=page, stop=upto, inclusive_of_start=False
        )
        last = notifications[-1].id if notifications else after
        chosen: list[StoredEvent | None] = [n if n.topic in topics else None for n in notifications]
        return chosen, [n.id for n in notifications], last, len(notifications)
    # SQLite: the page's bounds first, then only the rows some view reads (a third of the
    # log are minute numbers and slots no view reads: neither fetched nor looked at).  The
    # library makes a StoredEvent and a new UUID for every row; here rows are _LogRow
    # (StoredEvent's fields, a third of the cost to make), and each aggregate's id is made
    # a UUID once (the mapper takes it as it is).
    table = recorder.events_table_name
    with recorder.datastore.transaction(commit=False) as c:
        # The library's transaction yields its cursor wrapper; the sqlite3 cursor inside
        # is told to make plain tuples (cheaper than the connection's sqlite3.Row).
        cursor = c.sqlite_cursor
        cursor.row_factory = None
        cursor.execute(
            f"SELECT COUNT(*), MAX(rowid) FROM (SELECT rowid FROM {table} "
            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?)",
            (after, upto if upto is not None else 2**62, page),
        )
        count, last = cursor.fetchone()
        if not count:
            return [], [], after, 0
        cursor.execute(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
            f"WHERE rowid > ? AND rowid <= ? AND topic IN ({', '.join('?' * len(topics))}) "
            "ORDER BY rowid",
            (after, last, *sorted(topics)),
        )
        rows = cursor.fetchall()
    if len(ids) > _MAX_IDS:
        ids.clear()
    new = tuple.__new__
    found: list[Any] = [  # of _LogRow, typed as StoredEvent for the mapper's sake
        new(_LogRow, (ids[r[1]], r[2], r[3], r[4])) for r in rows
    ]
    return found, [r[0] for r in rows], last, count


class _LogRow(NamedTuple):
    """A stored event as the mapper and the views read it (duck-typed as StoredEvent)."""

    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class _Ids(dict[str, UUID]):
    """Aggregates' ids by their text, each parsed once (until :data:`_MAX_IDS` are held)."""

    def __missing__(self, text: str) -> UUID:
        found = self[text] = UUID(text)
        return found


_MAX_IDS = 10_000


def _replay(
    reader: LogReader,
    builders: Sequence[_Builder],
    flush_every: int,
    page: int,
    upto: int | None = None,
    cursor: Cursor | None = None,
    writer: _Writer | None = None,
) -> int:
    """Apply the log after the builders' position (up to ``upto``); each event decoded once.
    Batches are committed by ``writer`` if given (all of them by the time this returns)."""
    topics = frozenset().union(*(b.projection.handled_topics for b in builders))
    projections = [b.projection for b in builders]
    raw = plain(reader.mapper)
    decoder = PageDecoder(reader.mapper)
    position = builders[0].projection.position or 0
    count = since = 0
    ids = _Ids()
    while upto is None or position < upto:
        found, _, last, passed = _read(reader, position, page, upto, topics, ids)
        if last == position:
            break
        events = decoder.decode(found)
        DocumentProjection.apply_all(projections, events, found if raw else None)
        count += passed
        since += passed
        position = last
        if since >= flush_every and cursor is None:
            _hand_over(builders, position, writer)
            since = 0
    if since:
        if cursor is None:
            _hand_over(builders, position, writer)
        else:
            for builder in builders:
                builder.projection.commit(Tracking(APPLICATION_NAME, position), cursor)
    if writer is not None:
        writer.wait()
    return count


def _hand_over(builders: Sequence[_Builder], position: int, writer: _Writer | None) -> None:
    """Each view's batch to the writer, to commit (rows and tracking in one transaction)
    while the pass goes on; first, the batch before must be in the tables."""
    if writer is not None:
        writer.wait()
    for builder in builders:
        changes = builder.projection.changes
        changes.trim()  # before the next batch is handed over: what is not pending is stored
        upserts, deletes = changes.pending()
        changes.handed_over()
        tracking = Tracking(APPLICATION_NAME, position)
        if writer is None:
            builder.view.commit(upserts, deletes, tracking)
        else:
            writer.submit(builder.view.commit, upserts, deletes, tracking)
        builder.projection.position = position


class _Writer:
    """Commits the views' batches in a thread of its own, in order, one batch behind the
    pass: SQLite and PostgreSQL do their work without the GIL, so writing the last batch
    overlaps with reading, decoding and applying the next."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="view-writer", initializer=main_thread_signals
        )
        self._pending: list[Future[None]] = []

    def submit(self, commit: Callable[..., None], *args: Any) -> None:
        self._pending.append(self._pool.submit(commit, *args))

    def wait(self) -> None:
        """Every batch committed (or the first error raised)."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pool.shutdown(wait=True)


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
            versions.record(c, d, name, builder.projection.schema_version)
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


# Catching up: the live views, one pass over the log ----------------------------------------

OnCaughtUp = Callable[[str, int], None]


def catch_up(
    store: StoreConfig,
    projections: Sequence[DocumentProjection],
    *,
    flush_every: int,
    page: int = 5000,
    on_commit: OnCaughtUp | None = None,
    stopping: Callable[[], bool] = lambda: False,
    env: dict[str, str] | None = None,
) -> dict[str, int]:
    """Bring live views up to the log's head in one pass: each event read and decoded once
    for all of them (a runner per view would each read and decode the whole log).

    Each view starts after its own tracked position and commits (its rows with its
    tracking record, one transaction) every ``flush_every`` events and at the head,
    so exactly-once holds as in a runner.  A view swapped by a rebuild meanwhile is
    left to its runner.  Returns the position each view reached (a view rebuilt
    before it could start is not in it).  ``env``: the log
    reader's settings (default: :func:`~projections.env.follower_env`).
    """
    upgrade(store, projections)
    reader = LogReader(env=env if env is not None else follower_env(store))
    try:
        with gc_paused():
            return _catch_up(reader, projections, flush_every, page, on_commit, stopping)
    finally:
        reader.close()


def upgrade(store: StoreConfig, projections: Sequence[DocumentProjection]) -> list[str]:
    """Rebuild, in one pass, the views whose live tables are of another schema version
    than their projection writes (an upgrade changed their rows); the names rebuilt.

    Called on start by whoever runs the views (its runner locks make it the only one);
    a view another process is rebuilding meanwhile is left to that rebuild.  The
    projections given go on at their old generation: their commits find the swap
    (:class:`~projections.view.ViewSwappedError`) and their runners restart.
    """
    outdated: dict[str, tuple[int, int]] = {}
    for p in projections:
        with p.view.read_transaction() as c:
            found = versions.stored(c, p.view.dialect, p.name, tables(c, p.view.dialect))
        if found != p.schema_version:
            outdated[p.name] = (found, p.schema_version)
    if not outdated:
        return []
    for name, (old, new) in outdated.items():
        log.info("projection_schema_upgrade", view=name, from_version=old, to_version=new)
    try:
        report = rebuild(store, list(outdated))
    except ViewLockedError as e:
        log.warning("projection_schema_upgrade_left", views=list(outdated), detail=str(e))
        return []
    log.info(
        "projection_schema_upgraded",
        views=[v.name for v in report.views],
        events=report.events,
        seconds=report.seconds,
    )
    return [v.name for v in report.views]


def _empty(view: DocumentView) -> bool:
    with view.read_transaction() as c:
        c.execute(f"SELECT 1 AS found FROM {view.table.table} LIMIT 1")
        return c.fetchone() is None


def _catch_up(
    reader: LogReader,
    projections: Sequence[DocumentProjection],
    flush_every: int,
    page: int,
    on_commit: OnCaughtUp | None,
    stopping: Callable[[], bool],
) -> dict[str, int]:
    raw = plain(reader.mapper)
    decoder = PageDecoder(reader.mapper)
    active: list[DocumentProjection] = []
    applied: dict[str, int] = {}
    for p in projections:
        try:
            applied[p.name] = p.view.max_tracking_id(APPLICATION_NAME) or 0
        except Exception:
            if p.view.live_generation() != p.view.generation:  # rebuilt: its runner's now
                continue
            raise
        active.append(p)
    for p in active:
        if not applied[p.name] and _empty(p.view):  # a new view: nothing to look up
            p.changes.start_empty()
    reached = dict(applied)
    since = dict.fromkeys(applied, 0)
    swapped: set[str] = set()
    topics = frozenset().union(*(p.handled_topics for p in active))
    position = min(applied.values(), default=0)
    ids = _Ids()

    def write(
        p: DocumentProjection, rows: list[Row], deletes: list[tuple[str, str]], at: int
    ) -> None:
        """In the writer's thread: one view's batch, with its tracking record."""
        try:
            p.view.commit(rows, deletes, Tracking(APPLICATION_NAME, at))
        except ViewSwappedError:  # rebuilt meanwhile: its runner starts on the new tables
            swapped.add(p.name)
            return
        reached[p.name] = p.position = at
        if on_commit is not None:
            on_commit(p.name, at)

    def settle() -> None:
        """Every batch handed over is written; views swapped meanwhile are left."""
        try:
            writer.wait()
        except BaseException:
            for p in active:
                p.changes.forget()
            raise
        for p in [p for p in active if p.name in swapped]:
            p.changes.forget()
            active.remove(p)

    def hand_over(group: list[DocumentProjection]) -> None:
        settle()
        for p in group:
            if p in active:
                p.changes.trim()  # what is not pending is in the tables now
                rows, deletes = p.changes.pending()
                p.changes.handed_over()
                writer.submit(write, p, rows, deletes, applied[p.name])
                since[p.name] = 0

    writer = _Writer()
    try:
        while active and not stopping():
            found, positions, last, passed = _read(reader, position, page, None, topics, ids)
            if last == position:
                break
            events = decoder.decode(found)
            starts: dict[int, list[DocumentProjection]] = {}  # views at different positions
            for p in active:
                if applied[p.name] < last:
                    start = bisect.bisect_right(positions, applied[p.name])
                    starts.setdefault(start, []).append(p)
            for start, group in starts.items():
                stored = found[start:] if start else found
                try:
                    DocumentProjection.apply_all(
                        group, events[start:] if start else events, stored if raw else None
                    )
                except BaseException:
                    for p in group:
                        p.changes.forget()
                    raise
                for p in group:
                    applied[p.name] = last
                    since[p.name] += len(found) - start if start else passed
            position = last
            at_head = passed < page
            due = [p for p in active if since[p.name] >= flush_every or (at_head and since[p.name])]
            if due:
                hand_over(due)
            if at_head:
                break
        hand_over([p for p in active if since[p.name]])
        settle()
    finally:
        writer.close()
    return reached
