"""Meeting history per body: meetings in order, renames, moves, cancellations, standing items,
the attendance register, and the list of bodies."""

from __future__ import annotations

import datetime as dt

from domain.values import Attendance
from projections.read import ReadModels
from projections.service import ProjectionService
from service import commands as c
from service.app import Minutebook
from tests.projections.builders import SST, caught_up, seeds

OLD_NAME = "Sefton Safer Communities Partnership"


def test_meetings_in_order_with_status_and_minute_ranges(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    history = read.meetings(OLD_NAME)
    assert history == read.meetings("safer-sefton-together")
    assert [m.date for m in history.meetings] == [
        dt.date(2019, 12, 5),
        dt.date(2022, 3, 17),
        dt.date(2022, 9, 8),
    ]
    assert [(m.first_minute, m.last_minute, m.items) for m in history.meetings] == [
        ("28", "39", 12),
        ("30", "37", 8),
        ("14", "26", 13),
    ]
    assert {m.status for m in history.meetings} == {"circulated"}
    assert history.body.name == SST and history.body.former_names == (OLD_NAME,)
    assert [(r.old_name, r.new_name) for r in history.renames] == [(OLD_NAME, SST)]
    assert history.body.meetings == 3
    assert history.body.first_meeting == dt.date(2019, 12, 5)


def test_rescheduled_and_cancelled_meetings_are_shown(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    app.register_body(c.RegisterBody(name=SST))
    app.schedule_meeting(c.ScheduleMeeting(body=SST, date=dt.date(2022, 6, 9), venue="Bootle"))
    app.reschedule_meeting(
        c.RescheduleMeeting(body=SST, date=dt.date(2022, 6, 9), new_date=dt.date(2022, 6, 22))
    )
    app.schedule_meeting(c.ScheduleMeeting(body=SST, date=dt.date(2022, 12, 8)))
    app.cancel_meeting(c.CancelMeeting(body=SST, date=dt.date(2022, 12, 8)))
    caught_up(app, views)
    meetings = read.meetings(SST).meetings
    assert [(m.date, m.rescheduled_from, m.cancelled, m.venue) for m in meetings] == [
        (dt.date(2022, 6, 22), (dt.date(2022, 6, 9),), False, "Bootle"),
        (dt.date(2022, 12, 8), (), True, None),
    ]
    assert read.meetings(SST).body.meetings == 1


def test_items_resolved_to_remain_on_the_agenda_are_standing_items(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    standing = read.meetings(SST).standing_items
    vru = [s for s in standing if s.basis == "resolved to remain on the agenda"]
    # Seed 000: "this item remain on the Agenda"; seed 002: "Prevent became a standing item".
    assert [(s.minute, s.since) for s in vru] == [
        ("31", dt.date(2019, 12, 5)),
        ("19", dt.date(2022, 9, 8)),
    ]
    assert "Violence Reduction Unit" in vru[0].title and "Prevent" in vru[1].title
    recurring = {s.title.casefold() for s in standing if s.basis == "on every agenda"}
    assert {"apologies for absence", "declarations of interest"} <= recurring


def test_attendance_register_counts_each_person_across_meetings(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    app.register_body(c.RegisterBody(name=SST))
    dates = [dt.date(2022, 3, 17), dt.date(2022, 6, 22), dt.date(2022, 9, 8)]
    attendance = [
        Attendance(
            present=("Cllr Hardy", "Andrea Watts"), chair="Cllr Hardy", apologies=("Ros Stanley",)
        ),
        Attendance(present=("Cllr Hardy",), apologies=("Andrea Watts",), absent=("Ros Stanley",)),
        Attendance(present=("Andrea Watts", "Ros Stanley"), also_present=("Cllr Hardy",)),
    ]
    for date, present in zip(dates, attendance, strict=True):
        app.schedule_meeting(c.ScheduleMeeting(body=SST, date=date))
        app.record_attendance(c.RecordAttendance(body=SST, date=date, attendance=present))
    caught_up(app, views)
    register = {r.person: r for r in read.attendance_register(SST)}
    assert list(register) == ["Andrea Watts", "Cllr Hardy", "Ros Stanley"]
    watts, hardy, stanley = register.values()
    assert (watts.present, watts.apologies, watts.absent) == (2, 1, 0)
    assert (hardy.present, hardy.also_present) == (2, 1)
    assert (stanley.present, stanley.apologies, stanley.absent) == (1, 1, 1)
    assert [e.attended for e in stanley.meetings] == ["apologies", "absent", "present"]


def test_bodies_are_listed_with_their_meetings(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    bodies = read.bodies()
    assert [b.name for b in bodies] == sorted((b.name for b in bodies), key=str.casefold)
    assert len(bodies) == 3
    sst = next(b for b in bodies if b.name == SST)
    assert (sst.meetings, sst.last_meeting) == (3, dt.date(2022, 9, 8))
