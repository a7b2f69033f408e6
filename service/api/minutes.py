"""Minutes as published: JSON, plain text or Markdown, now or then; versions; diffs.

Read from the minutes projection (writes with ``?wait=true`` are included when
they return); on a server without the read models, from the record itself.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated, Any, Literal

import anyio.to_thread
from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from litestar.serialization import encode_json

from projections.minutes_document import MinutesDocument
from projections.minutes_read import VersionInfo, diff_text
from projections.rendering import render_markdown, render_text
from service.api.auth import READ
from service.api.common import (
    DEPENDENCIES,
    MAX_POSITION,
    BodyParam,
    DateParam,
    ServicesDep,
    sees_exempt,
)
from service.api.errors import ApiError, bad_input, errors
from service.api.responses import Rendered
from service.api.schemas import MinutesDiff
from service.api.state import Services
from service.api.writes import parse_date

MINUTES = "/{body_name:str}/meetings/{date:str}/minutes"
JSON, TEXT, MARKDOWN = "application/json", "text/plain", "text/markdown"
RENDERINGS = [JSON, TEXT, MARKDOWN]


def negotiate(request: Request[Any, Any, Any], offered: list[str]) -> str:
    if "accept" not in request.headers:
        return offered[0]
    chosen = request.accept.best_match(offered)
    if chosen is None:
        raise ApiError(
            406,
            "not-acceptable",
            f"this resource is available as {', '.join(offered)}; "
            f"the Accept header asked for {request.headers.get('accept')}",
        )
    return chosen


def parse_as_of(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad_input(
            "query", "as_of", f"{text!r} is not an ISO timestamp such as 2022-09-08T12:00:00Z"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def read_minutes(
    request: Request[Any, Any, Any],
    services: Services,
    body: str,
    date: str,
    version: int | None = None,
    as_of: dt.datetime | None = None,
) -> MinutesDocument:
    day = parse_date("date", date)
    exempt = sees_exempt(request)
    if services.reads is not None:
        return services.reads.minutes(
            body, day, version=version, as_of=as_of, include_exempt=exempt
        )
    doc = services.record.minutes(body, day, version=version, as_of=as_of)
    if exempt:
        return doc
    now = doc if version is None and as_of is None else services.record.minutes(body, day)
    return doc.withhold_exempt({i.number: i.exempt_reason for i in now.items if i.exempt})


def version_entries(services: Services, body: str, day: dt.date) -> list[VersionInfo]:
    if services.reads is not None:
        return services.reads.minutes_versions(body, day)
    app = services.record
    entries = []
    for event in app.events.get(app.find_meeting_id(app.find_body(body), day)):
        meta = event.meta  # type: ignore[attr-defined]
        entries.append(
            VersionInfo(
                version=event.originator_version,
                timestamp=event.timestamp,  # type: ignore[attr-defined]
                event_type=type(event).__name__,
                actor=meta.actor.name,
                actor_role=meta.actor.role,
                reason=meta.reason,
                source=meta.source,
            )
        )
    return entries


def rendered(
    request: Request[Any, Any, Any], services: Services, doc: MinutesDocument, media_type: str
) -> Response[Any]:
    """JSON, or the council's layout; the current minutes come with the body's action tracker."""
    headers = {"ETag": doc.etag, "Vary": "Accept"}
    if media_type == JSON:
        return Response(doc, media_type=JSON, headers=headers)
    fmt: Literal["text", "markdown"] = "text" if media_type == TEXT else "markdown"
    current = request.query_params.keys().isdisjoint({"version", "as_of"})
    if current and services.reads is not None:
        text = services.reads.render(
            doc.body_slug, doc.meeting_date, fmt, include_exempt=sees_exempt(request)
        )
    else:
        text = render_text(doc) if fmt == "text" else render_markdown(doc)
    # Litestar adds "; charset=utf-8" to text/ media types itself.
    return Response(text, media_type=media_type, headers=headers)


def current_minutes(
    services: Services, body: str, date: str, media_type: str, exempt: bool
) -> Rendered:
    """The current minutes as sent (call from a worker thread): JSON, or the council's layout
    with the body's action tracker."""
    day = parse_date("date", date)
    if services.reads is not None:
        doc = services.reads.minutes(body, day, include_exempt=exempt)
    else:
        doc = services.record.minutes(body, day)
        doc = doc if exempt else doc.withhold_exempt()
    headers = {"ETag": doc.etag, "Vary": "Accept"}
    if media_type == JSON:
        return Rendered(body=encode_json(doc), media_type=JSON, headers=headers, etag=doc.etag)
    fmt: Literal["text", "markdown"] = "text" if media_type == TEXT else "markdown"
    if services.reads is not None:
        text = services.reads.render(doc.body_slug, doc.meeting_date, fmt, include_exempt=exempt)
    else:
        text = render_text(doc) if fmt == "text" else render_markdown(doc)
    return Rendered(
        body=text.encode(),
        media_type=media_type,
        headers=headers,
        etag=doc.etag,
    )


