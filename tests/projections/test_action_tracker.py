"""The action tracker read model: origin, owners, due, status, history; filters and pages."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import ids
from domain.errors import InvalidValueError, UnknownRecordError
from projections.read import ReadModels
from projections.service import ProjectionService
from service import commands as c
from service.app import Minutebook
from tests.projections.builders import (
    JUNE,
    MARCH,
    SEPTEMBER,
    SST,
    caught_up,
    import_fixture,
    june_vawg_item,
    seeds,
)

LATER = dt.date(2030, 1, 1)


def all_rows(read: ReadModels, **filters: object) -> list[object]:
    return list(read.action_tracker(limit=500, **filters).items)  # type: ignore[arg-type]


def test_every_raised_action_is_tracked_with_its_origin(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    outcomes = seeds(app)
    caught_up(app, views)
    rows = read.action_tracker(limit=500).items
    assert len(rows) == sum(o.actions for o in outcomes) > 0
    vawg = next(r for r in rows if r.meeting_date == MARCH and (r.minute, r.part) == ("36", 4))
    assert vawg.body == SST and vawg.body_slug == "sefton-safer-communities-partnership"
    assert "draft statement on VAWG" in vawg.description
    assert vawg.status == "open" and vawg.history[0].change == "raised"
    order = [(r.meeting_date, int(r.minute), r.part) for r in rows]
    assert order == sorted(order)


def test_filters_by_body_owner_status_due_and_overdue(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    everything = read.action_tracker(limit=500).items
    sefton = read.action_tracker(body="Sefton Safer Communities Partnership", limit=500).items
    assert sefton == read.action_tracker(body="safer-sefton-together", limit=500).items
    assert 0 < len(sefton) < len(everything)
    assert {r.body for r in sefton} == {SST}
    owned = read.action_tracker(owner="simon burnett", limit=500).items
    assert owned and all(any("Simon Burnett" in o for o in r.owners) for r in owned)
    assert read.action_tracker(status="completed").items == ()
    overdue = read.action_tracker(overdue=True, today=LATER, limit=500).items
    assert any(r.minute == "36" and r.part == 4 for r in overdue)
    assert all(r.overdue and r.overdue_reason for r in overdue)
    not_overdue = read.action_tracker(overdue=False, today=LATER, limit=500).items
    assert len(overdue) + len(not_overdue) == len(everything)
    dated = [r for r in everything if r.due_date]
    for r in read.action_tracker(due_before=LATER, limit=500).items:
        assert r.due_date is not None and r.due_date < LATER
    assert len(read.action_tracker(due_before=LATER, limit=500).items) == len(dated)


def test_pages_follow_the_cursor_to_the_end(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    everything = read.action_tracker(limit=500).items
    collected, after = [], None
    while True:
        page = read.action_tracker(limit=2, after=after)
        collected += page.items
        if page.next is None:
            break
        assert len(page.items) == 2
        after = page.next
    assert tuple(collected) == everything
    with pytest.raises(InvalidValueError, match="cursor"):
        read.action_tracker(after="not a cursor!")
    with pytest.raises(InvalidValueError, match="limit"):
        read.action_tracker(limit=0)
    with pytest.raises(InvalidValueError, match="status 'done'"):
        read.action_tracker(status="done")
    with pytest.raises(UnknownRecordError):
        read.action_tracker(body="Nowhere")


def test_history_records_every_change_with_who_and_where(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    app.register_body(c.RegisterBody(name=SST))
    june_vawg_item(app, SST)
    app.schedule_meeting(c.ScheduleMeeting(body=SST, date=SEPTEMBER))
    raised = app.raise_action(
        c.RaiseAction(
            body=SST,
            date=JUNE,
            minute="6",
            part=1,
            description="Circulate the draft VAWG statement",
            owners=("Andrea Watts",),
            due_meeting_date=SEPTEMBER,
        )
    )
    action_id = raised.id
    assert action_id == ids.action_id(app.find_meeting_id(app.find_body(SST), JUNE), "6", 1)
    app.update_action(
        c.UpdateAction(action_id=action_id, note="Draft shared", status="in progress")
    )
    app.reassign_action(c.ReassignAction(action_id=action_id, owners=("Simon Burnett",)))
    app.change_action_due(c.ChangeActionDue(action_id=action_id, due_date=dt.date(2022, 10, 31)))
    app.complete_action(c.CompleteAction(action_id=action_id, note="Statement agreed"))
    caught_up(app, views)
    row = read.action(action_id)
    assert [h.change for h in row.history] == [
        "raised",
        "updated",
        "reassigned",
        "due changed",
        "completed",
    ]
    assert row.status == "completed" and not row.overdue
    assert row.owners == ("Simon Burnett",)
    assert row.due_date == dt.date(2022, 10, 31)
    assert row.history[1].note == "Draft shared" and row.history[1].status == "in progress"
    assert all(h.actor for h in row.history)
    assert read.action_tracker(status="completed").items == (row,)
    app.reopen_action(c.ReopenAction(action_id=action_id, reason="Statement to be revised"))
    caught_up(app, views)
    assert read.action(action_id).status == "open"
    assert read.action(action_id, today=dt.date(2022, 11, 1)).overdue_reason == "due by 2022-10-31"
    with pytest.raises(UnknownRecordError):
        read.action(ids.action_id(action_id, "1", 1))


def test_actions_from_exempt_items_are_withheld_unless_asked_for(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    outcome = import_fixture(app, "audit_exempt_part2.txt")
    caught_up(app, views)
    rows = read.action_tracker(body=outcome.body).items
    from_exempt = [r for r in rows if r.minute == "21"]
    assert from_exempt and all(r.withheld for r in from_exempt)
    assert all("further report" not in r.description for r in from_exempt)
    full = read.action_tracker(body=outcome.body, include_exempt=True).items
    assert any("further report" in r.description for r in full if r.minute == "21")
