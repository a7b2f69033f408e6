"""Application plumbing shared by the command groups: lookups, versions, atomic saves."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

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
from service.store.url import StoreConfig

if TYPE_CHECKING:
    from service.app.writer import GroupCommitter

A = TypeVar("A", bound=RecordAggregate)
P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="RecordApplication")
#: Read "the latest version" from the store itself, bypassing the writer's cache.
LATEST = 2**62


def command(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run the method as one command: serialised, atomic, grouped with concurrent ones."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if self.current_command is not None:  # nested: part of the running command
            return method(self, *args, **kwargs)
        return self.execute(functools.partial(method, self, *args, **kwargs))

    return run


class RecordApplication(Executor, Application[uuid.UUID]):
    name = "Minutebook"
    is_snapshotting_enabled = False

    def __init__(self, store: StoreConfig, *, cache_size: int = 20_000) -> None:
        self.store = store
        env = dict(store.env)
        env.setdefault("AGGREGATE_CACHE_MAXSIZE", str(cache_size))
        # One writer per process keeps the cache authoritative; a stale entry (another
        # process wrote) shows up as a version conflict at commit and is reloaded.
        env["AGGREGATE_CACHE_FASTFORWARD"] = "n"
        env["DEEPCOPY_FROM_AGGREGATE_CACHE"] = "n"
        self.writer: GroupCommitter | None = None
        Executor.__init__(self)
        Application.__init__(self, env=env)

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

    def save_all(self, *aggregates: RecordAggregate) -> int | None:
        """Save in one transaction with the rest of the batch (position known at commit)."""
        if self.current_command is None:
            return self.execute(lambda: self.save_all(*aggregates))
        self.collect(*aggregates)
        return None

    def result(
        self, aggregate: RecordAggregate, position: int | None, **extra: Any
    ) -> CommandResult:
        return CommandResult(id=aggregate.id, version=aggregate.version, position=position, **extra)

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
        if version is None and self.current_command is not None:
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

    def find_body(self, name_or_slug: str) -> Body:
        slug = ids.slugify(name_or_slug)
        try:
            alias = self._read(ids.body_alias_id(slug))
        except AggregateNotFoundError:
            raise UnknownRecordError(f'no body called "{name_or_slug}" is recorded') from None
        assert isinstance(alias, BodyAlias)
        return self.get_as(Body, alias.body_id)

    def find_meeting_id(self, body: Body, date: dt.date) -> uuid.UUID:
        try:
            slot = self._read(ids.meeting_slot_id(body.id, date))
        except AggregateNotFoundError:
            slot = None
        if not isinstance(slot, MeetingSlot) or slot.meeting_id is None:
            raise UnknownRecordError(f"{body.name} has no meeting on {date.isoformat()}")
        return slot.meeting_id

    def find_meeting(self, body: Body, date: dt.date) -> Meeting:
        return self.get_as(Meeting, self.find_meeting_id(body, date))
