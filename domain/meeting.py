"""A meeting of a body and its minutes: draft → circulated → confirmed (→ signed)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import msgspec

from domain.amend import apply_amendments
from domain.amendments import Amendment
from domain.base import RecordAggregate
from domain.errors import (
    AlreadyConfirmedError,
    ConfirmationOrderError,
    InvalidValueError,
    MeetingCancelledError,
    MinutesConfirmedError,
    RecordConflictError,
    UnknownRecordError,
)
from domain.values import (
    ApprovalOfMinutes,
    Attendance,
    Confirmation,
    Declaration,
    MinuteItem,
    MinutesStatus,
    Signature,
    Vote,
)

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_time(time: str | None) -> None:
    if time is not None and not _TIME.match(time):
        raise InvalidValueError(f'time "{time}" is not HH:MM on the 24-hour clock')


class Meeting(RecordAggregate):
    class Scheduled(RecordAggregate.Created):
        body_id: uuid.UUID
        date: dt.date
        time: str | None
        venue: str | None
        remote: bool

    def __init__(
        self, body_id: uuid.UUID, date: dt.date, time: str | None, venue: str | None, remote: bool
    ) -> None:
        self.body_id = body_id
        self.date = date
        self.time = time
        self.venue = venue
        self.remote = remote
        self.cancelled = False
        self.former_dates: list[dt.date] = []
        self.minutes_status: MinutesStatus = "draft"
        self.attendance = Attendance()
        self.declarations: list[Declaration] = []
        self.items: dict[str, MinuteItem] = {}
        self.votes: dict[str, list[Vote]] = {}
        self.approvals: dict[str, ApprovalOfMinutes] = {}
        self.call_in: bool | None = None
        self.call_in_status: str | None = None
        self.next_meeting: str | None = None
        self.confirmation: Confirmation | None = None
        self.signature: Signature | None = None

    @classmethod
    def schedule(
        cls,
        meeting_id: uuid.UUID,
        body_id: uuid.UUID,
        date: dt.date,
        time: str | None = None,
        venue: str | None = None,
        remote: bool = False,
    ) -> Meeting:
        check_time(time)
        meeting: Meeting = cls._create(
            cls.Scheduled,
            id=meeting_id,
            body_id=body_id,
            date=date,
            time=time,
            venue=venue,
            remote=remote,
        )
        return meeting

    # Named checks -----------------------------------------------------------------

    def check_not_cancelled(self) -> None:
        if self.cancelled:
            raise MeetingCancelledError(f"the meeting of {self.date} was cancelled")

    def check_minutes_editable(self) -> None:
        """Items can be minuted and revised only while the minutes are draft or circulated."""
        self.check_not_cancelled()
        if self.minutes_status in ("confirmed", "signed"):
            where = ""
            if self.confirmation:
                where = (
                    f" at the meeting of {self.confirmation.meeting_date}, "
                    f"minute {self.confirmation.minute}"
                )
            raise MinutesConfirmedError(
                f"the minutes of {self.date} were confirmed as a correct record{where}; "
                "they can no longer be changed directly — record a correction as a "
                "resolution of a later meeting"
            )

    def check_has_item(self, number: str) -> MinuteItem:
        item = self.items.get(number)
        if item is None:
            raise UnknownRecordError(f"the minutes of {self.date} have no item {number}")
        return item

    # Scheduling -------------------------------------------------------------------

    class Rescheduled(RecordAggregate.Event):
        date: dt.date
        time: str | None
        venue: str | None
        old_date: dt.date

        def apply(self, meeting: Meeting) -> None:
            meeting.former_dates.append(self.old_date)
            meeting.date, meeting.time = self.date, self.time
            if self.venue is not None:
                meeting.venue = self.venue

    def reschedule(self, date: dt.date, time: str | None = None, venue: str | None = None) -> None:
        self.check_not_cancelled()
        check_time(time)
        if self.items or self.minutes_status != "draft":
            raise RecordConflictError(
                f"the meeting of {self.date} already has minutes; it cannot be moved"
            )
        self.trigger_event(self.Rescheduled, date=date, time=time, venue=venue, old_date=self.date)

    class Cancelled(RecordAggregate.Event):
        def apply(self, meeting: Meeting) -> None:
            meeting.cancelled = True

    def cancel(self) -> None:
        self.check_not_cancelled()
        if self.items:
            raise RecordConflictError(
                f"the meeting of {self.date} has minuted items; it took place and cannot be "
                "cancelled"
            )
        self.trigger_event(self.Cancelled)

    # Attendance and declarations ----------------------------------------------------

    class AttendanceRecorded(RecordAggregate.Event):
        attendance: Attendance

        def apply(self, meeting: Meeting) -> None:
            meeting.attendance = self.attendance

    def record_attendance(self, attendance: Attendance) -> None:
        self.check_minutes_editable()
        if attendance.chair and attendance.chair not in attendance.present:
            attendance = msgspec.structs.replace(
                attendance, present=(attendance.chair, *attendance.present)
            )
        self.trigger_event(self.AttendanceRecorded, attendance=attendance)

    class InterestDeclared(RecordAggregate.Event):
        declaration: Declaration

        def apply(self, meeting: Meeting) -> None:
            meeting.declarations.append(self.declaration)

    def declare_interest(self, declaration: Declaration) -> None:
        self.check_minutes_editable()
        if declaration.item is not None:
            self.check_has_item(declaration.item)
        self.trigger_event(self.InterestDeclared, declaration=declaration)

    # Items ------------------------------------------------------------------------

    class ItemMinuted(RecordAggregate.Event):
        item: MinuteItem

        def apply(self, meeting: Meeting) -> None:
            meeting.items[self.item.number] = self.item

    def minute_item(self, item: MinuteItem) -> None:
        """Record an item; its number must already be allocated in the body's year."""
        self.check_minutes_editable()
        if not item.title.strip():
            raise InvalidValueError(f"item {item.number} needs a title")
        if item.exempt and not item.exempt_reason:
            raise InvalidValueError(
                f"exempt item {item.number} needs the reason for exemption "
                "(e.g. 'paragraph 3 of Part 1 of Schedule 12A')"
            )
        if item.number in self.items:
            raise RecordConflictError(
                f"the minutes of {self.date} already have item {item.number}; revise it instead"
            )
        self.trigger_event(self.ItemMinuted, item=item)

    class ItemRevised(RecordAggregate.Event):
        item: MinuteItem

        def apply(self, meeting: Meeting) -> None:
            meeting.items[self.item.number] = self.item

    def revise_item(self, item: MinuteItem) -> None:
        self.check_minutes_editable()
        current = self.check_has_item(item.number)
        if current == item:
            raise RecordConflictError(f"item {item.number} already reads exactly so")
        self.trigger_event(self.ItemRevised, item=item)

    class VoteRecorded(RecordAggregate.Event):
        minute: str
        vote: Vote

        def apply(self, meeting: Meeting) -> None:
            meeting.votes.setdefault(self.minute, []).append(self.vote)

    def record_vote(self, minute: str, vote: Vote) -> None:
        self.check_minutes_editable()
        item = self.check_has_item(minute)
        if vote.part is not None and not 1 <= vote.part <= len(item.resolutions):
            raise InvalidValueError(
                f"item {minute} has {len(item.resolutions)} resolution part(s); "
                f"there is no part {vote.part}"
            )
        self.trigger_event(self.VoteRecorded, minute=minute, vote=vote)

    class CallInStatusSet(RecordAggregate.Event):
        subject_to_call_in: bool
        status: str | None

        def apply(self, meeting: Meeting) -> None:
            meeting.call_in, meeting.call_in_status = self.subject_to_call_in, self.status

    def set_call_in(self, subject_to_call_in: bool, status: str | None = None) -> None:
        self.check_not_cancelled()
        self.trigger_event(
            self.CallInStatusSet, subject_to_call_in=subject_to_call_in, status=status
        )

    class NextMeetingFixed(RecordAggregate.Event):
        when: str
        venue: str | None

        def apply(self, meeting: Meeting) -> None:
            meeting.next_meeting = self.when

    def fix_next_meeting(self, when: str, venue: str | None = None) -> None:
        self.check_minutes_editable()
        self.trigger_event(self.NextMeetingFixed, when=when, venue=venue)

    # The minutes' lifecycle ---------------------------------------------------------

    class MinutesCirculated(RecordAggregate.Event):
        def apply(self, meeting: Meeting) -> None:
            meeting.minutes_status = "circulated"

    def circulate(self) -> None:
        self.check_minutes_editable()
        if self.minutes_status == "circulated":
            raise RecordConflictError(f"the minutes of {self.date} are already circulated")
        if not self.items:
            raise RecordConflictError(f"the minutes of {self.date} have no items to circulate")
        self.trigger_event(self.MinutesCirculated)

    class MinutesApprovalRecorded(RecordAggregate.Event):
        minute: str
        approval: ApprovalOfMinutes

        def apply(self, meeting: Meeting) -> None:
            meeting.approvals[self.minute] = self.approval

    def record_approval(self, minute: str, approval: ApprovalOfMinutes) -> None:
        """This meeting's item ``minute`` approved the minutes of an earlier meeting."""
        self.check_minutes_editable()
        self.check_has_item(minute)
        if approval.minutes_of >= self.date:
            raise ConfirmationOrderError(
                f"the meeting of {self.date} cannot approve the minutes of {approval.minutes_of}: "
                "minutes are confirmed at a later meeting"
            )
        self.trigger_event(self.MinutesApprovalRecorded, minute=minute, approval=approval)

    class MinutesConfirmed(RecordAggregate.Event):
        confirmation: Confirmation
        #: The items and attendance as the amendments left them (the exact text confirmed).
        amended_items: tuple[MinuteItem, ...]
        attendance: Attendance

        def apply(self, meeting: Meeting) -> None:
            meeting.confirmation = self.confirmation
            meeting.minutes_status = "confirmed"
            for item in self.amended_items:
                meeting.items[item.number] = item
            meeting.attendance = self.attendance

    def confirm(self, by: Meeting, minute: str, amendments: tuple[Amendment, ...] = ()) -> None:
        """Confirmed as a correct record by item ``minute`` of the later meeting ``by``."""
        self.check_confirmable_by(by, minute)
        items, attendance = apply_amendments(
            tuple(self.items.values()), self.attendance, amendments
        )
        changed = tuple(i for i in items if self.items.get(i.number) != i)
        confirmation = Confirmation(
            meeting_id=by.id, meeting_date=by.date, minute=minute, amendments=amendments
        )
        self.trigger_event(
            self.MinutesConfirmed,
            confirmation=confirmation,
            amended_items=changed,
            attendance=attendance,
        )

    def check_confirmable_by(self, by: Meeting, minute: str) -> None:
        """Confirmation is made by an item of a later meeting of the same body, once."""
        self.check_not_cancelled()
        if self.confirmation is not None:
            raise AlreadyConfirmedError(
                f"the minutes of {self.date} were already confirmed at the meeting of "
                f"{self.confirmation.meeting_date}, minute {self.confirmation.minute}"
            )
        if by.body_id != self.body_id:
            raise ConfirmationOrderError(
                "minutes are confirmed by a meeting of the same body; "
                f"the meeting of {by.date} belongs to another body"
            )
        if by.date <= self.date:
            raise ConfirmationOrderError(
                f"the minutes of {self.date} can only be confirmed at a later meeting, "
                f"not at the meeting of {by.date}"
            )
        by.check_has_item(minute)
        if not self.items:
            raise RecordConflictError(f"the minutes of {self.date} have no items to confirm")

    class MinutesSigned(RecordAggregate.Event):
        signature: Signature

        def apply(self, meeting: Meeting) -> None:
            meeting.signature = self.signature
            meeting.minutes_status = "signed"

    def sign(self, signature: Signature) -> None:
        if self.minutes_status != "confirmed":
            raise RecordConflictError(
                f"the minutes of {self.date} are {self.minutes_status}: only confirmed minutes "
                "are signed"
            )
        self.trigger_event(self.MinutesSigned, signature=signature)

    class NoteAdded(RecordAggregate.Event):
        minute: str
        note: str

        def apply(self, meeting: Meeting) -> None:
            item = meeting.items[self.minute]
            meeting.items[self.minute] = msgspec.structs.replace(
                item, notes=(*item.notes, self.note)
            )

    def add_note(self, minute: str, note: str) -> None:
        """A clarifying note, allowed after confirmation; the confirmed text is unchanged."""
        self.check_has_item(minute)
        if not note.strip():
            raise InvalidValueError("a note needs some text")
        self.trigger_event(self.NoteAdded, minute=minute, note=note)


class MeetingSlot(RecordAggregate):
    """Index from (body, date) to the meeting held that day: one meeting a day per body."""

    class Claimed(RecordAggregate.Created):
        meeting_id: uuid.UUID

    def __init__(self, meeting_id: uuid.UUID) -> None:
        self.meeting_id: uuid.UUID | None = meeting_id

    class Released(RecordAggregate.Event):
        def apply(self, slot: MeetingSlot) -> None:
            slot.meeting_id = None

    def release(self) -> None:
        self.trigger_event(self.Released)

    class Reclaimed(RecordAggregate.Event):
        meeting_id: uuid.UUID

        def apply(self, slot: MeetingSlot) -> None:
            slot.meeting_id = self.meeting_id

    def reclaim(self, meeting_id: uuid.UUID) -> None:
        if self.meeting_id is not None:
            raise RecordConflictError("a meeting of this body is already scheduled on that date")
        self.trigger_event(self.Reclaimed, meeting_id=meeting_id)
