"""Application commands on both stores: natural keys, versions, conflicts, errors."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from domain.amendments import Amendment
from domain.errors import (
    AmendmentError,
    ItemNumberTakenError,
    RecordConflictError,
    UnknownRecordError,
)
from service import commands as c
from service.app import Minutebook
from service.errors import ConcurrentChangeError, StaleVersionError

BODY = "Sefton Safer Communities Partnership"
DEC = dt.date(2019, 12, 5)
MAR = dt.date(2020, 3, 12)


def setup_meeting(app: Minutebook, date: dt.date = DEC) -> None:
    try:
        app.find_body(BODY)
    except UnknownRecordError:
        app.register_body(c.RegisterBody(name=BODY))
    app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=date, venue="Town Hall, Bootle"))


def test_registering_a_body_twice_conflicts(app: Minutebook) -> None:
    app.register_body(c.RegisterBody(name=BODY))
    with pytest.raises(ConcurrentChangeError, match="already registered"):
        app.register_body(c.RegisterBody(name=BODY.upper()))


def test_scheduling_the_same_meeting_twice_conflicts(app: Minutebook) -> None:
    setup_meeting(app)
    with pytest.raises(RecordConflictError, match="already has a meeting on 2019-12-05"):
        app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=DEC))


def test_a_renamed_body_is_found_by_old_and_new_names(app: Minutebook) -> None:
    app.register_body(c.RegisterBody(name=BODY))
    app.rename_body(c.RenameBody(body=BODY, name="Safer Sefton Together"))
    assert app.find_body("safer-sefton-together").id == app.find_body(BODY).id
    assert app.find_body(BODY).former_names == [BODY]


def test_unknown_body_and_meeting_are_named(app: Minutebook) -> None:
    with pytest.raises(UnknownRecordError, match='no body called "Nobody"'):
        app.minutes("Nobody", DEC)
    setup_meeting(app)
    with pytest.raises(UnknownRecordError, match="no meeting on 2020-03-12"):
        app.minutes(BODY, MAR)


def test_item_numbers_continue_from_the_last_in_the_year(app: Minutebook) -> None:
    setup_meeting(app)
    setup_meeting(app, MAR)
    app.minute_item(c.MinuteItem(body=BODY, date=DEC, number="28", title="Apologies"))
    app.minute_item(c.MinuteItem(body=BODY, date=DEC, title="Declarations"))
    app.minute_item(c.MinuteItem(body=BODY, date=MAR, title="Minutes"))
    assert [i.number for i in app.minutes(BODY, MAR).items] == ["30"]
    with pytest.raises(ItemNumberTakenError):
        app.minute_item(c.MinuteItem(body=BODY, date=MAR, number="29", title="Again"))


def test_stale_expected_version_is_refused(app: Minutebook) -> None:
    setup_meeting(app)
    app.minute_item(c.MinuteItem(body=BODY, date=DEC, number="28", title="Apologies"))
    with pytest.raises(StaleVersionError, match="version 2, not 1"):
        app.revise_item(
            c.ReviseItem(body=BODY, date=DEC, number="28", title="New", expected_version=1)
        )


def test_rescheduled_meeting_is_found_on_its_new_date_only(app: Minutebook) -> None:
    setup_meeting(app, dt.date(2022, 6, 9))
    app.reschedule_meeting(
        c.RescheduleMeeting(body=BODY, date=dt.date(2022, 6, 9), new_date=dt.date(2022, 6, 22))
    )
    doc = app.minutes(BODY, dt.date(2022, 6, 22))
    assert doc.rescheduled_from == (dt.date(2022, 6, 9),)
    with pytest.raises(UnknownRecordError):
        app.minutes(BODY, dt.date(2022, 6, 9))
    # the freed date can take a new meeting
    app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=dt.date(2022, 6, 9)))


def test_a_failing_amendment_stores_nothing_on_either_meeting(app: Minutebook) -> None:
    setup_meeting(app)
    setup_meeting(app, MAR)
    app.minute_item(c.MinuteItem(body=BODY, date=DEC, number="31", title="VRU", paragraphs=("a",)))
    app.minute_item(c.MinuteItem(body=BODY, date=MAR, number="40", title="Minutes"))
    head = app.recorder.max_notification_id()
    with pytest.raises(AmendmentError, match="minute 31"):
        app.confirm_minutes(
            c.ConfirmMinutes(
                body=BODY,
                date=DEC,
                at_date=MAR,
                minute="40",
                amendments=(Amendment(op="delete", old="zzz", minute="31"),),
            )
        )
    assert app.recorder.max_notification_id() == head
    assert app.minutes(BODY, DEC).status == "draft"


def test_two_clerks_editing_the_same_draft_one_wins(app: Minutebook) -> None:
    setup_meeting(app)
    app.minute_item(c.MinuteItem(body=BODY, date=DEC, number="28", title="Apologies"))
    version = app.minutes(BODY, DEC).version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(title: str) -> None:
        barrier.wait()
        try:
            app.revise_item(
                c.ReviseItem(
                    body=BODY, date=DEC, number="28", title=title, expected_version=version
                )
            )
            outcomes.append("ok")
        except (StaleVersionError, ConcurrentChangeError):
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("One", "Two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    doc = app.minutes(BODY, DEC)
    assert doc.version == version + 1 and doc.items[0].title in ("One", "Two")


def test_actions_raised_from_a_resolution_part_and_closed(app: Minutebook) -> None:
    setup_meeting(app)
    setup_meeting(app, MAR)
    app.minute_item(
        c.MinuteItem(
            body=BODY,
            date=DEC,
            number="35",
            title="Operation Target",
            resolutions=("the update be noted", "Chris White forward details to CI Moscrop"),
        )
    )
    raised = app.raise_action(
        c.RaiseAction(
            body=BODY,
            date=DEC,
            minute="35",
            part=2,
            description="Forward details of community groups to CI Moscrop",
            owners=("Chris White",),
            due_meeting_date=MAR,
        )
    )
    with pytest.raises(ConcurrentChangeError, match="already raised"):
        app.raise_action(
            c.RaiseAction(body=BODY, date=DEC, minute="35", part=2, description="again")
        )
    app.update_action(c.UpdateAction(action_id=raised.id, note="Gathering", at_meeting_date=MAR))
    done = app.complete_action(
        c.CompleteAction(action_id=raised.id, note="Sent", expected_version=2)
    )
    assert done.version == 3
    with pytest.raises(RecordConflictError, match="reopened"):
        app.update_action(c.UpdateAction(action_id=raised.id, note="more"))
