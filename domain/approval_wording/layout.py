"""Where the amendments are: the marker ("subject to …") and the amendment text it opens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.approval_wording.approval import _Found
from domain.approval_wording.splitting import _SENTENCE_END

_MARKER = re.compile(
    r"\bsubject\s+to\b|\bsave\s+(?:that|for)\b|\bexcept\s+(?:that|for)\b"
    r"|\bwith\s+the\s+exception\s+(?:of|that)\b|\bwith\s+(?=the\s+following\b)"
    r"|\bwith\s+(?=the\s+(?:addition|insertion|deletion|removal|correction|substitution"
    r"|replacement)\s+of\b)"
    r"|\b(?:with|following|after|including|incorporating)\s+(?=(?:the\s+|an?\s+|one\s+|two\s+"
    r"|three\s+|some\s+|minor\s+|following\s+|typographical\s+|above\s+|said\s+|these\s+"
    r"|those\s+|this\s+|that\s+|agreed\s+|requested\s+|aforementioned\s+)*"
    r"(?:amendments?|corrections?|alterations?|changes?)\b)"
    r"|\bas\s+(?:amended|corrected)\b|\b(?:amended|corrected)\s+as\s+follows\b"
    r"|\bonce\s+(?:amended|corrected)\b",
    re.I,
)
_AMENDMENT_NOUN = re.compile(r"amend|correct|alter|chang", re.I)


@dataclass(frozen=True)
class _Layout:
    """The approval's own words (``head``), the amendment text, and what else is around."""

    head: str
    approval: str
    body: str
    elsewhere: str
    announces_amendments: bool
    marked: bool = True


def _marker(text: str, found: _Found) -> re.Match[str] | None:
    """The first marker in the approval's paragraph: before the approval in the same
    sentence ("Subject to …, the minutes …"), or after it."""
    start = text.rfind("\n\n", 0, found.start) + 1
    end = text.find("\n\n", found.end)
    for m in _MARKER.finditer(text, start, len(text) if end < 0 else end):
        if m.start() >= found.start or not _SENTENCE_END.search(text, m.end(), found.start):
            return m
    return None


_LIST_ITEM = re.compile(
    r"\s*(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s|[•·▪●◦*\-–—]|(?:minute|item|page|and)\b)", re.I
)


def _extent(body: str) -> str:
    """The amendment text runs to the end of its paragraph, and on into a list it opens."""
    chunks = body.split("\n\n")
    kept = [chunks[0]]
    for chunk in chunks[1:]:
        if not (kept[-1].rstrip().endswith((":", ";", ",")) or _LIST_ITEM.match(chunk)):
            break
        kept.append(chunk)
    return "\n".join(kept)


def _layout(text: str, found: _Found) -> _Layout:
    approval = text[found.start : found.end]
    marker = _marker(text, found)
    if marker is None:
        rest = text[found.end :].split("\n\n")[0]  # "… approved. Minute 12: 'a' to read 'b'."
        return _Layout(text, approval, rest, "", announces_amendments=False, marked=False)
    announces = bool(_AMENDMENT_NOUN.search(text[marker.start() : marker.end() + 40]))
    around = text[max(0, found.start - 600) : found.start] + "\n" + text[found.end :][:600]
    if marker.start() >= found.start:
        body = _extent(text[marker.end() :])
        return _Layout(text[: marker.start()], approval, body, around, announces)
    lead = text[marker.end() : found.start]
    lead = re.sub(r"[\s,]*(?:that\s+)?(?:the\s+)?$", "", lead, flags=re.I)
    body = lead + "\n" + _extent(text[found.end :])
    head = text[: marker.start()] + " " + text[found.start : found.end]
    return _Layout(head, approval, body, "", announces)
