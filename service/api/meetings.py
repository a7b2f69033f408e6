"""Meetings: schedule, reschedule, cancel, attendance, declarations; the meeting's record."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody

from projections.minutes_document import MinutesDocument
from service import commands as c
from service.api.auth import READ, WRITE
from service.api.common import (
    DEPENDENCIES,
    BodyParam,
    DateParam,
    ServicesDep,
    WriteDep,
    sees_exempt,
)
from service.api.errors import errors
from service.api.schemas import (
    AttendanceRequest,
    DeclarationRequest,
    RescheduleMeetingRequest,
    ScheduleMeetingRequest,
    WriteResult,
)
from service.api.state import Services
from service.api.writes import parse_date

MEETING = "/{body_name:str}/meetings/{date:str}"
WRITE_ERRORS = errors(404, 409, 412, 422)


def meeting_document(
    request: Request[Any, Any, Any], services: Services, body: str, date: str
) -> MinutesDocument:
    doc = services.record.minutes(body, parse_date("date", date))
    return doc if sees_exempt(request) else doc.withhold_exempt()


class MeetingController(Controller):
    path = "/api/bodies"
    tags = ("meetings",)
    dependencies = DEPENDENCIES

    @post(
        "/{body_name:str}/meetings",
        operation_id="scheduleMeeting",
        summary="Schedule a meeting of a body",
        opt=WRITE,
        status_code=201,
        responses=errors(404, 409, 422),
        sync_to_thread=True,
    )
    def schedule(
        self, body_name: BodyParam, data: JSONBody[ScheduleMeetingRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        cmd = c.ScheduleMeeting(
            body=body_name, date=data.date, time=data.time, venue=data.venue, remote=data.remote
        )
        where = f"/api/bodies/{quote(body_name)}/meetings/{data.date.isoformat()}"
        return ctx.run(data, lambda _: ctx.app.schedule_meeting(cmd), status=201, location=where)

    @get(
        MEETING,
        operation_id="getMeeting",
        summary="A meeting and its current minutes (JSON)",
        opt=READ,
        responses=errors(404),
        sync_to_thread=True,
    )
    def get_meeting(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        services: ServicesDep,
    ) -> Response[MinutesDocument]:
        doc = meeting_document(request, services, body_name, date)
        return Response(doc, headers={"ETag": doc.etag})

    @post(
        MEETING + "/reschedule",
        operation_id="rescheduleMeeting",
        status_code=200,
        summary="Move a meeting to another date (before it has minutes)",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def reschedule(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[RescheduleMeetingRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.reschedule_meeting(
                c.RescheduleMeeting(
                    body=body_name,
                    date=day,
                    new_date=data.new_date,
                    time=data.time,
                    venue=data.venue,
                    expected_version=v,
                )
            ),
            location=f"/api/bodies/{quote(body_name)}/meetings/{data.new_date.isoformat()}",
        )

    @post(
        MEETING + "/cancel",
        operation_id="cancelMeeting",
        status_code=200,
        summary="Cancel a meeting that has no minutes",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def cancel(self, body_name: BodyParam, date: DateParam, ctx: WriteDep) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            None,
            lambda v: ctx.app.cancel_meeting(
                c.CancelMeeting(body=body_name, date=day, expected_version=v)
            ),
        )

    @put(
        MEETING + "/attendance",
        operation_id="recordAttendance",
        summary="Record who was present, in the chair, sent apologies or was absent",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def attendance(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[AttendanceRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.record_attendance(
                c.RecordAttendance(
                    body=body_name, date=day, attendance=data.value(), expected_version=v
                )
            ),
        )

    @post(
        MEETING + "/declarations",
        operation_id="declareInterest",
        summary="Record a declaration of interest",
        opt=WRITE,
        status_code=201,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def declaration(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[DeclarationRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.declare_interest(
                c.DeclareInterest(
                    body=body_name, date=day, declaration=data.value(), expected_version=v
                )
            ),
            status=201,
        )
