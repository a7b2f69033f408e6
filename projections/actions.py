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
from projections.changes import Changes, id_str, iso_date
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
        return f"{iso_date(o.meeting_date)}|{minute_key(o.minute)}|{o.part:04d}|{id_str(self.id)}"


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

    @handles(Meeting.Rescheduled)
    def _rescheduled(self, e: Any, changes: Changes) -> None:
        facts = changes.get("meeting", id_str(e.originator_id), MeetingFacts)
        if facts is not None:
            facts.date = e.date
            self._put_meeting(changes, facts)

    @handles(Meeting.Cancelled)
    def _cancelled(self, e: Any, changes: Changes) -> None:
        key = id_str(e.originator_id)
        facts = changes.get("meeting", key, MeetingFacts)
        if facts is not None:
            facts.cancelled = True
            changes.rewrite("meeting", key)

    @handles(Meeting.ItemMinuted, Meeting.ItemRevised)
    def _item_changed(self, e: Any, changes: Changes) -> None:
        """The commonest event by far: most leave the facts as they were."""
        key = id_str(e.originator_id)
        facts = changes.get("meeting", key, MeetingFacts)
        if facts is None:
            return
        item = e.item
        exempt = item.number in facts.exempt_items
        if facts.held and exempt == item.exempt:  # the facts are as they were
            return
        facts.held = True
        if exempt != item.exempt:
            change = set(facts.exempt_items) ^ {item.number}
            facts.exempt_items = sorted(change)
        changes.rewrite("meeting", key)

    @staticmethod
    def _put_meeting(changes: Changes, facts: MeetingFacts) -> None:
        key = id_str(facts.id)
        changes.put("meeting", key, facts, grp=id_str(facts.body_id), sort=iso_date(facts.date))

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
        # Handlers take events of exactly their classes (``handles``); isinstance on the
        # library's event classes (their metaclass is not ``type``) is CPython's slow path.
        kind = type(e)
        if kind is Action.Updated:
            record.status = e.status or record.status
            entry = _entry(
                e, "updated", note=e.note, status=e.status, at_meeting_id=e.at_meeting_id
            )
        elif kind is Action.Reassigned:
            record.owners = tuple(e.owners)
            entry = _entry(e, "reassigned", note=", ".join(e.owners))
        elif kind is Action.DueChanged:
            record.due = e.due
            entry = _entry(e, "due changed", note=describe_due(e.due))
        elif kind is Action.Completed:
            record.status = "completed"
            entry = _entry(e, "completed", note=e.note, status="completed")
        elif kind is Action.Withdrawn:
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
