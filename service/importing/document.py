"""What the minutes parser reads out of one document: the dry-run JSON of CONTRACT.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from domain.amendments import Amendment


class Reference(msgspec.Struct, frozen=True, kw_only=True):
    """A reference to an earlier minute: "Further to Minute No. 36 of 17 March 2022"."""

    minute: str
    meeting_date: dt.date | None = None


class ParsedItem(msgspec.Struct, frozen=True, kw_only=True):
    number: str | None
    title: str
    paragraphs: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    #: "RESOLVED (Unanimously)" was written.
    unanimous: bool = False
    #: Considered after the press and public were excluded (Part II).
    exempt: bool = False
    exempt_reason: str | None = None


class ParsedMinutes(msgspec.Struct, frozen=True, kw_only=True):
    file: str
    body: str | None
    meeting_date: dt.date | None
    venue: str | None = None
    chair: str | None = None
    present: tuple[str, ...] = ()
    also_present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    call_in: bool | None = None
    items: tuple[ParsedItem, ...] = ()
    approves_minutes_of: dt.date | None = None
    #: Number of the item that approved the earlier minutes, when there is one.
    approval_item: str | None = None
    amendments: tuple[Amendment, ...] = ()
    #: "YYYY-MM-DDTHH:MM", or "YYYY-MM-DD" when no time is stated.
    next_meeting: str | None = None
    #: "HH:MM" when the document states the meeting's start time.
    meeting_time: str | None = None

    def contract_dict(self) -> dict[str, Any]:
        """The dry-run JSON object of CONTRACT.md, exactly."""
        return {
            "file": self.file,
            "body": self.body,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "venue": self.venue,
            "chair": self.chair,
            "present": list(self.present),
            "also_present": list(self.also_present),
            "apologies": list(self.apologies),
            "call_in": self.call_in,
            "items": [
                {
                    "number": i.number,
                    "title": i.title,
                    "paragraphs": list(i.paragraphs),
                    "resolutions": list(i.resolutions),
                    "references": [
                        {
                            "minute": r.minute,
                            "meeting_date": r.meeting_date.isoformat() if r.meeting_date else None,
                        }
                        for r in i.references
                    ],
                }
                for i in self.items
            ],
            "approves_minutes_of": self.approves_minutes_of.isoformat()
            if self.approves_minutes_of
            else None,
            "amendments": [a.contract_dict() for a in self.amendments],
            "next_meeting": self.next_meeting,
        }
