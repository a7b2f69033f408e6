"""Reading the action tracker: filters, overdue, pages with a cursor, exempt text withheld.

A page costs what is on it, whatever the history's size: actions are read in
tracker order from the ``(kind, grp, sort, key)`` index with a ``LIMIT``, in
chunks, one body at a time (merged in order when no body is given); status and
due-before filters are part of the statement.  The meetings a row needs (where
it was raised, the meeting it is due at, where it was updated) are read by key,
for a chunk at once, and "has a meeting been held on or after this date" is one
index seek from that date (:class:`Meetings`).  Only the owner and overdue
filters are applied in Python, reading on until the page is full.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import heapq
import itertools
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

import msgspec

from domain.errors import InvalidValueError
from projections.actions import ActionRecord, MeetingFacts
from projections.bodies import BodyInfo
from projections.changes import decoder
from projections.overdue import due_meeting_date, reason
from projections.sql import Cursor, DocumentTable

T = TypeVar("T")
STATUSES = ("open", "in progress", "completed", "withdrawn")
WITHHELD = "Withheld: this action arises from an item considered in private."
MAX_LIMIT = 500
#: Rows read per statement once the first chunk (a page and one) did not fill the page.
CHUNK = 200
#: Meetings read per statement when looking for the first held one from a date.
HELD_CHUNK = 16
#: Keys per ``IN (…)`` list.
KEYS_PER_STATEMENT = 500


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


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")


def encode_cursor(sort: str) -> str:
    return base64.urlsafe_b64encode(sort.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidValueError(f"cursor {cursor!r} is not one this service gave out") from None


# Meetings, as a page needs them ----------------------------------------------------------


class Meetings:
    """The actions view's meetings, read only as rows need them, within one read transaction."""

    def __init__(self, table: DocumentTable, c: Cursor) -> None:
        self.table, self.c = table, c
        self._facts: dict[str, tuple[str, MeetingFacts] | None] = {}
        self._held: dict[tuple[str, dt.date, bool], dt.date | None] = {}

    def forget(self) -> None:
        self._facts.clear()
        self._held.clear()

    def load(self, keys: Iterable[str]) -> None:
        """Read these meetings (by id) in as few statements as there are hundreds of them."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._facts]
        d = self.table.dialect
        for start in range(0, len(wanted), KEYS_PER_STATEMENT):
            chunk = wanted[start : start + KEYS_PER_STATEMENT]
            self._facts.update(dict.fromkeys(chunk))
            self.c.execute(
                f"SELECT key, grp, doc FROM {self.table.table} "
                f"WHERE kind = {d.p} AND key IN ({d.params(len(chunk))})",
                ["meeting", *chunk],
            )
            for r in self.c.fetchall():
                self._facts[r["key"]] = (r["grp"], decoder(MeetingFacts).decode(bytes(r["doc"])))

    def of_body(self, grp: str, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, MeetingFacts]:
        """Those of ``ids`` that are meetings of the body ``grp`` (as its meeting list would)."""
        keys = [str(i) for i in ids if i is not None]
        self.load(keys)
        out: dict[uuid.UUID, MeetingFacts] = {}
        for k in keys:
            found = self._facts.get(k)
            if found is not None and found[0] == grp:
                out[found[1].id] = found[1]
        return out

    def first_held(self, grp: str, date: dt.date, strictly_after: bool) -> dt.date | None:
        """The date of the body's first held (minuted, not cancelled) meeting from ``date``."""
        k = (grp, date, strictly_after)
        if k not in self._held:
            self._held[k] = self._seek_held(grp, date, strictly_after)
        return self._held[k]

    def _seek_held(self, grp: str, date: dt.date, strictly_after: bool) -> dt.date | None:
        d, t = self.table.dialect, self.table.table
        p = d.p
        base = (
            f"SELECT key, sort, doc FROM {t} WHERE kind = {p} AND grp = {p} "
            f"AND sort {'>' if strictly_after else '>='} {p}"
        )
        query, params = base, ["meeting", grp, date.isoformat()]
        while True:
            self.c.execute(f"{query} ORDER BY sort, key LIMIT {HELD_CHUNK}", params)
            rows = self.c.fetchall()
            for r in rows:
                facts: MeetingFacts = decoder(MeetingFacts).decode(bytes(r["doc"]))
                if facts.held and not facts.cancelled:
                    return facts.date
            if len(rows) < HELD_CHUNK:
                return None
            last = rows[-1]
            # Go on after the last row read: (sort, key) > (its sort, its key).
            query = f"{base} AND sort >= {p} AND (sort > {p} OR key > {p})"
            params = ["meeting", grp, date.isoformat(), last["sort"], last["sort"], last["key"]]


# Rows -------------------------------------------------------------------------------------


