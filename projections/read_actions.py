"""Reads of the action tracker: filtered pages and single actions with their history."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.errors import UnknownRecordError
from projections.actions import ActionRecord
from projections.bodies import BodyInfo, all_bodies, find_body
from projections.changes import decoder
from projections.read_base import ReadBase, required
from projections.tracker import (
    ActionRow,
    Filters,
    Meetings,
    Page,
    action_row,
    check_limit,
    decode_cursor,
    page,
    tracker_rows,
)


class ReadActions(ReadBase):
    def action_tracker(
        self,
        *,
        body: str | None = None,
        owner: str | None = None,
        status: str | None = None,
        due_before: dt.date | None = None,
        overdue: bool | None = None,
        today: dt.date | None = None,
        after: str | None = None,
        limit: int = 50,
        include_exempt: bool = False,
    ) -> Page[ActionRow]:
        filters = Filters(owner=owner, status=status, due_before=due_before, overdue=overdue)
        filters.check()
        check_limit(limit)
        cursor = decode_cursor(after) if after else None
        with self._read() as c:
            t = self._table(c, "actions")
            if body is not None:
                found = find_body(t, c, body)
                bodies, grps = {str(found.id): found}, [str(found.id)]
            else:
                bodies, grps = {str(b.id): b for b in all_bodies(t, c)}, None
            rows = tracker_rows(
                t,
                c,
                bodies,
                grps,
                filters,
                today or dt.date.today(),
                after=cursor,
                include_exempt=include_exempt,
                first=limit + 1,
            )
            return page(rows, limit)

    def action(
        self, action_id: uuid.UUID, *, include_exempt: bool = False, today: dt.date | None = None
    ) -> ActionRow:
        with self._read() as c:
            t = self._table(c, "actions")
            row = t.get(c, "action", str(action_id))
            if row is None:
                raise UnknownRecordError(f"no action with id {action_id}")
            record: ActionRecord = decoder(ActionRecord).decode(row.doc)
            body = decoder(BodyInfo).decode(required(t.get(c, "body", row.grp)).doc)
            return action_row(
                record,
                row.grp,
                body,
                Meetings(t, c),
                today or dt.date.today(),
                include_exempt=include_exempt,
            )
