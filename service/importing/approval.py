"""Which item approved earlier minutes, and with what amendments.

Resolutions that mention minutes and a verb of approval (approved, confirmed,
agreed, accepted, adopted, signed) are tried first, items whose title names
minutes before others; then each such item's (or untitled item's) paragraphs ("The minutes … were
approved as a correct record"), then all its resolutions joined (a lead-in
with the amendments as separate parts).  The wording itself is read by
:func:`domain.approval_wording.parse_approval`; the first text it accepts wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from domain.amendments import Approval
from service.importing.document import ParsedItem

_LIKELY = re.compile(
    r"\bminutes?\b.*\b(?:approv|confirm|agree|accept|adopt|sign)|"
    r"\b(?:approv|confirm|agree|accept|adopt|sign)\w*\b.*\bminutes?\b",
    re.IGNORECASE,
)
#: "Minutes of the last meeting"; in Scotland "Minute of previous meeting".
_MINUTES_TITLE = re.compile(r"\bminutes?\b", re.IGNORECASE)


def _parser() -> Callable[[str], Approval] | None:
    """The domain's approval-wording parser (imported lazily: it is optional here)."""
    try:
        from domain.approval_wording import parse_approval
    except ImportError:  # without it, no approval is read; everything else still is
        return None
    parse: Callable[[str], Approval] = parse_approval
    return parse


def _candidates(items: Sequence[ParsedItem]) -> Iterator[tuple[ParsedItem, str]]:
    ordered = sorted(items, key=lambda i: not _MINUTES_TITLE.search(i.title))
    for item in ordered:
        for text in item.resolutions:
            yield item, text
    for item in ordered:
        if _MINUTES_TITLE.search(item.title) or not item.title:
            yield from ((item, text) for text in item.paragraphs)
            if len(item.resolutions) > 1:
                yield item, " ".join(item.resolutions)


def find_approval(items: Sequence[ParsedItem]) -> tuple[ParsedItem, Approval] | None:
    parse = _parser()
    if parse is None:
        return None
    for item, text in _candidates(items):
        if not _LIKELY.search(text):
            continue
        try:
            approval = parse(text)
        except ValueError:  # NotAnApprovalError, or wording it cannot read
            continue
        if approval.approved:
            return item, approval
    return None
