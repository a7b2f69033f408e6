"""Labelled fields at the head of minutes: "PRESENT:", "Apologies:", "Venue:" …

A label starts a line and ends in ``:`` (or a spaced dash).  "Venue:", "Date:",
"Time:", "Contact:" and "Location:" are also found later in a line ("Venue:
Council Chamber. Contact: …").  Name lists (present, also present, apologies)
run on over the following lines up to the next label or a line of prose: two
or more lower-case words outside parentheses ("Councillor Jeal attended as a
substitute …").  Lines that are neither labelled nor part of a list are the
preamble.  "Clerk:" and "Minute taker:" name people in attendance.  Also read:
"Present were Mr D Bishop (Chairman), …", "Present:-", "Present; Cllrs …";
a line "One member of the public" in a list is passed over; a line ending in a
colon that says "in attendance" ("Non-members in attendance
at request of Chief Officer:-"); in a table of names and roles, a role line
of prose between two lone names does not end the list;
a label standing alone whose value is on the next line ("Place:" / "Civic
Suite, …") for the one-value labels (venue, date, time, body, chair); and, when
no line is labelled as attendance, an unlabelled line starting "Councillors" or
"Cllrs" that is a list of names, which is read as the present list up to the next
blank line; lines "C Pinnells, Acting Town Clerk" after it are officers in
attendance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.importing.name_words import PARTICLES

_LABEL = re.compile(
    r"^(?P<label>members\s+present|present|attendees|those\s+(?:attending|present)"
    r"|councillors\s+present|also\s+present|also\s+in\s+attendance"
    r"|in\s+attendance|officers(?:\s+(?:present|in\s+attendance))?|apologies(?:\s+for\s+absence)?"
    r"|apologies\s+received|absent|chair(?:man|person)?|venue|location|place|date|time"
    r"|committee|body|contact|clerk|minute\s+taker)\s*(?::-?|(?<=present);|\s[-–]\s)\s*(?P<rest>.*)$"
    r"|^(?P<label2>present|also\s+present|in\s+attendance)\s+(?:were|was)\s*:?\s+(?P<rest2>\S.*)$"
    r"|^(?P<label3>[\w\s-]{0,40}\bin\s+attendance\b[^:]{0,60}):-?\s*$",
    re.IGNORECASE,
)
#: An unlabelled list of councillors at the head of the minutes: "Cllrs B Austin, D Bretherton …".
_COUNCILLORS = re.compile(r"^(?:Councillors|Cllrs\.?|COUNCILLORS|CLLRS)\s+[A-Z]")
#: "One member of the public", "5 members of the public and the press" in a list of names.
_PUBLIC = re.compile(r"^[\w\s]{0,20}\bmembers?\s+of\s+(?:the\s+)?(?:public|press)\b[^.]*\.?$", re.I)
_SINGLE = ("venue", "date", "time", "body", "chair")
#: "C Pinnells, Acting Town Clerk" under an unlabelled list of councillors: an officer.
_OFFICER = re.compile(
    r"^(?P<name>(?:[A-Z]\.?\s?){1,3}\s?[A-Z][\w'’-]+|[A-Z][a-z]+\s+[A-Z][\w'’-]+),\s+"
    r"(?P<role>[A-Z][^,]*\b(?:Clerk|Officer|Manager|Director|Secretary|Executive|Treasurer"
    r"|Administrator|Assistant|Adviser|Advisor|Solicitor|Accountant|RFO)\b[^,]*)$"
)
_INLINE = re.compile(r"\s+(?=(?:Venue|Contact|Date|Time|Location|Place)\s*:)")
_GROUPS = {
    "present": "present", "members present": "present", "attendees": "present",
    "those attending": "present", "those present": "present", "councillors present": "present",
    "also present": "also", "also in attendance": "also", "in attendance": "also",
    "officers": "also", "officers present": "also", "officers in attendance": "also",
    "apologies": "apologies", "apologies for absence": "apologies",
    "apologies received": "apologies", "chair": "chair", "chairman": "chair",
    "chairperson": "chair", "venue": "venue", "location": "venue", "place": "venue",
    "date": "date", "time": "time", "committee": "body", "body": "body",
    "clerk": "also", "minute taker": "also",
}  # fmt: skip
_LISTS = ("present", "also", "apologies")


def _sentence(line: str) -> bool:
    """A line of prose, not of names: two or more lower-case words outside parentheses."""
    words = re.sub(r"\([^()]*\)", " ", line).split()
    lower = [w for w in words if w[0].islower() and w not in ("and", "&") and w not in PARTICLES]
    return len(lower) >= 2


def _lone_name(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 4 and not re.search(r"[,;:&]|\band\b", line) and not _sentence(line)


def _role_between_names(listed: list[str], following: Sequence[str]) -> bool:
    """A line of prose in a table of names and roles: a lone name before and after it."""
    before = next((line for line in reversed(listed) if line.strip()), "")
    after = next((line for line in following if line.strip()), "")
    return _lone_name(before) and _lone_name(after) and not _LABEL.match(after)


def read_fields(lines: Sequence[str]) -> tuple[dict[str, list[str]], list[str]]:
    """``({group: values}, preamble)``; groups: present, also, apologies, chair, venue,
    date, time, body, other."""
    fields: dict[str, list[str]] = {}
    preamble: list[str] = []
    group: str | None = None
    implicit = False  # an unlabelled "Councillors …" list: it ends at a blank line
    labelled = any(_LABEL.match(line) for line in lines)
    for k, raw in enumerate(lines):
        for line in _INLINE.split(raw) if raw else [raw]:
            m = _LABEL.match(line)
            if m:
                label = m.group("label") or m.group("label2") or "in attendance"
                group = _GROUPS.get(" ".join(label.lower().split()), "other")
                rest = m.group("rest") if m.group("label") else m.group("rest2") or ""
                fields.setdefault(group, []).append(rest)
                implicit = False
            elif group in _SINGLE and line and not "".join(fields[group]).strip():
                fields[group].append(line)
            elif implicit and not line:
                group, implicit = None, False
            elif implicit:  # one list: "Cllrs" carries over its line breaks
                fields["present"][-1] += " " + line
            elif "present" in fields and not labelled and (officer := _OFFICER.match(line)):
                fields.setdefault("also", []).append(officer.group("name") + ",")
            elif group in _LISTS and (not _sentence(line) or _PUBLIC.search(line)):
                if not _PUBLIC.search(line):
                    fields[group].append(line)
            elif group in _LISTS and _role_between_names(fields[group], lines[k + 1 :]):
                continue  # "Martyn SLOAN" / "Person providing unpaid care …" / "Emma FLETCHER"
            elif (
                _COUNCILLORS.match(line) and not _sentence(line)
                and "present" not in fields and not labelled
            ):  # fmt: skip
                group, implicit = "present", True
                fields["present"] = [line]
            elif line:
                group = None
                preamble.append(line)
    return fields, preamble
