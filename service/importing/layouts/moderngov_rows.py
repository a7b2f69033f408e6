"""A ModernGov "Agenda and minutes" page copied as a table: one row per item.

The page's table heading "No. | Item |" (two columns, no more) starts the
rows, and some row has a "Minutes:" label; a row runs to a line
that ends in ``|`` (lines of nothing but ``|`` and ``-`` separate rows).  A row
reads "TITLE agenda text … Minutes: minutes text |", the number column empty.
The title is the row's opening words up to the agenda text, which starts with
a word that opens a sentence ("To", "The", "Members", "This" …) or at the
"Minutes:", "Decision:" or "Additional documents:" label ("Public Question
Time To receive any questions …" → "Public Question Time"); a row that opens
with the agenda text has no title.  The item's text is what follows
"Minutes:" (else "Decision:", kept as a resolution intro); a row with neither
has none.  Items have no number.
"""

from __future__ import annotations

import re

from service.importing.items import RawItem, RawMinutes
from service.importing.layouts.moderngov import clean

_TABLE_HEADING = re.compile(r"^no\.?\s*\|\s*item\s*\|[|\s]*$", re.IGNORECASE)
_RULE = re.compile(r"^[|\-\s]*$")
_LABEL = re.compile(r"\b(?:Minutes|Decision|Additional\s+documents)\s*:")
_MINUTES = re.compile(r"\bMinutes\s*:\s*")
_DECISION = re.compile(r"\bDecision\s*:\s*")
_STARTERS = (
    "To|The|Members|Member|This|These|There|A|An|It|Please|Councillors|Councillor|All|Any"
    "|Report|Reports|Consideration|Following|In|Further"
)
_STARTER = re.compile(rf"\s(?=(?:{_STARTERS})\s)")


def _start(lines: list[str]) -> int | None:
    return next((i + 1 for i, line in enumerate(lines) if _TABLE_HEADING.match(line)), None)


def _rows(lines: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if _RULE.match(line):
            if current:
                rows.append(current)
                current = []
            continue
        ends = line.rstrip().endswith("|")
        current.append(line.rstrip().rstrip("|").rstrip())
        if ends:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    return rows


def detect(lines: list[str]) -> bool:
    """The two-column heading, two rows or more, and a "Minutes:" label in one of them."""
    start = _start(lines)
    if start is None:
        return False
    rows = _rows(lines[start:])
    return len(rows) >= 2 and any(_MINUTES.search(" ".join(row)) for row in rows)


def _title(first: str) -> tuple[str, str]:
    """``(title, rest of the line)``."""
    if re.match(rf"^(?:{_STARTERS})\s", first) or _LABEL.match(first):
        return "", first
    label = _LABEL.search(first)
    cut = label.start() if label else len(first)
    starter = _STARTER.search(first[:cut])
    end = starter.start() if starter else cut
    return first[:end].strip(), first[end:].strip()


def _text(row: list[str]) -> list[str]:
    joined = "\n".join(row)
    for label, keep in ((_MINUTES, False), (_DECISION, True)):
        m = label.search(joined)
        if m:
            text = joined[m.start() :] if keep else joined[m.end() :]
            return [line.strip() for line in text.split("\n")]
    return []


def read(lines: list[str]) -> RawMinutes:
    start = _start(lines) or 0
    items: list[RawItem] = []
    for row in _rows(clean(lines[start:])):
        title, rest = _title(row[0])
        if not title and not _text(row):
            continue
        items.append(RawItem(None, title, _text([rest, *row[1:]])))
    return RawMinutes(header=clean(lines[: start - 1]) if start else [], items=items)
