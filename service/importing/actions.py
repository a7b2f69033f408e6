"""Actions that resolutions ask someone to carry out.

A resolution part is cut into clauses at ``;`` and at "and" between two verb
groups ("the report be noted and X be requested to …").  A clause is an
action when it

* asks someone: "X be requested / asked / invited / authorised / encouraged to …"
  (owners: X);
* has a named subject do something: "Chris White forward details …", "the
  Service Manager … to have a discussion …", "the Lead Member … would work …"
  (owners: the subject; see :mod:`.owners`), with a verb from :data:`VERBS`;
* wants something done: "a further report be submitted …", "a formal action
  tracker to be produced …", "presentations would be shared …" (owners: who it
  is "by", else none).

Noting, thanking, agreeing, approving, welcoming or fixing the next meeting
are not actions; nor is deciding that nothing be done ("no objections be
raised").  Due: "by 31 March 2023" / "by the end of March 2023" (last day) →
``due_date``; "to the September 2022 meeting" → ``due_meeting``
"2022-09" (a month without a year is the next one after the meeting); "the
meeting on 8 December 2022" → "2022-12-08"; else "next meeting" or "future
meetings" when said.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import msgspec

from service.importing import due
from service.importing.owners import noun_phrase, owners_of

VERBS = (
    r"forward|provide|produce|investigate|liaise|contact|arrange|circulate|prepare|report"
    r"|review|send|share|write|meet|develop|draft|explore|undertake|update|organi[sz]e"
    r"|follow\s+up|look\s+into|discuss|confirm|ensure|work|take|raise|seek|pursue|bring|present"
    r"|submit|check|establish|identify|set\s+up|engage|co-?ordinate|lead|attend|invite|obtain"
    r"|compile|distribute|respond|chase|progress|complete|deliver|implement|monitor|research"
    r"|scope|source|nominate|appoint|publish|have\s+(?:a\s+)?discussions?|hold|convene|consult"
    r"|feed\s+back|e-?mail|sign\s+up|circulate|visit|write\s+to|draw\s+up|clarify|agree\s+to"
)
_ASKED = re.compile(
    r"\b(?:be|are|is|were|was|being)\s+(?:\w+ly\s+|also\s+)?(?:requested|asked|invited|instructed"
    r"|authori[sz]ed|directed|tasked|encouraged|mandated|required|delegated)\s+to\s+\w+"
)
_ACTIVE = re.compile(
    r"(?:\b(?:to|will|would|shall|should|must|agreed\s+to|undertook\s+to|offered\s+to)\s+)?"
    rf"(?:(?:also|further|jointly|urgently)\s+)?\b(?:{VERBS})(?:s|es)?\b"
    r"(?!\s+(?:be|is|are|was|were|been|has|have|had|will|would|to\s+be)\b)(?=\s+\w)"
)
_PASSIVE = re.compile(
    r"\b(?:to\s+be|be|will\s+be|would\s+be|shall\s+be|should\s+be|being)\s+(?:\w+ly\s+)?"
    r"(?:submitted|provided|produced|presented|prepared|circulated|brought|reported|sent|developed"
    r"|drafted|arranged|undertaken|carried\s+out|investigated|reviewed|explored|shared|published"
    r"|organi[sz]ed|scheduled|convened|established|set\s+up|written|issued|updated|re-?sent"
    r"|forwarded|distributed|compiled|commissioned|sought|obtained|pursued|raised|escalated"
    r"|added|invited|contacted|drawn\s+up|monitored|implemented|completed|finali[sz]ed"
    r"|progressed|followed\s+up|looked\s+into|taken\s+forward|fed\s+back|re-?circulated)\b"
)
_BY = re.compile(r"\bby\s+(?P<who>(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|and))*)")
_MODAL_GROUP = re.compile(r"\b(?:be|to|will|would|shall|should)\s+\w+")
_VERB_GROUP = re.compile(rf"{_MODAL_GROUP.pattern}|\b(?:{VERBS})\s+\w")


class ActionDraft(msgspec.Struct, frozen=True, kw_only=True):
    """An action a resolution raises, before it is recorded."""

    description: str
    owners: tuple[str, ...] = ()
    due_date: dt.date | None = None
    #: "2022-09", "2022-12-08", "next meeting" or "future meetings".
    due_meeting: str | None = None


def clauses(resolution: str) -> list[str]:
    text = re.sub(r"^\s*(?:that|That|THAT)\b[\s:;,]*", "", resolution)
    out: list[str] = []
    for piece in re.split(r";\s*(?:and\s+|or\s+)?", text):
        start = 0
        for m in re.finditer(r"\s+and\s+", piece):
            left, right = piece[start : m.start()], piece[m.end() :]
            if _MODAL_GROUP.search(left) and _VERB_GROUP.search(right):
                out.append(left)
                start = m.end()
        out.append(piece[start:])
    return [c.strip(" ,.;") for c in out if c.strip(" ,.;")]


#: "no objections be raised", "the Council raises no objection", "nothing further be done":
#: a decision that nothing is to be done.
_NOTHING_TO_DO = re.compile(
    r"^(?:no|nothing|none)\b|\b(?:raises?|raised|makes?|made|has|have|had|offers?)\s+no\s+"
    r"(?:objections?|comments?|further\s+action)\b",
    re.IGNORECASE,
)


def _owners(clause: str, people: Sequence[str]) -> tuple[str, ...] | None:
    """The clause's owners if it is an action, else None."""
    if _NOTHING_TO_DO.search(clause):
        return None
    m = _ASKED.search(clause)
    if m:
        return owners_of(clause[: m.start()], people)
    for m in _ACTIVE.finditer(clause):
        subject = clause[: m.start()].strip()
        if noun_phrase(re.sub(r"^(?:that|That)\s+", "", subject)):
            return owners_of(subject, people)
    m = _PASSIVE.search(clause)
    if m:
        by = _BY.search(clause[m.end() :])
        return owners_of(by.group("who"), people) if by else ()
    return None


def extract_actions(
    resolution: str, people: Sequence[str], meeting_date: dt.date | None
) -> list[ActionDraft]:
    """The actions one resolution part raises, in the order written."""
    out: list[ActionDraft] = []
    for clause in clauses(resolution):
        owners = _owners(clause, people)
        if owners is None:
            continue
        out.append(
            ActionDraft(
                description=clause[0].upper() + clause[1:],
                owners=owners,
                due_date=due.due_date(clause, meeting_date),
                due_meeting=due.due_meeting(clause, meeting_date),
            )
        )
    return out
