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
    Page,
    action_row,
    decode_cursor,
    load_meetings,
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
        cursor = decode_cursor(after) if after else None
        with self._read() as c:
            t = self._table(c, "actions")
            bodies = {str(b.id): b for b in all_bodies(t, c)}
            grps = [str(find_body(t, c, body).id)] if body is not None else None
            rows = tracker_rows(
                t,
                c,
                bodies,
                grps,
                filters,
                today or dt.date.today(),
                after=cursor,
                include_exempt=include_exempt,
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
            meetings = load_meetings(t, c, [row.grp])
        return action_row(
            record, body, meetings, today or dt.date.today(), include_exempt=include_exempt
        )
