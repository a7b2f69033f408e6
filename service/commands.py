"""Commands the application accepts: msgspec structs, shared by the CLI, the API and import."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

from domain.amendments import Amendment
from domain.values import Attendance, Declaration, Reference, Signature, Vote


class Command(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class MeetingCommand(Command, frozen=True, kw_only=True):
    body: str  # name or slug
    date: dt.date
    #: The version of the meeting record the clerk last saw (If-Match); None skips the check.
    expected_version: int | None = None


class RegisterBody(Command, frozen=True, kw_only=True):
    name: str
    organisation: str | None = None
    year_start_month: int = 5
    year_start_day: int = 1


class RenameBody(Command, frozen=True, kw_only=True):
    body: str
    name: str


class AppointMember(Command, frozen=True, kw_only=True):
    body: str
    member: str
    role: str | None = None


class MemberLeaves(Command, frozen=True, kw_only=True):
    body: str
    member: str


class ScheduleMeeting(MeetingCommand, frozen=True, kw_only=True):
    time: str | None = None
    venue: str | None = None
    remote: bool = False


class RescheduleMeeting(MeetingCommand, frozen=True, kw_only=True):
    new_date: dt.date
    time: str | None = None
    venue: str | None = None


class CancelMeeting(MeetingCommand, frozen=True, kw_only=True):
    pass


class RecordAttendance(MeetingCommand, frozen=True, kw_only=True):
    attendance: Attendance


class DeclareInterest(MeetingCommand, frozen=True, kw_only=True):
    declaration: Declaration


class MinuteItem(MeetingCommand, frozen=True, kw_only=True):
    number: str | None = None  # None: continue from the body's last number this year
    title: str
    paragraphs: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    exempt: bool = False
    exempt_reason: str | None = None


class ReviseItem(MeetingCommand, frozen=True, kw_only=True):
    number: str
    title: str | None = None
    paragraphs: tuple[str, ...] | None = None
    resolutions: tuple[str, ...] | None = None
    references: tuple[Reference, ...] | None = None
    exempt: bool | None = None
    exempt_reason: str | None = None


class RecordVote(MeetingCommand, frozen=True, kw_only=True):
    minute: str
    vote: Vote


class CirculateMinutes(MeetingCommand, frozen=True, kw_only=True):
    pass


class ConfirmMinutes(MeetingCommand, frozen=True, kw_only=True):
    """Item ``minute`` of the meeting on ``at_date`` confirms the minutes of ``date``.

    Give the amendments structured, or give the resolution's ``wording`` and let
    the parser of ``parse-amendment`` read them (the parsed structure is returned).
    """

    at_date: dt.date
    minute: str
    amendments: tuple[Amendment, ...] = ()
    wording: str | None = None


class SignMinutes(MeetingCommand, frozen=True, kw_only=True):
    signature: Signature


class SetCallIn(MeetingCommand, frozen=True, kw_only=True):
    subject_to_call_in: bool
    status: str | None = None


class FixNextMeeting(MeetingCommand, frozen=True, kw_only=True):
    when: str
    venue: str | None = None


class AddNote(MeetingCommand, frozen=True, kw_only=True):
    minute: str
    note: str


class RaiseAction(Command, frozen=True, kw_only=True):
    body: str
    date: dt.date
    minute: str
    part: int
    description: str
    owners: tuple[str, ...] = ()
    due_date: dt.date | None = None
    due_meeting_date: dt.date | None = None
    due_text: str | None = None


class ActionCommand(Command, frozen=True, kw_only=True):
    action_id: uuid.UUID
    expected_version: int | None = None


class UpdateAction(ActionCommand, frozen=True, kw_only=True):
    note: str
    status: Literal["open", "in progress"] | None = None
    at_meeting_date: dt.date | None = None


class ReassignAction(ActionCommand, frozen=True, kw_only=True):
    owners: tuple[str, ...]


class ChangeActionDue(ActionCommand, frozen=True, kw_only=True):
    due_date: dt.date | None = None
    due_meeting_date: dt.date | None = None
    due_text: str | None = None


class CompleteAction(ActionCommand, frozen=True, kw_only=True):
    note: str | None = None


class WithdrawAction(ActionCommand, frozen=True, kw_only=True):
    reason: str


class ReopenAction(ActionCommand, frozen=True, kw_only=True):
    reason: str


class CommandResult(msgspec.Struct, frozen=True, kw_only=True):
    """What a write returns: the record changed, its new version, the log position."""

    id: uuid.UUID
    version: int
    position: int | None
    #: For confirmations given as wording: the amendments the parser read.
    amendments: tuple[Amendment, ...] | None = None
