"""Minutes as published: JSON, plain text or Markdown, now or then; versions; diffs.

Read from the minutes projection (writes with ``?wait=true`` are included when
they return); on a server without the read models, from the record itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

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
    return doc if exempt else doc.withhold_exempt()


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
    return Response(text, media_type=f"{media_type}; charset=utf-8", headers=headers)


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
        guards=[READ],
        responses=errors(404, 406, 422),
        sync_to_thread=True,
    )
    def get_minutes(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        services: ServicesDep,
        version: VersionParam = None,
        as_of: AsOfParam = None,
    ) -> Response[MinutesDocument]:
        media_type = negotiate(request, RENDERINGS)
        doc = read_minutes(request, services, body_name, date, version, parse_as_of(as_of))
        if request.headers.get("if-none-match") == doc.etag:
            unchanged: Response[Any] = Response(None, status_code=304, headers={"ETag": doc.etag})
            return unchanged
        return rendered(request, services, doc, media_type)

    @get(
        MINUTES + "/versions",
        operation_id="listMinutesVersions",
        summary="Every version of the meeting's record: what changed, when, by whom",
        guards=[READ],
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
        guards=[READ],
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
            return Response(text, media_type="text/plain; charset=utf-8")  # type: ignore[arg-type]
        return Response(MinutesDiff(from_version=old.version, to_version=new.version, diff=text))
