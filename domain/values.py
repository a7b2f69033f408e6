"""Value objects of the record: minute items, attendance, votes, declarations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

from domain.amendments import Amendment

MinutesStatus = Literal["draft", "circulated", "confirmed", "signed"]


class Reference(msgspec.Struct, frozen=True, kw_only=True):
    """A reference to an earlier minute ("Further to Minute No. 36 of 17 March 2022")."""

    minute: str
    meeting_date: dt.date | None = None


class MinuteItem(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    title: str
    paragraphs: tuple[str, ...] = ()
    #: One string per resolved part: (1), (2) … or the single resolution sentence.
    resolutions: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    exempt: bool = False
    exempt_reason: str | None = None
    #: Notes added on confirmation or afterwards, without changing the text.
    notes: tuple[str, ...] = ()


class Attendance(msgspec.Struct, frozen=True, kw_only=True):
    present: tuple[str, ...] = ()
    chair: str | None = None
    also_present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


class Declaration(msgspec.Struct, frozen=True, kw_only=True):
    member: str
    item: str | None = None
    kind: Literal["disclosable pecuniary", "other registrable", "non-registrable", "other"] = (
        "other"
    )
    detail: str | None = None
    dispensation: bool = False
    left_room: bool = False


class Vote(msgspec.Struct, frozen=True, kw_only=True):
    """A vote on a resolution part, or on an amendment moved to it."""

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


class Confirmation(msgspec.Struct, frozen=True, kw_only=True):
    """Where and how minutes were confirmed as a correct record."""

    meeting_id: uuid.UUID
    meeting_date: dt.date
    minute: str
    amendments: tuple[Amendment, ...] = ()


class ApprovalOfMinutes(msgspec.Struct, frozen=True, kw_only=True):
    """Kept on the item of the later meeting that approved earlier minutes."""

    minutes_of: dt.date
    meeting_id: uuid.UUID | None = None
    amendments: tuple[Amendment, ...] = ()
    #: False when the earlier minutes are not in the store (e.g. imported history).
    applied: bool = True


class Signature(msgspec.Struct, frozen=True, kw_only=True):
    signed_by: str
    signed_on: dt.date
    dissent: str | None = None
