"""Commands on meetings and their minutes."""

from __future__ import annotations

import uuid

import msgspec

from domain import ids
from domain.approval_wording import parse_approval
from domain.errors import InvalidValueError, RecordConflictError
from domain.meeting import Meeting, MeetingSlot
from domain.values import ApprovalOfMinutes, MinuteItem
from service import commands as c
from service.app.core import RecordApplication, command
from service.commands import CommandResult


class MeetingCommands(RecordApplication):
    def _meeting_for(self, cmd: c.MeetingCommand) -> Meeting:
        meeting = self.find_meeting(self.find_body(cmd.body), cmd.date)
        self.check_expected_version(meeting, cmd.expected_version)
        return meeting

    def _save_meeting(self, meeting: Meeting) -> CommandResult:
        return self.result(meeting, self.save_all(meeting))

    @command
    def schedule_meeting(self, cmd: c.ScheduleMeeting) -> CommandResult:
        body = self.find_body(cmd.body)
        slot_id = ids.meeting_slot_id(body.id, cmd.date)
        seq = 1
        while self.exists(ids.meeting_id(body.id, cmd.date, seq)):
            seq += 1
        meeting = Meeting.schedule(
            ids.meeting_id(body.id, cmd.date, seq),
            body.id,
            cmd.date,
            cmd.time,
            cmd.venue,
            cmd.remote,
        )
        slot = self._claim_slot(
            slot_id, meeting, f"{body.name} already has a meeting on {cmd.date}"
        )
        return self.result(meeting, self.save_all(meeting, slot))

    def _claim_slot(self, slot_id: uuid.UUID, meeting: Meeting, taken: str) -> MeetingSlot:
        if self.exists(slot_id):
            slot = self.get_as(MeetingSlot, slot_id)
            if slot.meeting_id is not None:
                raise RecordConflictError(taken)
            slot.reclaim(meeting.id)
            return slot
        created: MeetingSlot = MeetingSlot._create(
            MeetingSlot.Claimed, id=slot_id, meeting_id=meeting.id
        )
        return created

    @command
    def reschedule_meeting(self, cmd: c.RescheduleMeeting) -> CommandResult:
        meeting = self._meeting_for(cmd)
        old_slot = self.get_as(MeetingSlot, ids.meeting_slot_id(meeting.body_id, meeting.date))
        meeting.reschedule(cmd.new_date, cmd.time, cmd.venue)
        new_slot = self._claim_slot(
            ids.meeting_slot_id(meeting.body_id, cmd.new_date),
            meeting,
            f"there is already a meeting on {cmd.new_date}",
        )
        old_slot.release()
        return self.result(meeting, self.save_all(meeting, old_slot, new_slot))

    @command
    def cancel_meeting(self, cmd: c.CancelMeeting) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.cancel()
        return self._save_meeting(meeting)

    @command
    def record_attendance(self, cmd: c.RecordAttendance) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.record_attendance(cmd.attendance)
        return self._save_meeting(meeting)

    @command
    def declare_interest(self, cmd: c.DeclareInterest) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.declare_interest(cmd.declaration)
        return self._save_meeting(meeting)

    @command
    def minute_item(self, cmd: c.MinuteItem) -> CommandResult:
        """Minute an item; its number is allocated in the body's municipal year atomically."""
        body = self.find_body(cmd.body)
        meeting = self.find_meeting(body, cmd.date)
        if cmd.expected_version is not None:
            self.check_expected_version(meeting, cmd.expected_version)
        number = (cmd.number or "").strip() or body.next_number(meeting.date)
        body.allocate_numbers(meeting.date, (number,), meeting.id)
        meeting.minute_item(
            MinuteItem(
                number=number,
                title=cmd.title,
                paragraphs=cmd.paragraphs,
                resolutions=cmd.resolutions,
                references=cmd.references,
                exempt=cmd.exempt,
                exempt_reason=cmd.exempt_reason,
            )
        )
        return self.result(meeting, self.save_all(meeting, body))

    @command
    def revise_item(self, cmd: c.ReviseItem) -> CommandResult:
        meeting = self._meeting_for(cmd)
        current = meeting.check_has_item(cmd.number)
        changes = {
            k: v
            for k, v in msgspec.structs.asdict(cmd).items()
            if k in ("title", "paragraphs", "resolutions", "references", "exempt", "exempt_reason")
            and v is not None
        }
        meeting.revise_item(msgspec.structs.replace(current, **changes))
        return self._save_meeting(meeting)

    @command
    def record_vote(self, cmd: c.RecordVote) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.record_vote(cmd.minute, cmd.vote)
        return self._save_meeting(meeting)

    @command
    def circulate_minutes(self, cmd: c.CirculateMinutes) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.circulate()
        return self._save_meeting(meeting)

    @command
    def confirm_minutes(self, cmd: c.ConfirmMinutes) -> CommandResult:
        """Both meetings change in one transaction: the approval and the confirmation."""
        body = self.find_body(cmd.body)
        earlier = self.find_meeting(body, cmd.date)
        self.check_expected_version(earlier, cmd.expected_version)
        later = self.find_meeting(body, cmd.at_date)
        amendments = cmd.amendments
        if cmd.wording is not None:
            if cmd.amendments:
                raise InvalidValueError(
                    "give either structured amendments or the wording, not both"
                )
            approval = parse_approval(cmd.wording)
            if approval.minutes_of is not None and approval.minutes_of != earlier.date:
                raise InvalidValueError(
                    f"the wording approves the minutes of {approval.minutes_of}, "
                    f"not those of {earlier.date}"
                )
            amendments = approval.amendments
        earlier.confirm(later, cmd.minute, amendments)
        later.record_approval(
            cmd.minute,
            ApprovalOfMinutes(
                minutes_of=earlier.date, meeting_id=earlier.id, amendments=amendments
            ),
        )
        position = self.save_all(earlier, later)
        return self.result(earlier, position, amendments=amendments)

    @command
    def sign_minutes(self, cmd: c.SignMinutes) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.sign(cmd.signature)
        return self._save_meeting(meeting)

    @command
    def set_call_in(self, cmd: c.SetCallIn) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.set_call_in(cmd.subject_to_call_in, cmd.status)
        return self._save_meeting(meeting)

    @command
    def fix_next_meeting(self, cmd: c.FixNextMeeting) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.fix_next_meeting(cmd.when, cmd.venue)
        return self._save_meeting(meeting)

    @command
    def add_note(self, cmd: c.AddNote) -> CommandResult:
        meeting = self._meeting_for(cmd)
        meeting.add_note(cmd.minute, cmd.note)
        return self._save_meeting(meeting)
