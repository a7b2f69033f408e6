"""The top-level entry: ``parse_approval`` and the reading of the amendment text."""

from __future__ import annotations

import re

from domain.amendments import Amendment, Approval
from domain.approval_wording.approval import _find_approval
from domain.approval_wording.clause import _Clause
from domain.approval_wording.dates import _first_date
from domain.approval_wording.layout import _Layout, _layout
from domain.approval_wording.locations import _minute, _paragraph
from domain.approval_wording.quotes import _Q, _mask, _Masked, _normalise
from domain.approval_wording.rules import _read_clause
from domain.approval_wording.splitting import _INTRO, _quote_colon_content, _split_clauses

#: Without "subject to", a later sentence is read only if it starts like an amendment.
_STARTS_AS_AMENDMENT = re.compile(
    rf"(?:(?:in|at)\s+)?(?:(?:agenda\s+)?(?:minute|item|page|paragraph)s?\b|{_Q}|the\s+words?\b)",
    re.I,
)


def _read_body(body: str, masked: _Masked, *, unannounced: bool = False) -> list[Amendment]:
    body = _quote_colon_content(body, masked)
    intro = _INTRO.match(body)
    lead = intro.group(0) if intro else ""
    if intro:
        body = body[intro.end() :]
    found: list[Amendment] = []
    for text in _split_clauses(body):
        if unannounced and not _STARTS_AS_AMENDMENT.match(text):
            continue
        minute, paragraph = _minute(text) or _minute(lead), _paragraph(text) or _paragraph(lead)
        found.extend(_read_clause(_Clause(text, masked, minute, paragraph, lead)))
    return found


def _amendments(layout: _Layout, masked: _Masked) -> tuple[Amendment, ...]:
    """The amendments after the marker; failing those, changes stated around the approval
    ("… approved subject to the above amendment"); failing those, one ``other`` if the
    wording says the minutes were amended."""
    found = _read_body(layout.body, masked, unannounced=not layout.marked)
    if not layout.marked:  # no "subject to": only changes to quoted words are taken
        return tuple(a for a in found if a.op in ("replace", "delete", "insert"))
    if any(a.op != "other" for a in found):
        return tuple(found)
    if layout.announces_amendments:
        around = [a for a in _read_body(layout.elsewhere, masked) if a.op != "other"]
        if around:
            return tuple(around)
    if found:
        return tuple(found)
    return (Amendment(op="other"),) if layout.announces_amendments else ()


def parse_approval(text: str) -> Approval:
    """Read a resolution approving earlier minutes (see the package docstring)."""
    masked = _mask(_normalise(text))
    found = _find_approval(masked.text)
    layout = _layout(masked.text, found)
    minutes_of = _first_date(layout.approval) or _first_date(layout.head)
    return Approval(approved=True, minutes_of=minutes_of, amendments=_amendments(layout, masked))
