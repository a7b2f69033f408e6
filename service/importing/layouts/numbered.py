"""Minutes whose items are numbered headings: "28. APOLOGIES FOR ABSENCE" (Sefton, most councils).

A heading is a line "NUMBER TITLE", the number optionally followed by ``.``,
``:``, ``)`` or a dash, optionally after "Item" or "Minute".  Titles in
capitals are taken wherever they stand; when the document has fewer than two
of those, headings in ordinary case count too, if the line stands alone
between blank lines, is at most 15 words, starts with a capital and does not
end in ``.``, ``,``, ``;`` or ``:``.  A capitals title of 30+ characters that
carries on over the next line (no blank line between, also capitals, no full
stop, not "RESOLVED") is joined.  Then only the rising run of numbers is kept
(:mod:`.numbering`).  Capitals section markers ("PART II", "EXEMPT ITEMS")
between items are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.importing.casing import is_capitals
from service.importing.items import RawItem, RawMinutes
from service.importing.layouts.numbering import NUMBER, rising
from service.importing.resolution_marks import intro

_HEADING = re.compile(
    r"^(?:(?:[Mm]inute|MINUTE|[Ii]tem|ITEM)\s+(?:[Nn]o\.?\s*)?)?"
    rf"(?P<num>{NUMBER})(?:[.:)]|\s+[-–])?\s+(?P<title>\S.*)$"
)
_SECTION = re.compile(r"^(?:PART\s+(?:I{1,2}|[12]|ONE|TWO|[AB])|EXEMPT\s+ITEMS?)\b[^a-z]*$")


@dataclass
class _Heading:
    index: int
    number: str
    title: str
    caps: bool
    span: int = 1


def _candidates(lines: list[str]) -> list[_Heading]:
    found: list[_Heading] = []
    for i, line in enumerate(lines):
        m = _HEADING.match(line.replace("\t", " "))
        if not m or intro(m.group("title")):
            continue
        title = m.group("title").strip()
        caps = is_capitals(title) and len(title) <= 200
        alone = (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1])
        plain = (
            alone and len(title.split()) <= 15 and title[0].isupper()
            and not title.endswith((".", ",", ";", ":"))
        )  # fmt: skip
        if caps or plain:
            heading = _Heading(i, m.group("num"), title, caps)
            while caps and len(title) >= 30 and heading.index + heading.span < len(lines):
                nxt = lines[heading.index + heading.span]
                if (
                    not nxt or not is_capitals(nxt) or nxt.endswith(".")
                    or intro(nxt) or _HEADING.match(nxt)
                ):  # fmt: skip
                    break
                heading.title += " " + nxt.strip()
                heading.span += 1
            found.append(heading)
    return found


def headings(lines: list[str]) -> list[_Heading]:
    found = _candidates(lines)
    caps = [h for h in found if h.caps]
    return rising(caps if len(caps) >= 2 else found, lambda h: h.number)


def detect(lines: list[str]) -> bool:
    return bool(headings(lines))


def read(lines: list[str]) -> RawMinutes:
    found = headings(lines)
    items: list[RawItem] = []
    for h, nxt in zip(found, [*found[1:], None], strict=True):
        end = nxt.index if nxt else len(lines)
        body = [line for line in lines[h.index + h.span : end] if not _SECTION.match(line)]
        items.append(RawItem(h.number, h.title, body))
    return RawMinutes(header=lines[: found[0].index] if found else lines, items=items)
