"""Actions raised from resolutions: raise, update, reassign, due, complete, withdraw, reopen."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody, PathParameter

from domain.action import Action, ActionStatus, Due, Origin
from domain.meeting import Meeting
from projections.tracker import WITHHELD
from service import commands as c
from service.api.auth import READ, WRITE
from service.api.common import DEPENDENCIES, ServicesDep, WriteDep, sees_exempt
from service.api.errors import bad_input, errors
from service.api.schemas import (
    ChangeDueRequest,
    CompleteActionRequest,
    RaiseActionRequest,
    ReasonRequest,
    ReassignActionRequest,
    UpdateActionRequest,
    WriteResult,
)

ActionId = Annotated[
    str,
    PathParameter(
        description="The action's id, a UUID (from raiseAction or the tracker)",
        schema_extra={"format": "uuid"},
    ),
]


def action_uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise bad_input("path", "action_id", f"{text!r} is not an action id (a UUID)") from None


WRITE_ERRORS = errors(404, 409, 412, 422)


class ActionView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    version: int
    origin: Origin
    description: str
    owners: tuple[str, ...]
    due: Due
    status: ActionStatus
    notes: tuple[str, ...]
    #: The action arises from an exempt item the role may not see: description and notes withheld.
    withheld: bool = False


class ActionController(Controller):
    path = "/api/actions"
    tags = ("actions",)
    dependencies = DEPENDENCIES

    @post(
        "/",
        operation_id="raiseAction",
        summary="Raise an action from part of an item's resolution",
        opt=WRITE,
        status_code=201,
        responses=errors(404, 409, 422),
        sync_to_thread=True,
    )
    def raise_action(
        self, data: JSONBody[RaiseActionRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        cmd = msgspec.convert(msgspec.to_builtins(data), c.RaiseAction)
        return ctx.run(data, lambda _: ctx.app.raise_action(cmd), status=201)

    @get(
        "/{action_id:str}",
        operation_id="getAction",
        summary="One action with its notes, read from the record itself",
        opt=READ,
        responses=errors(404),
        sync_to_thread=True,
    )
    def get_action(
        self, request: Request[Any, Any, Any], action_id: ActionId, services: ServicesDep
    ) -> Response[ActionView]:
        action = services.record.get_as(Action, action_uuid(action_id))
        withheld = False  # as in the tracker: an action of an exempt item shows no text
        if not sees_exempt(request):
            origin = services.record.get_as(Meeting, action.origin.meeting_id)
            item = origin.items.get(action.origin.minute)
            withheld = item is not None and item.exempt
        view = ActionView(
            id=action.id,
            version=action.version,
            origin=action.origin,
            description=WITHHELD if withheld else action.description,
            owners=action.owners,
            due=action.due,
            status=action.status,
            notes=() if withheld else tuple(action.notes),
            withheld=withheld,
        )
        return Response(view, headers={"ETag": f'"{action.version}"'})

    @post(
        "/{action_id:str}/updates",
        operation_id="updateAction",
        summary="Record progress on an action (optionally at a meeting)",
        opt=WRITE,
        status_code=201,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def update(
        self, action_id: ActionId, data: JSONBody[UpdateActionRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        return ctx.run(
            data,
            lambda v: ctx.app.update_action(
                c.UpdateAction(
                    action_id=action_uuid(action_id),
                    note=data.note,
                    status=data.status,
                    at_meeting_date=data.at_meeting_date,
                    expected_version=v,
                )
            ),
            status=201,
        )

    @put(
        "/{action_id:str}/owners",
        operation_id="reassignAction",
        summary="Reassign an action to other owners",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def reassign(
        self, action_id: ActionId, data: JSONBody[ReassignActionRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        return ctx.run(
            data,
            lambda v: ctx.app.reassign_action(
                c.ReassignAction(
                    action_id=action_uuid(action_id), owners=data.owners, expected_version=v
                )
            ),
        )

    @put(
        "/{action_id:str}/due",
        operation_id="changeActionDue",
        summary="Change when an action is due (a date, a meeting, or words)",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def change_due(
        self, action_id: ActionId, data: JSONBody[ChangeDueRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        return ctx.run(
            data,
            lambda v: ctx.app.change_action_due(
                c.ChangeActionDue(
                    action_id=action_uuid(action_id),
                    due_date=data.due_date,
                    due_meeting_date=data.due_meeting_date,
                    due_text=data.due_text,
                    expected_version=v,
                )
            ),
        )

    @post(
        "/{action_id:str}/complete",
        operation_id="completeAction",
        status_code=200,
        summary="Record that an action is done",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def complete(
        self, action_id: ActionId, data: JSONBody[CompleteActionRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        return ctx.run(
            data,
            lambda v: ctx.app.complete_action(
                c.CompleteAction(
                    action_id=action_uuid(action_id), note=data.note, expected_version=v
                )
            ),
        )

    @post(
        "/{action_id:str}/withdraw",
        operation_id="withdrawAction",
        status_code=200,
        summary="Withdraw an action, with the reason",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def withdraw(
        self, action_id: ActionId, data: JSONBody[ReasonRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        return ctx.run(
            data,
            lambda v: ctx.app.withdraw_action(
                c.WithdrawAction(
                    action_id=action_uuid(action_id), reason=data.reason, expected_version=v
                )
            ),
        )

    @post(
        "/{action_id:str}/reopen",
        operation_id="reopenAction",
        status_code=200,
        summary="Reopen a completed or withdrawn action, with the reason",
        opt=WRITE,
        responses=WRITE_ERRORS,
        sync_to_thread=True,
    )
    def reopen(
        self, action_id: ActionId, data: JSONBody[ReasonRequest], ctx: WriteDep
    ) -> Response[WriteResult]:
        return ctx.run(
            data,
            lambda v: ctx.app.reopen_action(
                c.ReopenAction(
                    action_id=action_uuid(action_id), reason=data.reason, expected_version=v
                )
            ),
        )
