"""Minutes flattened onto one long line (a web page whose line breaks were lost).

A line of 300 or more characters holding two or more numbered headings in
capitals that number on from each other, each after the end of a sentence
("… Market Hill. 1. APOLOGIES FOR ABSENCE Cllr. R Silvester, … 2.
DECLARATIONS OF INTERESTS None."), is cut before each heading, and each
heading's capitals ("1. APOLOGIES FOR ABSENCE") go on a line of their own
above its text.  In the part before the first heading, the labels "Present:",
"Also present:", "In attendance:" and "Apologies:" start lines of their own.
Other lines are left as they are.
"""

from __future__ import annotations

import re

_LONG = 300
_INLINE_HEADING = re.compile(
    r"(?<=[.!?)\]’”])\s+(?P<num>\d{1,3})\.\s+"
    r"(?P<caps>[A-Z][A-Z0-9&'’/,\-]*(?:\s+[A-Z0-9&'’/,\-]+)*?[A-Z])"
    r"(?=\s*(?:[-–:]\s|\s[A-Z][a-z]|\s[a-z(\[“‘\"]|\s\d|\.|$))"
)
_LABELS = re.compile(r"(?<=\S)\s+(?=(?:Present|Also\s+present|In\s+attendance|Apologies)\s*:)")


def _headings(line: str) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    for m in _INLINE_HEADING.finditer(line):
        if len(re.sub(r"[^A-Z]", "", m.group("caps"))) < 4:
            continue
        if found and int(m.group("num")) <= int(found[-1].group("num")):
            continue
        found.append(m)
    return found


def _split(line: str) -> list[str]:
    found = _headings(line)
    if len(found) < 2:
        return [line]
    out: list[str] = []
    head = line[: found[0].start()].strip()
    for part in _LABELS.split(head):
        out += [part.strip(), ""]
    for m, nxt in zip(found, [*found[1:], None], strict=True):
        end = nxt.start() if nxt else len(line)
        rest = line[m.end() : end].strip().lstrip("-–: ").strip()
        out += [f"{m.group('num')}. {m.group('caps').rstrip(' ,-')}", ""]
        if rest:
            out += [rest, ""]
    return out


def unflatten(lines: list[str]) -> list[str]:
    """The lines, with any flattened run of headings cut into lines (see the module doc)."""
    if all(len(line) < _LONG for line in lines):
        return lines
    out: list[str] = []
    for line in lines:
        out += _split(line) if len(line) >= _LONG else [line]
    return out
