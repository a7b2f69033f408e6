"""Commands on actions raised from resolutions."""

from __future__ import annotations

import datetime as dt
import uuid

from domain import ids
from domain.action import Action, Due, Origin
from domain.body import Body
from domain.errors import InvalidValueError
from service import commands as c
from service.app.core import RecordApplication, command
from service.commands import CommandResult
from service.errors import ConcurrentChangeError


class ActionCommands(RecordApplication):
    def _due(
        self, body: Body, due_date: dt.date | None, meeting_date: dt.date | None, text: str | None
    ) -> tuple[Due, uuid.UUID | None]:
        if meeting_date is None:
            return Due(date=due_date, text=text), None
        meeting = self.find_meeting(body, meeting_date)
        return Due(date=due_date, meeting_id=meeting.id, meeting_date=meeting.date, text=text), (
            meeting.body_id
        )

    @command
    def raise_action(self, cmd: c.RaiseAction) -> CommandResult:
        body = self.find_body(cmd.body)
        meeting = self.find_meeting(body, cmd.date)
        item = meeting.check_has_item(cmd.minute)
        if not 1 <= cmd.part <= max(len(item.resolutions), 1):
            raise InvalidValueError(
                f"item {cmd.minute} has {len(item.resolutions)} resolution part(s); "
                f"there is no part {cmd.part}"
            )
        due, due_body = self._due(body, cmd.due_date, cmd.due_meeting_date, cmd.due_text)
        action_id = ids.action_id(meeting.id, cmd.minute, cmd.part)
        if self.exists(action_id):
            raise ConcurrentChangeError(
                f"an action was already raised from part {cmd.part} of minute {cmd.minute}"
            )
        origin = Origin(
            body_id=body.id,
            meeting_id=meeting.id,
            meeting_date=meeting.date,
            minute=cmd.minute,
            part=cmd.part,
        )
        action = Action.raise_action(
            action_id, origin, cmd.description, cmd.owners, due, due_body_id=due_body
        )
        return self.result(action, self.save_all(action))

    def _action(self, cmd: c.ActionCommand) -> Action:
        action = self.get_as(Action, cmd.action_id)
        self.check_expected_version(action, cmd.expected_version)
        return action

    def _save_action(self, action: Action) -> CommandResult:
        return self.result(action, self.save_all(action))

    @command
    def update_action(self, cmd: c.UpdateAction) -> CommandResult:
        action = self._action(cmd)
        at_meeting = None
        if cmd.at_meeting_date is not None:
            body = self.get_as(Body, action.origin.body_id)
            at_meeting = self.find_meeting_id(body, cmd.at_meeting_date)
        action.update(cmd.note, cmd.status, at_meeting)
        return self._save_action(action)

    @command
    def reassign_action(self, cmd: c.ReassignAction) -> CommandResult:
        action = self._action(cmd)
        action.reassign(cmd.owners)
        return self._save_action(action)

    @command
    def change_action_due(self, cmd: c.ChangeActionDue) -> CommandResult:
        action = self._action(cmd)
        body = self.get_as(Body, action.origin.body_id)
        due, due_body = self._due(body, cmd.due_date, cmd.due_meeting_date, cmd.due_text)
        action.change_due(due, due_body)
        return self._save_action(action)

    @command
    def complete_action(self, cmd: c.CompleteAction) -> CommandResult:
        action = self._action(cmd)
        action.complete(cmd.note)
        return self._save_action(action)

    @command
    def withdraw_action(self, cmd: c.WithdrawAction) -> CommandResult:
        action = self._action(cmd)
        action.withdraw(cmd.reason)
        return self._save_action(action)

    @command
    def reopen_action(self, cmd: c.ReopenAction) -> CommandResult:
        action = self._action(cmd)
        action.reopen(cmd.reason)
        return self._save_action(action)
