"""Request and response bodies of the API: strict structs (unknown fields are refused).

Requests omit what the path gives (body, meeting date, item number, action id);
controllers build the application's commands from path + body.

Every text and list in a request has a limit (the constants below, also in the
OpenAPI schema), well above what real minutes need: a request over one is
refused with 422 naming the field and the limit, before anything runs.  The
request body as a whole is limited too (``max_body_bytes``, 413).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta

from domain.amendments import Amendment
from domain.values import Attendance, Declaration, Reference, Signature, Vote

#: Limits of request fields (characters, or entries of a list).
MAX_NAME = 300  # names of bodies, people, venues, roles; times and statuses
MAX_NUMBER = 50  # minute numbers such as "12(b)" or "39/20"
MAX_TITLE = 1_000  # item titles
MAX_TEXT = 20_000  # a paragraph, resolution part, note, reason, wording or description
MAX_PARAGRAPHS = 500  # paragraphs of one item
MAX_PARTS = 200  # resolution parts of one item; references; amendments
MAX_PEOPLE = 500  # names in one attendance or vote list; owners of an action

Name = Annotated[str, Meta(max_length=MAX_NAME)]
Number = Annotated[str, Meta(max_length=MAX_NUMBER)]
Title = Annotated[str, Meta(max_length=MAX_TITLE)]
Text = Annotated[str, Meta(max_length=MAX_TEXT)]
Names = Annotated[tuple[Name, ...], Meta(max_length=MAX_PEOPLE)]
Paragraphs = Annotated[tuple[Text, ...], Meta(max_length=MAX_PARAGRAPHS)]
Parts = Annotated[tuple[Text, ...], Meta(max_length=MAX_PARTS)]
PartNumber = Annotated[int, Meta(ge=1, le=MAX_PARTS)]
Votes = Annotated[int, Meta(ge=0, le=1_000_000)]


class Strict(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


S = TypeVar("S", bound=msgspec.Struct)


def as_plain(value: msgspec.Struct, cls: type[S]) -> S:
    """A strict request struct as the domain's own value type (same fields)."""
    return msgspec.convert(msgspec.to_builtins(value), cls)


# Bodies ----------------------------------------------------------------------------


class RegisterBodyRequest(Strict, frozen=True, kw_only=True):
    name: Name
    organisation: Name | None = None
    year_start_month: Annotated[int, Meta(ge=1, le=12)] = 5
    year_start_day: Annotated[int, Meta(ge=1, le=31)] = 1


class RenameBodyRequest(Strict, frozen=True, kw_only=True):
    name: Name


class AppointMemberRequest(Strict, frozen=True, kw_only=True):
    member: Name
    role: Name | None = None


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
    time: Name | None = None
    venue: Name | None = None
    remote: bool = False


class RescheduleMeetingRequest(Strict, frozen=True, kw_only=True):
    new_date: dt.date
    time: Name | None = None
    venue: Name | None = None


class AttendanceRequest(Strict, frozen=True, kw_only=True):
    present: Names = ()
    chair: Name | None = None
    also_present: Names = ()
    apologies: Names = ()
    absent: Names = ()

    def value(self) -> Attendance:
        return as_plain(self, Attendance)


class DeclarationRequest(Strict, frozen=True, kw_only=True):
    member: Name
    item: Number | None = None
    kind: Literal["disclosable pecuniary", "other registrable", "non-registrable", "other"] = (
        "other"
    )
    detail: Text | None = None
    dispensation: bool = False
    left_room: bool = False

    def value(self) -> Declaration:
        return as_plain(self, Declaration)


class ReferenceRequest(Strict, frozen=True, kw_only=True):
    minute: Number
    meeting_date: dt.date | None = None


def references(refs: tuple[ReferenceRequest, ...] | None) -> tuple[Reference, ...] | None:
    return None if refs is None else tuple(as_plain(r, Reference) for r in refs)


class MinuteItemRequest(Strict, frozen=True, kw_only=True):
    #: Omit to continue from the body's last number in the municipal year.
    number: Number | None = None
    title: Title
    paragraphs: Paragraphs = ()
    resolutions: Parts = ()
    references: Annotated[tuple[ReferenceRequest, ...], Meta(max_length=MAX_PARTS)] = ()
    exempt: bool = False
    exempt_reason: Text | None = None


class ReviseItemRequest(Strict, frozen=True, kw_only=True):
    """Only the fields given change."""

    title: Title | None = None
    paragraphs: Paragraphs | None = None
    resolutions: Parts | None = None
    references: Annotated[tuple[ReferenceRequest, ...], Meta(max_length=MAX_PARTS)] | None = None
    exempt: bool | None = None
    exempt_reason: Text | None = None


class VoteDetails(Strict, frozen=True, kw_only=True):
    part: PartNumber | None = None
    motion: Literal["resolution", "amendment"] = "resolution"
    text: Text | None = None
    outcome: Literal["carried", "lost"] = "carried"
    unanimous: bool = False
    votes_for: Votes | None = None
    votes_against: Votes | None = None
    abstentions: Votes | None = None
    recorded_for: Names = ()
    recorded_against: Names = ()
    recorded_abstaining: Names = ()
    moved_by: Name | None = None
    seconded_by: Name | None = None


class VoteRequest(Strict, frozen=True, kw_only=True):
    minute: Number
    vote: VoteDetails

    def value(self) -> Vote:
        return as_plain(self.vote, Vote)


class NoteRequest(Strict, frozen=True, kw_only=True):
    minute: Number
    note: Text


class ConfirmRequest(Strict, frozen=True, kw_only=True):
    """Item ``minute`` of the meeting on ``at_date`` confirms these minutes.

    Give ``amendments`` structured, or the resolution's ``wording`` (read by the
    parser of ``parse-amendment``; the amendments it found are returned).
    """

    at_date: dt.date
    minute: Number
    amendments: Annotated[tuple[Amendment, ...], Meta(max_length=MAX_PARTS)] = ()
    wording: Text | None = None


class SignRequest(Strict, frozen=True, kw_only=True):
    signed_by: Name
    signed_on: dt.date
    dissent: Text | None = None

    def value(self) -> Signature:
        return as_plain(self, Signature)


class CallInRequest(Strict, frozen=True, kw_only=True):
    subject_to_call_in: bool
    status: Name | None = None


class NextMeetingRequest(Strict, frozen=True, kw_only=True):
    when: Name
    venue: Name | None = None


class MinutesDiff(msgspec.Struct, frozen=True, kw_only=True):
    from_version: int
    to_version: int
    diff: str


# Actions ---------------------------------------------------------------------------


class RaiseActionRequest(Strict, frozen=True, kw_only=True):
    body: Name
    date: dt.date
    minute: Number
    part: PartNumber
    description: Text
    owners: Names = ()
    due_date: dt.date | None = None
    due_meeting_date: dt.date | None = None
    due_text: Name | None = None


class UpdateActionRequest(Strict, frozen=True, kw_only=True):
    note: Text
    status: Literal["open", "in progress"] | None = None
    at_meeting_date: dt.date | None = None


class ReassignActionRequest(Strict, frozen=True, kw_only=True):
    owners: Names


class ChangeDueRequest(Strict, frozen=True, kw_only=True):
    due_date: dt.date | None = None
    due_meeting_date: dt.date | None = None
    due_text: Name | None = None


class CompleteActionRequest(Strict, frozen=True, kw_only=True):
    note: Text | None = None


class ReasonRequest(Strict, frozen=True, kw_only=True):
    reason: Text


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
