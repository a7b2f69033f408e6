"""Minute items: record, read (exempt ones withheld), revise; votes and notes on them."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import JSONBody

from domain.errors import UnknownRecordError
from projections.minutes_document import ItemDocument
from service import commands as c
from service.api.auth import READ, WRITE
from service.api.common import (
    DEPENDENCIES,
    BodyParam,
    DateParam,
    NumberParam,
    ServicesDep,
    WriteDep,
    item_number,
)
from service.api.errors import errors
from service.api.meetings import MEETING, WRITE_ERRORS, meeting_document
from service.api.schemas import (
    MinuteItemRequest,
    NoteRequest,
    ReviseItemRequest,
    VoteRequest,
    WriteResult,
    references,
)
from service.api.writes import (
    IdempotencyKeyHeader,
    IfMatchHeader,
    ReasonHeader,
    WaitHeader,
    WaitQuery,
    parse_date,
    write_context,
)


class ItemController(Controller):
    """Items and their revisions are most of a clerk's writes: their handlers are ``async``
    and hand the command to the group committer from the event loop (``run_async``), and
    take the write's parameters themselves rather than as the ``ctx`` dependency (the same
    parameters, documented and validated alike, without a dependency resolved per request)."""

    path = "/api/bodies"
    tags = ("meetings",)
    dependencies = DEPENDENCIES

    @post(
        MEETING + "/items",
        operation_id="minuteItem",
        summary="Minute an item (its number continues the body's municipal year if omitted)",
        opt=WRITE,
        status_code=201,
        responses=WRITE_ERRORS,
    )
    async def minute_item(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[MinuteItemRequest],
        if_match: IfMatchHeader = None,
        idempotency_key: IdempotencyKeyHeader = None,
        reason: ReasonHeader = None,
        wait: WaitQuery = False,
        x_wait: WaitHeader = None,
    ) -> Response[WriteResult]:
        ctx = write_context(request, if_match, idempotency_key, reason, wait, x_wait)
        day = parse_date("date", date)
        cmd = c.MinuteItem(
            body=body_name,
            date=day,
            number=data.number,
            title=data.title,
            paragraphs=data.paragraphs,
            resolutions=data.resolutions,
            references=references(data.references) or (),
            exempt=data.exempt,
            exempt_reason=data.exempt_reason,
        )
        return await ctx.run_async(
            data,
            lambda v: ctx.app.minute_item(msgspec.structs.replace(cmd, expected_version=v)),
            status=201,
        )

    @get(
        MEETING + "/items/{number:path}",
        operation_id="getItem",
        summary="One minute item (exempt items withheld unless the role may see them)",
        opt=READ,
        responses=errors(404),
        sync_to_thread=True,
    )
    def get_item(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        number: NumberParam,
        services: ServicesDep,
    ) -> Response[ItemDocument]:
        wanted = item_number(number)
        doc = meeting_document(request, services, body_name, date)
        for item in doc.items:
            if item.number == wanted:
                return Response(item, headers={"ETag": doc.etag})
        raise UnknownRecordError(f"the minutes of {doc.meeting_date} have no item {wanted}")

    @patch(
        MEETING + "/items/{number:path}",
        operation_id="reviseItem",
        summary="Revise an item of draft or circulated minutes (only the fields given change)",
        opt=WRITE,
        responses=WRITE_ERRORS,
    )
    async def revise_item(
        self,
        request: Request[Any, Any, Any],
        body_name: BodyParam,
        date: DateParam,
        number: NumberParam,
        data: JSONBody[ReviseItemRequest],
        if_match: IfMatchHeader = None,
        idempotency_key: IdempotencyKeyHeader = None,
        reason: ReasonHeader = None,
        wait: WaitQuery = False,
        x_wait: WaitHeader = None,
    ) -> Response[WriteResult]:
        ctx = write_context(request, if_match, idempotency_key, reason, wait, x_wait)
        day = parse_date("date", date)
        return await ctx.run_async(
            data,
            lambda v: ctx.app.revise_item(
                c.ReviseItem(
                    body=body_name,
                    date=day,
                    number=item_number(number),
                    title=data.title,
                    paragraphs=data.paragraphs,
                    resolutions=data.resolutions,
                    references=references(data.references),
                    exempt=data.exempt,
                    exempt_reason=data.exempt_reason,
                    expected_version=v,
                )
            ),
        )

    @post(
        MEETING + "/votes",
        operation_id="recordVote",
        summary="Record a vote on an item's resolution (or an amendment to it)",
        opt=WRITE,
        status_code=201,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def vote(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[VoteRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.record_vote(
                c.RecordVote(
                    body=body_name,
                    date=day,
                    minute=data.minute,
                    vote=data.value(),
                    expected_version=v,
                )
            ),
            status=201,
        )

    @post(
        MEETING + "/notes",
        operation_id="addNote",
        summary="Add a clarifying note to an item (allowed after confirmation; text unchanged)",
        opt=WRITE,
        status_code=201,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def note(
        self,
        body_name: BodyParam,
        date: DateParam,
        data: JSONBody[NoteRequest],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        day = parse_date("date", date)
        return ctx.run(
            data,
            lambda v: ctx.app.add_note(
                c.AddNote(
                    body=body_name, date=day, minute=data.minute, note=data.note, expected_version=v
                )
            ),
            status=201,
        )
