"""Reads of the meeting history and the threads: bodies, meetings, attendance, threads."""

from __future__ import annotations

from projections.bodies import BodyInfo, all_bodies, find_body
from projections.changes import decoder
from projections.history import BodyTally, MeetingRecord
from projections.history_read import (
    AttendanceRow,
    BodyHistory,
    BodySummary,
    MeetingAttendance,
    attendance_register,
    meeting_summary,
    standing_items,
    summary,
    tallied,
)
from projections.read_base import ReadBase
from projections.sql import Cursor, DocumentTable
from projections.threads import ItemRef
from projections.threads_read import Thread, threads


class ReadHistory(ReadBase):
    def _records(self, c: Cursor, t: DocumentTable, body: BodyInfo) -> list[MeetingRecord]:
        return [decoder(MeetingRecord).decode(r.doc) for r in t.group(c, "meeting", str(body.id))]

    def meetings(self, body: str) -> BodyHistory:
        with self._read() as c:
            t = self._table(c, "meetings")
            found = find_body(t, c, body)
            records = self._records(c, t, found)
        return BodyHistory(
            body=summary(found, records),
            meetings=tuple(meeting_summary(m) for m in records),
            renames=tuple(found.renames),
            standing_items=standing_items(records),
        )

    def bodies(self) -> list[BodySummary]:
        """One document per body, and its tally: the meetings themselves are not read."""
        with self._read() as c:
            t = self._table(c, "meetings")
            found = all_bodies(t, c)
            tallies = {r.key: r.doc for r in t.kind(c, "tally")}
            if not tallies and t.has_kind(c, "meeting"):  # a view built before tallies were kept
                return [summary(b, self._records(c, t, b)) for b in found]
        decode = decoder(BodyTally).decode
        return [
            tallied(b, decode(tallies[k]) if (k := str(b.id)) in tallies else None) for b in found
        ]

    def attendance_register(self, body: str) -> list[AttendanceRow]:
        with self._read() as c:
            t = self._table(c, "meetings")
            rows = t.group(c, "meeting", str(find_body(t, c, body).id))
        decode = decoder(MeetingAttendance).decode
        return attendance_register([decode(r.doc) for r in rows])

    def threads(self, body: str | None = None, *, include_exempt: bool = False) -> list[Thread]:
        with self._read() as c:
            t = self._table(c, "threads")
            bodies = {str(b.id): b for b in all_bodies(t, c)}
            grps = [str(find_body(t, c, body).id)] if body is not None else None
            items = [decoder(ItemRef).decode(r.doc) for r in t.kind(c, "item", grps=grps)]
        return threads(items, bodies, include_exempt=include_exempt)
