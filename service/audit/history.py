"""The audit trail of one record: every event with who, when, why and where from."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from domain.provenance import Actor
from service.app import Minutebook


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
