"""``parse_minutes``: published minutes text → :class:`ParsedMinutes`.

A document flattened onto one long line is first cut into lines
(:mod:`.unflatten`).  Layouts are tried in this order (each module documents its rules):

1. a ModernGov "Agenda item" page (:mod:`.layouts.moderngov`); a ModernGov
   listing copied as a table, "No. | Item |" (:mod:`.layouts.moderngov_rows`);
2. a "Record of Meeting" table (:mod:`.layouts.record_table`), unless two or
   more numbered headings come before the table;
3. a ModernGov "Agenda and minutes" listing (:mod:`.layouts.moderngov`);
4. numbered headings, "28. APOLOGIES FOR ABSENCE" (:mod:`.layouts.numbered`);
5. a lone "Minutes:" block, read as an item page without its heading;
6. a ModernGov listing copied without numbers and labels
   (:mod:`.layouts.moderngov_plain`);
7. unnumbered headings in capitals, "FINANCE. A cheque …" (:mod:`.layouts.unnumbered`).

``meeting_date`` given by the caller supplies a date the document does not
state (the document's own date wins, so one ``--date`` can serve a batch of
files); ``body`` given by the caller names the body to file the minutes under
and wins over the heading.  Apologies come from the header's "Apologies:" label and from the
apologies item (:mod:`.apologies`).  When the header lists nobody present, a
numbered item titled "Present" gives the list ("In the Chair A.Vigrass, …";
a name marked "(clerk)" is in attendance, not present).  When the approving
words state no date, the date in the approving item's title is the date of the
approved minutes ("Minutes of the previous meetings held on 13th February",
a date without a year being the last such day before the meeting).
"""

from __future__ import annotations

import datetime as dt
import re

from service.importing.apologies import apologies_in
from service.importing.approval import find_approval
from service.importing.call_in import call_in
from service.importing.casing import document_acronyms, title_case
from service.importing.dates import iter_dates
from service.importing.document import ParsedItem, ParsedMinutes
from service.importing.errors import NO_DATE, NO_MINUTES, MinutesFormatError
from service.importing.exempt import mark_exempt
from service.importing.header import Header, read_header
from service.importing.items import RawItem, RawMinutes
from service.importing.layouts import (
    moderngov,
    moderngov_plain,
    moderngov_rows,
    numbered,
    record_table,
    unnumbered,
)
from service.importing.names import read_names
from service.importing.pipe_rows import unpipe
from service.importing.references import find_references
from service.importing.resolutions import split_item
from service.importing.schedule import next_meeting
from service.importing.text import flat, normalise
from service.importing.unflatten import unflatten


def read_layout(lines: list[str]) -> RawMinutes:
    """The layout's reading of the lines; :class:`MinutesFormatError` if none fits."""
    if moderngov.is_item_page(lines):
        return moderngov.read_item_page(lines)
    if moderngov_rows.detect(lines):
        return moderngov_rows.read(lines)
    if record_table.detect(lines):
        before = numbered.headings(lines[: record_table.table_start(lines)])
        if len(before) < 2:
            return record_table.read(lines)
    if moderngov.is_listing(lines):
        return moderngov.read_listing(lines)
    if numbered.detect(lines):
        return numbered.read(lines)
    if moderngov.has_minutes_block(lines):
        return moderngov.read_item_page(lines)
    if moderngov_plain.detect(lines):
        return moderngov_plain.read(lines)
    if unnumbered.detect(lines):
        return unnumbered.read(lines)
    raise MinutesFormatError(NO_MINUTES)


def _item(raw: RawItem, acronyms: frozenset[str]) -> ParsedItem:
    text = split_item(raw.lines)
    resolutions = [*text.resolutions, *raw.actions]
    return ParsedItem(
        number=raw.number,
        title=title_case(re.sub(r"\s+[.:]$", "", flat(raw.title)), acronyms),  # "… 2023 ."
        paragraphs=tuple(text.paragraphs),
        resolutions=tuple(resolutions),
        references=tuple(find_references([*text.paragraphs, *resolutions])),
        unanimous=text.unanimous,
    )


_PRESENT_TITLE = re.compile(r"^(?:those\s+|members\s+)?present$", re.IGNORECASE)
_CLERK = re.compile(
    r"(?P<name>[^,;()]+?)\s*\((?:the\s+)?(?:parish\s+|town\s+)?clerk[^)]*\)", re.IGNORECASE
)


def _present_from_item(header: Header, items: list[ParsedItem]) -> None:
    """Fill the header's attendance from a numbered "Present" item, if it has none."""
    if header.present:
        return
    item = next((i for i in items if _PRESENT_TITLE.match(i.title.strip(" :"))), None)
    if item is None:
        return
    text = " ".join(item.paragraphs)
    text = re.sub(
        r"(?:^|(?<=[,;]))\s*in\s+the\s+chair\s*:?\s*([^,;()]+)",
        r" \1 (in the Chair)",
        text,
        flags=re.IGNORECASE,
    )
    clerks = [
        re.sub(r"^(?:and|&)\s+", "", m.group("name").strip(" ,.")) for m in _CLERK.finditer(text)
    ]
    text = _CLERK.sub("", text)
    present, chair = read_names(text)
    chair = header.chair or chair
    if chair:
        present = [chair, *(p for p in present if p != chair)]
    header.present, header.chair = present, chair
    header.also_present = [*header.also_present, *(c for c in clerks if c not in present)]


def _title_date(title: str, meeting: dt.date) -> dt.date | None:
    for _, found in iter_dates(title, meeting - dt.timedelta(days=366)):
        if found < meeting:
            return found
    return None


def parse_minutes(
    text: str | bytes,
    *,
    file: str,
    body: str | None = None,
    meeting_date: dt.date | None = None,
) -> ParsedMinutes:
    """Read one published minutes document (see the module doc for the layouts)."""
    lines = unpipe(unflatten(normalise(text)))
    raw = read_layout(lines)
    header = read_header(raw.header, loose_body=raw.loose_body, has_body=raw.has_body)
    date = header.meeting_date or meeting_date
    if date is None:
        raise MinutesFormatError(NO_DATE)
    acronyms = document_acronyms([line for item in raw.items for line in item.lines])
    items = mark_exempt([_item(r, acronyms) for r in raw.items])
    apologies = list(dict.fromkeys([*header.apologies, *apologies_in(items)]))
    _present_from_item(header, items)
    approval = find_approval(items)
    approved_of = approval[1].minutes_of if approval else None
    if approval and approved_of is None:
        approved_of = _title_date(approval[0].title, date)
    return ParsedMinutes(
        file=file,
        body=body or header.body,
        meeting_date=date,
        venue=header.venue,
        chair=header.chair,
        present=tuple(header.present),
        also_present=tuple(header.also_present),
        apologies=tuple(apologies),
        call_in=call_in(lines),
        items=tuple(items),
        approves_minutes_of=approved_of,
        approval_item=approval[0].number if approval else None,
        amendments=approval[1].amendments if approval else (),
        next_meeting=next_meeting(items, date),
        meeting_time=header.meeting_time,
    )
