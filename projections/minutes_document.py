"""The minutes of one meeting as plain data: the JSON of CONTRACT.md and its renderings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from domain.amendments import Amendment
from domain.values import Attendance, Declaration, MinuteItem, MinutesStatus, Signature, Vote


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

    def withhold_exempt(self) -> MinutesDocument:
        """The public view: exempt items show number, title and reason only."""
        items = tuple(
            ItemDocument(
                number=i.number,
                title=i.title,
                exempt=True,
                exempt_reason=i.exempt_reason,
                withheld=True,
            )
            if i.exempt
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
