"""The part of the minutes before the first item: body, date, venue, attendance.

Labelled fields ("PRESENT:", "ALSO PRESENT:", "In attendance:", "Officers:",
"Apologies:", "Chair:", "Venue:", "Date:", "Time:", "Committee:") are read by
label (:mod:`.labels`).  The rest (the preamble) gives the body and the meeting line (see
:mod:`service.importing.meeting_line`).  The body is, in order: a
"Committee:"/"Body:" label; a "Minutes of the meeting of X" / "Meeting of X,
date" / "X - date" line; a line followed by a line that starts with a date;
the first line in capitals that is not a notice (the second, when the first names a
council and the second one of its committees, boards or panels), a meeting line, a line
naming a month and year ("October 2023 extraordinary minutes"), a reference
code ("MPC(21)M04") or a generic
heading ("MINUTES", "RECORD OF MEETING"); the first line that ends in a word
such as Council, Committee, Panel, Board, Authority ("Anytown Parish
Council"); for layouts that allow it, the first short plain line.  A preamble
line "Trudy MCLEAY, Vice Chairperson, in the Chair." names the chair when no
list does.  The meeting date is the
first date on the "Date:" label, else on a meeting line, else on any preamble
line that is not about publication or call-in; last, a date written "5.3.24"
on the "Date:" label or a meeting line.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence

import msgspec

from service.importing.call_in import CALL_IN
from service.importing.casing import is_capitals, title_case
from service.importing.dates import DATE, MONTH_YEAR, first_time, iter_dates, short_dotted
from service.importing.labels import read_fields
from service.importing.meeting_line import HELD, body_of, place_after_date, venue_of
from service.importing.names import read_names

_NOT_MEETING_DATE = re.compile(
    r"publi|call[\s-]*in|expir|issued|despatch|dispatch|printed|circulat|deadline", re.IGNORECASE
)
_GENERIC = re.compile(
    r"^(?:(?:draft|public|confirmed|unconfirmed|signed)\s+)?(?:minutes|record\s+of\s+(?:the\s+)?"
    r"meeting|agenda(?:,\s*decisions)?\s+and\s+minutes|part\s+[i1]+|official|confidential|"
    r"not\s+protectively\s+marked|items|no\.?\s+item|media|agenda\s+item)\.?$",
    re.IGNORECASE,
)


_COUNCIL = re.compile(r"\b(?:COUNCIL|AUTHORITY)$")
_GENERIC_COUNCIL = re.compile(
    r"^(?:the\s+)?(?:parish|town|city|county|district|borough|community)\s+council$", re.I
)


def _council_then_committee(lines: list[str]) -> bool:
    """A council's name, then one of its committees': the committee is the body."""
    return (
        len(lines) >= 2
        and bool(_COUNCIL.search(lines[0].upper()))
        and bool(_MEETING_BODY.search(lines[1].upper()))
    )


def _ends_with(line: str, generic: str) -> bool:
    """A longer line naming the council: "LITTLE MARSH PARISH COUNCIL" for "Parish Council"."""
    return len(line) > len(generic) and line.lower().endswith(" " + generic.lower())


#: A committee of the council named on the line above: the body whose minutes these are.
_MEETING_BODY = re.compile(
    r"\b(?:COMMITTEE|SUB-COMMITTEE|CABINET|PANEL|BOARD|PARTNERSHIP|FORUM|COMMISSION|GROUP)$"
)
_INSTITUTION = re.compile(
    r"^[A-Z][\w'’&,\- ]{0,80}\b(?:Council|Committee|Cabinet|Panel|Board|Authority|Partnership"
    r"|Forum|Commission|Trust|Executive|Assembly|Sub-Committee)$"
)


#: "Trudy MCLEAY, Vice Chairperson, in the Chair." on a line of its own.
_IN_THE_CHAIR = re.compile(
    r"^(?P<name>[^,]{3,60}?)(?:,\s*[^,]{1,40})?,?\s+(?:was\s+)?in\s+the\s+chair\.?$", re.I
)


class Header(msgspec.Struct, kw_only=True):
    body: str | None = None
    meeting_date: dt.date | None = None
    meeting_time: str | None = None
    venue: str | None = None
    chair: str | None = None
    present: list[str] = msgspec.field(default_factory=list)
    also_present: list[str] = msgspec.field(default_factory=list)
    apologies: list[str] = msgspec.field(default_factory=list)


def _meeting_lines(preamble: list[str]) -> list[str]:
    out = []
    for i, line in enumerate(preamble):
        if HELD.search(line) and not _NOT_MEETING_DATE.search(line):
            if not DATE.search(line) and i + 1 < len(preamble):
                line = f"{line} {preamble[i + 1]}"
            out.append(line)
    return out


def _date_and_time(
    fields: dict[str, list[str]], candidates: list[str], meeting: list[str]
) -> tuple[dt.date | None, str | None]:
    time = first_time(" ".join(fields.get("time", [])))
    lines = [*fields.get("date", []), *candidates]
    for line in lines:
        for m, found in iter_dates(line):
            return found, time or _time_of(found, m, line, lines)
    for line in [*fields.get("date", []), *meeting]:  # "… held on 5.3.24 at 7.00 pm"
        short = short_dotted(line)
        if short:
            return short[1], time or first_time(line[short[0].end() :])
    return None, time


def _time_of(date: dt.date, m: re.Match[str], line: str, lines: list[str]) -> str | None:
    """The time after the date on its line; else after the same date on another line
    ("… held via Zoom on Wednesday 5 May 2021 commencing at 19:00"); else before it
    ("Held at 7.00pm on Monday 1 September 2008")."""
    time = first_time(line[m.end() :])
    for other in lines:
        if time:
            break
        for n, found in iter_dates(other, date):  # "held on Monday 12th September at 7pm"
            if found == date and other is not line:
                time = first_time(other[n.end() :])
                break
    return time or first_time(line[: m.start()])


def iter_dates_any(line: str) -> bool:
    return any(True for _ in iter_dates(line))


def _could_name_body(line: str, meeting: list[str]) -> bool:
    return not (
        line in meeting or _GENERIC.match(line) or CALL_IN.search(line) or DATE.search(line)
        or HELD.search(line) or len(line) > 100 or MONTH_YEAR.search(line)
        or re.fullmatch(r"(?=.*\d)[A-Z0-9()/.\-]+", line)
    )  # fmt: skip


def _body(
    fields: dict[str, list[str]], preamble: list[str], meeting: list[str], loose: bool
) -> str | None:
    for value in fields.get("body", []):
        if value.strip():
            return title_case(value.strip())
    found = body_of(preamble)
    if found and _GENERIC_COUNCIL.match(found):  # "Minutes of the Parish Council Meeting …"
        named = [ln.strip(" .:") for ln in preamble if _ends_with(ln.strip(" .:"), found)]
        found = title_case(named[0]) if named else found  # "LITTLE MARSH PARISH COUNCIL"
    if found:
        return found
    for line, nxt in itertools.pairwise(preamble):  # "Cabinet" / "Tuesday, 14th …"
        if DATE.match(nxt) and _could_name_body(line, meeting):
            return title_case(re.sub(r"^the\s+(?=\S)", "", line.strip(" .:"), flags=re.I))
    usable = [line for line in preamble if _could_name_body(line, meeting)]
    capitals = [line.strip(" .:") for line in usable if is_capitals(line)]
    if _council_then_committee(capitals):
        return title_case(capitals[1])  # "BLACKSHIRE COUNTY COUNCIL" / "AUDIT COMMITTEE"
    if capitals:
        return title_case(capitals[0])
    named = [ln.strip(" :") for ln in usable if _INSTITUTION.search(ln) and not ln.endswith(".")]
    if _council_then_committee(named):
        return named[1]  # "Anytown Town Council" / "Planning Committee"
    if named:  # "Anytown Parish Council" above "Minutes of the meeting held on …"
        return named[0]
    if loose and usable and not usable[0].endswith("."):
        return title_case(usable[0].strip(" :"))
    return None


def read_header(lines: Sequence[str], *, loose_body: bool, has_body: bool = True) -> Header:
    fields, preamble = read_fields(lines)
    meeting = _meeting_lines(preamble)
    plain = [line for line in preamble if not _NOT_MEETING_DATE.search(line)]
    date, time = _date_and_time(fields, [*meeting, *plain], meeting)
    venue = next((v.strip(" .") for v in fields.get("venue", []) if v.strip(" .")), None)
    venue = re.sub(r"\s*\.?\s*View directions.*$", "", venue or "", flags=re.I) or None
    venue = venue or next((v for v in map(venue_of, meeting) if v), None)
    dated = [line for line in plain if line not in meeting and iter_dates_any(line)]
    venue = venue or next((v for v in map(place_after_date, dated[:1]) if v), None)
    present, chair = read_names("\n".join(fields.get("present", [])))
    labelled_chair = read_names(" ".join(fields.get("chair", [])))[0]
    chair = labelled_chair[0] if labelled_chair else chair
    for line in preamble if chair is None else []:
        in_chair = _IN_THE_CHAIR.match(line)
        named = read_names(in_chair.group("name"))[0] if in_chair else []
        if named:  # the list's spelling of the same name: "Trudy McLEAY"
            chair = next((p for p in present if p.lower() == named[0].lower()), named[0])
            break
    if chair:
        present = [chair, *(p for p in present if p != chair)]
    also, _ = read_names("\n".join(fields.get("also", [])))
    apologies, _ = read_names("\n".join(fields.get("apologies", [])))
    return Header(
        body=_body(fields, preamble, meeting, loose_body) if has_body else None,
        meeting_date=date,
        meeting_time=time,
        venue=venue,
        chair=chair,
        present=present,
        also_present=[a for a in also if a not in present],
        apologies=apologies,
    )
