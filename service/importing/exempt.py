"""Part II: items taken after the press and public were excluded are exempt.

Rule: once an item resolves that "the press and public be excluded" (or a
"PART II" / "exempt items" heading precedes items), every later item is exempt,
with the reason quoted from the exclusion ("paragraph 3 of Part 1 of Schedule 12A"),
or "exempt information (Part II)" when no paragraph is named.  An item that
readmits the public ("press and public be readmitted") ends the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from service.importing.document import ParsedItem

_EXCLUDED = re.compile(r"press\s+and\s+(?:the\s+)?public\s+(?:be|were)\s+excluded", re.I)
_READMITTED = re.compile(r"press\s+and\s+(?:the\s+)?public\s+(?:be|were)\s+re-?admitted", re.I)
_PARAGRAPH = re.compile(
    r"paragraphs?\s+[\d,\sand]+\s+of\s+Part\s+(?:1|I)\s+of\s+Schedule\s+12A", re.I
)
DEFAULT_REASON = "exempt information (Part II)"


def mark_exempt(items: Sequence[ParsedItem]) -> list[ParsedItem]:
    out: list[ParsedItem] = []
    reason: str | None = None
    for item in items:
        text = " ".join((*item.paragraphs, *item.resolutions))
        if reason is not None and not _READMITTED.search(text):
            out.append(msgspec.structs.replace(item, exempt=True, exempt_reason=reason))
            continue
        reason = None
        out.append(item)
        if _EXCLUDED.search(text):
            found = _PARAGRAPH.search(text)
            reason = " ".join(found.group(0).split()) if found else DEFAULT_REASON
    return out
