"""Application plumbing shared by the command groups: lookups, versions, atomic saves."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain import ids
from domain.base import RecordAggregate
from domain.body import Body, BodyAlias
from domain.errors import UnknownRecordError
from domain.meeting import Meeting, MeetingSlot
from service.commands import CommandResult
from service.errors import ConcurrentChangeError, StaleVersionError
from service.store.url import StoreConfig

A = TypeVar("A", bound=RecordAggregate)


class RecordApplication(Application[uuid.UUID]):
    name = "Minutebook"
    is_snapshotting_enabled = False

    def __init__(self, store: StoreConfig) -> None:
        self.store = store
        super().__init__(env=dict(store.env))

    # Saving -----------------------------------------------------------------------

    def save_all(self, *aggregates: RecordAggregate) -> int | None:
        """Save in one transaction; a concurrent change stores nothing and says so."""
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentChangeError(
                "the record was changed by someone else at the same time (or already exists); "
                "nothing was stored — reload it and try again"
            ) from None
        return max((r.notification.id for r in recordings), default=None)

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

    def get_as(self, cls: type[A], record_id: uuid.UUID, version: int | None = None) -> A:
        try:
            aggregate: object = self.repository.get(record_id, version=version)
        except AggregateNotFoundError:
            raise UnknownRecordError(f"no {cls.__name__.lower()} with id {record_id}") from None
        if not isinstance(aggregate, cls):
            raise UnknownRecordError(f"record {record_id} is not a {cls.__name__.lower()}")
        return aggregate

    def exists(self, record_id: uuid.UUID) -> bool:
        return record_id in self.repository

    # Lookups by natural key ---------------------------------------------------------

    def find_body(self, name_or_slug: str) -> Body:
        slug = ids.slugify(name_or_slug)
        try:
            alias: object = self.repository.get(ids.body_alias_id(slug))
        except AggregateNotFoundError:
            raise UnknownRecordError(f'no body called "{name_or_slug}" is recorded') from None
        assert isinstance(alias, BodyAlias)
        return self.get_as(Body, alias.body_id)

    def find_meeting_id(self, body: Body, date: dt.date) -> uuid.UUID:
        try:
            slot: object = self.repository.get(ids.meeting_slot_id(body.id, date))
        except AggregateNotFoundError:
            slot = None
        if not isinstance(slot, MeetingSlot) or slot.meeting_id is None:
            raise UnknownRecordError(f"{body.name} has no meeting on {date.isoformat()}")
        return slot.meeting_id

    def find_meeting(self, body: Body, date: dt.date) -> Meeting:
        return self.get_as(Meeting, self.find_meeting_id(body, date))
