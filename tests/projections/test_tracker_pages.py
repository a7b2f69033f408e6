"""The action tracker read page by page agrees with the whole view read at once.

Pages are read with a LIMIT, meetings by key and "held on or after" by an index
seek; here every page, filter and day is compared with rows worked out the
plain way: every action and every meeting of the view loaded, overdue from the
body's whole meeting list, filtered and sorted in Python.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Mapping, Sequence

import pytest

from projections.actions import ActionRecord, MeetingFacts
from projections.bodies import BodyInfo
from projections.changes import decoder
from projections.overdue import due_meeting_date, overdue_reason
from projections.read import ReadModels
from projections.rendering import render_markdown, render_text
from projections.service import ProjectionService
from projections.tracker import WITHHELD, ActionRow, ActionUpdate, Filters, matches
from projections.tracker_table import tracker_markdown, tracker_text
from service import commands as c
from service.app import Minutebook
from tests.projections.builders import caught_up, view_rows

BODIES = ("Tracker Board A", "Tracker Board B", "Tracker Board C")
START = dt.date(2022, 1, 6)
MEETINGS = 14  # every four weeks from START, per body
DAYS = (
    dt.date(2021, 12, 1),
    dt.date(2022, 3, 3),
    dt.date(2022, 6, 30),
    dt.date(2022, 9, 1),
    dt.date(2022, 12, 31),
    dt.date(2030, 1, 1),
)


def _date(k: int) -> dt.date:
    return START + dt.timedelta(days=28 * k)


def varied_history(app: Minutebook) -> None:
    """Three bodies; meetings held, not yet held, cancelled and moved; exempt items;
    actions due by dates, at meetings (some moved or cancelled), in months, at the next
    meeting, at future meetings; updates at meetings, reassignments, closures."""
    for b, name in enumerate(BODIES):
        app.register_body(c.RegisterBody(name=name))
        dates = [_date(k) + dt.timedelta(days=b) for k in range(MEETINGS)]
        for day in dates:
            app.schedule_meeting(c.ScheduleMeeting(body=name, date=day, time="10:00"))
        held = [d for k, d in enumerate(dates) if k < 9 and k % 4 != 3]
        for k, day in enumerate(list(dates)):
            if k < 9 and k % 4 == 3:
                if k == 3:
                    app.cancel_meeting(c.CancelMeeting(body=name, date=day))
                else:  # moved a week on, and not held
                    app.reschedule_meeting(
                        c.RescheduleMeeting(
                            body=name, date=day, new_date=day + dt.timedelta(days=7)
                        )
                    )
                    dates[k] = day + dt.timedelta(days=7)
        raised: list[uuid.UUID] = []
        for k, day in enumerate(held):
            for n in range(3):
                number = str(10 * (k + 1) + n)
                app.minute_item(
                    c.MinuteItem(
                        body=name,
                        date=day,
                        number=number,
                        title=f"Item {number}",
                        paragraphs=("The Board considered the report.",),
                        resolutions=("That the report be noted.", "That a report follow."),
                        exempt=(k + n + b) % 5 == 0,
                        exempt_reason="paragraph 3 of Part 1 of Schedule 12A",
                    )
                )
                for part in (1, 2):
                    variant = (k * 6 + n * 2 + part + b) % 9
                    due: dict[str, object] = {}
                    if variant == 1:
                        due = {"due_date": day + dt.timedelta(days=60)}
                    elif variant == 2:
                        due = {"due_meeting_date": dates[min(k + 2, MEETINGS - 1)]}
                    elif variant == 3:
                        due = {"due_meeting_date": dates[3]}  # cancelled
                    elif variant == 4:
                        due = {"due_text": "next meeting"}
                    elif variant == 5:
                        due = {"due_text": f"{day.year}-{(day.month % 12) + 1:02d}"}
                    elif variant == 6:
                        due = {"due_text": "future meetings"}
                    elif variant == 7:
                        due = {"due_text": (day + dt.timedelta(days=40)).isoformat()}
                    elif variant == 8:
                        due = {
                            "due_date": day + dt.timedelta(days=300),
                            "due_meeting_date": dates[-1],
                        }
                    result = app.raise_action(
                        c.RaiseAction(
                            body=name,
                            date=day,
                            minute=number,
                            part=part,
                            description=f"Report on item {number} part {part}",
                            owners=(f"Officer {variant}", "Jo Bloggs") if part == 1 else (),
                            **due,  # type: ignore[arg-type]
                        )
                    )
                    raised.append(result.id)
        moved = dates[7]  # moved a week on
        for i, action_id in enumerate(raised):
            if i % 7 == 0:
                app.update_action(
                    c.UpdateAction(
                        action_id=action_id,
                        note="progress",
                        status="in progress",
                        at_meeting_date=held[min(i // 6, len(held) - 1)],
                    )
                )
            if i % 11 == 0:
                app.reassign_action(c.ReassignAction(action_id=action_id, owners=("Sam Lee",)))
            if i % 13 == 0:
                app.change_action_due(
                    c.ChangeActionDue(action_id=action_id, due_meeting_date=moved)
                )
            if i % 8 == 5:
                app.complete_action(c.CompleteAction(action_id=action_id, note="done"))
            if i % 17 == 9:
                app.withdraw_action(c.WithdrawAction(action_id=action_id, reason="superseded"))


def expected_rows(
    read: ReadModels, today: dt.date, *, include_exempt: bool = False
) -> list[tuple[str, str, ActionRow]]:
    """(body id, sort, row) of every action, the plain way, in tracker order."""
    rows = view_rows(read, "actions")
    bodies = {r.key: decoder(BodyInfo).decode(r.doc) for r in rows if r.kind == "body"}
    meetings: dict[str, list[MeetingFacts]] = {}
    for r in rows:
        if r.kind == "meeting":
            meetings.setdefault(r.grp, []).append(decoder(MeetingFacts).decode(r.doc))
    out = []
    for r in sorted((r for r in rows if r.kind == "action"), key=lambda r: (r.sort, r.key)):
        record = decoder(ActionRecord).decode(r.doc)
        row = plain_row(
            record, bodies[r.grp], meetings.get(r.grp, []), today, include_exempt=include_exempt
        )
        out.append((r.grp, r.sort, row))
    return out


def plain_row(
    record: ActionRecord,
    body: BodyInfo,
    meetings: Sequence[MeetingFacts],
    today: dt.date,
    *,
    include_exempt: bool,
) -> ActionRow:
    by_id: Mapping[uuid.UUID, MeetingFacts] = {m.id: m for m in meetings}
    origin = by_id.get(record.origin.meeting_id)
    withheld = (
        not include_exempt and origin is not None and record.origin.minute in origin.exempt_items
    )
    reason = overdue_reason(record, meetings, today)
    return ActionRow(
        id=record.id,
        body=body.name,
        body_slug=body.slug,
        meeting_date=record.origin.meeting_date,
        minute=record.origin.minute,
        part=record.origin.part,
        description=WITHHELD if withheld else record.description,
        owners=record.owners,
        due_date=record.due.date,
        due_meeting_date=due_meeting_date(record, by_id),
        due_text=record.due.text,
        status=record.status,
        overdue=reason is not None,
        overdue_reason=reason,
        withheld=withheld,
        history=tuple(
            ActionUpdate(
                at=h.at,
                change=h.change,
                actor=h.actor,
                note=None if withheld else h.note,
                status=h.status,
                meeting_date=(
                    by_id[h.at_meeting_id].date
                    if h.at_meeting_id is not None and h.at_meeting_id in by_id
                    else None
                ),
                reason=None if withheld else h.reason,
            )
            for h in record.history
        ),
    )


def all_pages(read: ReadModels, limit: int, **query: object) -> list[ActionRow]:
    collected: list[ActionRow] = []
    after = None
    while True:
        page = read.action_tracker(limit=limit, after=after, **query)  # type: ignore[arg-type]
        collected += page.items
        if page.next is None:
            return collected
        assert len(page.items) == limit
        after = page.next


FILTERS = [
    Filters(),
    Filters(status="open"),
    Filters(status="in progress"),
    Filters(status="completed"),
    Filters(status="withdrawn"),
    Filters(owner="  jo   BLOGGS "),
    Filters(owner="officer 2"),
    Filters(due_before=dt.date(2022, 8, 1)),
    Filters(overdue=True),
    Filters(overdue=False),
    Filters(status="open", overdue=True, owner="officer"),
]


@pytest.fixture
def history(app: Minutebook, views: ProjectionService) -> Minutebook:
    varied_history(app)
    caught_up(app, views)
    return app


def test_every_page_and_filter_agrees_with_the_whole_view(
    history: Minutebook, read: ReadModels
) -> None:
    slugs = {b: read.action_tracker(body=b, limit=1).items[0].body_slug for b in BODIES}
    for today in DAYS:
        plain = expected_rows(read, today)
        overdue = {row.overdue_reason for _, _, row in plain}
        assert len(overdue) > 5  # the history exercises every kind of "overdue"
        for f, body in itertools.product(FILTERS, (None, *BODIES)):
            wanted = [
                row
                for _, _, row in plain
                if matches(row, f)
                and (f.status is None or row.status == f.status)
                and (body is None or row.body == body)
            ]
            query = {
                "owner": f.owner,
                "status": f.status,
                "due_before": f.due_before,
                "overdue": f.overdue,
                "today": today,
                "body": body if body is None else slugs[body],
            }
            assert list(read.action_tracker(limit=500, **query).items) == wanted  # type: ignore[arg-type]
            for limit in (1, 7) if f == Filters() or today == DAYS[-1] else ():
                assert all_pages(read, limit, **query) == wanted


def test_withheld_rows_single_actions_and_the_rendered_tracker_agree(
    history: Minutebook, read: ReadModels
) -> None:
    today = dt.date(2022, 7, 14)
    for include_exempt in (False, True):
        plain = expected_rows(read, today, include_exempt=include_exempt)
        assert any(row.withheld for _, _, row in plain) != include_exempt
        got = read.action_tracker(limit=500, today=today, include_exempt=include_exempt).items
        assert list(got) == [row for _, _, row in plain]
        for _, _, row in plain:
            assert read.action(row.id, today=today, include_exempt=include_exempt) == row
    body = BODIES[1]
    plain = [r for _, _, r in expected_rows(read, today) if r.body == body]
    for k in (0, 4, 8):
        day = _date(k) + dt.timedelta(days=1)
        shown = [r for r in plain if r.meeting_date <= day]
        assert 0 < len(shown) < len(plain) or k == 8
        doc = read.minutes(body, day)
        assert read.render(body, day, "markdown", today=today) == (
            render_markdown(doc) + "\n" + tracker_markdown(shown)
        )
        assert read.render(body, day, "text", today=today) == (
            render_text(doc) + "\n" + tracker_text(shown)
        )
