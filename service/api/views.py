"""Projection-backed lists: bodies, meeting histories, attendance, threads, the action tracker."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from litestar.serialization import encode_json

from domain.errors import InvalidValueError
from projections.history_read import AttendanceRow, BodyHistory, BodySummary
from projections.status import ViewStatus
from projections.threads_read import Thread
from projections.tracker import ActionRow, decode_cursor
from service.api.auth import READ
from service.api.common import (
    DEPENDENCIES,
    AfterParam,
    BodyParam,
    LimitParam,
    ServicesDep,
    page_of,
    read_models,
    sees_exempt,
)
from service.api.errors import bad_input, errors
from service.api.responses import Rendered


class BodyPage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of a list; pass ``next`` as ``after`` for the following page (null: the end)."""

    items: list[BodySummary]
    next: str | None = None


class AttendancePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AttendanceRow]
    next: str | None = None


class ThreadPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Thread]
    next: str | None = None


class ActionPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ActionRow]
    next: str | None = None


class ViewsController(Controller):
    path = "/api"
    tags = ("views",)
    dependencies = DEPENDENCIES
    opt = READ

    @get(
        "/bodies",
        operation_id="listBodies",
        summary="Bodies on record",
        responses=errors(),
        sync_to_thread=True,
    )
    def bodies(
        self, services: ServicesDep, after: AfterParam = None, limit: LimitParam = 50
    ) -> BodyPage:
        rows: list[BodySummary] = read_models(services).bodies()
        items, nxt = page_of(rows, lambda b: b.slug, after, limit)
        return BodyPage(items=items, next=nxt)

    @get(
        "/bodies/{body_name:str}/meetings",
        operation_id="listMeetings",
        summary="A body's meetings: dates, status of their minutes, number ranges, renames",
        responses=errors(404),
        sync_to_thread=True,
    )
    def meetings(self, body_name: BodyParam, services: ServicesDep) -> BodyHistory:
        history: BodyHistory = read_models(services).meetings(body_name)
        return history

    @get(
        "/bodies/{body_name:str}/attendance",
        operation_id="getAttendanceRegister",
        summary="Attendance register: each person's attendance at the body's meetings",
        responses=errors(404),
        sync_to_thread=True,
    )
    def attendance(
        self,
        body_name: BodyParam,
        services: ServicesDep,
        after: AfterParam = None,
        limit: LimitParam = 50,
    ) -> AttendancePage:
        rows: list[AttendanceRow] = read_models(services).attendance_register(body_name)
        items, nxt = page_of(rows, lambda r: r.person, after, limit)
        return AttendancePage(items=items, next=nxt)

    @get(
        "/threads",
        operation_id="listThreads",
        summary="Threads of items linked by their references across meetings",
        responses=errors(404),
        sync_to_thread=True,
    )
    def threads(
        self,
        request: Request[Any, Any, Any],
        services: ServicesDep,
        body_name: Annotated[
            str | None, QueryParameter(name="body", required=False, description="Only this body")
        ] = None,
        after: AfterParam = None,
        limit: LimitParam = 50,
    ) -> ThreadPage:
        rows: list[Thread] = read_models(services).threads(
            body_name, include_exempt=sees_exempt(request)
        )
        items, nxt = page_of(rows, lambda t: t.id, after, limit)
        return ThreadPage(items=items, next=nxt)

    @get(
        "/actions",
        operation_id="listActions",
        summary="The action tracker: open, due, overdue and done actions, filtered",
        responses=errors(404),
    )
    async def actions(
        self,
        request: Request[Any, Any, Any],
        services: ServicesDep,
        body_name: Annotated[
            str | None, QueryParameter(name="body", required=False, description="Only this body")
        ] = None,
        owner: Annotated[str | None, QueryParameter(name="owner", required=False)] = None,
        status: Annotated[
            Literal["open", "in progress", "completed", "withdrawn"] | None,
            QueryParameter(name="status", required=False),
        ] = None,
        due_before: Annotated[
            dt.date | None, QueryParameter(name="due_before", required=False)
        ] = None,
        overdue: Annotated[bool | None, QueryParameter(name="overdue", required=False)] = None,
        after: AfterParam = None,
        limit: LimitParam = 50,
    ) -> Response[ActionPage]:
        if after is not None:
            try:
                decode_cursor(after)
            except InvalidValueError:
                raise bad_input("query", "after", "not a cursor returned by this list") from None
        read_models(services)
        exempt = sees_exempt(request)
        # Kept as sent while the views stand still (responses.py).
        key = ("actions", body_name, owner, status, due_before, overdue, after, limit, exempt)
        cache = services.responses
        stamp = cache.stamp()
        found = cache.get(key, stamp)
        if found is None:

            def read() -> Rendered:
                page = services.reads.action_tracker(  # type: ignore[union-attr]
                    body=body_name,
                    owner=owner,
                    status=status,
                    due_before=due_before,
                    overdue=overdue,
                    after=after,
                    limit=limit,
                    include_exempt=exempt,
                )
                body = encode_json(ActionPage(items=list(page.items), next=page.next))
                return Rendered(body=body, media_type="application/json", headers={})

            found = await anyio.to_thread.run_sync(read)
            cache.put(key, stamp, found)
        cache.keep_request(request.scope, exempt, stamp, found)
        return Response(found.body, media_type=found.media_type)  # type: ignore[arg-type]

    @get(
        "/projections",
        operation_id="getProjectionStatus",
        summary="Each read model's position in the log and how far it lags",
        responses=errors(),
        sync_to_thread=True,
    )
    def projections(self, services: ServicesDep) -> list[ViewStatus]:
        status: list[ViewStatus] = read_models(services).status()
        return status