def not_modified(request: Request[Any, Any, Any], etag: str | None) -> Response[Any] | None:
    if etag is not None and request.headers.get("if-none-match") == etag:
        return Response(None, status_code=304, headers={"ETag": etag})
    return None


VersionParam = Annotated[
    int | None,
    QueryParameter(
        name="version",
        ge=1,
        le=MAX_POSITION,
        description="As at this version of the record",
        required=False,
    ),
]
AsOfParam = Annotated[
    str | None,
    QueryParameter(
        name="as_of",
        description="As they stood at this ISO timestamp (UTC if no offset is given)",
        required=False,
        max_length=64,
    ),
]


class MinutesController(Controller):
    path = "/api/bodies"
    tags = ("minutes",)
    dependencies = DEPENDENCIES

    @get(
        MINUTES,
        operation_id="getMinutes",
        summary="The minutes now, at a version, or as at a time; JSON, text or Markdown",
        description=(
            "Content negotiation by Accept: application/json (default), text/plain (the "
            "council's layout), text/markdown. Exempt items are withheld (number, title and "
            "reason only) unless the role may see them."
        ),
        opt=READ,
        responses=errors(404, 406, 422),
    )
    async def get_minutes(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        services: ServicesDep,
        version: VersionParam = None,
        as_of: AsOfParam = None,
    ) -> Response[MinutesDocument]:
        media_type = negotiate(request, RENDERINGS)
        if version is not None or as_of is not None:
            past: Response[Any] = await anyio.to_thread.run_sync(
                partial(self._past, request, services, body_name, date, version, as_of, media_type)
            )
            return past
        # The current minutes: kept as sent while the views stand still (responses.py).
        exempt = sees_exempt(request)
        key = ("minutes", body_name, date, media_type, exempt)
        cache = services.responses
        stamp = cache.stamp()
        found = cache.get(key, stamp)
        if found is None:
            found = await anyio.to_thread.run_sync(
                current_minutes, services, body_name, date, media_type, exempt
            )
            cache.put(key, stamp, found)
        unchanged = not_modified(request, found.etag)
        if unchanged is not None:
            return unchanged
        cache.keep_request(request.scope, exempt, stamp, found)
        return Response(found.body, media_type=found.media_type, headers=found.headers)  # type: ignore[arg-type]

    @staticmethod
    def _past(
        request: Request[Any, Any, Any],
        services: Services,
        body_name: str,
        date: str,
        version: int | None,
        as_of: str | None,
        media_type: str,
    ) -> Response[Any]:
        doc = read_minutes(request, services, body_name, date, version, parse_as_of(as_of))
        return not_modified(request, doc.etag) or rendered(request, services, doc, media_type)

    @get(
        MINUTES + "/versions",
        operation_id="listMinutesVersions",
        summary="Every version of the meeting's record: what changed, when, by whom",
        opt=READ,
        responses=errors(404),
        sync_to_thread=True,
    )
    def versions(
        self, body_name: BodyParam, date: DateParam, services: ServicesDep
    ) -> list[VersionInfo]:
        return version_entries(services, body_name, parse_date("date", date))

    @get(
        MINUTES + "/diff",
        operation_id="diffMinutes",
        summary="A line diff of the rendered minutes between two versions",
        description="JSON by default; `Accept: text/plain` returns the unified diff itself.",
        opt=READ,
        responses=errors(404, 406, 422),
        sync_to_thread=True,
    )
    def diff(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        services: ServicesDep,
        from_version: Annotated[
            int, QueryParameter(name="from", ge=1, le=MAX_POSITION, description="Older version")
        ],
        to_version: Annotated[
            int | None,
            QueryParameter(
                name="to",
                ge=1,
                le=MAX_POSITION,
                description="Newer version (default: current)",
                required=False,
            ),
        ] = None,
    ) -> Response[MinutesDiff]:
        media_type = negotiate(request, [JSON, TEXT])
        old = read_minutes(request, services, body_name, date, version=from_version)
        new = read_minutes(request, services, body_name, date, version=to_version)
        text = diff_text(old, new)
        if media_type == TEXT:
            return Response(text, media_type=TEXT)  # type: ignore[arg-type]
        return Response(MinutesDiff(from_version=old.version, to_version=new.version, diff=text))
