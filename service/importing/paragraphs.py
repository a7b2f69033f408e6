"""Narrative lines into paragraphs.

* A blank line ends a paragraph; each bullet starts its own paragraph (its
  text without the bullet mark).
* A line joins the line before it when it starts in lower case, when the line
  before ends with a hyphen, comma or joining word ("and", "of", "the" …), or
  when the line before is long (65+ characters: hard-wrapped prose) and has no
  closing punctuation.  Otherwise each line is a paragraph of its own: minutes
  often list points one a line with no bullet marks.
* A paragraph that starts in lower case after a blank line continues the one
  before when that one has no closing punctuation (a page break mid-sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from service.importing.text import flat, is_bullet, unbullet

_JOINING = re.compile(
    r"(?:[-,–(/&]|\b(?:and|or|of|the|a|an|to|in|for|with|by|at|on|from|that|which|was|were|be)"
    r")$",
    re.IGNORECASE,
)
_CLOSED = tuple(".;:!?")
WRAP_WIDTH = 65


def joins(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence of ``previous`` (same block)."""
    if line[:1].islower():
        return True
    previous = previous.rstrip()
    if _JOINING.search(previous):
        return True
    return len(previous) >= WRAP_WIDTH and not previous.endswith(_CLOSED)


def _glue(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if re.search(r"[a-z]-$", out) and line[:1].islower():
            out += line
        else:
            out += " " + line
    return flat(out)


def paragraphs(lines: Iterable[str]) -> list[str]:
    out: list[str] = []
    bullets: list[bool] = []
    current: list[str] = []
    current_bullet = False
    after_blank = False

    def flush() -> None:
        nonlocal current
        if current:
            out.append(_glue(current))
            bullets.append(current_bullet)
            current = []

    for line in lines:
        if not line.strip():
            flush()
            after_blank = True
            continue
        if is_bullet(line):
            flush()
            current, current_bullet = [unbullet(line)], True
        elif current and joins(current[-1], line):
            current.append(line)
        elif (
            not current
            and after_blank
            and out
            and line[:1].islower()
            and not bullets[-1]
            and not out[-1].endswith(_CLOSED)
        ):
            current, current_bullet = [out.pop(), line], bullets.pop()
        else:
            flush()
            current, current_bullet = [line], False
        after_blank = False
    flush()
    return [p for p in out if p]
