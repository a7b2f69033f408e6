"""Reading the meeting history: a body's meetings, renames, standing items, attendance register."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from typing import Literal, Protocol

import msgspec

from domain.values import Attendance, MinutesStatus
from projections.bodies import BodyInfo, Rename
from projections.history import BodyTally, MeetingRecord

Attended = Literal["present", "also present", "apologies", "absent"]
KINDS: tuple[Attended, ...] = ("present", "also present", "apologies", "absent")
_WORDS = re.compile(r"[a-z0-9]+")


class MeetingSummary(msgspec.Struct, frozen=True, kw_only=True):
    date: dt.date
    time: str | None
    venue: str | None
    remote: bool
    status: MinutesStatus
    cancelled: bool
    rescheduled_from: tuple[dt.date, ...]
    items: int
    first_minute: str | None
    last_minute: str | None
    confirmed_at: dt.date | None
    confirmed_minute: str | None


class StandingItem(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    since: dt.date
    minute: str
    basis: Literal["resolved to remain on the agenda", "on every agenda"]
    #: The meetings (from ``since``) that had an item of this title.
    meetings: tuple[dt.date, ...]


class BodySummary(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    slug: str
    organisation: str | None
    former_names: tuple[str, ...]
    meetings: int
    first_meeting: dt.date | None
    last_meeting: dt.date | None


class BodyHistory(msgspec.Struct, frozen=True, kw_only=True):
    body: BodySummary
    meetings: tuple[MeetingSummary, ...]
    renames: tuple[Rename, ...]
    standing_items: tuple[StandingItem, ...]


class AttendanceEntry(msgspec.Struct, frozen=True, kw_only=True):
    meeting_date: dt.date
    attended: Attended


class AttendanceRow(msgspec.Struct, frozen=True, kw_only=True):
    person: str
    present: int
    also_present: int
    apologies: int
    absent: int
    meetings: tuple[AttendanceEntry, ...]


def summary(body: BodyInfo, meetings: Sequence[MeetingRecord]) -> BodySummary:
    held = [m.date for m in meetings if not m.cancelled]
    return BodySummary(
        id=body.id,
        name=body.name,
        slug=body.slug,
        organisation=body.organisation,
        former_names=tuple(body.former_names),
        meetings=len(held),
        first_meeting=min(held, default=None),
        last_meeting=max(held, default=None),
    )


def tallied(body: BodyInfo, tally: BodyTally | None) -> BodySummary:
    """:func:`summary`, from the body's tally (kept by the view as meetings are recorded)."""
    tally = tally or BodyTally()
    return BodySummary(
        id=body.id,
        name=body.name,
        slug=body.slug,
        organisation=body.organisation,
        former_names=tuple(body.former_names),
        meetings=tally.meetings,
        first_meeting=tally.first_meeting,
        last_meeting=tally.last_meeting,
    )


def meeting_summary(m: MeetingRecord) -> MeetingSummary:
    return MeetingSummary(
        date=m.date,
        time=m.time,
        venue=m.venue,
        remote=m.remote,
        status=m.status,
        cancelled=m.cancelled,
        rescheduled_from=tuple(m.former_dates),
        items=len(m.items),
        first_minute=m.items[0].number if m.items else None,
        last_minute=m.items[-1].number if m.items else None,
        confirmed_at=m.confirmed_at,
        confirmed_minute=m.confirmed_minute,
    )


def _title_key(title: str) -> str:
    return " ".join(_WORDS.findall(title.casefold()))


def standing_items(meetings: Sequence[MeetingRecord]) -> tuple[StandingItem, ...]:
    """Items resolved to remain on the agenda, then titles on every agenda (three or more)."""
    held = [m for m in meetings if m.items and not m.cancelled]
    dates: dict[str, list[dt.date]] = {}
    for m in held:
        for key in {_title_key(i.title) for i in m.items}:
            dates.setdefault(key, []).append(m.date)
    found: dict[str, StandingItem] = {}
    for m in held:
        for i in m.items:
            key = _title_key(i.title)
            if i.standing and key not in found:
                since = [d for d in dates[key] if d >= m.date]
                found[key] = StandingItem(
                    title=i.title,
                    since=m.date,
                    minute=i.number,
                    basis="resolved to remain on the agenda",
                    meetings=tuple(since),
                )
    if len(held) >= 3:
        for i in held[0].items:
            key = _title_key(i.title)
            if key not in found and len(dates[key]) == len(held):
                found[key] = StandingItem(
                    title=i.title,
                    since=held[0].date,
                    minute=i.number,
                    basis="on every agenda",
                    meetings=tuple(dates[key]),
                )
    return tuple(found.values())


class HasAttendance(Protocol):
    """What the attendance register reads of a meeting."""

    @property
    def date(self) -> dt.date: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def attendance(self) -> Attendance: ...


class MeetingAttendance(msgspec.Struct, frozen=True, kw_only=True):
    """A :class:`MeetingRecord` as the register reads it: decoding skips the items."""

    date: dt.date
    cancelled: bool = False
    attendance: Attendance = Attendance()


def attendance_register(meetings: Sequence[HasAttendance]) -> list[AttendanceRow]:
    """Per person, how they attended each meeting whose attendance was recorded."""
    entries: dict[str, list[AttendanceEntry]] = {}
    for m in meetings:
        if m.cancelled:
            continue
        a = m.attendance
        seen: set[str] = set()
        lists = zip(KINDS, (a.present, a.also_present, a.apologies, a.absent), strict=True)
        for attended, names in lists:
            for name in names:
                if name not in seen:
                    seen.add(name)
                    entries.setdefault(name, []).append(
                        AttendanceEntry(meeting_date=m.date, attended=attended)
                    )
    rows = []
    for person, seen_at in entries.items():
        count = {k: sum(1 for e in seen_at if e.attended == k) for k in KINDS}
        rows.append(
            AttendanceRow(
                person=person,
                present=count["present"],
                also_present=count["also present"],
                apologies=count["apologies"],
                absent=count["absent"],
                meetings=tuple(seen_at),
            )
        )
    return sorted(rows, key=lambda r: r.person.casefold())
