"""The audit trail of one record: every event with who, when, why and where from."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from domain.base import RecordAggregate
from domain.body import Body
from domain.meeting import Meeting
from domain.provenance import Actor
from service.app import Minutebook
from service.app.queries import minutes_document


class HistoryEntry(msgspec.Struct, frozen=True, kw_only=True):
    record_id: uuid.UUID
    version: int
    event: str
    recorded_at: dt.datetime
    actor: Actor
    reason: str | None
    request_id: str | None
    source: str | None
    data: dict[str, Any]


_HIDDEN = {"originator_id", "originator_version", "timestamp", "meta", "originator_topic"}


def record_history(app: Minutebook, record_id: uuid.UUID) -> list[HistoryEntry]:
    entries = []
    for event in app.events.get(record_id):
        meta = event.meta  # type: ignore[attr-defined]
        entries.append(
            HistoryEntry(
                record_id=record_id,
                version=event.originator_version,
                event=type(event).__qualname__,
                recorded_at=event.timestamp,  # type: ignore[attr-defined]
                actor=meta.actor,
                reason=meta.reason,
                request_id=meta.request_id,
                source=meta.source,
                data={k: v for k, v in vars(event).items() if k not in _HIDDEN},
            )
        )
    return entries


def resolve_record(app: Minutebook, text: str) -> uuid.UUID:
    """A record id, a body's name or slug, or ``BODY/YYYY-MM-DD`` for a meeting."""
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    body_name, _, date = text.rpartition("/")
    if body_name:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            day = None
        if day is not None:
            return app.find_meeting_id(app.find_body(body_name), day)
    return app.find_body(text).id


def replay(
    app: Minutebook, record_id: uuid.UUID, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """A record's state rebuilt from the log alone, now or as at ``as_of``."""
    version = app.version_as_of(record_id, as_of) if as_of is not None else None
    aggregate = app.get_as(RecordAggregate, record_id, version)
    state: dict[str, Any] = {
        "record_id": str(record_id),
        "type": type(aggregate).__name__,
        "version": aggregate.version,
        "as_of": as_of.isoformat() if as_of else None,
    }
    if isinstance(aggregate, Meeting):
        body = app.get_as(Body, aggregate.body_id)
        state["minutes"] = minutes_document(aggregate, body).to_json_dict()
    else:
        state["state"] = {
            k.lstrip("_"): v
            for k, v in vars(aggregate).items()
            if k not in ("_pending_events", "_id", "_version", "_created_on", "_modified_on")
        }
    builtins: dict[str, Any] = msgspec.to_builtins(state)
    return builtins