def _meeting_ids(record: ActionRecord) -> list[uuid.UUID | None]:
    return [
        record.origin.meeting_id,
        record.due.meeting_id,
        *(h.at_meeting_id for h in record.history),
    ]


def action_row(
    record: ActionRecord,
    grp: str,
    body: BodyInfo,
    meetings: Meetings,
    today: dt.date,
    *,
    include_exempt: bool,
) -> ActionRow:
    by_id = meetings.of_body(grp, _meeting_ids(record))
    origin = by_id.get(record.origin.meeting_id)
    withheld = (
        not include_exempt and origin is not None and record.origin.minute in origin.exempt_items
    )
    due_at = due_meeting_date(record, by_id)
    why = reason(
        record,
        lambda: due_at,
        lambda date, strictly_after: meetings.first_held(grp, date, strictly_after),
        today,
    )
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
        due_meeting_date=due_at,
        due_text=record.due.text,
        status=record.status,
        overdue=why is not None,
        overdue_reason=why,
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


# Reading in tracker order -----------------------------------------------------------------


class Stored(NamedTuple):
    sort: str
    grp: str
    doc: bytes


def _scan(
    table: DocumentTable,
    c: Cursor,
    grp: str,
    f: Filters,
    after: str | None,
    before: str | None,
    first: int,
) -> Iterator[Stored]:
    """One body's actions in tracker order (sort > ``after``, sort < ``before``), read in
    chunks with a LIMIT: ``first`` rows, then four times as many each time, up to
    :data:`CHUNK` (or ``first``, if more)."""
    d = table.dialect
    p = d.p
    where = [f"kind = {p}", f"grp = {p}"]
    params: list[Any] = ["action", grp]
    if f.status is not None:
        where.append(f"f1 = {p}")
        params.append(f.status)
    if f.due_before is not None:
        where.append(f"f2 <> '' AND f2 < {p}")  # f2: the due date, or "" when there is none
        params.append(f.due_before.isoformat())
    if before is not None:
        where.append(f"sort < {p}")
        params.append(before)
    query = f"SELECT sort, grp, doc FROM {table.table} WHERE {' AND '.join(where)}"
    size, last = first, after
    while True:
        bound = "" if last is None else f" AND sort > {p}"
        c.execute(
            f"{query}{bound} ORDER BY sort, key LIMIT {size}",
            params if last is None else [*params, last],
        )
        rows = c.fetchall()
        for r in rows:
            yield Stored(r["sort"], r["grp"], bytes(r["doc"]))
        if len(rows) < size:
            return
        last, size = rows[-1]["sort"], min(size * 4, max(size, CHUNK))


def tracker_rows(
    table: DocumentTable,
    c: Cursor,
    bodies: Mapping[str, BodyInfo],
    grps: list[str] | None,
    f: Filters,
    today: dt.date,
    *,
    after: str | None = None,
    through: dt.date | None = None,
    include_exempt: bool = False,
    first: int = MAX_LIMIT + 1,
) -> Iterator[tuple[str, ActionRow]]:
    """(sort key, row) of every action that passes the filters, in tracker order.

    ``through``: only actions raised at meetings on or before that date. ``first``:
    how many rows to read in the first statement (a page and one).
    """
    before = None
    if through is not None and through < dt.date.max:
        before = (through + dt.timedelta(days=1)).isoformat()  # sort begins with the date
    wanted = grps if grps is not None else list(bodies)
    # Merging bodies: each is asked for its share of the first chunk, then more as needed.
    share = first if len(wanted) <= 1 else -(-first // len(wanted)) + 1
    scans = [_scan(table, c, g, f, after, before, share) for g in wanted]
    stored: Iterator[Stored] = (
        scans[0] if len(scans) == 1 else heapq.merge(*scans, key=lambda s: s.sort)
    )
    meetings = Meetings(table, c)
    size = first
    while True:
        chunk = list(itertools.islice(stored, size))
        if not chunk:
            return
        records = [decoder(ActionRecord).decode(s.doc) for s in chunk]
        meetings.forget()  # what one chunk needs, not all a long filtered scan has seen
        meetings.load(str(i) for r in records for i in _meeting_ids(r) if i is not None)
        for s, record in zip(chunk, records, strict=True):
            row = action_row(
                record, s.grp, bodies[s.grp], meetings, today, include_exempt=include_exempt
            )
            if matches(row, f) and (through is None or row.meeting_date <= through):
                yield s.sort, row
        size = max(size, CHUNK)


def page(rows: Iterator[tuple[str, ActionRow]], limit: int) -> Page[ActionRow]:
    check_limit(limit)
    items: list[ActionRow] = []
    last = ""
    for sort, row in rows:
        if len(items) == limit:
            return Page(items=tuple(items), next=encode_cursor(last))
        items.append(row)
        last = sort
    return Page(items=tuple(items), next=None)
