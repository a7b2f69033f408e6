"""A ModernGov "Agenda and minutes" page copied without its item numbers and labels.

Some copies of the page keep its table heading ("No. Item") but lose the
numbers and the "Minutes:" labels: each item is a title on a line of its own
(after a blank line), then the agenda's description, then the minutes.  A
title is a short line (at most 15 words) that starts with a capital and does
not end in ``.``, ``,``, ``;`` or ``:``, and either has most of its longer words
capitalised ("Declarations of Interest and Whipping Arrangements") or comes
before an agenda description ("To receive any apologies …").  The agenda's
description, the paragraphs before the minutes that start "To receive", "To
invite", "To confirm" …, is dropped, and so is ModernGov's furniture (see
:mod:`.moderngov`).  Items have no number.  The layout needs two titles, and
is used only when the page has no "Minutes:" label at all.
"""

from __future__ import annotations

import re

from service.importing.items import RawItem, RawMinutes
from service.importing.layouts.moderngov import AGENDA_TEXT, clean, without_agenda_text
from service.importing.resolution_marks import intro
from service.importing.text import is_bullet, word_set

_TABLE_HEADING = re.compile(r"^no\.?\s+item\b", re.IGNORECASE)
_AGENDA = AGENDA_TEXT
_SMALL = word_set("a an and as at by for from in into of on or the to with")


def _capitalised(title: str) -> bool:
    long = [w for w in title.split() if len(w) >= 4 and w.lower() not in _SMALL]
    return bool(long) and sum(w[0].isupper() for w in long) * 2 >= len(long)


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 15 and line[0].isupper() and not line.endswith((".", ",", ";", ":"))
        and not is_bullet(line) and not intro(line)
    )  # fmt: skip


def _titles(lines: list[str]) -> list[int]:
    found = []
    for i, line in enumerate(lines):
        if (i and lines[i - 1]) or not _title_like(line):
            continue
        after = next((x for x in lines[i + 1 :] if x), "")
        if _capitalised(line) or _AGENDA.match(after):
            found.append(i)
    return found


def _start(lines: list[str]) -> int | None:
    return next((i + 1 for i, line in enumerate(lines) if _TABLE_HEADING.match(line)), None)


def detect(lines: list[str]) -> bool:
    start = _start(lines)
    return start is not None and len(_titles(clean(lines[start:]))) >= 2


def read(lines: list[str]) -> RawMinutes:
    start = _start(lines) or 0
    rest = clean(lines[start:])
    titles = _titles(rest)
    items = [
        RawItem(None, rest[i], without_agenda_text(rest[i + 1 : nxt]))
        for i, nxt in zip(titles, [*titles[1:], len(rest)], strict=True)
    ]
    return RawMinutes(header=clean(lines[: start - 1]) if start else [], items=items)
