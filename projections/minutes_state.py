"""A meeting's minutes as the projection holds them, changed by the domain's own mutators.

:class:`MeetingState` has the attributes a ``Meeting`` aggregate's events
change, so each event's own ``apply()`` (the write model's mutator) changes it
the same way; the minutes the read side shows cannot drift from the record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from domain.meeting import Meeting
from domain.values import (
    ApprovalOfMinutes,
    Attendance,
    Confirmation,
    Declaration,
    MinuteItem,
    MinutesStatus,
    Signature,
    Vote,
)
from projections.bodies import BodyInfo
from projections.minutes_document import MinutesDocument, minutes_document


class MeetingState(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    body_id: uuid.UUID
    date: dt.date
    time: str | None = None
    venue: str | None = None
    remote: bool = False
    version: int = 1
    cancelled: bool = False
    former_dates: list[dt.date] = []
    minutes_status: MinutesStatus = "draft"
    attendance: Attendance = Attendance()
    declarations: list[Declaration] = []
    items: dict[str, MinuteItem] = {}
    votes: dict[str, list[Vote]] = {}
    approvals: dict[str, ApprovalOfMinutes] = {}
    call_in: bool | None = None
    call_in_status: str | None = None
    next_meeting: str | None = None
    confirmation: Confirmation | None = None
    signature: Signature | None = None


def apply_event(state: MeetingState | None, event: Any) -> MeetingState:
    """The state after ``event`` (a ``Meeting`` event); ``Scheduled`` starts it."""
    if isinstance(event, Meeting.Scheduled):
        return start(event)
    return advance(state, event)


def start(event: Any) -> MeetingState:
    """The state a ``Meeting.Scheduled`` event starts."""
    return MeetingState(
        id=event.originator_id,
        body_id=event.body_id,
        date=event.date,
        time=event.time,
        venue=event.venue,
        remote=event.remote,
        version=event.originator_version,
    )


def advance(state: MeetingState | None, event: Any) -> MeetingState:
    """``state`` changed by ``event``, any ``Meeting`` event but ``Scheduled``."""
    if state is None:
        raise ValueError(f"{type(event).__qualname__} before Meeting.Scheduled")
    event.apply(state)
    state.version = event.originator_version
    return state


def document(state: MeetingState, body: BodyInfo) -> MinutesDocument:
    """The MinutesDocument of CONTRACT.md, exactly as the write model's query builds it."""
    return minutes_document(state, body.name, body.slug)
