"""Application plumbing shared by the command groups: lookups, versions, atomic saves."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import structlog
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import Recording

from domain import ids
from domain.base import RecordAggregate
from domain.body import Body, BodyAlias
from domain.errors import UnknownRecordError
from domain.meeting import Meeting, MeetingSlot
from service.app.execution import Executor
from service.commands import CommandResult
from service.errors import StaleVersionError
from service.store.recorders import PollingSQLiteRecorder
from service.store.snapshots import replace_snapshot
from service.store.url import StoreConfig

if TYPE_CHECKING:
    from service.app.writer import GroupCommitter

log = structlog.get_logger("minutebook.app")
A = TypeVar("A", bound=RecordAggregate)
P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="RecordApplication")
#: Read "the latest version" from the store itself, bypassing the writer's cache.
LATEST = 2**62
#: Natural keys → ids remembered per application (cleared when this many are held).
_ID_MEMO_SIZE = 4096
BODY_SNAPSHOT_INTERVAL = 200


def command(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run the method as one command: serialised, atomic, grouped with concurrent ones."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._local.command is not None:  # nested: part of the running command
            return method(self, *args, **kwargs)
        return self.execute(functools.partial(method, self, *args, **kwargs))

    return run


class RecordApplication(Executor, Application[uuid.UUID]):
    name = "Minutebook"
    is_snapshotting_enabled = False
    #: Every minute item adds an event to its body (its number): a body is snapshotted
    #: every this many events, so loading it replays fewer than that many, however long
    #: its history (snapshots live in their own table, outside the log and its ledger).
    snapshotting_intervals = {Body: BODY_SNAPSHOT_INTERVAL}  # noqa: RUF012

    def __init__(self, store: StoreConfig, *, cache_size: int = 20_000) -> None:
        self.store = store
        env = dict(store.env)
        env.setdefault("AGGREGATE_CACHE_MAXSIZE", str(cache_size))
        # One writer per process keeps the cache authoritative; a stale entry (another
        # process wrote) shows up as a version conflict at commit and is reloaded.
        env["AGGREGATE_CACHE_FASTFORWARD"] = "n"
        env["DEEPCOPY_FROM_AGGREGATE_CACHE"] = "n"
        self.writer: GroupCommitter | None = None
        self._alias_ids: dict[str, uuid.UUID] = {}
        #: Names → body ids, from aliases as stored (see ``find_body``).
        self._body_ids: dict[str, uuid.UUID] = {}
        #: Keyed by the body id's integer: hashed in C (a UUID's hash is a Python call).
        self._slot_ids: dict[tuple[int, dt.date], uuid.UUID] = {}
        Executor.__init__(self)
        Application.__init__(self, env=env)
        repository = self.repository
        if repository.cache is not None and not (
            repository.fastforward or repository.deepcopy_from_cache
        ):
            # ``repository.get`` of a cached aggregate is then just the cache's ``get``.
            self._aggregate_cache = repository.cache

    def close(self) -> None:
        recorder = self.recorder
        if isinstance(recorder, PollingSQLiteRecorder):
            recorder.close_writer()  # its own writing connection (the pool closes the rest)
        super().close()

    def execute(self, job: Callable[[], R]) -> R:
        """Run ``job`` as a command: through the group committer when one is running."""
        writer = self.writer
        if writer is not None and not writer.is_writer_thread():
            return writer.submit(job)
        return self.run_one(job)

    # Saving -----------------------------------------------------------------------

    def save(self, *aggregates: Any, **kwargs: Any) -> list[Recording[uuid.UUID]]:
        """The library's save, without its per-object runtime Protocol checks (~10 µs each).

        Only our own aggregates are ever saved here; the rest is what the library does.
        """
        processing = ProcessingEvent[uuid.UUID]()
        for aggregate in aggregates:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._notify(recordings)
        return recordings

    def _store(self, aggregates: Collection[RecordAggregate]) -> dict[int, int]:
        """Commit the aggregates' pending events in one transaction: their log positions.

        The executor's commit path: what ``save`` does, less the library's per-event
        ``Recording``/``Notification`` objects (the positions are all it needs).  Each
        position is keyed by its event's ``id()``: the executor still holds the events,
        and an int key is hashed in C (a UUID's hash is a Python call).
        """
        events: list[Any] = []
        crossed: list[RecordAggregate] = []
        intervals = self.snapshotting_intervals
        for aggregate in aggregates:
            # As the library's ``collect_events``: the pending events, in order, and
            # the aggregate's list emptied.
            queued = aggregate._pending_events
            pending = queued[:]
            queued.clear()
            interval = intervals.get(type(aggregate)) if intervals else None
            if interval and pending:
                first, last = pending[0].originator_version, pending[-1].originator_version
                if last // interval > (first - 1) // interval:
                    crossed.append(aggregate)
            events += pending
        store = self.events
        to_stored = store.mapper.to_stored_event
        stored = [to_stored(event) for event in events]
        positions = store.recorder.insert_events(stored) or ()
        # (No cache puts: a command's aggregates entered the cache when it loaded or
        # collected them, or when a failed command's changes were rolled back.)
        for aggregate in crossed:
            self._snapshot(aggregate)
        return {id(event): position for event, position in zip(events, positions, strict=True)}

    def _snapshot(self, aggregate: RecordAggregate) -> None:
        """Store a snapshot of an aggregate just committed, from memory (no replay).

        Snapshots are a cache beside the log (their own table, not in the ledger): the
        events are already committed, so failing to store one only costs a longer
        replay later, and is never the command's failure.
        """
        snapshots = self.snapshots
        if snapshots is None:
            return
        try:
            replace_snapshot(snapshots, type(aggregate).Snapshot.take(aggregate))
        except Exception as e:  # the command has succeeded: keep it so
            log.warning("snapshot_failed", record=str(aggregate.id), error=str(e))

    def save_all(self, *aggregates: RecordAggregate) -> int | None:
        """Save in one transaction with the rest of the batch (position known at commit)."""
        if self._local.command is None:
            return self.execute(lambda: self.save_all(*aggregates))
        self.collect(*aggregates)
        return None

    def result(
        self, aggregate: RecordAggregate, position: int | None, **extra: Any
    ) -> CommandResult:
        return CommandResult(
            id=aggregate._id, version=aggregate._version, position=position, **extra
        )

    @staticmethod
    def check_expected_version(aggregate: RecordAggregate, expected: int | None) -> None:
        if expected is not None and expected != aggregate.version:
            raise StaleVersionError(
                f"the record is at version {aggregate.version}, not {expected}: it changed since "
                "you read it — reload it and reapply your change"
            )

    # Reading aggregates -------------------------------------------------------------

    def _read(self, record_id: uuid.UUID, version: int | None = None) -> object:
        """Inside a command: the writer's cache. Outside (queries): the store itself."""
        if version is None and self._local.command is not None:
            return self.load(record_id)
        return self.repository.get(record_id, version=version or LATEST)

    def get_as(self, cls: type[A], record_id: uuid.UUID, version: int | None = None) -> A:
        try:
            aggregate = self._read(record_id, version)
        except AggregateNotFoundError:
            raise UnknownRecordError(f"no {cls.__name__.lower()} with id {record_id}") from None
        if not isinstance(aggregate, cls):
            raise UnknownRecordError(f"record {record_id} is not a {cls.__name__.lower()}")
        return aggregate

    def exists(self, record_id: uuid.UUID) -> bool:
        try:
            self._read(record_id)
        except AggregateNotFoundError:
            return False
        return True

    # Lookups by natural key ---------------------------------------------------------

    def _alias_id(self, name_or_slug: str) -> uuid.UUID:
        """The alias record of a name (a pure function of it, so remembered: ~10 µs each)."""
        found = self._alias_ids.get(name_or_slug)
        if found is None:
            if len(self._alias_ids) >= _ID_MEMO_SIZE:
                self._alias_ids.clear()
            found = self._alias_ids[name_or_slug] = ids.body_alias_id(ids.slugify(name_or_slug))
        return found

    def _slot_id(self, body_id: uuid.UUID, date: dt.date) -> uuid.UUID:
        key = (body_id.int, date)
        found = self._slot_ids.get(key)
        if found is None:
            if len(self._slot_ids) >= _ID_MEMO_SIZE:
                self._slot_ids.clear()
            found = self._slot_ids[key] = ids.meeting_slot_id(body_id, date)
        return found

    def find_body(self, name_or_slug: str) -> Body:
        """The body of a name it has or had (its alias record names it).

        An alias is never changed once stored (a name stays with the body that first
        took it), so the body's id is remembered from an alias read as stored, i.e.
        with no pending events: one held by a batch not yet committed is not
        remembered (that commit may fail).  Every command names its body: this saves
        the alias's read from the cache.
        """
        body_id = self._body_ids.get(name_or_slug)
        if body_id is None:
            try:
                alias = self._read(self._alias_id(name_or_slug))
            except AggregateNotFoundError:
                raise UnknownRecordError(f'no body called "{name_or_slug}" is recorded') from None
            assert isinstance(alias, BodyAlias)
            body_id = alias.body_id
            if not alias._pending_events:
                if len(self._body_ids) >= _ID_MEMO_SIZE:
                    self._body_ids.clear()
                self._body_ids[name_or_slug] = body_id
        return self.get_as(Body, body_id)

    def find_meeting_id(self, body: Body, date: dt.date) -> uuid.UUID:
        try:
            slot = self._read(self._slot_id(body._id, date))
        except AggregateNotFoundError:
            slot = None
        if not isinstance(slot, MeetingSlot) or slot.meeting_id is None:
            raise UnknownRecordError(f"{body.name} has no meeting on {date.isoformat()}")
        return slot.meeting_id

    def find_meeting(self, body: Body, date: dt.date) -> Meeting:
        return self.get_as(Meeting, self.find_meeting_id(body, date))
