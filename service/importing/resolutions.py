"""One item's text split into narrative and resolution parts.

A resolution block starts at an intro (see :mod:`.resolution_marks`:
"RESOLVED:", "RESLOVED: That", "RESOLVED (Unanimously):", "In summary, it was
agreed that:" …).

What follows the intro, after a bare "That" line:

* numbered, lettered or bulleted parts — ``(1)``, ``1.``, ``(a)``, ``a)``, ``•`` —
  one resolution each; the kind of the first marker delimits parts, other kinds
  and unmarked lines continue the current part (part (1) of seed 001's item 37
  keeps its list of dates).  A part ends its block when a later paragraph does
  not continue it (the part ended in ``:``, or the paragraph starts in lower case
  or ends with ``;``);
* otherwise one sentence (its paragraph), kept with its "That".  "(1) … (2) …"
  written inline are split into parts.  A lead-in that ends in ``:`` before
  parts is kept as a resolution only when it says more than four words.

Markers, trailing "; and", "and", ";" are removed from parts; text is as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from service.importing.paragraphs import paragraphs
from service.importing.resolution_marks import (
    BARE_THAT,
    CLOSED,
    CONNECTOR,
    inline_parts,
    intro,
    marker,
    substantive,
    tidy,
)


class ItemText(NamedTuple):
    paragraphs: list[str]
    resolutions: list[str]
    unanimous: bool


class _Reader:
    def __init__(self) -> None:
        self.narrative: list[str] = []
        self.resolutions: list[str] = []
        self.unanimous = False
        self.mode = "narrative"  # or "await", "single", "parts"
        self.kind: str | None = None
        self.current: list[str] = []

    def finish(self) -> None:
        if self.current:
            text = tidy(" ".join(self.current))
            if self.mode == "single":
                self.resolutions.extend(inline_parts(text))
            elif text:
                self.resolutions.append(text)
        self.current = []

    def start_parts(self, kind: str, text: str) -> None:
        if self.mode == "single" and not substantive(" ".join(self.current)):
            self.current = []
        self.finish()
        self.mode, self.kind, self.current = "parts", kind, [text]

    def feed(self, line: str, blank: bool) -> None:
        opened = intro(line)
        if opened:
            pre, rest, unanimous = opened
            self.finish()
            if pre:
                self.narrative.append(pre)
            self.unanimous |= unanimous
            self.mode = "await"
            if rest:
                self.feed(rest, False)
            return
        found = marker(line)
        joined = " ".join(self.current)
        if self.mode == "await":
            if BARE_THAT.match(line):
                return
            if found:
                self.start_parts(*found)
            else:
                self.mode, self.current = "single", [line]
        elif self.mode == "single":
            if found and joined.endswith(":"):
                self.start_parts(*found)
            elif (
                not blank
                or joined.endswith(":")
                or (line[:1].islower() and not joined.endswith(CLOSED))
            ):
                self.current.append(line)
            else:
                self.finish()
                self.mode = "narrative"
                self.narrative.extend(["", line])  # not joined across the resolution
        elif self.mode == "parts":
            if found and found[0] == self.kind:
                self.finish()
                self.current = [found[1]]
            elif CONNECTOR.match(line):
                return
            elif (
                found
                or not blank
                or joined.endswith((":", ";"))
                or line[:1].islower()
                or (line.rstrip().endswith((";", "; and", "; or")))
            ):
                self.current.append(line)
            else:
                self.finish()
                self.mode = "narrative"
                self.narrative.extend(["", line])  # not joined across the resolution
        else:
            if blank:
                self.narrative.append("")
            self.narrative.append(line)


def split_item(lines: Sequence[str]) -> ItemText:
    """Paragraphs (without the resolution blocks), resolution parts and unanimity."""
    reader = _Reader()
    blank = False
    for line in lines:
        if not line.strip():
            blank = True
            continue
        reader.feed(line, blank)
        blank = False
    reader.finish()
    return ItemText(paragraphs(reader.narrative), reader.resolutions, reader.unanimous)
