"""Finding the approval itself ("the minutes … be approved"), and whether it is negated."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from domain.approval_wording.errors import _NEGATED_APPROVAL, _NOT_AN_APPROVAL, NotAnApprovalError

_SUBJECT = (
    r"(?P<subject>\bminutes?\b|\b(?:the|these|draft|action|meeting)\s+notes?\b"
    r"|\brecord\s+of\s+(?:the\s+)?(?:meeting|proceedings|decisions)\b)"
)
_QUALITY = r"(?:correct|accurate|true|full|fair|proper|complete|factual|faithful|exact)"
_RECORD = (
    rf"(?:(?:an?|the)\s+)?(?:{_QUALITY}[\s,]+(?:and\s+)?)+"
    r"(?:records?|accounts?|reflection|minutes?|notes?)\b"
)
#: Words between subject and verb: one sentence, no other passive verb, no new clause.
_GAP = (
    r"(?:(?!\b(?:be|were|was|are|is|been)\s+(?:noted|received|considered|deferred|referred|"
    r"rejected|withdrawn|not)\b|\b(?:and|but)\s+(?:the|that|it|its|their|they)\b"
    r"(?!(?:\s+[\w-]+){0,3}\s+meetings?\b))"  # "… and the Ordinary Meeting held on …"
    r"(?:[^;.:\n]|\n(?!\n)|\.(?!\s+[A-Z])|:(?=\d))){0,250}?"
)
_AUX = (
    r"\b(?:be|were|was|are|is|being|been|to\s+be|shall\s+be|should\s+be|have\s+been|has\s+been)\s+"
    r"(?:(?:taken\s+as\s+read|duly|formally|hereby|now|therefore|unanimously|accordingly|"
    r"all|both|then|again|(?:received|noted|read|considered|submitted|presented|tabled|circulated)"
    r"(?:\s+and\b|,))[\s,]+(?:and\s+)?)*"
)
_VERB = r"(?:approved|confirmed|agreed|accepted|adopted|signed|ratified|endorsed)\b"
_ACTIVE = (
    r"\b(?:approv(?:e|ed|es|ing)|confirm(?:s|ed|ing)?|agree(?:s|d)?|agreeing|accept(?:s|ed|ing)?"
    r"|adopt(?:s|ed|ing)?|sign(?:s|ed|ing)?|ratif(?:y|ies|ied|ying)|endors(?:e|es|ed|ing))\b"
)
_APPROVALS: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(pattern, re.I), guarded)
    for pattern, guarded in (
        (rf"{_SUBJECT}{_GAP}{_AUX}{_VERB}", True),
        (
            rf"{_SUBJECT}{_GAP}\b{_VERB}(?:\s+and\s+\w+)?(?:\s+by\s+the\s+\w+)?\s+as\s+{_RECORD}",
            True,
        ),
        (rf"{_SUBJECT}{_GAP}\s*[-–—:]\s*(?:approved|agreed|confirmed|accepted)\b", True),
        (
            rf"{_SUBJECT}{_GAP}\b(?:be|were|was|are|is|being|represent(?:s|ed)?|constitute[sd]?)"
            rf"\s+(?:{_RECORD}|{_QUALITY}\b)",
            True,
        ),
        (rf"{_ACTIVE}{_GAP}{_SUBJECT}{_GAP}\bas\s+(?:being\s+)?{_RECORD}", False),
        (
            r"\b(?:approv(?:e|ed|es|ing)|confirm(?:s|ed|ing)?|agree[sd]?|adopt(?:s|ed)?|ratif(?:y|ied))"
            r"\s+(?:the\s+)?(?:(?:draft|previous|last|open|public)\s+)?(?P<subject>minutes)\b",
            False,
        ),
    )
)
#: "the recommendations contained in the minutes … be approved" approves something else.
_NOT_THE_SUBJECT = re.compile(
    r"\b(?:in|of|from|within|under|to|at|by|with|into)\s+(?:(?:the|its|their)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_NEGATION = re.compile(
    r"\bnot\b|n['’]t\b|\bcannot\b|\bnever\b|\bdefer\w*|\bpostpon\w*|\bwithheld\b|\brefused\b"
    r"|\brejected\b|\bunable\b",
    re.I,
)

#: "Members were not minded to approve …", "declined to confirm …": a negation just
#: before an active approval verb (a few words, no "and"/"but" or punctuation between).
_NEGATED_LEAD = re.compile(
    r"(?:\bnot\b|n['’]t\b|\bnever\b|\bdeclin(?:e|ed|es|ing)\b|\brefus(?:e|ed|es|ing)\b"
    r"|\bunable\b|\bfail(?:s|ed|ing)?\b)(?:\s+(?!(?:and|but)\b)\w+){0,3}\s+$",
    re.I,
)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    negated: bool


def _approval_matches(text: str) -> Iterator[_Found]:
    for pattern, guarded in _APPROVALS:
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            pos = m.start("subject") + 1 if guarded else m.end()
            before = text[max(0, m.start("subject") - 40) : m.start("subject")]
            if guarded and _NOT_THE_SUBJECT.search(before):
                continue
            negated = _negated(m, text) or (
                not guarded and bool(_NEGATED_LEAD.search(text, max(0, m.start() - 60), m.start()))
            )
            yield _Found(m.start(), m.end(), negated)


def _negated(m: re.Match[str], text: str) -> bool:
    """ "not approved", "deferred": in the approval's words or just after them."""
    after = re.match(r"[^,;:]{0,40}", text[m.end() :])
    tail = re.split(r"\bsubject\s+to\b|\bsave\b|\bexcept\b", after.group(0) if after else "")
    return bool(_NEGATION.search(m.group(0) + tail[0]))


def _find_approval(text: str) -> _Found:
    found = sorted(_approval_matches(text), key=lambda f: f.start)
    if not found:
        raise NotAnApprovalError(_NOT_AN_APPROVAL)
    approved = [f for f in found if not f.negated]
    if not approved:
        raise NotAnApprovalError(_NEGATED_APPROVAL)
    return approved[0]
