"""Labelled fields at the head of minutes: "PRESENT:", "Apologies:", "Venue:" …

A label starts a line and ends in ``:`` (or a spaced dash).  "Venue:", "Date:",
"Time:", "Contact:" and "Location:" are also found later in a line ("Venue:
Council Chamber. Contact: …").  Name lists (present, also present, apologies)
run on over the following lines up to the next label or a line of prose: two
or more lower-case words outside parentheses ("Councillor Jeal attended as a
substitute …").  Lines that are neither labelled nor part of a list are the
preamble.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.importing.name_words import PARTICLES

_LABEL = re.compile(
    r"^(?P<label>members\s+present|present|attendees|also\s+present|also\s+in\s+attendance"
    r"|in\s+attendance|officers(?:\s+(?:present|in\s+attendance))?|apologies(?:\s+for\s+absence)?"
    r"|apologies\s+received|absent|chair(?:man|person)?|venue|location|place|date|time"
    r"|committee|body|contact|clerk|minute\s+taker)\s*(?::|\s[-–]\s)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_INLINE = re.compile(r"\s+(?=(?:Venue|Contact|Date|Time|Location|Place)\s*:)")
_GROUPS = {
    "present": "present", "members present": "present", "attendees": "present",
    "also present": "also", "also in attendance": "also", "in attendance": "also",
    "officers": "also", "officers present": "also", "officers in attendance": "also",
    "apologies": "apologies", "apologies for absence": "apologies",
    "apologies received": "apologies", "chair": "chair", "chairman": "chair",
    "chairperson": "chair", "venue": "venue", "location": "venue", "place": "venue",
    "date": "date", "time": "time", "committee": "body", "body": "body",
}  # fmt: skip
_LISTS = ("present", "also", "apologies")


def _sentence(line: str) -> bool:
    """A line of prose, not of names: two or more lower-case words outside parentheses."""
    words = re.sub(r"\([^()]*\)", " ", line).split()
    lower = [w for w in words if w[0].islower() and w not in ("and", "&") and w not in PARTICLES]
    return len(lower) >= 2


def read_fields(lines: Sequence[str]) -> tuple[dict[str, list[str]], list[str]]:
    """``({group: values}, preamble)``; groups: present, also, apologies, chair, venue,
    date, time, body, other."""
    fields: dict[str, list[str]] = {}
    preamble: list[str] = []
    group: str | None = None
    for raw in lines:
        for line in _INLINE.split(raw) if raw else [raw]:
            m = _LABEL.match(line)
            if m:
                group = _GROUPS.get(" ".join(m.group("label").lower().split()), "other")
                fields.setdefault(group, []).append(m.group("rest"))
            elif group in _LISTS and not _sentence(line):
                fields[group].append(line)
            elif line:
                group = None
                preamble.append(line)
    return fields, preamble
