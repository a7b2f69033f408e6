"""Minutes whose items are unnumbered headings in capitals (parish and town councils).

A heading starts a paragraph (the line before is blank) with words in
capitals: alone on its line ("APOLOGIES FOR ABSENCE"), before a full stop or
colon ("FINANCE. A cheque was signed …" → title "FINANCE", text "A cheque was
signed …"), or run into the sentence ("APOLOGIES FOR ABSENCE were received
from …" → title "APOLOGIES FOR ABSENCE", the whole line is the text).  The
capitals hold at least four letters; a single word needs five letters and a
full stop, colon or the end of the line after it.  "RESOLVED …", labels
("PRESENT:") and the meeting line ("MINUTES of the meeting … held on DATE")
are not headings.  The layout needs three headings; items have no number.
"""

from __future__ import annotations

import re

from service.importing.dates import DATE
from service.importing.items import RawItem, RawMinutes
from service.importing.labels import read_fields
from service.importing.meeting_line import HELD
from service.importing.resolution_marks import intro

_CAPS_WORD = r"(?:[A-Z][A-Z&'’/-]*[A-Z]|&|[A-Z])"
_HEADING = re.compile(
    rf"^(?P<caps>{_CAPS_WORD}(?:\s+{_CAPS_WORD})*)"
    r"(?:(?P<stop>\s*[.:]|\s+[-–—])(?:\s+(?P<after>\S.*))?|\s+(?P<runin>[a-z(].*))?$"
)
_MIN_HEADINGS = 3


def _heading(lines: list[str], i: int) -> tuple[str, str | None] | None:
    """``(title, text after it)`` for a heading line; the text is ``None`` when the
    heading runs into the sentence (the whole line is the text)."""
    line = lines[i].strip()
    if i and lines[i - 1].strip():
        return None
    m = _HEADING.match(line)
    if not m or intro(line) or (HELD.search(line) and DATE.search(line)):
        return None
    caps = m.group("caps")
    words = caps.split()
    if sum(c.isalpha() for c in caps) < 4 or read_fields([line])[0]:
        return None
    if m.group("runin") is not None:
        return (caps, None) if len(words) >= 2 else None
    if len(words) == 1 and len(caps) < 5:
        return None
    return caps, m.group("after") or ""


def _headings(lines: list[str]) -> list[tuple[int, str, str | None]]:
    found = []
    for i in range(len(lines)):
        heading = _heading(lines, i)
        if heading:
            found.append((i, *heading))
    return found


def detect(lines: list[str]) -> bool:
    return len(_headings(lines)) >= _MIN_HEADINGS


def read(lines: list[str]) -> RawMinutes:
    found = _headings(lines)
    items: list[RawItem] = []
    for (index, title, after), nxt in zip(found, [*found[1:], None], strict=True):
        end = nxt[0] if nxt else len(lines)
        first = lines[index].strip() if after is None else after
        body = ([first] if first else []) + lines[index + 1 : end]
        items.append(RawItem(None, title, body))
    return RawMinutes(header=lines[: found[0][0]] if found else lines, items=items)
