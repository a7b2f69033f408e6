"""ModernGov pages: a single "Agenda item" page, and an "Agenda and minutes" listing.

Item page: "Agenda item" / title / agenda text / "Minutes:" / minutes … /
"Supporting documents:".  One item, number as the page gives it ("Meeting:
14/07/2020 - Cabinet (Item 39.)") or none; only the "Minutes:" block is read
(else a "Decision:" block); the body only from such a "Meeting:" line.

Listing page: each item is a number on a line of its own (``39/20``,
``CYP/17/24``, ``4a``, ``5.``; or number, tab, title) followed by its title;
its text is its "Minutes:" block (else "Decision:" block, else what follows
the title), up to the next item.  ModernGov furniture is dropped everywhere:
"pdf icon PDF 77 KB", "View the background to item …", "Supporting
documents:" / "Additional documents:" and the document names under them,
"Share this item", the "Recorded Vote" table's heading lines.
"""

from __future__ import annotations

import re

from service.importing.items import RawItem, RawMinutes
from service.importing.layouts.numbering import NUMBER, NUMBER_ONLY, rising
from service.importing.resolution_marks import intro
from service.importing.text import is_bullet, unbullet

_AGENDA_ITEM = re.compile(r"^agenda\s+item$", re.IGNORECASE)
_MINUTES = re.compile(r"^minutes\s*:?$", re.IGNORECASE)
_DECISION = re.compile(r"^decisions?\s*:?$", re.IGNORECASE)
_DOCUMENTS = re.compile(r"^(?:supporting|additional|background)\s+documents\s*:?$", re.IGNORECASE)
_PDF = re.compile(r"\s*(?:pdf\s+icon\s*)?\bPDF\s+\d+(?:\.\d+)?\s*[KM]B\b", re.IGNORECASE)
_NOISE = re.compile(
    r"^(?:view\s+the\s+(?:background|reasons|declarations|decision)\b.*|link\s+to\s+(?:video|webcast).*"
    r"|webcast.*|media|items|no\.?\s+item|view\s+directions|printed\s+minutes.*"
    r"|(?:•\s*)?share\s+this\s+item|(?:•\s*)?view\s+recorded\s+vote\b.*|recorded\s+vote"
    r"|title\s*type\s*recorded\s+vote\s+text\s*result|skip\s+to\s+main\s+content)$",
    re.IGNORECASE,
)
_MEETING = re.compile(
    r"^Meeting:\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*-\s*(?P<body>.+?)"
    r"(?:\s*\((?:Item|Agenda item)\s*(?P<num>[^)]+?)\.?\))?\s*$",
    re.IGNORECASE,
)
_NUMBERED_HEADING = re.compile(r"^\d{1,3}[.)]\s+[A-Z]")
_TAB_ITEM = re.compile(rf"^(?P<num>{NUMBER})\.?\t+(?P<title>\S.*)$")


def clean(lines: list[str]) -> list[str]:
    out: list[str] = []
    skipping = False
    for line in lines:
        line = _PDF.sub("", line).strip()
        if _DOCUMENTS.match(line):
            skipping = True
            continue
        if skipping and not (_MINUTES.match(line) or _DECISION.match(line)):
            continue
        skipping = False
        if not _NOISE.match(line):
            out.append(line)
    return out


def _block(lines: list[str]) -> list[str]:
    """The item's "Minutes:" block (a later "Decision:" inside it stays, as a resolution
    intro), else its "Decision:" block with its label, else all its lines (the same list)."""
    starts = [i for i, line in enumerate(lines) if _MINUTES.match(line)]
    if starts:
        return lines[starts[0] + 1 :]
    starts = [i for i, line in enumerate(lines) if _DECISION.match(line)]
    return lines[starts[0] :] if starts else lines


#: The agenda's description of an item, before its minutes: "To approve as a correct record …".
AGENDA_TEXT = re.compile(
    r"^To\s+(?:receive|note|approve|confirm|consider|invite|agree|sign|declare|report|appoint"
    r"|elect|determine|deal|answer|hear|review|discuss)\b"
)
_ISSUE = re.compile(r"^issue\s*-\s*(?:meetings|decisions)$", re.IGNORECASE)


def without_agenda_text(body: list[str]) -> list[str]:
    """The lines without the agenda's description paragraphs at their head."""
    out = list(body)
    while True:
        first = next((k for k, line in enumerate(out) if line), None)
        if first is None or not AGENDA_TEXT.match(out[first]):
            return out
        end = next((k for k in range(first, len(out)) if not out[k]), len(out))
        out = out[end:]


