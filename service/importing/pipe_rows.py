"""Minutes laid out as a table and copied as text with ``|`` between the cells.

Parish minutes are often a two-column table, the item number in the first
cell and the minute in the second; copied from a web page or a word processor
that gives "1. | All Councillors present signed … |", "2. | Election of
Chairman:" and the cell's later lines ending in " |".  When at least three
lines start that way (a number cell, then ``|``), each such line becomes
"1. All Councillors …" after a blank line (a row starts a paragraph), and the
cell borders at the ends of lines go.  A
document with fewer such rows is left as it is (a lone "|" in text is text), and
so are rows of more cells (number | title | minute: :mod:`.layouts.record_table`).
"""

from __future__ import annotations

import re

_ROW = re.compile(r"^\s*\|?\s*(?P<num>\d{1,3}[.)]?)\s*\|\s*")
_END = re.compile(r"\s*\|\s*$")
_MIN_ROWS = 3


def _row(line: str) -> re.Match[str] | None:
    """A two-cell row's start: the number cell, and one cell of text after it."""
    m = _ROW.match(line)
    return m if m and "|" not in _END.sub("", line[m.end() :]) else None


def unpipe(lines: list[str]) -> list[str]:
    """The lines with a numbered table's cell borders removed (see the module doc)."""
    if sum(1 for line in lines if _row(line)) < _MIN_ROWS:
        return lines
    out: list[str] = []
    for line in lines:
        m = _row(line)
        if m:
            line = f"{m.group('num')} {line[m.end() :]}"
            if out and out[-1]:
                out.append("")  # a new row is a new paragraph
        out.append(_END.sub("", line))
    return out
