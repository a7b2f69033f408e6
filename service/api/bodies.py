"""Bodies: register, rename, members; one body's record."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, delete, get, post
from litestar.params import JSONBody, PathParameter

from domain.ids import slugify
from service import commands as c
from service.api.auth import READ, WRITE
from service.api.common import DEPENDENCIES, BodyParam, ServicesDep, WriteDep
from service.api.errors import errors
from service.api.schemas import (
    AppointMemberRequest,
    BodyView,
    RegisterBodyRequest,
    RenameBodyRequest,
    WriteResult,
)
from service.app import Minutebook
from service.commands import CommandResult


def _check_body_version(app: Minutebook, body: str, expected: int | None) -> None:
    """Body commands carry no expected version: If-Match is checked just before."""
    if expected is not None:
        app.check_expected_version(app.find_body(body), expected)


class BodyController(Controller):
    path = "/api/bodies"
    tags = ("bodies",)
    dependencies = DEPENDENCIES

    @post(
        "/",
        operation_id="registerBody",
        summary="Register a body (committee, partnership, board)",
        opt=WRITE,
        status_code=201,
        responses=errors(409, 422),
        sync_to_thread=True,
    )
    def register_body(
        self, data: JSONBody[RegisterBodyRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        cmd = c.RegisterBody(
            name=data.name,
            organisation=data.organisation,
            year_start_month=data.year_start_month,
            year_start_day=data.year_start_day,
        )
        return ctx.run(
            data,
            lambda _: ctx.app.register_body(cmd),
            status=201,
            location=f"/api/bodies/{quote(slugify(data.name))}",
        )

    @get(
        "/{body_name:str}",
        operation_id="getBody",
        summary="One body: names, members, municipal year",
        opt=READ,
        responses=errors(404),
        sync_to_thread=True,
    )
    def get_body(self, body_name: BodyParam, services: ServicesDep) -> Response[BodyView]:
        found = services.record.find_body(body_name)
        view = BodyView(
            id=found.id,
            name=found.name,
            slug=found.slug,
            organisation=found.organisation,
            version=found.version,
            former_names=tuple(found.former_names),
            members=dict(found.members),
            year_start_month=found.year_start[0],
            year_start_day=found.year_start[1],
        )
        return Response(view, headers={"ETag": f'"{found.version}"'})

    @post(
        "/{body_name:str}/rename",
        operation_id="renameBody",
        status_code=200,
        summary="Rename a body (it stays findable by its former names)",
        opt=WRITE,
        responses=errors(404, 409, 412, 422),
        sync_to_thread=True,
    )
    def rename_body(
        self, body_name: BodyParam, data: JSONBody[RenameBodyRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        def run(expected: int | None) -> CommandResult:
            _check_body_version(ctx.app, body_name, expected)
            return ctx.app.rename_body(c.RenameBody(body=body_name, name=data.name))

        return ctx.run(data, run)

    @post(
        "/{body_name:str}/members",
        operation_id="appointMember",
        summary="Appoint a member to a body",
        opt=WRITE,
        status_code=201,
        responses=errors(404, 409, 412, 422),
        sync_to_thread=True,
    )
    def appoint_member(
        self, body_name: BodyParam, data: JSONBody[AppointMemberRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        def run(expected: int | None) -> CommandResult:
            _check_body_version(ctx.app, body_name, expected)
            return ctx.app.appoint_member(
                c.AppointMember(body=body_name, member=data.member, role=data.role)
            )

        return ctx.run(data, run, status=201)

    @delete(
        "/{body_name:str}/members/{member:str}",
        operation_id="removeMember",
        summary="Record that a member left a body",
        opt=WRITE,
        status_code=200,
        responses=errors(404, 409, 412, 422),
        sync_to_thread=True,
    )
    def member_leaves(
        self,
        body_name: BodyParam,
        member: Annotated[str, PathParameter(description="The member's name as recorded")],
        ctx: WriteDep,
    ) -> Response[WriteResult]:
        def run(expected: int | None) -> CommandResult:
            _check_body_version(ctx.app, body_name, expected)
            return ctx.app.member_leaves(c.MemberLeaves(body=body_name, member=member))

        return ctx.run(None, run)
