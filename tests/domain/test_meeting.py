"""The meeting and its minutes: lifecycle rules, each a named check with a clear error."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.amendments import Amendment
from domain.errors import (
    AlreadyConfirmedError,
    AmendmentError,
    ConfirmationOrderError,
    InvalidValueError,
    MeetingCancelledError,
    MinutesConfirmedError,
    RecordConflictError,
    UnknownRecordError,
)
from domain.meeting import Meeting
from domain.provenance import Actor, Provenance, bound_provenance
from domain.values import Attendance, MinuteItem, Signature, Vote

BODY = uuid.uuid4()
JUNE = dt.date(2022, 6, 22)
SEPT = dt.date(2022, 9, 8)


def meeting(date: dt.date = JUNE, body: uuid.UUID = BODY) -> Meeting:
    return Meeting.schedule(uuid.uuid4(), body, date, "10:00", None, remote=True)


def item(number: str = "6", text: str = "The report by SWACCA was noted.") -> MinuteItem:
    return MinuteItem(number=number, title="VAWG", paragraphs=(text,))


def with_item(date: dt.date = JUNE, number: str = "6") -> Meeting:
    m = meeting(date)
    m.minute_item(item(number))
    return m


def test_scheduled_meeting_starts_with_draft_minutes() -> None:
    m = meeting()
    assert (m.minutes_status, m.items, m.version) == ("draft", {}, 1)


def test_schedule_rejects_a_time_not_on_the_24_hour_clock() -> None:
    with pytest.raises(InvalidValueError, match="HH:MM"):
        Meeting.schedule(uuid.uuid4(), BODY, JUNE, "10.00am", None, False)


def test_items_are_minuted_while_draft_and_revised_while_circulated() -> None:
    m = with_item()
    m.circulate()
    m.revise_item(item(text="Revised."))
    assert m.items["6"].paragraphs == ("Revised.",)
    assert m.minutes_status == "circulated"


def test_the_same_number_twice_in_one_meeting_is_a_conflict() -> None:
    m = with_item()
    with pytest.raises(RecordConflictError, match="already have item 6"):
        m.minute_item(item())


def test_exempt_item_needs_its_reason() -> None:
    with pytest.raises(InvalidValueError, match="Schedule 12A"):
        meeting().minute_item(MinuteItem(number="9", title="Contract", exempt=True))


def test_revising_an_unknown_item_names_it() -> None:
    with pytest.raises(UnknownRecordError, match="no item 7"):
        with_item().revise_item(item("7"))


def test_circulating_empty_minutes_is_refused() -> None:
    with pytest.raises(RecordConflictError, match="no items"):
        meeting().circulate()


def confirmed_pair(
    amendments: tuple[Amendment, ...] = (),
) -> tuple[Meeting, Meeting]:
    earlier, later = with_item(JUNE, "6"), with_item(SEPT, "16")
    earlier.confirm(later, "16", amendments)
    return earlier, later


def test_confirmation_applies_the_swacca_amendment() -> None:
    earlier, _ = confirmed_pair((Amendment(op="delete", old="by SWACCA", minute="6", paragraph=1),))
    assert earlier.items["6"].paragraphs == ("The report was noted.",)
    assert earlier.minutes_status == "confirmed"
    assert earlier.confirmation is not None and earlier.confirmation.minute == "16"


def test_confirmed_minutes_reject_direct_edits() -> None:
    earlier, _ = confirmed_pair()
    for change in (
        lambda: earlier.revise_item(item(text="x")),
        lambda: earlier.minute_item(item("8")),
        lambda: earlier.record_attendance(Attendance(present=("A",))),
        lambda: earlier.circulate(),
    ):
        with pytest.raises(MinutesConfirmedError, match="confirmed as a correct record"):
            change()


def test_confirming_twice_is_an_error() -> None:
    earlier, later = confirmed_pair()
    with pytest.raises(AlreadyConfirmedError, match="already confirmed"):
        earlier.confirm(later, "16")


def test_confirmation_must_come_from_a_later_meeting() -> None:
    earlier, later = with_item(JUNE), with_item(SEPT, "16")
    with pytest.raises(ConfirmationOrderError, match="later meeting"):
        later.confirm(earlier, "6")


def test_confirmation_must_come_from_the_same_body() -> None:
    earlier = with_item(JUNE)
    other = Meeting.schedule(uuid.uuid4(), uuid.uuid4(), SEPT, None, None, False)
    other.minute_item(item("3"))
    with pytest.raises(ConfirmationOrderError, match="same body"):
        earlier.confirm(other, "3")


def test_confirmation_names_an_item_of_the_later_meeting() -> None:
    earlier, later = with_item(JUNE), with_item(SEPT, "16")
    with pytest.raises(UnknownRecordError, match="no item 17"):
        earlier.confirm(later, "17")


def test_an_amendment_that_misses_stores_nothing() -> None:
    earlier, later = with_item(JUNE), with_item(SEPT, "16")
    before = (earlier.version, dict(earlier.items), earlier.minutes_status)
    with pytest.raises(AmendmentError):
        earlier.confirm(later, "16", (Amendment(op="delete", old="by SWACA", minute="6"),))
    assert (earlier.version, earlier.items, earlier.minutes_status) == before
    assert len(earlier.collect_events()) == 2  # scheduled and item minuted only


def test_signing_needs_confirmed_minutes() -> None:
    with pytest.raises(RecordConflictError, match="only confirmed minutes"):
        with_item().sign(Signature(signed_by="Chair", signed_on=SEPT))
    earlier, _ = confirmed_pair()
    earlier.sign(Signature(signed_by="Councillor Hardy", signed_on=SEPT, dissent=None))
    assert earlier.minutes_status == "signed"


def test_a_note_may_be_added_after_confirmation_without_changing_the_text() -> None:
    earlier, _ = confirmed_pair()
    earlier.add_note("6", "Clarified at the meeting of 8 December 2022.")
    assert earlier.items["6"].paragraphs == ("The report by SWACCA was noted.",)
    assert earlier.items["6"].notes == ("Clarified at the meeting of 8 December 2022.",)


def test_chair_is_always_among_those_present() -> None:
    m = meeting()
    m.record_attendance(Attendance(present=("Jan Marlow",), chair="Councillor Hardy"))
    assert m.attendance.present == ("Councillor Hardy", "Jan Marlow")


def test_votes_name_an_existing_resolution_part() -> None:
    m = meeting()
    m.minute_item(MinuteItem(number="5", title="Budget", resolutions=("Agreed.",)))
    m.record_vote("5", Vote(part=1, unanimous=True))
    m.record_vote("5", Vote(motion="amendment", outcome="lost", votes_for=3, votes_against=7))
    assert [v.outcome for v in m.votes["5"]] == ["carried", "lost"]
    with pytest.raises(InvalidValueError, match="no part 2"):
        m.record_vote("5", Vote(part=2))


def test_cancelled_meeting_takes_no_minutes() -> None:
    m = meeting()
    m.cancel()
    with pytest.raises(MeetingCancelledError):
        m.minute_item(item())


def test_a_meeting_with_minutes_cannot_be_rescheduled_or_cancelled() -> None:
    m = with_item()
    with pytest.raises(RecordConflictError):
        m.reschedule(SEPT)
    with pytest.raises(RecordConflictError):
        m.cancel()


def test_rescheduling_keeps_the_former_date() -> None:
    m = meeting(dt.date(2022, 6, 9))
    m.reschedule(JUNE, "10:00")
    assert (m.date, m.former_dates) == (JUNE, [dt.date(2022, 6, 9)])


def test_every_event_carries_the_bound_provenance() -> None:
    clerk = Actor(id="u1", name="Ruth Clerk", role="clerk")
    with bound_provenance(Provenance(actor=clerk, reason="typo", request_id="r-1")):
        m = with_item()
    events = m.collect_events()
    assert {e.meta.actor for e in events} == {clerk}  # type: ignore[attr-defined]
    assert {e.meta.request_id for e in events} == {"r-1"}  # type: ignore[attr-defined]
