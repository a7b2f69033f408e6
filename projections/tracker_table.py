"""The action tracker as a table to append to rendered minutes (plain text and Markdown).

Seed 001 resolved that "a formal action tracker [be] produced and included
with minutes": the body's actions raised at or before the meeting, with their
status today.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from projections.rendering import escape_markdown
from projections.tracker import ActionRow

HEADINGS = ("Minute", "Action", "Owner(s)", "Due", "Status")
WIDTHS = (12, 34, 14, 10, 10)


def _cells(row: ActionRow) -> tuple[str, ...]:
    due = row.due_date or row.due_meeting_date
    status = row.status + (" — OVERDUE" if row.overdue else "")
    return (
        f"{row.meeting_date.isoformat()} {row.minute}({row.part})",
        row.description,
        ", ".join(row.owners) or "—",
        due.isoformat() if due else (row.due_text or "—"),
        status,
    )


def _text_row(cells: Sequence[str]) -> list[str]:
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, WIDTHS, strict=True)]
    height = max(len(w) for w in wrapped)
    return [
        " | ".join(
            (w[i] if i < len(w) else "").ljust(width)
            for w, width in zip(wrapped, WIDTHS, strict=True)
        ).rstrip()
        for i in range(height)
    ]


def tracker_text(rows: Sequence[ActionRow]) -> str:
    out = ["ACTION TRACKER", ""]
    if not rows:
        return "\n".join([*out, "No actions have been recorded for this body.", ""])
    rule = "-+-".join("-" * w for w in WIDTHS)
    out += [*_text_row(HEADINGS), rule]
    for row in rows:
        out += [*_text_row(_cells(row)), rule]
    return "\n".join(out) + "\n"


def tracker_markdown(rows: Sequence[ActionRow]) -> str:
    out = ["## Action tracker", ""]
    if not rows:
        return "\n".join([*out, "No actions have been recorded for this body.", ""])
    out += ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    for row in rows:
        cells = [escape_markdown(" ".join(c.split())) for c in _cells(row)]
        if row.overdue:
            cells[4] = f"**{cells[4]}**"
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
