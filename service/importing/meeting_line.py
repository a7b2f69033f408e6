"""The line that says which body met, where and when.

* Venue: "MEETING HELD AT THE COMMITTEE ROOM, TOWN HALL, BOOTLE ON THURSDAY …"
  → "The Committee Room, Town Hall, Bootle"; "… held on 14 July 2020 at 7.00 pm
  at the Civic Centre" → "The Civic Centre"; a remote meeting (remote, virtual,
  online, Teams, Zoom …, with no physical place) → "Remote meeting held on
  Microsoft Teams" / "… on Zoom" / "Remote meeting".
* Body: "Minutes of the meeting of the Cabinet held on …" → "Cabinet";
  "MINUTES OF THE AUDIT PANEL" → "Audit Panel"; "… of the Full Brandon Town Council"
  → "Brandon Town Council" ("Full Council" stays); "At a MEETING of the X held …"
  and "A MEETING OF X was held on …" → "X";
  "Meeting of Cabinet, Tuesday 14 July 2020" → "Cabinet"; ModernGov's page
  heading "Cabinet - Tuesday, 14th July, 2020 7.00 pm" → "Cabinet".
"""

from __future__ import annotations

import re

from service.importing.casing import title_case
from service.importing.dates import DATE, MONTH, TIME, WEEKDAY, iter_dates

_DAY = (
    rf"(?:{WEEKDAY}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    r"|\d{1,2}\.\d{1,2}\.\d{2}(?:\d{2})?\b)"
)
_HELD_AT = re.compile(
    rf"\bheld\s+(?:at|in)\s+(?P<v>.+?)\s*,?\s+(?:on\s+)?(?:the\s+)?{_DAY}", re.IGNORECASE
)
_LEADING_TIME = re.compile(
    r"^\s*,?\s*(?:(?:at|commencing\s+at|starting\s+at|from)\s+)?TIME\b", re.IGNORECASE
)
_AT_PLACE = re.compile(
    r"^\s*,?\s*(?:at|in)\s+(?P<v>[^.;]+?)\s*(?:[.;]|$|,?\s+(?:commencing|starting|at\s+TIME)\b)",
    re.IGNORECASE,
)
_REMOTE = re.compile(
    r"\b(?:remote(?:ly)?|virtual(?:ly)?|online|micro\w*|teams|zoom|skype|webex)\b", re.I
)
_MINUTES_OF = re.compile(
    r"^(?:draft\s+)?minutes?\s+of\s+(?:(?:the|a|an)\s+(?:[\w&'’-]+\s+){0,6})?meeting\s+of\s+(?:the\s+)?"
    r"(?P<b>.+?)\s*(?:,|\bheld\b|\bon\b|\bat\b|$)",
    re.IGNORECASE,
)
_AT_A_MEETING = re.compile(
    r"^(?:at\s+)?an?\s+(?:\w+\s+)?meeting\s+of\s+(?:the\s+)?(?P<b>.+?)\s+(?:was\s+)?held\b",
    re.IGNORECASE,
)
_MINUTES_OF_BODY = re.compile(
    r"^(?:draft\s+|confirmed\s+)?minutes\s+of\s+(?:the\s+)?(?P<b>.+?)\s*"
    r"(?:\bmeeting\b|,|\bheld\b|\bon\b|\bat\b|$"
    # "Minutes of Parish Council 22 November 2023": the date ends the body.
    r"|(?<=\s)(?=\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4}\b))",
    re.IGNORECASE,
)
_MEETING_OF = re.compile(rf"^(?:meeting|minutes)\s+of\s+(?:the\s+)?(?P<b>[^,]+?),\s*{_DAY}", re.I)
_DASH_DATE = re.compile(
    rf"^(?:(?:(?:agenda\s+and\s+)?minutes|agenda)\s*[-–—]\s*)?(?P<b>.+?)\s+[-–—]\s+{_DAY}", re.I
)
HELD = re.compile(r"\b(?:held|meeting)\b", re.IGNORECASE)


def _tidy_venue(venue: str) -> str | None:
    venue = re.sub(r"\s*\.?\s*View directions.*$", "", venue, flags=re.IGNORECASE).strip(" ,.")
    if not venue or _REMOTE.search(venue) or TIME.fullmatch(venue):  # "held at 7.00pm on …"
        return None
    venue = title_case(venue)
    return venue[0].upper() + venue[1:]


def remote_venue(line: str) -> str | None:
    low = line.lower()
    if not _REMOTE.search(line):
        return None
    if "zoom" in low:
        return "Remote meeting held on Zoom"
    if re.search(r"\bmicro\w*|\bteams\b", low):
        return "Remote meeting held on Microsoft Teams"
    return "Remote meeting"


_COMMA_PLACE = re.compile(r"^\s*[,–-]\s*(?P<v>[A-Z][^.;]+?)\s*\.?$")


def place_after_date(line: str) -> str | None:
    """The place after the date (and time) on a dated line that is not a meeting line:
    "Monday, 18 September 2023 at 10.30 am in Washington Hall, …" → "Washington Hall, …";
    "Thursday 7 March 2024, 10:00, Boardroom, …" → "Boardroom, …"."""
    for date_match, _ in iter_dates(line):
        after = _LEADING_TIME.sub("", TIME.sub("TIME", line[date_match.end() :], count=1))
        m = _AT_PLACE.match(after) or _COMMA_PLACE.match(after)
        if m and not DATE.search(m.group("v")) and "TIME" not in m.group("v"):
            return _tidy_venue(m.group("v"))
        break
    return None


def venue_of(line: str) -> str | None:
    """The venue the meeting line states, or the remote-meeting wording."""
    m = _HELD_AT.search(line)
    if m:
        venue = _tidy_venue(m.group("v"))
        if venue:
            return venue
    for date_match, _ in iter_dates(line):
        after = _LEADING_TIME.sub("", TIME.sub("TIME", line[date_match.end() :], count=1))
        m = _AT_PLACE.match(after)
        if m and not DATE.search(m.group("v")):
            venue = _tidy_venue(m.group("v"))
            if venue:
                return venue
        break
    return remote_venue(line) if HELD.search(line) else None


def body_of(lines: list[str]) -> str | None:
    """The body a "Minutes of the meeting of …", "Meeting of X, date", "X - date" or
    "Minutes of the X" line names.

    Each pattern is tried on every line before the next pattern.
    """
    for pattern in (_MINUTES_OF, _AT_A_MEETING, _MEETING_OF, _DASH_DATE, _MINUTES_OF_BODY):
        for line in lines:
            m = pattern.match(line)
            body = m.group("b").strip(" ,.-–") if m else ""
            body = re.sub(r"^full\s+(?=.+\bcouncil$)", "", body, flags=re.IGNORECASE)
            if body and not re.search(r"\bmeeting\b|^agenda\b", body, re.IGNORECASE):
                return title_case(body)
    return None
