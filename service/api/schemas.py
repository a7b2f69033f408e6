"""Request and response bodies of the API: strict structs (unknown fields are refused).

Requests omit what the path gives (body, meeting date, item number, action id);
controllers build the application's commands from path + body.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal, TypeVar

import msgspec

from domain.amendments import Amendment
from domain.values import Attendance, Declaration, Reference, Signature, Vote


class Strict(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


S = TypeVar("S", bound=msgspec.Struct)


def as_plain(value: msgspec.Struct, cls: type[S]) -> S:
    """A strict request struct as the domain's own value type (same fields)."""
    return msgspec.convert(msgspec.to_builtins(value), cls)


# Bodies ----------------------------------------------------------------------------


class RegisterBodyRequest(Strict, frozen=True, kw_only=True):
    name: str
    organisation: str | None = None
    year_start_month: int = 5
    year_start_day: int = 1


class RenameBodyRequest(Strict, frozen=True, kw_only=True):
    name: str


class AppointMemberRequest(Strict, frozen=True, kw_only=True):
    member: str
    role: str | None = None


class BodyView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    slug: str
    organisation: str | None
    version: int
    former_names: tuple[str, ...]
    members: dict[str, str | None]
    year_start_month: int
    year_start_day: int


# Meetings --------------------------------------------------------------------------


class ScheduleMeetingRequest(Strict, frozen=True, kw_only=True):
    date: dt.date
    time: str | None = None
    venue: str | None = None
    remote: bool = False


class RescheduleMeetingRequest(Strict, frozen=True, kw_only=True):
    new_date: dt.date
    time: str | None = None
    venue: str | None = None


class AttendanceRequest(Strict, frozen=True, kw_only=True):
    present: tuple[str, ...] = ()
    chair: str | None = None
    also_present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()

    def value(self) -> Attendance:
        return as_plain(self, Attendance)


class DeclarationRequest(Strict, frozen=True, kw_only=True):
    member: str
    item: str | None = None
    kind: Literal["disclosable pecuniary", "other registrable", "non-registrable", "other"] = (
        "other"
    )
    detail: str | None = None
    dispensation: bool = False
    left_room: bool = False

    def value(self) -> Declaration:
        return as_plain(self, Declaration)


class ReferenceRequest(Strict, frozen=True, kw_only=True):
    minute: str
    meeting_date: dt.date | None = None


def references(refs: tuple[ReferenceRequest, ...] | None) -> tuple[Reference, ...] | None:
    return None if refs is None else tuple(as_plain(r, Reference) for r in refs)


class MinuteItemRequest(Strict, frozen=True, kw_only=True):
    #: Omit to continue from the body's last number in the municipal year.
    number: str | None = None
    title: str
    paragraphs: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    references: tuple[ReferenceRequest, ...] = ()
    exempt: bool = False
    exempt_reason: str | None = None


class ReviseItemRequest(Strict, frozen=True, kw_only=True):
    """Only the fields given change."""

    title: str | None = None
    paragraphs: tuple[str, ...] | None = None
    resolutions: tuple[str, ...] | None = None
    references: tuple[ReferenceRequest, ...] | None = None
    exempt: bool | None = None
    exempt_reason: str | None = None


class VoteDetails(Strict, frozen=True, kw_only=True):
    part: int | None = None
    motion: Literal["resolution", "amendment"] = "resolution"
    text: str | None = None
    outcome: Literal["carried", "lost"] = "carried"
    unanimous: bool = False
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    recorded_for: tuple[str, ...] = ()
    recorded_against: tuple[str, ...] = ()
    recorded_abstaining: tuple[str, ...] = ()
    moved_by: str | None = None
    seconded_by: str | None = None


class VoteRequest(Strict, frozen=True, kw_only=True):
    minute: str
    vote: VoteDetails

    def value(self) -> Vote:
        return as_plain(self.vote, Vote)


class NoteRequest(Strict, frozen=True, kw_only=True):
    minute: str
    note: str


class ConfirmRequest(Strict, frozen=True, kw_only=True):
    """Item ``minute`` of the meeting on ``at_date`` confirms these minutes.

    Give ``amendments`` structured, or the resolution's ``wording`` (read by the
    parser of ``parse-amendment``; the amendments it found are returned).
    """

    at_date: dt.date
    minute: str
    amendments: tuple[Amendment, ...] = ()
    wording: str | None = None


class SignRequest(Strict, frozen=True, kw_only=True):
    signed_by: str
    signed_on: dt.date
    dissent: str | None = None

    def value(self) -> Signature:
        return as_plain(self, Signature)


class CallInRequest(Strict, frozen=True, kw_only=True):
    subject_to_call_in: bool
    status: str | None = None


class NextMeetingRequest(Strict, frozen=True, kw_only=True):
    when: str
    venue: str | None = None


class MinutesDiff(msgspec.Struct, frozen=True, kw_only=True):
    from_version: int
    to_version: int
    diff: str


# Actions ---------------------------------------------------------------------------


class RaiseActionRequest(Strict, frozen=True, kw_only=True):
    body: str
    date: dt.date
    minute: str
    part: int
    description: str
    owners: tuple[str, ...] = ()
    due_date: dt.date | None = None
    due_meeting_date: dt.date | None = None
    due_text: str | None = None


class UpdateActionRequest(Strict, frozen=True, kw_only=True):
    note: str
    status: Literal["open", "in progress"] | None = None
    at_meeting_date: dt.date | None = None


class ReassignActionRequest(Strict, frozen=True, kw_only=True):
    owners: tuple[str, ...]


class ChangeDueRequest(Strict, frozen=True, kw_only=True):
    due_date: dt.date | None = None
    due_meeting_date: dt.date | None = None
    due_text: str | None = None


class CompleteActionRequest(Strict, frozen=True, kw_only=True):
    note: str | None = None


class ReasonRequest(Strict, frozen=True, kw_only=True):
    reason: str


# Writes ----------------------------------------------------------------------------


class WriteResult(msgspec.Struct, frozen=True, kw_only=True):
    """What every write returns: the record changed, its new version, the log position."""

    id: uuid.UUID
    version: int
    position: int | None
    etag: str
    #: For confirmations: the amendments applied (as parsed from the wording, if given).
    amendments: tuple[Amendment, ...] | None = None
    #: With ``?wait=true``: whether the projections included the position in time.
    projected: bool | None = None


# Lists and the event feed ------------------------------------------------------------


class FeedEvent(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    record_id: uuid.UUID
    version: int
    event: str
    recorded_at: dt.datetime | None
    actor: dict[str, Any] | None
    reason: str | None = None
    request_id: str | None = None
    source: str | None = None
    data: dict[str, Any]


class EventPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[FeedEvent]
    #: Pass as ``after`` to continue; equals the last item's position (or ``after`` if none).
    next: int
    #: The position of the last event in the log when this page was read.
    head: int


class Status(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    status: Literal["ok", "unavailable"]
    detail: str | None = None
