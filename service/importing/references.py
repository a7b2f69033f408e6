"""References to earlier minutes: "Further to Minute No. 36 of 17 March 2022".

Each "Minute(s) No(s). N[, M and P]" (also "Minute 12", "Minute 39/20",
"Minute No. 12(b)") is a reference.  Its date is, in order: a date that follows
("of 22 June 2022", "of the meeting held on 9 September 2021", "of the
Cabinet's meeting on …"); for "(Minute No. 26 refers)", the date just before it
in the same sentence ("the previous meeting held on 9 December 2021"); else the
date of the minutes the item itself considers ("the Minutes of the meeting held
on 12 September, 2019"); else none.  Repeats are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from service.importing.dates import iter_dates
from service.importing.document import Reference
from service.importing.text import sentences

_ID = r"(?:[A-Z]{1,6}/)?\d{1,3}(?:/\d{2,4})?[a-z]?(?:\([a-z0-9]{1,4}\))?(?![\d/])"
_REF = re.compile(
    rf"\bminutes?\s+(?:nos?\.?|numbers?)?\s*(?P<ids>{_ID}(?:\s*(?:,|and|&)\s*{_ID})*)"
    r"(?P<refers>\s+refers?\b)?",
    re.IGNORECASE,
)
_FOLLOWING = re.compile(r"^\s*,?\s*(?:of|from|dated|at)\s+(?P<mid>[^.;()]{0,60}?)$", re.IGNORECASE)
_CONSIDERED = re.compile(
    r"\bminutes\s+of\s+the\s+(?:\w+\s+)?meeting\s+(?:of\s+[^.]{0,60}?)?(?:held\s+)?on\s+",
    re.IGNORECASE,
)


def considered_date(text: str) -> dt.date | None:
    """The date of the minutes an item considers ("the Minutes of the meeting held on …")."""
    for m in _CONSIDERED.finditer(text):
        found = next(iter_dates(text[m.end() : m.end() + 40]), None)
        if found and found[0].start() == 0:
            return found[1]
    return None


def _following_date(after: str) -> dt.date | None:
    for m, found in iter_dates(after[:90]):
        if _FOLLOWING.match(after[: m.start()]) and "minute" not in after[: m.start()].lower():
            return found
        return None
    return None


def _preceding_date(before: str) -> dt.date | None:
    found = [d for _, d in iter_dates(before)]
    return found[-1] if found else None


def find_references(texts: Iterable[str]) -> list[Reference]:
    """The references in an item's paragraphs and resolutions, in order."""
    texts = list(texts)
    fallback = considered_date(" ".join(texts))
    out: list[Reference] = []
    for text in texts:
        for sentence in sentences(text):
            for m in _REF.finditer(sentence):
                date = _following_date(sentence[m.end() :])
                if date is None and m.group("refers"):
                    date = _preceding_date(sentence[: m.start()])
                date = date or fallback
                for minute in re.findall(_ID, m.group("ids")):
                    ref = Reference(minute=minute, meeting_date=date)
                    if ref not in out:
                        out.append(ref)
    return out
