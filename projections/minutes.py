"""Read model: the current minutes of every meeting, and every version of them.

Rows (see :mod:`projections.sql`)::

    body / alias                     bodies and the slugs of all their names
    meeting   key=meeting id         MeetingState now; grp=body id, sort=meeting date
    version   key=meeting:version    the event that made that version (msgspec JSON);
                                     grp=meeting id, sort=its UTC timestamp, f1=its topic

A version is rebuilt by replaying a meeting's version rows through the same
mutators (:mod:`projections.minutes_state`): a few dozen small rows per meeting
instead of a full document per version, so writes stay cheap and reads at any
version or time stay exact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.base import RecordAggregate
from domain.meeting import Meeting
from projections.base import DocumentProjection, handles
from projections.bodies import FollowsBodies
from projections.changes import Changes, id_str, iso_date
from projections.minutes_state import MeetingState, advance, start
from projections.view import PostgresDocumentView, SQLiteDocumentView
from service.store.mapper import MsgspecMapper

#: A meeting's events but ``Scheduled`` (which starts its state).
MEETING_EVENTS: tuple[type[Any], ...] = tuple(
    v
    for v in vars(Meeting).values()
    if isinstance(v, type)
    and issubclass(v, RecordAggregate.Event)
    and v not in (Meeting.Event, Meeting.Created, Meeting.Scheduled)
)


def utc_key(timestamp: dt.datetime) -> str:
    """A timestamp as text that sorts in time order."""
    if timestamp.tzinfo is dt.UTC and timestamp.microsecond:  # the same text, 2× as fast
        return timestamp.isoformat()
    return timestamp.astimezone(dt.UTC).isoformat(timespec="microseconds")


_STAMPED = b'{"timestamp":"'


def stored_utc_key(state: bytes, timestamp: dt.datetime) -> str:
    """``utc_key(timestamp)`` for an event stored as ``state``, read from the stored JSON
    when it opens with the time in UTC to the microsecond as msgspec writes it
    (``"YYYY-MM-DDTHH:MM:SS.ffffffZ"``: isoformat's text, less its offset); formatting the
    datetime instead was a fifth of the minutes' cost per event in a rebuild."""
    if state.startswith(_STAMPED) and state[40:42] == b'Z"' and state[33:34] == b".":
        return state[14:40].decode() + "+00:00"
    return utc_key(timestamp)


#: Versions as a version key writes them, made once: formatting the number (``:08d``)
#: cost four times the lookup, once per minutes event.
_PADDED = [f"{v:08d}" for v in range(1024)]


def version_key(meeting_id: str, version: int) -> str:
    if 0 <= version < len(_PADDED):
        return f"{meeting_id}:{_PADDED[version]}"
    return f"{meeting_id}:{version:08d}"


class MinutesProjection(FollowsBodies, DocumentProjection):
    name = "minutes"
    reads_stored = True  # a version row is the event as stored
    schema_version = 1

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.codec = MsgspecMapper()

    @handles(Meeting.Scheduled)
    def _scheduled(self, e: Any, changes: Changes) -> None:
        key = id_str(e.originator_id)
        state = start(e)
        changes.put("meeting", key, state, grp=id_str(state.body_id), sort=iso_date(state.date))
        self._append_version(e, key, changes)

    @handles(*MEETING_EVENTS)
    def _meeting_event(self, e: Any, changes: Changes) -> None:
        key = id_str(e.originator_id)
        state = changes.get("meeting", key, MeetingState)
        date = state.date if state is not None else None
        state = advance(state, e)
        if state.date is date:  # the row's columns are as they were (the body never changes)
            changes.rewrite("meeting", key)
        else:
            changes.put("meeting", key, state, grp=id_str(state.body_id), sort=iso_date(state.date))
        self._append_version(e, key, changes)

    def _append_version(self, e: Any, key: str, changes: Changes) -> None:
        stored = changes.current or self.codec.to_stored_event(e)
        changes.append(
            "version",
            version_key(key, e.originator_version),
            stored.state,
            key,
            stored_utc_key(stored.state, e.timestamp),
            stored.topic,
        )


class SQLiteMinutesView(SQLiteDocumentView):
    view_name = "minutes"


class PostgresMinutesView(PostgresDocumentView):
    view_name = "minutes"
