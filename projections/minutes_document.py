"""The minutes of one meeting as plain data: the JSON of CONTRACT.md and its renderings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import msgspec

from domain.amendments import Amendment
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


class ConfirmedAt(msgspec.Struct, frozen=True, kw_only=True):
    meeting_date: dt.date
    minute: str
    amendments: tuple[Amendment, ...] = ()


class ItemDocument(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    title: str
    paragraphs: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    references: tuple[dict[str, str | None], ...] = ()
    exempt: bool = False
    exempt_reason: str | None = None
    withheld: bool = False
    notes: tuple[str, ...] = ()
    votes: tuple[Vote, ...] = ()
    approves_minutes_of: dt.date | None = None


class MinutesDocument(msgspec.Struct, frozen=True, kw_only=True):
    body: str
    body_slug: str
    meeting_date: dt.date
    status: MinutesStatus
    version: int
    confirmed_at: ConfirmedAt | None
    items: tuple[ItemDocument, ...]
    meeting_time: str | None = None
    venue: str | None = None
    remote: bool = False
    cancelled: bool = False
    attendance: Attendance = Attendance()
    declarations: tuple[Declaration, ...] = ()
    call_in: bool | None = None
    call_in_status: str | None = None
    next_meeting: str | None = None
    signature: Signature | None = None
    rescheduled_from: tuple[dt.date, ...] = ()

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data

    def withhold_exempt(
        self, exempt_now: Mapping[str, str | None] | None = None
    ) -> MinutesDocument:
        """The public view: exempt items show number, title and reason only.

        ``exempt_now`` (number → reason): the items exempt in the current record; an
        earlier version withholds them too, from before they were marked exempt."""
        later = exempt_now or {}
        items = tuple(
            ItemDocument(
                number=i.number,
                title=i.title,
                exempt=True,
                exempt_reason=i.exempt_reason if i.exempt else later[i.number],
                withheld=True,
            )
            if i.exempt or i.number in later
            else i
            for i in self.items
        )
        return msgspec.structs.replace(self, items=items)


def item_document(
    item: MinuteItem, votes: tuple[Vote, ...] = (), approves: dt.date | None = None
) -> ItemDocument:
    return ItemDocument(
        number=item.number,
        title=item.title,
        paragraphs=item.paragraphs,
        resolutions=item.resolutions,
        references=tuple(
            {
                "minute": r.minute,
                "meeting_date": r.meeting_date.isoformat() if r.meeting_date else None,
            }
            for r in item.references
        ),
        exempt=item.exempt,
        exempt_reason=item.exempt_reason,
        notes=item.notes,
        votes=votes,
        approves_minutes_of=approves,
    )


class MeetingLike(Protocol):
    """What a minutes document is built from: the ``Meeting`` aggregate (write model)
    or the projection's ``MeetingState`` (read model), which the same events change."""

    date: dt.date
    time: str | None
    venue: str | None
    remote: bool
    cancelled: bool
    minutes_status: MinutesStatus
    attendance: Attendance
    call_in: bool | None
    call_in_status: str | None
    next_meeting: str | None
    confirmation: Confirmation | None
    signature: Signature | None

    @property
    def version(self) -> int: ...
    @property
    def items(self) -> Mapping[str, MinuteItem]: ...
    @property
    def votes(self) -> Mapping[str, Sequence[Vote]]: ...
    @property
    def approvals(self) -> Mapping[str, ApprovalOfMinutes]: ...
    @property
    def declarations(self) -> Sequence[Declaration]: ...
    @property
    def former_dates(self) -> Sequence[dt.date]: ...


def minutes_document(meeting: MeetingLike, body_name: str, body_slug: str) -> MinutesDocument:
    """The minutes of CONTRACT.md from a meeting's state: one builder for both sides."""
    confirmation = meeting.confirmation
    return MinutesDocument(
        body=body_name,
        body_slug=body_slug,
        meeting_date=meeting.date,
        status=meeting.minutes_status,
        version=meeting.version,
        confirmed_at=ConfirmedAt(
            meeting_date=confirmation.meeting_date,
            minute=confirmation.minute,
            amendments=confirmation.amendments,
        )
        if confirmation
        else None,
        items=tuple(
            item_document(
                item,
                tuple(meeting.votes.get(item.number, ())),
                meeting.approvals[item.number].minutes_of
                if item.number in meeting.approvals
                else None,
            )
            for item in meeting.items.values()
        ),
        meeting_time=meeting.time,
        venue=meeting.venue,
        remote=meeting.remote,
        cancelled=meeting.cancelled,
        attendance=meeting.attendance,
        declarations=tuple(meeting.declarations),
        call_in=meeting.call_in,
        call_in_status=meeting.call_in_status,
        next_meeting=meeting.next_meeting,
        signature=meeting.signature,
        rescheduled_from=tuple(meeting.former_dates),
    )
