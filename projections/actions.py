"""Read model: the action tracker — every action, where it came from, who owns it, its history.

Rows::

    body / alias                   as in every view
    meeting  key=meeting id        MeetingFacts (date, held?, cancelled?, exempt items);
                                   grp=body id, sort=date — for "due meeting held" and exemption
    action   key=action id         ActionRecord; grp=body id, sort=origin order,
                                   f1=status, f2=due date (or "")

Overdue depends on the day it is read, so it is worked out when read
(:mod:`projections.overdue`), never stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from domain.action import Action, ActionStatus, Due, Origin
from domain.meeting import Meeting
from projections.base import DocumentProjection, handles
from projections.bodies import FollowsBodies
from projections.changes import Changes, id_str
from projections.minute_numbers import minute_key
from projections.view import PostgresDocumentView, SQLiteDocumentView


class MeetingFacts(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    body_id: uuid.UUID
    date: dt.date
    held: bool = False
    cancelled: bool = False
    exempt_items: list[str] = []


class HistoryEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    change: str
    actor: str
    note: str | None = None
    status: str | None = None
    at_meeting_id: uuid.UUID | None = None
    reason: str | None = None


class ActionRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    origin: Origin
    description: str
    owners: tuple[str, ...]
    due: Due
    status: ActionStatus = "open"
    history: list[HistoryEntry] = []

    def sort_key(self) -> str:
        o = self.origin
        return f"{o.meeting_date.isoformat()}|{minute_key(o.minute)}|{o.part:04d}|{id_str(self.id)}"


def _entry(e: Any, change: str, **fields: Any) -> HistoryEntry:
    return HistoryEntry(
        at=e.timestamp, change=change, actor=e.meta.actor.name, reason=e.meta.reason, **fields
    )


class ActionTrackerProjection(FollowsBodies, DocumentProjection):
    name = "actions"
    schema_version = 1

    # Meetings: enough to know when a due meeting was held, and which items are exempt.

    @handles(Meeting.Scheduled)
    def _scheduled(self, e: Any, changes: Changes) -> None:
        facts = MeetingFacts(id=e.originator_id, body_id=e.body_id, date=e.date)
        self._put_meeting(changes, facts)

    @handles(Meeting.Rescheduled, Meeting.Cancelled, Meeting.ItemMinuted, Meeting.ItemRevised)
    def _meeting_changed(self, e: Any, changes: Changes) -> None:
        facts = changes.get("meeting", id_str(e.originator_id), MeetingFacts)
        if facts is None:
            return
        if isinstance(e, Meeting.Rescheduled):
            facts.date = e.date
        elif isinstance(e, Meeting.Cancelled):
            facts.cancelled = True
        else:
            item = e.item
            exempt = item.number in facts.exempt_items
            if facts.held and exempt == item.exempt:  # the facts are as they were
                return
            facts.held = True
            if exempt != item.exempt:
                change = set(facts.exempt_items) ^ {item.number}
                facts.exempt_items = sorted(change)
        self._put_meeting(changes, facts)

    @staticmethod
    def _put_meeting(changes: Changes, facts: MeetingFacts) -> None:
        key = id_str(facts.id)
        changes.put("meeting", key, facts, grp=id_str(facts.body_id), sort=facts.date.isoformat())

    # Actions ------------------------------------------------------------------------

    @handles(Action.Raised)
    def _raised(self, e: Any, changes: Changes) -> None:
        record = ActionRecord(
            id=e.originator_id,
            origin=e.origin,
            description=e.description,
            owners=tuple(e.owners),
            due=e.due,
            history=[_entry(e, "raised", status="open")],
        )
        self._put_action(changes, record)

    @handles(
        Action.Updated,
        Action.Reassigned,
        Action.DueChanged,
        Action.Completed,
        Action.Withdrawn,
        Action.Reopened,
    )
    def _changed(self, e: Any, changes: Changes) -> None:
        record = changes.get("action", id_str(e.originator_id), ActionRecord)
        if record is None:
            return
        if isinstance(e, Action.Updated):
            record.status = e.status or record.status
            entry = _entry(
                e, "updated", note=e.note, status=e.status, at_meeting_id=e.at_meeting_id
            )
        elif isinstance(e, Action.Reassigned):
            record.owners = tuple(e.owners)
            entry = _entry(e, "reassigned", note=", ".join(e.owners))
        elif isinstance(e, Action.DueChanged):
            record.due = e.due
            entry = _entry(e, "due changed", note=describe_due(e.due))
        elif isinstance(e, Action.Completed):
            record.status = "completed"
            entry = _entry(e, "completed", note=e.note, status="completed")
        elif isinstance(e, Action.Withdrawn):
            record.status = "withdrawn"
            entry = _entry(e, "withdrawn", note=e.reason, status="withdrawn")
        else:
            record.status = "open"
            entry = _entry(e, "reopened", note=e.reason, status="open")
        record.history.append(entry)
        self._put_action(changes, record)

    @staticmethod
    def _put_action(changes: Changes, record: ActionRecord) -> None:
        changes.put(
            "action",
            id_str(record.id),
            record,
            grp=id_str(record.origin.body_id),
            sort=record.sort_key(),
            f1=record.status,
            f2=record.due.date.isoformat() if record.due.date else "",
        )


def describe_due(due: Due) -> str:
    parts = []
    if due.date:
        parts.append(f"by {due.date.isoformat()}")
    if due.meeting_date:
        parts.append(f"at the meeting of {due.meeting_date.isoformat()}")
    elif due.text:
        parts.append(due.text)
    return "; ".join(parts) or "no due date"


class SQLiteActionsView(SQLiteDocumentView):
    view_name = "actions"


class PostgresActionsView(PostgresDocumentView):
    view_name = "actions"
