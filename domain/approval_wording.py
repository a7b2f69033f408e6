"""The ways clerks word the approval of earlier minutes, parsed into structure.

``parse_approval(text)`` reads a resolution such as::

    That the Minutes of the meeting held on 22 June 2022 be approved as a correct
    record subject to the removal of the words "by SWACCA" in the first paragraph
    of Minute No. 6.

into ``Approval(approved=True, minutes_of=2022-06-22, amendments=(delete "by SWACCA"
in minute 6, paragraph 1,))``.  Each amendment clause is read by the first rule of
``_RULES`` that matches it; a clause that plainly changes the minutes but fits no
rule becomes op ``other`` rather than a guessed structure.  Text that does not
approve minutes raises :class:`NotAnApprovalError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from domain.amendments import Amendment, Approval

__all__ = ["NotAnApprovalError", "parse_approval"]


class NotAnApprovalError(ValueError):
    """The text does not approve or confirm minutes as a record."""


# Quoted words: straight or typographic quotes; an apostrophe inside a word is not a quote.
_Q = r"""(?:(?<![\w])['‘"“]|^['‘"“])(?P<{n}>.+?)['’"”](?![\w])"""


def _quoted(name: str) -> str:
    return _Q.format(n=name)


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAYNAME = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DATE_PATTERNS = (
    re.compile(
        rf"{_DAYNAME}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})\.?,?\s+(?P<y>\d{{4}})",
        re.I,
    ),
    re.compile(
        rf"{_DAYNAME}(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I
    ),
    re.compile(r"(?P<d>\d{1,2})[/.](?P<mn>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"),
    re.compile(r"(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})"),
)

_APPROVAL = re.compile(
    r"\b(?:minutes|notes|record)\b[^.;]*?\b(?:be|were|was|are|is|being|been|to\s+be)?\s*"
    r"(?:duly\s+|hereby\s+|formally\s+|now\s+)?"
    r"(?:approved|confirmed|agreed|accepted|adopted|signed|received\s+and\s+approved|taken\s+as\s+read)"
    r"|\b(?:approved|confirmed|agreed|accepted|adopted)\b[^.;]*\b(?:minutes|notes)\b"
    r"|\b(?:correct|accurate|true|fair)\s+(?:and\s+(?:accurate|correct|true)\s+)?(?:record|account)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:not|were\s+not|be\s+not)\s+(?:be\s+)?(?:approved|confirmed|agreed)\b", re.I
)
_AMENDMENTS_START = re.compile(
    r"\bsubject\s+to\b|\bwith\s+the\s+following\s+(?:amendments?|corrections?|changes?)\b"
    r"|\bas\s+amended\b|\bsave\s+that\b|\bexcept\s+that\b|\bwith\s+the\s+(?:amendment|correction)\b"
    r"|\bamended\s+as\s+follows\b|\bfollowing\s+(?:amendments?|corrections?)\b",
    re.I,
)
_MINUTE = re.compile(
    r"\b(?:minute|item|min\.?)s?\s*(?:no\.?|number|ref\.?)?\s*(?P<n>[A-Z]{0,5}/?\d+[A-Za-z]?(?:/\d+)*(?:\s?\([a-z0-9]+\))?)",
    re.I,
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_PARAGRAPH = re.compile(
    rf"\b(?P<o>{'|'.join(_ORDINALS)}|\d+(?:st|nd|rd|th))\s+paragraph\b|\bparagraph\s+(?:no\.?\s*)?(?P<n>\d+)\b",
    re.I,
)
_CHANGE_WORDS = re.compile(
    r"\b(?:amend|correct|chang|delet|remov|insert|add|replac|substitut|spell|read|record|note|includ|omit|strik)",
    re.I,
)
_ATTENDANCE_LIST = re.compile(
    r"\b(?P<l>apologies|those\s+present|present|attendance|attendees|also\s+present|absent|absence)\b",
    re.I,
)


def _date(match: re.Match[str]) -> dt.date | None:
    parts = match.groupdict()
    try:
        month = _MONTHS[parts["m"].lower()] if parts.get("m") else int(parts["mn"])
        year = int(parts["y"])
        year = year + 2000 if year < 100 else year
        return dt.date(year, month, int(parts["d"]))
    except (ValueError, KeyError):
        return None


def _first_date(text: str) -> dt.date | None:
    found = [(m.start(), _date(m)) for p in _DATE_PATTERNS for m in p.finditer(text)]
    found = [(pos, d) for pos, d in found if d is not None]
    return min(found)[1] if found else None


def _minutes_of(head: str) -> dt.date | None:
    held = re.search(
        r"\b(?:held|meeting|minutes|notes)\b(?:\s+\w+){0,4}?\s+(?:on|of|dated)\b(?P<rest>.*)",
        head,
        re.I | re.S,
    )
    if held:
        date = _first_date(held.group("rest"))
        if date is not None:
            return date
    return _first_date(head)


# Amendment clauses ------------------------------------------------------------------


class _Clause:
    def __init__(self, text: str, minute: str | None, paragraph: int | None) -> None:
        self.text = text
        self.minute = minute
        self.paragraph = paragraph


def _scope(text: str) -> tuple[str | None, int | None]:
    unquoted = re.sub(_quoted("q"), " ", text)
    minute = _MINUTE.search(unquoted)
    para = _PARAGRAPH.search(unquoted)
    paragraph = None
    if para:
        if para.group("n"):
            paragraph = int(para.group("n"))
        else:
            word = para.group("o").lower()
            paragraph = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
    number = re.sub(r"\s+", "", minute.group("n")) if minute else None
    return number, paragraph


def _split_clauses(text: str) -> Iterator[str]:
    """Split the amendment text on ;, numbered/lettered markers and clause-level 'and'."""
    protected: list[str] = []

    def keep(m: re.Match[str]) -> str:
        protected.append(m.group(0))
        return f"\x00{len(protected) - 1}\x00"

    masked = re.sub(_quoted("q"), keep, text)
    pieces = re.split(
        r";|\n|(?:^|\s)\(?(?:\d{1,2}|[a-h]|i{1,3}|iv|v)\)\s|(?:^|\s)\d{1,2}\.\s|\s[•·–-]\s"
        r"|,?\s+and\s+(?=(?:the\s+|that\s+|in\s+|to\s+|minute|item|on\s+page|'|‘|\"|“|\x00|"
        r"(?:deletion|removal|addition|insertion|inclusion|correction|amendment|replacement)\b))",
        masked,
        flags=re.I,
    )
    for piece in pieces:
        if piece is None:
            continue
        restored = re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], piece)
        if restored.strip(" ,.:"):
            yield restored.strip(" ,.:")


_INTRO = re.compile(
    r"^\s*(?:the\s+following\s+)?(?:amendments?|corrections?|changes?)?\s*(?:being\s+made)?\s*:?\s*",
    re.I,
)
_SCOPE_ONLY = re.compile(
    r"^(?:in\s+|at\s+|to\s+|under\s+)?(?:the\s+)?(?:(?:first|second|third|fourth|fifth|last|\d+\w*)"
    r"\s+paragraph\s+of\s+)?(?:minute|item)s?\s*(?:no\.?|number)?\s*\S+\s*[-–—:,]?$",
    re.I,
)


def _clauses(text: str) -> Iterator[_Clause]:
    minute: str | None = None
    for piece in _split_clauses(_INTRO.sub("", text, count=1)):
        number, paragraph = _scope(piece)
        if number:
            minute = number
        if _SCOPE_ONLY.match(piece):
            continue  # "Minute 12 –": names the scope of the clauses that follow
        yield _Clause(piece, number or minute, paragraph)


Rule = Callable[[_Clause], Amendment | None]


def _am(
    clause: _Clause, op: str, old: str | None = None, new: str | None = None, **extra: object
) -> Amendment:
    return Amendment(
        op=op,  # type: ignore[arg-type]
        old=old,
        new=new,
        minute=clause.minute,
        paragraph=clause.paragraph,
        **extra,  # type: ignore[arg-type]
    )


def _search(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text, re.I | re.S)


def _replace(c: _Clause) -> Amendment | None:
    q_old, q_new = _quoted("old"), _quoted("new")
    verbs = (
        r"(?:be(?:ing)?\s+|to\s+be\s+|was\s+|is\s+|should\s+be\s+)?"
        r"(?:changed|amended|corrected|altered|replaced|substituted)"
    )
    for pattern in (
        rf"{q_old}\s*(?:\([^)]*\)\s*)?{verbs}\s+(?:to\s+read\s+|to|by|with|into|for)\s+{q_new}",
        rf"{q_old}\s+(?:should|to|shall)\s+(?:read|say|be)\s+{q_new}",
        rf"(?:chang|amend|correct|replac|alter)\w*\s+(?:of\s+)?(?:the\s+)?(?:words?|spelling|name|figure|date|text)?\s*(?:of\s+)?{q_old}\s+(?:to|by|with|into)\s+(?:read\s+)?{q_new}",
        rf"{q_old}\s+(?:to|by|with)\s+{q_new}",
        rf"{q_new}\s+(?:be\s+)?(?:substituted|inserted|replaced)?\s*(?:for|in\s+place\s+of|instead\s+of)\s+{q_old}",
        rf"substitut\w*\s+(?:of\s+)?{q_new}\s+for\s+{q_old}",
    ):
        m = _search(pattern, c.text)
        if m:
            return _am(c, "replace", m.group("old"), m.group("new"))
    return None


def _delete(c: _Clause) -> Amendment | None:
    for pattern in (
        rf"(?:remov|delet|omi|strik|tak)\w*\s+(?:out\s+)?(?:of\s+)?(?:the\s+)?(?:words?|sentence|phrase|text|reference\s+to)?\s*{_quoted('old')}",
        rf"{_quoted('old')}\s+(?:be(?:ing)?\s+|to\s+be\s+|was\s+|should\s+be\s+)?(?:removed|deleted|omitted|struck\s+out|taken\s+out)",
    ):
        m = _search(pattern, c.text)
        if m:
            return _am(c, "delete", m.group("old"))
    return None


def _insert(c: _Clause) -> Amendment | None:
    q_new, q_anchor = _quoted("new"), _quoted("anchor")
    verbs = r"(?:insert|addition|add|inclusion|includ)\w*"
    anchored = (
        rf"{verbs}\s+(?:of\s+)?(?:the\s+)?(?:words?|sentence|phrase|following)?\s*:?\s*{q_new}\s+"
        rf"(?P<pos>after|before|following|preceding)\s+(?:the\s+words?\s+)?{q_anchor}",
        rf"{q_new}\s+(?:be(?:ing)?\s+|to\s+be\s+)?(?:inserted|added|included)\s+"
        rf"(?P<pos>after|before|following|preceding)\s+(?:the\s+words?\s+)?{q_anchor}",
    )
    for pattern in anchored:
        m = _search(pattern, c.text)
        if m:
            position = "before" if m.group("pos").lower() in ("before", "preceding") else "after"
            return _am(
                c, "insert", None, m.group("new"), anchor=m.group("anchor"), position=position
            )
    for pattern in (
        rf"{verbs}\s+(?:of\s+)?(?:the\s+)?(?:words?|sentence|phrase|following(?:\s+\w+)?|text)?[^'‘\"“]*?:?\s*{q_new}",
        rf"{q_new}\s+(?:be(?:ing)?\s+|to\s+be\s+)?(?:inserted|added|included)",
    ):
        m = _search(pattern, c.text)
        if m and not _ATTENDANCE_LIST.search(c.text[m.end() :]):
            return _am(c, "insert", None, m.group("new"))
    return None


_TITLE = r"(?:Councillors?|Cllrs?\.?|Mr|Mrs|Ms|Miss|Dr|Professor|Sir|Dame|Lord|Lady|Alderman)"
_WORD = r"[A-Z][\w'’.-]*"
#: One or more names ("Councillor Jones", "Mr A Smith and Councillor B Brown").
_NAME = (
    rf"(?P<names>(?:{_TITLE}\s+)?{_WORD}(?:\s+(?:{_WORD}|de|van|von))*"
    rf"(?:\s*(?:,|and)\s*(?:{_TITLE}\s+)?{_WORD}(?:\s+{_WORD})*)*)"
)


def _which_list(text: str) -> str | None:
    m = _ATTENDANCE_LIST.search(text)
    if not m:
        return None
    word = m.group("l").lower()
    if word.startswith("apolog") or word == "absence":
        return "apologies"
    if word.startswith("also"):
        return "also_present"
    if word == "absent":
        return "absent"
    return "present"


def _attendance(c: _Clause) -> Amendment | None:
    if not _ATTENDANCE_LIST.search(c.text):
        return None
    text = re.sub(r"['‘’\"“”]", "", c.text) if not re.search(_quoted("x"), c.text) else c.text
    quoted = re.search(_quoted("names"), text)
    add = re.search(
        rf"(?:addition|add|inclusion|includ|insert)\w*\s+(?:of\s+)?{_NAME}\s+(?:to|in|as|under|among)",
        text,
    )
    if add is None:
        add = re.search(
            rf"{_NAME}\s+(?:be(?:ing)?\s+|to\s+be\s+|should\s+be\s+)?(?:added|included|recorded|listed|shown)\s+(?:to|in|as|under|among)",
            text,
        )
    remove = re.search(rf"(?:remov|delet|omi)\w*\s+(?:of\s+)?{_NAME}\s+(?:from)", text)
    if remove is None:
        remove = re.search(
            rf"{_NAME}\s+(?:be(?:ing)?\s+|to\s+be\s+)?(?:removed|deleted|omitted)\s+from", text
        )
    apologies = re.search(rf"(?:apologies\s+(?:from|of)\s+){_NAME}", text)
    if add is None and remove is None and apologies is None:
        return None

    def names(m: re.Match[str] | None) -> str | None:
        if m is None:
            return None
        if quoted and quoted.start() >= m.start() and quoted.end() <= m.end() + 2:
            return quoted.group("names")
        return m.group("names").strip()

    new = names(add) or names(apologies)
    target = (
        "apologies"
        if apologies is not None and add is None
        else _which_list(text[add.end() :] if add else text)
    )
    return _am(c, "attendance", names(remove), new, attendance_list=target)


def _note(c: _Clause) -> Amendment | None:
    m = _search(
        r"(?:a\s+|the\s+)?(?:note|statement|record)\s+(?:be(?:ing)?\s+|to\s+be\s+)?(?:added|included|inserted|made)\s*(?:to\s+[^,:]*?)?\s*(?:that|to\s+say|stating|recording)\s+(?P<new>.+)",
        c.text,
    ) or _search(
        r"(?:addition|inclusion|insertion)\s+of\s+(?:a\s+)?(?:note|statement)\s*(?:to\s+[^,:]*?)?\s*(?:that|to\s+say|stating|recording|:)\s+(?P<new>.+)",
        c.text,
    )
    if not m:
        return None
    new = m.group("new").strip(" .")
    quoted = re.fullmatch(_quoted("q"), new)
    return _am(c, "note", None, quoted.group("q") if quoted else new)


def _other(c: _Clause) -> Amendment | None:
    return _am(c, "other") if _CHANGE_WORDS.search(c.text) else None


_RULES: tuple[Rule, ...] = (_attendance, _replace, _insert, _delete, _note, _other)


def _amendments(text: str) -> tuple[Amendment, ...]:
    found: list[Amendment] = []
    for clause in _clauses(text):
        for rule in _RULES:
            amendment = rule(clause)
            if amendment is not None:
                found.append(amendment)
                break
    return tuple(found)


def parse_approval(text: str) -> Approval:
    """Read a resolution approving earlier minutes (see the module docstring)."""
    flat = " ".join(text.split())
    if not _APPROVAL.search(flat) or _NEGATED.search(flat):
        raise NotAnApprovalError(
            "this text does not approve or confirm minutes as a correct record "
            '(expected wording such as "That the minutes of the meeting held on … be '
            'confirmed as a correct record")'
        )
    start = _AMENDMENTS_START.search(text)
    head, tail = (text[: start.start()], text[start.end() :]) if start else (text, "")
    amendments = _amendments(tail.strip()) if tail.strip() else ()
    if start and not amendments and _CHANGE_WORDS.search(tail):
        amendments = (Amendment(op="other"),)
    return Approval(
        approved=True, minutes_of=_minutes_of(" ".join(head.split())), amendments=amendments
    )
