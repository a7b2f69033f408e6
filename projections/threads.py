"""Read model: items and the earlier minutes they refer to, for following a subject across meetings.

Rows::

    body / alias                 as in every view (municipal years need the body's year start)
    meeting  key=meeting id      MeetingDate (body, date)
    item     key=meeting:number  ItemRef; grp=body id, sort=date|minute order

Items are linked into threads when read (:mod:`projections.threads_read`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from domain.meeting import Meeting
from domain.values import MinuteItem, Reference
from projections.base import DocumentProjection, handles
from projections.bodies import FollowsBodies
from projections.changes import Changes, id_str, iso_date
from projections.minute_numbers import minute_key
from projections.view import PostgresDocumentView, SQLiteDocumentView

SUMMARY_CHARS = 300


class MeetingDate(msgspec.Struct, kw_only=True):
    body_id: uuid.UUID
    date: dt.date


class ItemRef(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: uuid.UUID
    body_id: uuid.UUID
    date: dt.date
    number: str
    title: str
    exempt: bool = False
    references: tuple[Reference, ...] = ()
    #: The start of the item's first paragraph.
    summary: str | None = None
    #: References that name minutes this item approved with amendments: not the subject's.
    amending: tuple[Reference, ...] = ()


def summarise(item: MinuteItem) -> str | None:
    if not item.paragraphs:
        return None
    text = item.paragraphs[0]
    if len(text) <= SUMMARY_CHARS:
        return text
    return " ".join(text[: SUMMARY_CHARS - 1].split()) + "…"


class ThreadsProjection(FollowsBodies, DocumentProjection):
    name = "threads"
    schema_version = 1

    @handles(Meeting.Scheduled)
    def _scheduled(self, e: Any, changes: Changes) -> None:
        meeting = MeetingDate(body_id=e.body_id, date=e.date)
        changes.put("meeting", id_str(e.originator_id), meeting, grp=id_str(meeting.body_id))

    @handles(Meeting.Rescheduled)
    def _rescheduled(self, e: Any, changes: Changes) -> None:
        key = id_str(e.originator_id)
        meeting = changes.get("meeting", key, MeetingDate)
        if meeting is not None:
            meeting.date = e.date
            changes.rewrite("meeting", key)

    @handles(Meeting.ItemMinuted, Meeting.ItemRevised)
    def _item(self, e: Any, changes: Changes) -> None:
        self._items(e, changes, (e.item,))

    @handles(Meeting.MinutesConfirmed)
    def _confirmed(self, e: Any, changes: Changes) -> None:
        self._items(e, changes, e.amended_items)

    def _items(self, e: Any, changes: Changes, items: tuple[MinuteItem, ...]) -> None:
        meeting_key = id_str(e.originator_id)
        meeting = changes.get("meeting", meeting_key, MeetingDate)
        if meeting is None:
            return
        for item in items:
            key = f"{meeting_key}:{item.number}"
            before = changes.get("item", key, ItemRef)
            ref = ItemRef(
                meeting_id=e.originator_id,
                body_id=meeting.body_id,
                date=meeting.date,
                number=item.number,
                title=item.title,
                exempt=item.exempt,
                references=item.references,
                summary=summarise(item),
                amending=before.amending if before else (),
            )
            self._put_item(changes, key, ref)

    @handles(Meeting.MinutesApprovalRecorded)
    def _approval(self, e: Any, changes: Changes) -> None:
        key = f"{id_str(e.originator_id)}:{e.minute}"
        item = changes.get("item", key, ItemRef)
        if item is None:
            return
        approval = e.approval
        amended = {a.minute for a in approval.amendments if a.minute}
        amending = tuple(
            r
            for r in item.references
            if r.minute in amended and r.meeting_date in (None, approval.minutes_of)
        )
        self._put_item(changes, key, msgspec.structs.replace(item, amending=amending))

    @staticmethod
    def _put_item(changes: Changes, key: str, item: ItemRef) -> None:
        changes.put(
            "item",
            key,
            item,
            grp=id_str(item.body_id),
            sort=f"{iso_date(item.date)}|{minute_key(item.number)}",
        )


class SQLiteThreadsView(SQLiteDocumentView):
    view_name = "threads"


class PostgresThreadsView(PostgresDocumentView):
    view_name = "threads"
