"""Minutes in the council's own layout, as plain text and Markdown, ready to publish."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from projections.minutes_document import ItemDocument, MinutesDocument

_WIDTH = 80


def _long_date(doc: MinutesDocument) -> str:
    d = doc.meeting_date
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B %Y')}"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _status_line(doc: MinutesDocument) -> str:
    if doc.confirmed_at:
        line = (
            f"Confirmed as a correct record at the meeting of "
            f"{doc.confirmed_at.meeting_date.isoformat()} (Minute No. {doc.confirmed_at.minute})"
        )
        return line + (", as amended" if doc.confirmed_at.amendments else "")
    if doc.status == "circulated":
        return "Circulated: awaiting formal approval"
    return "Draft: subject to approval"


def _resolutions(item: ItemDocument) -> list[str]:
    if not item.resolutions:
        return []
    if len(item.resolutions) == 1:
        return [f"RESOLVED: {item.resolutions[0]}"]
    return ["RESOLVED: That —"] + [f"({n}) {r}" for n, r in enumerate(item.resolutions, 1)]


def _item_blocks(item: ItemDocument) -> list[str]:
    if item.withheld:
        return [f"This item was considered in private ({item.exempt_reason})."]
    notes = [f"Note: {n}" for n in item.notes]
    return [*item.paragraphs, *_resolutions(item), *notes]


def _heading_lines(doc: MinutesDocument) -> list[str]:
    when = _long_date(doc).upper()
    where = doc.venue or ("Remote meeting" if doc.remote else "")
    if not where:
        held = f"MEETING HELD ON {when}"
    elif where.lower().startswith(("remote", "virtual", "online")):
        held = f"{where.upper()} ON {when}"  # "REMOTE MEETING HELD ON MICROSOFT TEAMS ON …"
    else:
        held = f"MEETING HELD AT {where.upper()} ON {when}"
    return [doc.body.upper(), held, _status_line(doc)]


def _attendance_lines(doc: MinutesDocument) -> list[tuple[str, str]]:
    a = doc.attendance
    present = [f"{n} (in the Chair)" if n == a.chair else n for n in a.present]
    rows = [
        ("PRESENT", _names(present)),
        ("ALSO PRESENT", _names(a.also_present)),
        ("APOLOGIES", _names(a.apologies)),
        ("ABSENT", _names(a.absent)),
    ]
    return [(label, text) for label, text in rows if text]


def _fill(text: str, width: int | None) -> str:
    return textwrap.fill(text, width) if width else text


def render_text(doc: MinutesDocument, *, width: int | None = _WIDTH) -> str:
    """Plain text; ``width=None`` keeps each paragraph on one line (for line diffs)."""
    out = [*(line for line in _heading_lines(doc)), ""]
    if doc.call_in is False:
        out[:0] = ['THIS SET OF MINUTES IS NOT SUBJECT TO "CALL-IN"', ""]
    for label, text in _attendance_lines(doc):
        out += [_fill(f"{label}: {text}", width), ""]
    for item in doc.items:
        out += [f"{item.number}. {item.title.upper()}", ""]
        for block in _item_blocks(item):
            out += [_fill(block, width), ""]
    if doc.next_meeting:
        out += [f"Next meeting: {doc.next_meeting}", ""]
    return "\n".join(out).rstrip() + "\n"


def _md_escape(text: str) -> str:
    """Escape Markdown and HTML so minutes text is shown as written, never interpreted."""
    for ch in "\\`*_{}[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(doc: MinutesDocument) -> str:
    heading = _heading_lines(doc)
    out = [
        f"# {_md_escape(doc.body)}",
        "",
        f"**{_md_escape(heading[1])}**",
        "",
        f"*{_md_escape(heading[2])}*",
        "",
    ]
    if doc.call_in is False:
        out += ['> This set of minutes is not subject to "call-in".', ""]
    for label, text in _attendance_lines(doc):
        out += [f"**{label.title()}:** {_md_escape(text)}", ""]
    for item in doc.items:
        out += [f"## {_md_escape(item.number)}. {_md_escape(item.title)}", ""]
        for block in _item_blocks(item):
            out += [_md_escape(block), ""]
    if doc.next_meeting:
        out += [f"**Next meeting:** {_md_escape(doc.next_meeting)}", ""]
    return "\n".join(out).rstrip() + "\n"


def escape_markdown(text: str) -> str:
    """Markdown- and HTML-escape text as the minutes' own text is (for other sections)."""
    return _md_escape(text)
