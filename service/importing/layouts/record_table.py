"""Tabular "Record of Meeting" layouts, flattened to text with ``|`` or tabs.

The header row names the columns: a number column ("No", "Ref", "#", "Item
No"), a title column ("Item", "Agenda item", "Subject", "Topic"), a discussion
column ("Discussion", "Notes", "Minutes", "Summary"), an action column
("Action", "Actions", "Action / Owner", "Decision", "Agreed"), an owner column
("Owner", "Lead", "By whom") and a due column ("Deadline", "Due", "By when").
With only an "Item" column, "1. Welcome" gives number and title.  A row with
empty number and title cells continues the row before; lines without cell
separators inside the table continue the last discussion.  Each non-empty
action cell is a resolution, with its owner and due date appended in
parentheses when they are in columns of their own.  Lines before the table are
the header ("Date | 3 February 2021" reads as "Date: 3 February 2021").
"""

from __future__ import annotations

import re

from service.importing.items import RawItem, RawMinutes
from service.importing.layouts.numbering import NUMBER

_ROLES = {
    "number": r"no\.?|ref\.?|#|item\s+no\.?|number|min(?:ute)?\.?\s*(?:no\.?)?",
    "title": r"(?:agenda\s+)?item|subject|topic|title|heading",
    "discussion": r"discussion|notes|minutes|summary|discussion\s*/\s*decision|update|comments",
    "action": r"(?:agreed\s+)?actions?(?:\s*/\s*owner)?|decisions?|agreed|outcomes?",
    "owner": r"owner|lead|by\s+whom|responsible|who",
    "due": r"deadline|due(?:\s+date)?|by\s+when|target\s+date|when|date",
}
_EMPTY = re.compile(r"^(?:-|–|n/?a|none|nil|\.)?$", re.IGNORECASE)
_NUMBERED = re.compile(rf"^(?P<num>{NUMBER})[.)]?\s+(?P<title>\S.*)$")


def cells(line: str, framed: bool = False) -> list[str]:
    """A row's cells; ``framed`` rows ("| a | b |") have a pipe at each end."""
    if "|" not in line:
        return [" ".join(p.split()) for p in line.split("\t")]
    row = line.strip()
    if framed:
        row = row.removeprefix("|").removesuffix("|")
    return [" ".join(p.split()) for p in row.split("|")]


def _roles(header: list[str]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for i, cell in enumerate(header):
        for role, pattern in _ROLES.items():
            if role not in roles and re.fullmatch(pattern, cell.strip(" :"), re.IGNORECASE):
                roles[role] = i
                break
    if "number" not in roles and "title" not in roles:
        return None
    return roles if {"discussion", "action"} & roles.keys() else None


def _table_start(lines: list[str]) -> tuple[int, dict[str, int]] | None:
    for i, line in enumerate(lines):
        if "|" in line or "\t" in line:
            roles = _roles(cells(line, line.lstrip().startswith("|")))
            if roles:
                return i, roles
    return None


def detect(lines: list[str]) -> bool:
    return _table_start(lines) is not None


def table_start(lines: list[str]) -> int:
    """Index of the table's header row (the end of the document when there is none)."""
    start = _table_start(lines)
    return start[0] if start else len(lines)


def _cell(row: list[str], roles: dict[str, int], role: str) -> str:
    i = roles.get(role)
    text = row[i] if i is not None and i < len(row) else ""
    return "" if _EMPTY.match(text) else text


def _new_item(row: list[str], roles: dict[str, int]) -> RawItem | None:
    number, title = _cell(row, roles, "number"), _cell(row, roles, "title")
    if "number" not in roles and title:
        m = _NUMBERED.match(title)
        number, title = (m.group("num"), m.group("title")) if m else ("", title)
    if not number and not title:
        return None
    return RawItem(number.rstrip(".") or None, title or f"Item {number}".strip())


def _add(item: RawItem, row: list[str], roles: dict[str, int]) -> None:
    text = _cell(row, roles, "discussion")
    if text:
        item.lines += ["", text]
    action = _cell(row, roles, "action")
    owner, due = _cell(row, roles, "owner"), _cell(row, roles, "due")
    extra = "; ".join(x for x in (owner if owner not in action else "", due and f"by {due}") if x)
    if action:
        item.actions.append(f"{action} ({extra})" if extra else action)


def read(lines: list[str]) -> RawMinutes:
    start = _table_start(lines)
    if start is None:
        return RawMinutes(header=lines, items=[])
    at, roles = start
    framed = lines[at].lstrip().startswith("|")
    header = [
        ": ".join(c for c in cells(x)[:2]) if ("|" in x or "\t" in x) else x for x in lines[:at]
    ]
    items: list[RawItem] = []
    for line in lines[at + 1 :]:
        if not ("|" in line or "\t" in line):
            if items:
                items[-1].lines.append(line)
            continue
        row = cells(line, framed)
        if all(re.fullmatch(r"[\s:\-–]*", c) for c in row):
            continue
        item = _new_item(row, roles)
        if item is not None:
            items.append(item)
        if items:
            _add(items[-1], row, roles)
    return RawMinutes(header=header, items=items, loose_body=True)
