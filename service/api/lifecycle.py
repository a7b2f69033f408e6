"""The minutes' lifecycle: circulate, confirm at a later meeting, sign; call-in, next meeting."""

from __future__ import annotations

from litestar import Controller, Response, post, put
from litestar.params import JSONBody

from service import commands as c
from service.api.auth import WRITE
from service.api.common import (
    DEPENDENCIES,
    BodyParam,
    DateParam,
    WriteDep,
)
from service.api.meetings import MEETING, WRITE_ERRORS
from service.api.schemas import (
    CallInRequest,
    ConfirmRequest,
    NextMeetingRequest,
    SignRequest,
    WriteResult,
)
from service.api.writes import parse_date


class LifecycleController(Controller):
    path = "/api/bodies"
    tags = ("meetings",)
    dependencies = DEPENDENCIES

    @post(
        MEETING + "/circulate",
        operation_id="circulateMinutes",
        status_code=200,
        summary="Circulate the draft minutes (awaiting formal approval)",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def circulate(
        self, body_name: BodyParam, date: DateParam, ctx: WriteDep
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            None,
            lambda v: ctx.app.circulate_minutes(
                c.CirculateMinutes(body=body_name, date=day, expected_version=v)
            ),
        )

    @post(
        MEETING + "/confirm",
        operation_id="confirmMinutes",
        status_code=200,
        summary="Confirm the minutes at a later meeting, with amendments or the resolution wording",
        description=(
            "Give `amendments` as data, or the resolution's `wording`: it is read by the same "
            "parser as `minutebook parse-amendment`, and the amendments found are returned. "
            "If-Match refers to the minutes being confirmed."
        ),
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def confirm(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[ConfirmRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.confirm_minutes(
                c.ConfirmMinutes(
                    body=body_name,
                    date=day,
                    at_date=data.at_date,
                    minute=data.minute,
                    amendments=data.amendments,
                    wording=data.wording,
                    expected_version=v,
                )
            ),
        )

    @post(
        MEETING + "/sign",
        operation_id="signMinutes",
        status_code=200,
        summary="Record the chair's signature of confirmed minutes",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def sign(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[SignRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.sign_minutes(
                c.SignMinutes(body=body_name, date=day, signature=data.value(), expected_version=v)
            ),
        )

    @put(
        MEETING + "/call-in",
        operation_id="setCallIn",
        summary="Set whether the decisions are subject to call-in, and its status",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def call_in(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[CallInRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.set_call_in(
                c.SetCallIn(
                    body=body_name,
                    date=day,
                    subject_to_call_in=data.subject_to_call_in,
                    status=data.status,
                    expected_version=v,
                )
            ),
        )

    @put(
        MEETING + "/next-meeting",
        operation_id="fixNextMeeting",
        summary="Record when and where the next meeting will be",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def next_meeting(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[NextMeetingRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.fix_next_meeting(
                c.FixNextMeeting(
                    body=body_name, date=day, when=data.when, venue=data.venue, expected_version=v
                )
            ),
        )
