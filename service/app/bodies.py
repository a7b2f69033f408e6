"""Commands on bodies: register, rename, members."""

from __future__ import annotations

from domain import ids
from domain.body import Body, BodyAlias
from service.app.core import RecordApplication, command
from service.commands import AppointMember, CommandResult, MemberLeaves, RegisterBody, RenameBody
from service.errors import ConcurrentChangeError


class BodyCommands(RecordApplication):
    @command
    def register_body(self, cmd: RegisterBody) -> CommandResult:
        body = Body.register(cmd.name, cmd.organisation, cmd.year_start_month, cmd.year_start_day)
        if self.exists(body.id):
            raise ConcurrentChangeError(f'a body called "{body.name}" is already registered')
        alias = BodyAlias._create(
            BodyAlias.Assigned, id=ids.body_alias_id(body.slug), body_id=body.id
        )
        return self.result(body, self.save_all(body, alias))

    @command
    def rename_body(self, cmd: RenameBody) -> CommandResult:
        body = self.find_body(cmd.body)
        body.rename(cmd.name)
        new_slug = ids.slugify(body.name)
        aggregates: list[Body | BodyAlias] = [body]
        alias_id = ids.body_alias_id(new_slug)
        if self.exists(alias_id):
            if self.get_as(BodyAlias, alias_id).body_id != body.id:
                raise ConcurrentChangeError(f'another body is already called "{body.name}"')
        else:
            aggregates.append(
                BodyAlias._create(
                    BodyAlias.Assigned, id=ids.body_alias_id(new_slug), body_id=body.id
                )
            )
        return self.result(body, self.save_all(*aggregates))

    @command
    def appoint_member(self, cmd: AppointMember) -> CommandResult:
        body = self.find_body(cmd.body)
        body.appoint_member(cmd.member, cmd.role)
        return self.result(body, self.save_all(body))

    @command
    def member_leaves(self, cmd: MemberLeaves) -> CommandResult:
        body = self.find_body(cmd.body)
        body.member_leaves(cmd.member)
        return self.result(body, self.save_all(body))
