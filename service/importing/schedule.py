"""When the body meets next: "DATE OF NEXT MEETING" and similar items.

The item whose title is about the next or future meetings (or a programme of
meetings) is read, resolutions first, then paragraphs: of the dates it gives,
the first after the meeting's own date (all of them when that is unknown) is
the next meeting, with the first time written between it and the next date
("Thursday 9 June 2022 commencing at 10.00am" → "2022-06-09T10:00").  A date
without a year is the first such day after the meeting.  Next, a short
paragraph that is such a heading inside another item gives the paragraph after
it.  Last, a sentence "… next meeting … on DATE" anywhere is used.  No time → "YYYY-MM-DD".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from service.importing.dates import first_time, iter_dates
from service.importing.document import ParsedItem

_TITLE = re.compile(
    r"\b(?:next|future)\s+meetings?\b|\bdates?\s+(?:and\s+times?\s+)?of\s+(?:future\s+|next\s+)?"
    r"meetings?\b|\b(?:programme|schedule|calendar)\s+of\s+meetings\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(
    r"\bnext\s+meeting\b[^.]{0,80}?\b(?:on|:)\s+(?:[^.]|\.(?=\d)|(?<=\b[ap])\.(?=m\b))*",
    re.IGNORECASE,
)


def pick(text: str, after: dt.date | None) -> str | None:
    """The first date after ``after`` in ``text``, with its time if one is written."""
    found = list(iter_dates(text, after))
    for k, (m, date) in enumerate(found):
        if after is not None and date <= after:
            continue
        end = found[k + 1][0].start() if k + 1 < len(found) else len(text)
        time = first_time(text[m.end() : end])
        return f"{date.isoformat()}T{time}" if time else date.isoformat()
    return None


def next_meeting(items: Sequence[ParsedItem], meeting_date: dt.date | None) -> str | None:
    for item in items:
        if _TITLE.search(item.title):
            found = pick(" ".join([*item.resolutions, *item.paragraphs]), meeting_date)
            if found:
                return found
    for item in items:  # a heading "Date of Next Meeting" inside an item: the paragraph after it
        for heading, text in zip(item.paragraphs, item.paragraphs[1:], strict=False):
            if _TITLE.search(heading) and len(heading.split()) <= 6:
                found = pick(text, meeting_date)
                if found:
                    return found
    for item in items:
        for text in [*item.resolutions, *item.paragraphs]:
            for m in _SENTENCE.finditer(text):
                found = pick(m.group(), meeting_date)
                if found:
                    return found
    return None
