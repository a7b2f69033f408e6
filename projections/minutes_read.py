"""Reading the minutes view: now, at a version, as at a time; the versions and their diffs."""

from __future__ import annotations

import datetime as dt
import difflib
import uuid
from typing import Any

import msgspec
from eventsourcing.persistence import StoredEvent

from domain.errors import InvalidValueError, UnknownRecordError
from projections.bodies import BodyInfo
from projections.changes import decoder
from projections.minutes_document import MinutesDocument
from projections.minutes_state import MeetingState, apply_event
from projections.rendering import render_text
from projections.sql import Cursor, DocumentTable
from service.store.mapper import MsgspecMapper

_codec = MsgspecMapper()


class VersionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One version of a meeting's record: what made it, who, when and why."""

    version: int
    timestamp: dt.datetime
    event_type: str
    actor: str
    actor_role: str
    reason: str | None = None
    source: str | None = None


def current_state(table: DocumentTable, c: Cursor, body: BodyInfo, date: dt.date) -> MeetingState:
    rows = table.group(c, "meeting", str(body.id), sort=date.isoformat())
    if not rows:
        raise UnknownRecordError(f"{body.name} has no meeting on {date.isoformat()}")
    state: MeetingState = decoder(MeetingState).decode(rows[0].doc)
    return state


def version_events(table: DocumentTable, c: Cursor, meeting_id: uuid.UUID) -> list[Any]:
    """The meeting's events in version order, decoded from its version rows."""
    rows = sorted(table.group(c, "version", str(meeting_id)), key=lambda r: r.key)
    return [
        _codec.to_domain_event(
            StoredEvent(
                originator_id=meeting_id,
                originator_version=int(r.key.rsplit(":", 1)[1]),
                topic=r.f1 or "",
                state=r.doc,
            )
        )
        for r in rows
    ]


def wanted_version(
    current: MeetingState,
    events: list[Any],
    version: int | None,
    as_of: dt.datetime | None,
) -> int | None:
    """Which version a read asks for (None: the current one), checked as the write model does."""
    if version is not None and as_of is not None:
        raise InvalidValueError("give a version or an as-of time, not both")
    if as_of is not None:
        if as_of.tzinfo is None:
            raise InvalidValueError("as_of needs a timezone, e.g. 2022-09-08T12:00:00Z")
        version = 0
        for event in events:
            if event.timestamp > as_of:
                break
            version = event.originator_version
        if version == 0:
            raise UnknownRecordError(f"the record did not exist yet at {as_of.isoformat()}")
    if version is not None and not 1 <= version <= current.version:
        raise UnknownRecordError(
            f"the minutes of {current.date} have versions 1 to {current.version}, not {version}"
        )
    return version


def state_at(events: list[Any], version: int) -> MeetingState:
    state: MeetingState | None = None
    for event in events:
        if event.originator_version > version:
            break
        state = apply_event(state, event)
    assert state is not None
    return state


def version_infos(events: list[Any]) -> list[VersionInfo]:
    return [
        VersionInfo(
            version=e.originator_version,
            timestamp=e.timestamp,
            event_type=type(e).__name__,
            actor=e.meta.actor.name,
            actor_role=e.meta.actor.role,
            reason=e.meta.reason,
            source=e.meta.source,
        )
        for e in events
    ]


def diff_text(before: MinutesDocument, after: MinutesDocument) -> str:
    """A unified diff of the rendered text, one line per paragraph: changed words show whole."""
    label = f"{after.body_slug} {after.meeting_date.isoformat()}"
    lines = difflib.unified_diff(
        render_text(before, width=None).splitlines(),
        render_text(after, width=None).splitlines(),
        fromfile=f"{label} version {before.version}",
        tofile=f"{label} version {after.version}",
        lineterm="",
    )
    return "".join(f"{line}\n" for line in lines)
