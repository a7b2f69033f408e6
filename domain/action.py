"""An action raised from a resolution and updated at later meetings until done."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

from domain.base import RecordAggregate
from domain.errors import ActionClosedError, InvalidValueError, RecordConflictError

ActionStatus = Literal["open", "in progress", "completed", "withdrawn"]


class Origin(msgspec.Struct, frozen=True, kw_only=True):
    body_id: uuid.UUID
    meeting_id: uuid.UUID
    meeting_date: dt.date
    minute: str
    part: int


class Due(msgspec.Struct, frozen=True, kw_only=True):
    date: dt.date | None = None
    meeting_id: uuid.UUID | None = None
    meeting_date: dt.date | None = None
    #: As written when not resolvable to a meeting ("next meeting", "September 2022").
    text: str | None = None


def check_due_meeting_of_same_body(origin: Origin, due_body_id: uuid.UUID | None) -> None:
    """An action's due meeting belongs to the same body."""
    if due_body_id is not None and due_body_id != origin.body_id:
        raise InvalidValueError("an action's due meeting must be a meeting of the same body")


class Action(RecordAggregate):
    class Raised(RecordAggregate.Created):
        origin: Origin
        description: str
        owners: tuple[str, ...]
        due: Due

    def __init__(self, origin: Origin, description: str, owners: tuple[str, ...], due: Due) -> None:
        self.origin = origin
        self.description = description
        self.owners = owners
        self.due = due
        self.status: ActionStatus = "open"
        self.notes: list[str] = []

    @classmethod
    def raise_action(
        cls,
        action_id: uuid.UUID,
        origin: Origin,
        description: str,
        owners: tuple[str, ...] = (),
        due: Due | None = None,
        due_body_id: uuid.UUID | None = None,
    ) -> Action:
        if not description.strip():
            raise InvalidValueError("an action needs a description")
        check_due_meeting_of_same_body(origin, due_body_id)
        action: Action = cls._create(
            cls.Raised,
            id=action_id,
            origin=origin,
            description=description,
            owners=owners,
            due=due or Due(),
        )
        return action

    def check_open(self) -> None:
        if self.status in ("completed", "withdrawn"):
            raise ActionClosedError(
                f"the action is {self.status}; it takes no further updates unless reopened "
                "with a reason"
            )

    class Updated(RecordAggregate.Event):
        note: str
        status: ActionStatus | None
        at_meeting_id: uuid.UUID | None

        def apply(self, action: Action) -> None:
            action.notes.append(self.note)
            if self.status is not None:
                action.status = self.status

    def update(
        self, note: str, status: ActionStatus | None = None, at_meeting_id: uuid.UUID | None = None
    ) -> None:
        self.check_open()
        if status in ("completed", "withdrawn"):
            raise InvalidValueError(f"use the {status[:-2]} command to close an action")
        if not note.strip():
            raise InvalidValueError("an update needs a note")
        self.trigger_event(self.Updated, note=note, status=status, at_meeting_id=at_meeting_id)

    class Reassigned(RecordAggregate.Event):
        owners: tuple[str, ...]

        def apply(self, action: Action) -> None:
            action.owners = self.owners

    def reassign(self, owners: tuple[str, ...]) -> None:
        self.check_open()
        if owners == self.owners:
            raise RecordConflictError("the action already has exactly these owners")
        self.trigger_event(self.Reassigned, owners=owners)

    class DueChanged(RecordAggregate.Event):
        due: Due

        def apply(self, action: Action) -> None:
            action.due = self.due

    def change_due(self, due: Due, due_body_id: uuid.UUID | None = None) -> None:
        self.check_open()
        check_due_meeting_of_same_body(self.origin, due_body_id)
        self.trigger_event(self.DueChanged, due=due)

    class Completed(RecordAggregate.Event):
        note: str | None

        def apply(self, action: Action) -> None:
            action.status = "completed"
            if self.note:
                action.notes.append(self.note)

    def complete(self, note: str | None = None) -> None:
        self.check_open()
        self.trigger_event(self.Completed, note=note)

    class Withdrawn(RecordAggregate.Event):
        reason: str

        def apply(self, action: Action) -> None:
            action.status = "withdrawn"

    def withdraw(self, reason: str | None) -> None:
        self.check_open()
        if not reason:
            raise InvalidValueError("withdrawing an action needs a reason")
        self.trigger_event(self.Withdrawn, reason=reason)

    class Reopened(RecordAggregate.Event):
        reason: str

        def apply(self, action: Action) -> None:
            action.status = "open"

    def reopen(self, reason: str | None) -> None:
        if self.status not in ("completed", "withdrawn"):
            raise RecordConflictError("only a completed or withdrawn action can be reopened")
        if not reason:
            raise InvalidValueError("reopening an action needs a reason")
        self.trigger_event(self.Reopened, reason=reason)