def is_item_page(lines: list[str]) -> bool:
    """An "Agenda item" page with a "Minutes:" block, a page that opens "Agenda item", or
    an "Issue - meetings" page with its "Meeting: 07/03/2022 - Body (Item 73)" line."""
    first = next((line for line in lines if line), "")
    if _AGENDA_ITEM.match(first) or (_ISSUE.match(first) and any(map(_MEETING.match, lines))):
        return True
    return any(_AGENDA_ITEM.match(line) for line in lines) and any(map(_MINUTES.match, lines))


def has_minutes_block(lines: list[str]) -> bool:
    return any(map(_MINUTES.match, lines))


def read_item_page(lines: list[str]) -> RawMinutes:
    """One item; without an "Agenda item" line the first line is its title.  On an issue
    page the item starts at its "Meeting:" line and ends at the next one.  A first line
    that is the "Minutes:" label or the agenda's text is no title: the item has none."""
    start = next((i for i, line in enumerate(lines) if _AGENDA_ITEM.match(line)), -1)
    meetings = [i for i, line in enumerate(lines) if _MEETING.match(line)]
    end = len(lines)
    if start < 0 and meetings:
        start = meetings[0]
        end = meetings[1] if len(meetings) > 1 else end
    header: list[str] = []
    number = None
    for line in lines[: start + 1]:
        m = _MEETING.match(line)
        if m:
            header = [f"Committee: {m.group('body')}", f"Date: {m.group('date')}"]
            number = m.group("num")
    rest = clean(lines[start + 1 : end])
    title_at = next((i for i, line in enumerate(rest) if line), 0)
    title = rest[title_at] if rest else ""
    body = rest[title_at + 1 :]
    if _MINUTES.match(title) or AGENDA_TEXT.match(title):
        title, body = "", rest[title_at:]
    elif number and title.startswith(number + " "):
        title = title[len(number) :].strip()  # "73 Minutes" on an issue page
    block = _block(body)
    if block is body:  # no "Minutes:" or "Decision:" label: drop the agenda's text
        block = without_agenda_text(body)
    return RawMinutes(header=header, items=[RawItem(number, title, block)], has_body=bool(header))


def _split_tabs(lines: list[str]) -> list[str]:
    """Number and title on lines of their own; a bulleted number ("• 4.", as ModernGov's
    "Share this item" list renders it) loses its bullet."""
    out: list[str] = []
    for line in lines:
        if is_bullet(line) and NUMBER_ONLY.match(unbullet(line)):
            line = unbullet(line)
        m = _TAB_ITEM.match(line)
        out += [m.group("num"), m.group("title")] if m else [line]
    return out


def _starts(lines: list[str]) -> list[tuple[int, str, int]]:
    """(number line, number, title line) of each item."""
    found: list[tuple[int, str, int]] = []
    for i, line in enumerate(lines):
        m = NUMBER_ONLY.match(line)
        if not m:
            continue
        j = next((k for k in range(i + 1, min(i + 4, len(lines))) if lines[k]), None)
        if j is None or NUMBER_ONLY.match(lines[j]) or _MINUTES.match(lines[j]):
            continue
        before = next((lines[k] for k in range(i - 1, max(i - 4, -1), -1) if lines[k]), "")
        if intro(lines[j]) or _NUMBERED_HEADING.match(before):
            continue  # a minute number under a heading "1. Title" (printed minutes)
        found.append((i, m.group("num"), j))
    return rising(found, lambda s: s[1])


def _minutes_label(lines: list[str], i: int) -> bool:
    """A "Minutes:" label, not the title "MINUTES" of a numbered item ("24." / "MINUTES")."""
    if not _MINUTES.match(lines[i]):
        return False
    before = next((lines[k] for k in range(i - 1, max(i - 4, -1), -1) if lines[k]), "")
    return not NUMBER_ONLY.match(before)


def is_listing(lines: list[str]) -> bool:
    lines = _split_tabs(lines)
    return any(_minutes_label(lines, i) for i in range(len(lines))) and bool(_starts(lines))


def read_listing(lines: list[str]) -> RawMinutes:
    lines = _split_tabs(lines)
    starts = _starts(lines)
    items: list[RawItem] = []
    for (_, number, title_at), nxt in zip(starts, [*starts[1:], None], strict=True):
        end = nxt[0] if nxt else len(lines)
        title = _PDF.sub("", lines[title_at]).strip()
        items.append(RawItem(number, title, _block(clean(lines[title_at + 1 : end]))))
    header = clean(lines[: starts[0][0]]) if starts else []
    return RawMinutes(header=header, items=items)
