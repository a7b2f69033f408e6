"""Reading the action tracker: filters, overdue, pages with a cursor, exempt text withheld."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Generic, TypeVar

import msgspec

from domain.errors import InvalidValueError
from projections.actions import ActionRecord, MeetingFacts
from projections.bodies import BodyInfo
from projections.changes import decoder
from projections.overdue import due_meeting_date, overdue_reason
from projections.sql import Cursor, DocumentTable

T = TypeVar("T")
STATUSES = ("open", "in progress", "completed", "withdrawn")
WITHHELD = "Withheld: this action arises from an item considered in private."
MAX_LIMIT = 500


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    items: tuple[T, ...]
    #: Pass as ``after`` for the next page; None when this is the last page.
    next: str | None = None


class ActionUpdate(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    change: str
    actor: str
    note: str | None = None
    status: str | None = None
    meeting_date: dt.date | None = None
    reason: str | None = None


class ActionRow(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    body: str
    body_slug: str
    meeting_date: dt.date
    minute: str
    part: int
    description: str
    owners: tuple[str, ...]
    due_date: dt.date | None
    due_meeting_date: dt.date | None
    due_text: str | None
    status: str
    overdue: bool
    overdue_reason: str | None = None
    withheld: bool = False
    history: tuple[ActionUpdate, ...] = ()


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    owner: str | None = None
    status: str | None = None
    due_before: dt.date | None = None
    overdue: bool | None = None

    def check(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise InvalidValueError(f"status {self.status!r} is not one of: {', '.join(STATUSES)}")


def encode_cursor(sort: str) -> str:
    return base64.urlsafe_b64encode(sort.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidValueError(f"cursor {cursor!r} is not one this service gave out") from None


def load_meetings(table: DocumentTable, c: Cursor, grps: list[str] | None) -> list[MeetingFacts]:
    return [decoder(MeetingFacts).decode(r.doc) for r in table.kind(c, "meeting", grps=grps)]


def action_row(
    record: ActionRecord,
    body: BodyInfo,
    meetings: Sequence[MeetingFacts],
    today: dt.date,
    *,
    include_exempt: bool,
) -> ActionRow:
    by_id: Mapping[uuid.UUID, MeetingFacts] = {m.id: m for m in meetings}
    origin = by_id.get(record.origin.meeting_id)
    withheld = (
        not include_exempt and origin is not None and record.origin.minute in origin.exempt_items
    )
    reason = overdue_reason(record, meetings, today)
    return ActionRow(
        id=record.id,
        body=body.name,
        body_slug=body.slug,
        meeting_date=record.origin.meeting_date,
        minute=record.origin.minute,
        part=record.origin.part,
        description=WITHHELD if withheld else record.description,
        owners=record.owners,
        due_date=record.due.date,
        due_meeting_date=due_meeting_date(record, by_id),
        due_text=record.due.text,
        status=record.status,
        overdue=reason is not None,
        overdue_reason=reason,
        withheld=withheld,
        history=tuple(
            ActionUpdate(
                at=h.at,
                change=h.change,
                actor=h.actor,
                note=None if withheld else h.note,
                status=h.status,
                meeting_date=_date(by_id, h.at_meeting_id),
                reason=None if withheld else h.reason,
            )
            for h in record.history
        ),
    )


def _date(meetings: Mapping[uuid.UUID, MeetingFacts], meeting: uuid.UUID | None) -> dt.date | None:
    found = meetings.get(meeting) if meeting is not None else None
    return found.date if found is not None else None


def matches(row: ActionRow, f: Filters) -> bool:
    if f.owner is not None:
        wanted = " ".join(f.owner.split()).casefold()
        if not any(wanted in owner.casefold() for owner in row.owners):
            return False
    if f.due_before is not None and (row.due_date is None or row.due_date >= f.due_before):
        return False
    return f.overdue is None or row.overdue == f.overdue


def tracker_rows(
    table: DocumentTable,
    c: Cursor,
    bodies: Mapping[str, BodyInfo],
    grps: list[str] | None,
    f: Filters,
    today: dt.date,
    *,
    after: str | None = None,
    include_exempt: bool = False,
) -> Iterator[tuple[str, ActionRow]]:
    """(sort key, row) of every action that passes the filters, in tracker order."""
    meetings: dict[str, list[MeetingFacts]] = {}
    for m in load_meetings(table, c, grps):
        meetings.setdefault(str(m.body_id), []).append(m)
    for r in table.kind(c, "action", grps=grps, f1=f.status, sort_after=after):
        record: ActionRecord = decoder(ActionRecord).decode(r.doc)
        row = action_row(
            record, bodies[r.grp], meetings.get(r.grp, []), today, include_exempt=include_exempt
        )
        if matches(row, f):
            yield r.sort, row


def page(rows: Iterator[tuple[str, ActionRow]], limit: int) -> Page[ActionRow]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    items: list[ActionRow] = []
    last = ""
    for sort, row in rows:
        if len(items) == limit:
            return Page(items=tuple(items), next=encode_cursor(last))
        items.append(row)
        last = sort
    return Page(items=tuple(items), next=None)
