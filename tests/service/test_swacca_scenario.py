"""Seed 002's confirmation, end to end through the application, on both stores."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from domain.errors import MinutesConfirmedError
from service import commands as c
from service.app import Minutebook

BODY = "Safer Sefton Together"
JUNE, SEPT = dt.date(2022, 6, 22), dt.date(2022, 9, 8)
WORDING = (
    "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
    'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.'
)
PARAGRAPH = (
    "Further to Minute No. 36 of 17 March 2022, the Partnership considered the reports "
    "provided by SWACCA and other partners."
)


def record_june_and_september(app: Minutebook) -> None:
    app.register_body(c.RegisterBody(name=BODY))
    for date in (JUNE, SEPT):
        app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=date, time="10:00", remote=True))
    app.minute_item(
        c.MinuteItem(
            body=BODY,
            date=JUNE,
            number="6",
            title="Violence Against Women and Girls",
            paragraphs=(PARAGRAPH, "Partners would report back."),
            resolutions=("the reports be noted",),
        )
    )
    app.circulate_minutes(c.CirculateMinutes(body=BODY, date=JUNE))
    app.minute_item(
        c.MinuteItem(body=BODY, date=SEPT, number="16", title="Minutes of Previous Meeting")
    )


def test_confirmation_with_the_resolution_wording_removes_the_words(app: Minutebook) -> None:
    record_june_and_september(app)
    before = app.minutes(BODY, JUNE)
    time.sleep(0.01)
    cut = dt.datetime.now(dt.UTC)
    time.sleep(0.01)

    result = app.confirm_minutes(
        c.ConfirmMinutes(body=BODY, date=JUNE, at_date=SEPT, minute="16", wording=WORDING)
    )

    assert result.amendments is not None
    assert [(a.op, a.old, a.minute, a.paragraph) for a in result.amendments] == [
        ("delete", "by SWACCA", "6", 1)
    ]
    now = app.minutes(BODY, JUNE)
    assert now.status == "confirmed"
    assert now.items[0].paragraphs[0] == PARAGRAPH.replace(" by SWACCA", "")
    assert now.confirmed_at is not None
    assert (now.confirmed_at.meeting_date, now.confirmed_at.minute) == (SEPT, "16")
    # the earlier version is still readable, by version and by time
    assert app.minutes(BODY, JUNE, version=before.version).items[0].paragraphs[0] == PARAGRAPH
    assert app.minutes(BODY, JUNE, as_of=cut).items[0].paragraphs[0] == PARAGRAPH
    # the later meeting's item records what it approved
    later = app.minutes("safer-sefton-together", SEPT)
    assert later.items[0].approves_minutes_of == JUNE
    # and a later direct edit is rejected, storing nothing
    position = app.recorder.max_notification_id()
    with pytest.raises(MinutesConfirmedError):
        app.revise_item(c.ReviseItem(body=BODY, date=JUNE, number="6", title="Changed"))
    assert app.recorder.max_notification_id() == position


def test_confirmation_is_one_transaction_across_both_meetings(app: Minutebook) -> None:
    record_june_and_september(app)
    head = app.recorder.max_notification_id()
    result = app.confirm_minutes(
        c.ConfirmMinutes(body=BODY, date=JUNE, at_date=SEPT, minute="16", wording=WORDING)
    )
    assert result.position == head + 2  # earlier's MinutesConfirmed + later's approval
    topics = [n.topic for n in app.recorder.select_notifications(head + 1, 10)]
    assert topics == [
        "domain.meeting:Meeting.MinutesConfirmed",
        "domain.meeting:Meeting.MinutesApprovalRecorded",
    ]
