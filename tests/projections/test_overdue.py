"""When an action is overdue: due dates, due meetings held or passed, months, "next meeting"."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.action import Due, Origin
from projections.actions import ActionRecord, MeetingFacts
from projections.overdue import overdue_reason

BODY = uuid.uuid4()
RAISED_AT = dt.date(2022, 3, 17)


def meeting(date: dt.date, *, held: bool = True, cancelled: bool = False) -> MeetingFacts:
    return MeetingFacts(id=uuid.uuid4(), body_id=BODY, date=date, held=held, cancelled=cancelled)


def action(due: Due, status: str = "open") -> ActionRecord:
    origin = Origin(
        body_id=BODY, meeting_id=uuid.uuid4(), meeting_date=RAISED_AT, minute="36", part=4
    )
    return ActionRecord(
        id=uuid.uuid4(),
        origin=origin,
        description="a report",
        owners=(),
        due=due,
        status=status,  # type: ignore[arg-type]
    )


def test_a_due_date_before_today_is_overdue_and_today_is_not() -> None:
    due = Due(date=dt.date(2022, 9, 30))
    assert overdue_reason(action(due), [], dt.date(2022, 10, 1)) == "due by 2022-09-30"
    assert overdue_reason(action(due), [], dt.date(2022, 9, 30)) is None


@pytest.mark.parametrize("status", ["completed", "withdrawn"])
def test_closed_actions_are_never_overdue(status: str) -> None:
    due = Due(date=dt.date(2020, 1, 1))
    assert overdue_reason(action(due, status), [], dt.date(2022, 1, 1)) is None


def test_in_progress_actions_can_be_overdue() -> None:
    due = Due(date=dt.date(2020, 1, 1))
    assert overdue_reason(action(due, "in progress"), [], dt.date(2022, 1, 1)) is not None


def test_due_at_a_meeting_that_has_been_held() -> None:
    september = meeting(dt.date(2022, 9, 8))
    due = Due(meeting_id=september.id, meeting_date=september.date)
    # Held (it has minutes), even though the date is still ahead of "today".
    reason = overdue_reason(action(due), [september], dt.date(2022, 9, 1))
    assert reason == "due at the meeting of 2022-09-08, held on 2022-09-08"


def test_due_at_a_meeting_not_yet_held_is_overdue_only_once_its_date_has_passed() -> None:
    september = meeting(dt.date(2022, 9, 8), held=False)
    due = Due(meeting_id=september.id, meeting_date=september.date)
    assert overdue_reason(action(due), [september], dt.date(2022, 9, 8)) is None
    assert overdue_reason(action(due), [september], dt.date(2022, 9, 9)) == (
        "due at the meeting of 2022-09-08, which has passed"
    )


def test_a_later_meeting_held_makes_an_earlier_due_meeting_overdue() -> None:
    due_meeting = meeting(dt.date(2022, 9, 8), held=False, cancelled=True)
    later = meeting(dt.date(2022, 12, 8))
    due = Due(meeting_id=due_meeting.id, meeting_date=due_meeting.date)
    reason = overdue_reason(action(due), [due_meeting, later], dt.date(2022, 1, 1))
    assert reason == "due at the meeting of 2022-09-08, held on 2022-12-08"


def test_a_moved_due_meeting_counts_at_its_new_date() -> None:
    moved = meeting(dt.date(2022, 9, 15), held=False)
    due = Due(meeting_id=moved.id, meeting_date=dt.date(2022, 9, 8))
    assert overdue_reason(action(due), [moved], dt.date(2022, 9, 10)) is None
    assert overdue_reason(action(due), [moved], dt.date(2022, 9, 16)) is not None


def test_due_at_a_month_meeting() -> None:
    due = Due(text="2022-09")
    assert overdue_reason(action(due), [], dt.date(2022, 9, 30)) is None
    assert overdue_reason(action(due), [], dt.date(2022, 10, 1)) == (
        "due at the September 2022 meeting, and that month has passed"
    )
    held = meeting(dt.date(2022, 9, 8))
    assert overdue_reason(action(due), [held], dt.date(2022, 9, 9)) == (
        "due at the September 2022 meeting, held on 2022-09-08"
    )
    earlier = meeting(dt.date(2022, 6, 22))
    assert overdue_reason(action(due), [earlier], dt.date(2022, 9, 9)) is None


def test_due_at_the_next_meeting_once_one_is_held() -> None:
    due = Due(text="next meeting")
    assert overdue_reason(action(due), [meeting(RAISED_AT)], dt.date(2030, 1, 1)) is None
    unheld = meeting(dt.date(2022, 6, 22), held=False)
    assert overdue_reason(action(due), [unheld], dt.date(2030, 1, 1)) is None
    june = meeting(dt.date(2022, 6, 22))
    assert overdue_reason(action(due), [june], dt.date(2022, 6, 23)) == (
        "due at the next meeting, held on 2022-06-22"
    )


def test_future_meetings_and_no_due_never_overdue() -> None:
    later = meeting(dt.date(2023, 1, 1))
    assert overdue_reason(action(Due(text="future meetings")), [later], dt.date(2030, 1, 1)) is None
    assert overdue_reason(action(Due()), [later], dt.date(2030, 1, 1)) is None


def test_a_date_written_as_the_due_meeting_counts_as_a_meeting_date() -> None:
    due = Due(text="2022-12-08")
    assert overdue_reason(action(due), [], dt.date(2022, 12, 8)) is None
    assert overdue_reason(action(due), [], dt.date(2022, 12, 9)) is not None
