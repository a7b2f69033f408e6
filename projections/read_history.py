"""Reads of the meeting history and the threads: bodies, meetings, attendance, threads."""

from __future__ import annotations

from projections.bodies import BodyInfo, all_bodies, find_body
from projections.changes import decoder
from projections.history import MeetingRecord
from projections.history_read import (
    AttendanceRow,
    BodyHistory,
    BodySummary,
    attendance_register,
    meeting_summary,
    standing_items,
    summary,
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
        with self._read() as c:
            t = self._table(c, "meetings")
            return [summary(b, self._records(c, t, b)) for b in all_bodies(t, c)]

    def attendance_register(self, body: str) -> list[AttendanceRow]:
        with self._read() as c:
            t = self._table(c, "meetings")
            records = self._records(c, t, find_body(t, c, body))
        return attendance_register(records)

    def threads(self, body: str | None = None, *, include_exempt: bool = False) -> list[Thread]:
        with self._read() as c:
            t = self._table(c, "threads")
            bodies = {str(b.id): b for b in all_bodies(t, c)}
            grps = [str(find_body(t, c, body).id)] if body is not None else None
            items = [decoder(ItemRef).decode(r.doc) for r in t.kind(c, "item", grps=grps)]
        return threads(items, bodies, include_exempt=include_exempt)
