"""Audit reads: a record's events with who/when/why; the global feed by position; its stream."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
import anyio.to_thread
import msgspec
from litestar import Controller, Request, get
from litestar.params import PathParameter, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from service.api.auth import AUDIT
from service.api.common import (
    DEPENDENCIES,
    MAX_PAGE,
    MAX_POSITION,
    BodyParam,
    DateParam,
    ServicesDep,
)
from service.api.errors import bad_input, errors
from service.api.schemas import EventPage, FeedEvent
from service.api.writes import parse_date
from service.app import Minutebook
from service.audit.history import HistoryEntry, record_history

_HIDDEN = {"originator_id", "originator_version", "timestamp", "meta", "originator_topic"}
_encoder = msgspec.json.Encoder()

FeedAfter = Annotated[
    int,
    QueryParameter(
        name="after",
        ge=0,
        le=MAX_POSITION,
        description="Return events after this position",
        required=False,
    ),
]
FeedLimit = Annotated[
    int,
    QueryParameter(
        name="limit", ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}", required=False
    ),
]


class HistoryPage(msgspec.Struct, frozen=True, kw_only=True):
    record_id: uuid.UUID
    items: list[HistoryEntry]
    #: Pass as ``after`` (a version) for the next page; null at the end.
    next: int | None = None


def read_feed(app: Minutebook, after: int, limit: int) -> EventPage:
    """Events after ``after`` in log order; positions are stable cursors."""
    notifications = app.recorder.select_notifications(after, limit, inclusive_of_start=False)
    items = []
    for n in notifications:
        event = app.mapper.to_domain_event(n)
        meta = getattr(event, "meta", None)
        items.append(
            FeedEvent(
                position=n.id,
                record_id=n.originator_id,  # type: ignore[arg-type]
                version=n.originator_version,
                event=type(event).__qualname__,
                recorded_at=getattr(event, "timestamp", None),
                actor=msgspec.to_builtins(meta.actor) if meta is not None else None,
                reason=getattr(meta, "reason", None),
                request_id=getattr(meta, "request_id", None),
                source=getattr(meta, "source", None),
                data={k: v for k, v in vars(event).items() if k not in _HIDDEN},
            )
        )
    head = app.recorder.max_notification_id() or 0
    return EventPage(items=items, next=items[-1].position if items else after, head=head)


def history_page(app: Minutebook, record_id: uuid.UUID, after: int, limit: int) -> HistoryPage:
    from domain.errors import UnknownRecordError

    entries = record_history(app, record_id)
    if not entries:
        raise UnknownRecordError(f"no record with id {record_id}")
    rest = [e for e in entries if e.version > after]
    page = rest[:limit]
    more = len(rest) > limit
    return HistoryPage(record_id=record_id, items=page, next=page[-1].version if more else None)


def _last_event_id(request: Request[Any, Any, Any]) -> int | None:
    text = request.headers.get("last-event-id")
    if text is None:
        return None
    if not text.strip().isdigit():
        raise bad_input("header", "Last-Event-ID", "expected the id (position) of an event")
    return int(text)


class AuditController(Controller):
    path = "/api"
    tags = ("audit",)
    dependencies = DEPENDENCIES
    opt = AUDIT

    @get(
        "/audit/records/{record_id:str}/events",
        operation_id="getRecordEvents",
        summary="Every event of one record (body, meeting, action) with who, when and why",
        responses=errors(404),
        sync_to_thread=True,
    )
    def record_events(
        self,
        record_id: Annotated[
            str,
            PathParameter(description="The record's id (a UUID)", schema_extra={"format": "uuid"}),
        ],
        services: ServicesDep,
        after: Annotated[
            int,
            QueryParameter(
                name="after",
                ge=0,
                le=MAX_POSITION,
                description="After this version",
                required=False,
            ),
        ] = 0,
        limit: FeedLimit = 100,
    ) -> HistoryPage:
        try:
            rid = uuid.UUID(record_id)
        except ValueError:
            raise bad_input("path", "record_id", f"{record_id!r} is not a UUID") from None
        return history_page(services.record, rid, after, limit)

    @get(
        "/audit/bodies/{body_name:str}/events",
        operation_id="getBodyEvents",
        summary="Every event of a body's record",
        responses=errors(404),
        sync_to_thread=True,
    )
    def body_events(
        self,
        body_name: BodyParam,
        services: ServicesDep,
        after: Annotated[
            int,
            QueryParameter(
                name="after",
                ge=0,
                le=MAX_POSITION,
                description="After this version",
                required=False,
            ),
        ] = 0,
        limit: FeedLimit = 100,
    ) -> HistoryPage:
        app = services.record
        return history_page(app, app.find_body(body_name).id, after, limit)

    @get(
        "/audit/bodies/{body_name:str}/meetings/{date:str}/events",
        operation_id="getMeetingEvents",
        summary="Every event of a meeting's record",
        responses=errors(404),
        sync_to_thread=True,
    )
    def meeting_events(
        self,
        body_name: BodyParam,
        date: DateParam,
        services: ServicesDep,
        after: Annotated[
            int,
            QueryParameter(
                name="after",
                ge=0,
                le=MAX_POSITION,
                description="After this version",
                required=False,
            ),
        ] = 0,
        limit: FeedLimit = 100,
    ) -> HistoryPage:
        app = services.record
        meeting_id = app.find_meeting_id(app.find_body(body_name), parse_date("date", date))
        return history_page(app, meeting_id, after, limit)

    @get(
        "/events",
        operation_id="listEvents",
        summary="The global event feed in log order (stable position cursors)",
        description=(
            "Follow the record without polling every resource: read `?after=N`, then pass "
            "the page's `next` as `after`. Or open `/api/events/stream`."
        ),
        responses=errors(),
        sync_to_thread=True,
    )
    def events(
        self, services: ServicesDep, after: FeedAfter = 0, limit: FeedLimit = 100
    ) -> EventPage:
        return read_feed(services.record, after, limit)

    @get(
        "/events/stream",
        operation_id="streamEvents",
        summary="The event feed as Server-Sent Events (resume with Last-Event-ID)",
        description=(
            "Each event is sent with `id:` its position, `event:` its type and `data:` the "
            "same JSON as an item of /api/events. Reconnect with `Last-Event-ID` (or "
            "`?after=`) to resume exactly where you stopped."
        ),
        responses=errors(),
    )
    async def stream(
        self,
        request: Request[Any, Any, Any],
        services: ServicesDep,
        after: FeedAfter = 0,
    ) -> ServerSentEvent:
        start = _last_event_id(request)
        cursor = after if start is None else start
        settings = services.settings

        async def events() -> AsyncIterator[ServerSentEventMessage]:
            position = cursor
            idle = 0.0
            yield ServerSentEventMessage(comment=f"following the log after {position}", data=None)
            while not services.closing:
                page = await anyio.to_thread.run_sync(read_feed, services.record, position, 200)
                for item in page.items:
                    yield ServerSentEventMessage(
                        data=_encoder.encode(item).decode(), event=item.event, id=item.position
                    )
                    position = item.position
                if page.items:
                    idle = 0.0
                    continue
                await anyio.sleep(settings.stream_poll_seconds)
                idle += settings.stream_poll_seconds
                if idle >= settings.stream_keepalive_seconds:
                    idle = 0.0
                    yield ServerSentEventMessage(comment="keep-alive", data=None)

        return ServerSentEvent(events(), headers={"Cache-Control": "no-cache"})
