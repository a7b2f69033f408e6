"""The ways clerks word the approval of earlier minutes, parsed into structure.

``parse_approval(text)`` reads a resolution such as::

    That the Minutes of the meeting held on 22 June 2022 be approved as a correct
    record subject to the removal of the words "by SWACCA" in the first paragraph
    of Minute No. 6.

into ``Approval(approved=True, minutes_of=2022-06-22, amendments=(delete "by SWACCA"
in minute 6, paragraph 1,))``.

How it reads:

1. Quoted words (straight or typographic, single or double) are masked first, so
   nothing inside quotes is mistaken for grammar and an apostrophe inside a word
   (``Councillor Smyth's``) is never a quote mark.
2. The approval itself is found ("the minutes … be approved/confirmed/agreed …",
   "agreed the minutes … as a correct record", "the minutes … were a true record");
   a negated or deferred approval, or none at all, raises :class:`NotAnApprovalError`.
3. The amendment text (after "subject to", "with the following amendments", …) is
   split into clauses on ``;``, new lines, ``(a)``/``(1)``/``1.`` markers, sentences
   and a clause-level "and"; a lead-in ("the following amendments to Minute 12:")
   scopes the clauses that follow it.
4. Each clause is read by the first rule of ``_RULES`` that fits.  A clause that
   plainly changes the minutes but fits no rule becomes op ``other`` rather than a
   guessed structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from domain.amendments import Amendment, AmendmentOp, Approval

__all__ = ["NotAnApprovalError", "parse_approval"]


class NotAnApprovalError(ValueError):
    """The text does not approve or confirm minutes as a correct record."""


_NOT_AN_APPROVAL = (
    "this text does not approve or confirm minutes as a correct record (expected wording "
    'such as "That the minutes of the meeting held on 22 June 2022 be approved as a correct '
    'record")'
)
_NEGATED_APPROVAL = (
    "this text does not approve the minutes: it says they were not approved, or that their "
    "approval was deferred"
)

# --------------------------------------------------------------------------------------
# Quotes: masked as \ue000N\ue001 placeholders before any grammar is read.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_OPEN, _CLOSE = "\ue000", "\ue001"
_Q = f"{_OPEN}\\d+{_CLOSE}"
_TOKEN = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_DOUBLE = '"“”„‟«»'
_SINGLE_CLOSE = "'’"
_SINGLE = "'‘’‚‛"
_OPENS_AFTER = set(" \t\n([{<:;,–—-/" + _DOUBLE)
#: Words that may follow a closing quote; after "s'" anything else is read as a possessive.
_AFTER_QUOTE = _words(
    "and or to be in from with after before should was were is are for of on at by being "
    "has have had instead into as read reads would will shall can could the that which "
    "following between within under so but then also where when it this not rather must "
    "needs replaced changed deleted amended removed inserted added included omitted "
    "struck corrected altered substituted appearing appears"
)


@dataclass
class _Masked:
    """Text with quoted words replaced by placeholders; ``quotes`` holds their words."""

    text: str = ""
    quotes: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)

    def add(self, words: str, raw: str) -> str:
        self.quotes.append(" ".join(words.split()))
        self.raw.append(raw)
        return f"{_OPEN}{len(self.quotes) - 1}{_CLOSE}"

    def words(self, token: str) -> str:
        return self.quotes[int(token.strip(_OPEN + _CLOSE))]

    def unmask(self, text: str) -> str:
        return _TOKEN.sub(lambda m: self.raw[int(m.group(1))], text)


def _opens_single(text: str, i: int) -> bool:
    if i + 1 >= len(text) or text[i + 1].isspace():
        return False
    return text[i] == "‘" or i == 0 or text[i - 1] in _OPENS_AFTER


def _closes_single(text: str, j: int) -> bool:
    if text[j] not in _SINGLE_CLOSE or text[j - 1].isspace():
        return False
    return j + 1 >= len(text) or not text[j + 1].isalnum()


def _possessive(text: str, j: int) -> bool:
    """``Members' Room``: an s-apostrophe followed by a word that cannot follow a quote."""
    if text[j - 1] not in "sS":
        return False
    after = re.match(r"\s+([A-Za-z]+)", text[j + 1 :])
    return after is not None and after.group(1).lower() not in _AFTER_QUOTE


def _single_end(text: str, i: int) -> int | None:
    if not _opens_single(text, i):
        return None
    fallback = None
    for j in range(i + 2, len(text)):
        if not _closes_single(text, j):
            continue
        if not _possessive(text, j):
            return j
        fallback = fallback if fallback is not None else j
    return fallback


def _quote_end(text: str, i: int) -> int | None:
    """Index of the quote mark closing the one opening at ``i``, if it opens a quote."""
    if text[i] in _DOUBLE:
        j = next((k for k in range(i + 1, len(text)) if text[k] in _DOUBLE), None)
        return j if j is not None and text[i + 1 : j].strip() else None
    if text[i] in _SINGLE:
        j = _single_end(text, i)
        return j if j is not None and text[i + 1 : j].strip() else None
    return None


def _mask(text: str) -> _Masked:
    masked = _Masked()
    out: list[str] = []
    i = 0
    while i < len(text):
        end = _quote_end(text, i)
        if end is None:
            out.append(text[i])
            i += 1
            continue
        out.append(masked.add(text[i + 1 : end].strip(), text[i : end + 1]))
        i = end + 1
    masked.text = "".join(out)
    return masked


def _normalise(text: str) -> str:
    text = re.sub(f"[{_OPEN}{_CLOSE}\u00a0\u2007\u2009\u202f]", " ", text.replace("\r", "\n"))
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()  # a blank line still ends a paragraph
    return re.sub(
        r"^(?:resolved|agreed|decision|resolution)\s*(?:\(\s*unanimously\s*\))?\s*[:\-–—.,]?\s*",
        "",
        text,
        flags=re.I,
    )


# --------------------------------------------------------------------------------------
# The approval itself.

_SUBJECT = (
    r"(?P<subject>\bminutes?\b|\b(?:the|these|draft|action|meeting)\s+notes?\b"
    r"|\brecord\s+of\s+(?:the\s+)?(?:meeting|proceedings|decisions)\b)"
)
_QUALITY = r"(?:correct|accurate|true|full|fair|proper|complete|factual|faithful|exact)"
_RECORD = (
    rf"(?:(?:an?|the)\s+)?(?:{_QUALITY}[\s,]+(?:and\s+)?)+"
    r"(?:record|account|reflection|minutes?|note)\b"
)
#: Words between subject and verb: one sentence, no other passive verb, no new clause.
_GAP = (
    r"(?:(?!\b(?:be|were|was|are|is|been)\s+(?:noted|received|considered|deferred|referred|"
    r"rejected|withdrawn|not)\b|\b(?:and|but)\s+(?:the|that|it|its|their|they)\b)"
    r"(?:[^;.:\n]|\n(?!\n)|\.(?!\s+[A-Z])|:(?=\d))){0,250}?"
)
_AUX = (
    r"\b(?:be|were|was|are|is|being|been|to\s+be|shall\s+be|should\s+be|have\s+been|has\s+been)\s+"
    r"(?:(?:taken\s+as\s+read|duly|formally|hereby|now|therefore|unanimously|accordingly|"
    r"all|both|then|again|(?:received|noted|read|considered)\s+and)[\s,]+(?:and\s+)?)*"
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
            yield _Found(m.start(), m.end(), _negated(m, text))


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


# --------------------------------------------------------------------------------------
# The date of the meeting whose minutes are approved.

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
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
        ),
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_DATES = tuple(
    re.compile(p, re.I)
    for p in (
        rf"\b(?P<d>[0-3]?\d){_ORD}(?:\s*(?:,|and|&|-|–)\s*[0-3]?\d{_ORD})*\s+(?:of\s+)?"
        rf"(?P<m>{_MONTH})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?",
        rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>[0-3]?\d){_ORD},?\s+(?P<y>\d{{4}})\b",
        r"\b(?P<d>[0-3]?\d)[/.-](?P<n>[01]?\d)[/.-](?P<y>\d{4}|\d{2})\b",
        r"\b(?P<y>\d{4})-(?P<n>[01]\d)-(?P<d>[0-3]\d)\b",
    )
)


def _date_of(m: re.Match[str], text: str) -> dt.date | None:
    parts = m.groupdict()
    if parts.get("m") == "may" and not parts.get("y"):
        return None  # "minute 6 may be …"
    year_text = parts.get("y") or _next_year(text[m.end() :])
    if year_text is None:
        return None
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    month = _MONTHS[parts["m"].lower()] if parts.get("m") else int(parts["n"])
    try:
        return dt.date(year, month, int(parts["d"]))
    except ValueError:
        return None


def _next_year(text: str) -> str | None:
    m = re.search(r"\b(?:19|20)\d{2}\b", text[:60])
    return m.group(0) if m else None


def _first_date(text: str) -> dt.date | None:
    found = [(m.start(), _date_of(m, text)) for p in _DATES for m in p.finditer(text)]
    dates = sorted((pos, d) for pos, d in found if d is not None)
    return dates[0][1] if dates else None


# --------------------------------------------------------------------------------------
# Where the amendments are.

_MARKER = re.compile(
    r"\bsubject\s+to\b|\bsave\s+(?:that|for)\b|\bexcept\s+(?:that|for)\b"
    r"|\bwith\s+the\s+exception\s+(?:of|that)\b|\bwith\s+(?=the\s+following\b)"
    r"|\b(?:with|following|after)\s+(?=(?:the\s+|an?\s+|one\s+|two\s+|three\s+|some\s+|minor\s+"
    r"|following\s+|typographical\s+)*(?:amendments?|corrections?|alterations?|changes?)\b)"
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


# --------------------------------------------------------------------------------------
# Splitting the amendment text into clauses.

_CHANGE_WORD = re.compile(
    r"\b(?:amend\w*|correct(?:ed|ion|ions|ing)\b|chang\w*|delet\w*|remov\w*|insert\w*"
    r"|add(?:ed|ing|ition\w*|s)?|inclu\w*|replac\w*|substitut\w*|reads?|reword\w*|spel\w*"
    r"|misspel\w*|typo\w*|omi(?:t|ts|tted|tting|ssion)\b|strik\w*|struck|alter\w*"
    r"|record(?:ed|ing)|record(?=\s+that)|note[ds]?|noting|apolog\w*|rectif\w*|revis\w*|should|instead|error)\b",
    re.I,
)
_REPLACE_WORD = re.compile(
    r"amend|correct|chang|replac|substitut|\bread|should|alter|reword|revis|rectif|spel"
    r"|typo|instead|error|updat|becom",
    re.I,
)
_CONTENT_AFTER_COLON = re.compile(
    r"(?P<lead>\b(?:following|these|new|additional|further)\s+(?:\w+\s+){0,2}?"
    r"(?P<noun>words?|sentences?|text|wording|paragraphs?|statement|phrase|note|resolution|lines?"
    r"|addition|insertion)\b[^:;\n\ue000]{0,120}:|\bto\s+read(?:\s+as\s+follows)?\s*:"
    r"|\bread\s+as\s+follows\s*:?)\s*(?P<rest>[^\s\ue000;][^\ue000;\n]*)",
    re.I,
)
_INTRO = re.compile(
    r"^\s*(?:(?:the|these)\s+)?(?:(?:following|below)\s+)?"
    r"(?:(?:minor|typographical|factual|further|two|three|four|five|several|small)\s+)*"
    r"(?:amendments?|changes?|corrections?|alterations?|amendment\(s\))\b"
    r"(?P<tail>(?:(?!\bread\b|\bthat\b|\bsay\b)[^:\ue000;\n]){0,80}?)\s*(?::|[-–—](?=\s))"
    r"|^\s*(?:the\s+)?following\s*:",
    re.I,
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:minute|min|item|paragraph|para|page|no|nos|resolution|recommendation|bullet|point"
    r"|part|section|appendix|clause|option)s?\.?\s*(?:no\.?\s*)?[\w/()]*"
    r"|\b(?:cllrs?|mrs?|ms|dr|st|prof|rev|approx|etc|e\.g|i\.e|vol|ref|pp?)\.?|(?-i:\b[A-Z]\.))\s*$",
    re.I,
)
_ENUMERATOR = re.compile(
    r"(?<![^\s:;,])(?:\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)|(?:[a-z]|[ivx]{1,4}|\d{1,2})\))\s+"
    r"(?!(?:of|in|to|and|or|be|being|is|was)\b)"
    r"|(?<![^\s:;])\d{1,2}\.\s+(?=\S)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\ue000(•])")
_LEAD = (
    r"(?:that\s+)?(?:(?:in|at|to|on|within|for|under)\s+)?(?:(?:the|a|an)\s+)?"
    r"(?:(?:further|additional|following)\s+)?"
    r"(?:deletion|removal|addition|insertion|inclusion|amendment|correction|replacement|"
    r"substitution|change|omission|alteration|note|rewording|apologies|spelling|words?\b|"
    r"(?:minute|item|paragraph|para|page)s?\.?\s*(?:no\.?\s*)?\d|\ue000)"
)
_AND = re.compile(rf"[\s,]+and\s+(?:also\s+)?(?={_LEAD})", re.I)


def _split_at(text: str, starts: Iterator[tuple[int, int]]) -> list[str]:
    """Cut ``text`` at each (start, end) separator whose text before it names no reference."""
    pieces: list[str] = []
    last = 0
    for start, end in starts:
        if _REFERENCE_BEFORE.search(text[max(last, start - 40) : start]):
            continue
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return pieces


def _by_enumerators(text: str) -> list[str]:
    return _split_at(text, ((m.start(), m.end()) for m in _ENUMERATOR.finditer(text)))


def _by_sentences(text: str) -> list[str]:
    return _split_at(text, ((m.start(), m.end()) for m in _SENTENCE_END.finditer(text)))


_TRAILING_SCOPE = re.compile(
    r"\s+(?:in|from|of|within|at|to|under)\s+(?:the\s+[\w\s]{0,40}?\s+of\s+)?(?:agenda\s+)?"
    r"(?:minute|item)s?\.?\s*(?:no\.?\s*)?[\w/()]+[\s.;,]*$",
    re.I,
)


def _by_and(text: str) -> list[str]:
    """Cut at an "and" joining two changes; "… in minute 5" at the end scopes them all."""
    pieces: list[str] = []
    last = 0
    for m in _AND.finditer(text):
        left, right = text[last : m.start()], text[m.end() :]
        if _CHANGE_WORD.search(left) and _CHANGE_WORD.search(re.split(_AND, right)[0]):
            pieces.append(left)
            last = m.end()
    pieces.append(text[last:])
    scope = _TRAILING_SCOPE.search(pieces[-1])
    if scope is None:
        return pieces
    return [p if _MINUTE.search(p) else p + scope.group(0) for p in pieces]


_SPLITTERS: tuple[Callable[[str], list[str]], ...] = (
    lambda t: t.split("\n"),
    lambda t: t.split(";"),
    _by_enumerators,
    _by_sentences,
    _by_and,
)


_LEADING = re.compile(
    r"^[\s•·▪●◦*\-–—]*(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s+)?"
    r"(?:(?:and|also|that|or|however|but|further(?:more)?|additionally|,)\s*)*",
    re.I,
)


def _tidy(clause: str) -> str:
    """Without its bullet, list marker and joining words ("; and that …")."""
    return _LEADING.sub("", clause, count=1).strip(" \t\n.;,:")


def _split_clauses(body: str) -> list[str]:
    pieces = [body]
    for split in _SPLITTERS:
        pieces = [p for piece in pieces for p in split(piece)]
    return [c for c in (_tidy(p) for p in pieces) if c]


def _quote_colon_content(body: str, masked: _Masked) -> str:
    """``the following sentence …: Members asked for a report.`` → the sentence as a quote."""

    def quote(m: re.Match[str]) -> str:
        rest = m.group("rest").strip()
        noun = (m.group("noun") or "").lower()
        if noun in ("word", "words", "phrase", "text", "wording"):
            rest = rest.rstrip(".")
        return m.group("lead") + " " + masked.add(rest, rest)

    return _CONTENT_AFTER_COLON.sub(quote, body)


# --------------------------------------------------------------------------------------
# Scope: minute and paragraph.

_MINUTE = re.compile(
    r"\b(?:agenda\s+)?(?:minute|min|item)s?\.?\s*(?:no\.?|number|ref(?:erence)?\.?)?\s*"
    r"(?P<n>[A-Za-z]{1,6}/\d+(?:/\d+)*|\d+(?:[/.]\d+)*(?:\s?\((?-i:[a-z]{1,4}|\d{1,2})\))*"
    r"(?-i:[a-z])?)(?![\w/])",
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
    "eleventh": 11,
    "twelfth": 12,
}
_CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_CARDINALS |= {"eight": 8, "nine": 9, "ten": 10}
_PARAGRAPH = re.compile(
    rf"\b(?P<o>{'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+(?:paragraph|para)\b"
    rf"|\b(?:paragraph|para\.?)\s*(?:no\.?\s*)?(?P<n>\d{{1,2}}|{'|'.join(_CARDINALS)})\b(?!\.\d)",
    re.I,
)


def _minute(text: str) -> str | None:
    m = _MINUTE.search(text)
    return re.sub(r"\s+", "", m.group("n")) if m else None


def _paragraph(text: str) -> int | None:
    m = _PARAGRAPH.search(text)
    if m is None:
        return None
    word = (m.group("o") or m.group("n")).lower()
    if word.isdigit():
        return int(word)
    return _ORDINALS.get(word) or _CARDINALS.get(word) or int(re.sub(r"\D", "", word))


# --------------------------------------------------------------------------------------
# Reading one clause.


@dataclass(frozen=True)
class _Clause:
    text: str  # masked
    masked: _Masked
    minute: str | None
    paragraph: int | None
    context: str = ""  # the lead-in ("the following corrections:") the clause belongs to

    def amendment(
        self,
        op: AmendmentOp,
        *,
        old: str | None = None,
        new: str | None = None,
        anchor: str | None = None,
        position: Literal["after", "before"] | None = None,
        attendance_list: str | None = None,
    ) -> Amendment:
        return Amendment(
            op=op,
            old=old,
            new=new,
            minute=self.minute,
            paragraph=self.paragraph,
            anchor=anchor,
            position=position,
            attendance_list=attendance_list,
        )

    def group(self, m: re.Match[str], name: str) -> str | None:
        """The words of group ``name``: a quote's words, or the bare word of ``name_w``."""
        groups = m.groupdict()
        if groups.get(name):
            return self.masked.words(groups[name])
        return groups.get(f"{name}_w")


Build = Callable[[re.Match[str], _Clause], list[Amendment] | None]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Build


_W = r"[A-Za-z][\w'’-]*"
_FILLER = (
    r"(?:(?:the|a|an)\s+)?(?:(?:following|new|additional|further|extra)\s+)?"
    r"(?:(?:words?|phrases?|sentences?|text|wording|terms?|references?(?:\s+to)?|names?|figures?"
    r"|numbers?|lines?|letters?|paragraph|statement|spelling|date|time|title)\s*:?\s*)?"
)
_QS = rf"{_Q}(?:\s*(?:,\s*and|,|and|&)\s*{_Q})*"
_POS = (
    r"(?:immediately\s+|directly\s+)?(?:after|before|following|preceding|ahead\s+of"
    r"|in\s+front\s+of|between)"
)
_INSERT_VERB = r"\b(?:insert(?:ion|ing|ed)?|add(?:ition|ing|ed)?|inclu(?:de|sion|ding|ded))\b"
_DELETE_VERB = (
    r"\b(?:delet(?:e|ed|es|ion|ing)|remov(?:e|ed|es|al|ing)|omi(?:t|ts|tted|ssion|tting)"
    r"|strik(?:e|ing)\s+(?:out|through)|struck\s+(?:out|through)|excis(?:e|ion)|taking\s+out)\b"
)
_OF_GAP = r"(?:\s+(?:of|from|to|in|at|into|on)\b[^\ue000;]{0,80}?)?[\s:]*"


def _target(name: str) -> str:
    """Quoted words, or a single unquoted word after "the word"."""
    return rf"(?:{_FILLER}(?P<{name}>{_Q})|(?:the\s+)?\bword\s+(?P<{name}_w>{_W}))"


_ANCHOR = rf"(?P<pos>{_POS})\s+{_target('anchor')}"
_NEW_REPLACEMENT = (
    rf"(?:{_FILLER}(?P<new>{_Q})|(?:the\s+word\s+)?(?P<new_w>{_W})"
    r"(?=\s*[.;,]|\s*$|\s+(?:in|on|at|of|within|under|throughout|from|where|when)\b))"
)
#: Bare words that cannot be the new word of "… to be changed to X".
_NOT_A_NEW_WORD = _words(
    "be read the a an reflect record show state say include note delete remove insert "
    "add correct change amend deleted removed"
)


def _replace_pairs(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    if not _REPLACE_WORD.search(c.text + " " + c.context):
        return None
    found = [_pair(p, c) for p in _REPLACE_FORWARD.pattern.finditer(c.text)]
    pairs = [p for p in found if p is not None]
    if not pairs:
        return None
    return [c.amendment("replace", old=old, new=new) for old, new in pairs]


def _pair(m: re.Match[str], c: _Clause) -> tuple[str, str] | None:
    old, new = c.group(m, "old"), c.group(m, "new")
    if old is None or new is None:
        return None
    if m.group("new_w"):
        bare_ok = m.group("old_w") or m.group("conn").lower() in ("to", "with", "by", "to read")
        if not bare_ok or new.lower() in _NOT_A_NEW_WORD:
            return None
    return old, new


def _replace_reversed(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    return [c.amendment("replace", old=c.group(m, "old"), new=c.group(m, "new"))]


def _reworded(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    """ "Minute 45 be amended to read '…'": the old words are not given, so it cannot be
    applied mechanically (a replace needs them); recorded as ``other``."""
    return [c.amendment("other")]


def _insert_anchored(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    position: Literal["after", "before"] = "after"
    if re.search(r"before|preceding|ahead|front", m.group("pos"), re.I):
        position = "before"
    return [
        c.amendment("insert", new=c.group(m, "new"), anchor=c.group(m, "anchor"), position=position)
    ]


def _insert_plain(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    if re.search(r"\b(?:beginning|start)\s+of\b", c.text, re.I):
        return [c.amendment("other")]  # no anchor words: cannot be placed mechanically
    return [c.amendment("insert", new=c.group(m, "new"))]


def _delete(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    if m.groupdict().get("old_w"):
        return [c.amendment("delete", old=m.group("old_w"))]
    return [c.amendment("delete", old=c.masked.words(t)) for t in re.findall(_Q, m.group("old"))]


def _other(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    return [c.amendment("other")]


def _note(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    rest = c.text[m.end() :]
    said = re.match(
        r"[^\ue000]{0,80}?(?:\bthat\b|:|\b(?:stating|saying|reading|recording|confirming"
        r"|indicating|explaining|to\s+the\s+effect|to\s+say|to\s+state|to\s+read|to\s+record)\b)"
        r"\s*(?:that\s+)?(?P<t>\S.*)$|[^\ue000]{0,80}?(?P<q>" + _Q + ")",
        rest,
        re.I | re.S,
    )
    if said is None:
        return None
    words = said.group("t") or said.group("q")
    if re.fullmatch(_Q, words.strip(" .")):
        return [c.amendment("note", new=c.masked.words(words.strip(" .")))]
    return [c.amendment("note", new=c.masked.unmask(words).strip(" .;,"))]


# Attendance ---------------------------------------------------------------------------

#: A capitalised word, or a title in lower case (the two never match the same text).
_NAME_TOKEN = r"(?:[A-Z][\w.'’-]*|c(?i:ouncillors?|llrs?)\.?)"
_NAMES = (
    rf"(?P<names>{_Q}|(?-i:{_NAME_TOKEN}(?:(?:\s+|\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
    rf"(?:{_NAME_TOKEN}|\([^()\ue000]{{1,60}}\)|(?:de|van|von|der|le|la|da|du|di|al|el|bin|ap)"
    r"(?=\s+[A-Z]))){0,24}))"
)
_LIST = (
    r"(?P<list>\b(?:those\s+|members\s+|councillors\s+|officers\s+|others\s+|persons\s+|people\s+)?"
    r"(?:also\s+)?(?:present|in\s+attendance|attend(?:ance|ees|ing)(?:\s+list)?|attended"
    r"|apolog(?:y|ies)(?:\s+for\s+absence)?|absent(?:ees)?"
    r"|having\s+(?:given|sent|tendered|submitted|offered)\s+(?:(?:his|her|their)\s+)?apologies"
    r"|having\s+attended)\b)"
)
_TO_LIST = rf"(?:the\s+)?(?:list\s+of\s+|record\s+of\s+|names\s+of\s+)?{_LIST}"
_FROM_LIST = _TO_LIST.replace("?P<list>", "?P<from_list>")
_PASSIVE = (
    r"(?:(?:being|be|to\s+be|should\s+be|should\s+have\s+been|was|were|is|are|has\s+been"
    r"|had\s+been)\s+)?"
)
_NOT_A_NAME = _words(
    "in the that and also subject to minute item note resolved page paragraph it a an with"
)


def _which_list(words: str) -> str:
    words = words.lower()
    if "apolog" in words:
        return "apologies"
    if "absent" in words:
        return "absent"
    if re.search(r"\b(?:also|officers|others)\b", words):
        return "also_present"
    return "present"


def _names(raw: str, c: _Clause) -> str | None:
    if re.fullmatch(_Q, raw):
        return c.masked.words(raw)
    words = raw.strip(" ,.").split()
    while words and words[0].lower() in _NOT_A_NAME:
        words.pop(0)
    names = re.sub(r"(?:['’]s?)?(?:\s+(?:sur)?names?)?$", "", " ".join(words)).strip(" ,.")
    if not names or not re.match(r"[A-Z]", names) or len(names.split()) > 14:
        return None
    return _expand_plural_title(names)


def _expand_plural_title(names: str) -> str:
    """``Councillors A and B`` → ``Councillor A, Councillor B`` (each name as listed)."""
    m = re.match(r"(Councillors|Cllrs\.?)\s+(.+)$", names, re.I)
    if m is None:
        return names
    title = "Councillor" if m.group(1).lower().startswith("councillor") else "Cllr"
    people = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", m.group(2)) if p]
    return ", ".join(f"{title} {p}" for p in people)


def _attendance(
    *, removing: bool | None = None, moving: bool = False, default: str | None = None
) -> Build:
    """Names added to (or removed from, or moved to) the list the clause names (or
    ``default``); ``removing=None`` decides from the clause's verb."""

    def build(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
        names = _names(m.group("names"), c)
        if names is None:
            return None
        listed = m.groupdict().get("list")
        target = _which_list(listed) if listed else (default or "present")
        remove = removing
        if remove is None:
            remove = bool(re.search(r"remov|delet|omi", c.text, re.I))
        moved = moving or bool(
            re.search(r"\b(?:rather\s+than|instead\s+of|and\s+not)\b", c.text, re.I)
        )
        old = names if remove or moved else None
        new = names if moved or not remove else None
        return [c.amendment("attendance", old=old, new=new, attendance_list=target)]

    return build


def _renamed_in_attendance(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    """ "'Cllr Jones' changed to 'Cllr Jonas' in the list of those present": the name is
    taken out of the attendance and the corrected one put on that list."""
    if not _REPLACE_WORD.search(c.text):
        return None
    old, new = c.masked.words(m.group("old")), c.masked.words(m.group("new"))
    return [c.amendment("attendance", old=old, new=new, attendance_list=_which_list(m["list"]))]


# The rules, in order: the first that reads a clause wins. ------------------------------


def _rule(pattern: str, build: Build) -> _Rule:
    return _Rule(re.compile(pattern, re.I | re.S), build)


_ATTENDANCE_RULES = (
    _rule(
        rf"{_NAMES}(?:['’]s?\s+names?)?\s+{_PASSIVE}(?:removed|deleted|omitted|taken\s+off)\s+"
        rf"from\s+{_FROM_LIST}\s+and\s+(?:be\s+|being\s+)?(?:added|included|recorded|listed|shown)"
        rf"\s+(?:to|in|on|under|among|as)\s+{_TO_LIST}",
        _attendance(moving=True),
    ),
    _rule(
        rf"(?P<old>{_Q})(?:[\s,]+[\w'’()-]+){{0,8}}?[\s,:]+(?:with|by|to\s+read|to|read|as)\s+"
        rf"(?P<new>{_Q})[^\ue000;]{{0,30}}?\b(?:in|on|under|within|from)\s+{_TO_LIST}",
        _renamed_in_attendance,
    ),
    _rule(
        r"\b(?:addition|inclusion|insertion|adding|including|add|include|insert|recording|record)"
        rf"\s+(?:of\s+)?(?:the\s+names?\s+(?:of\s+)?)?{_NAMES}\s+(?:to|in|into|on|under|among"
        rf"|amongst|within|as)\s+{_TO_LIST}",
        _attendance(removing=False),
    ),
    _rule(
        rf"{_NAMES}(?:['’]s?\s+names?)?\s+{_PASSIVE}(?:added|included|recorded|listed|shown|noted"
        rf"|inserted|marked|entered)\s+(?:to|in|into|on|under|among|amongst|as)\s+"
        rf"(?:being\s+|having\s+been\s+)?{_TO_LIST}",
        _attendance(removing=False),
    ),
    _rule(
        rf"{_DELETE_VERB}\s+(?:of\s+)?(?:the\s+names?\s+(?:of\s+)?)?{_NAMES}\s+from\s+{_TO_LIST}",
        _attendance(removing=True),
    ),
    _rule(
        rf"{_NAMES}(?:['’]s?\s+names?)?\s+{_PASSIVE}(?:removed|deleted|omitted|taken\s+off)\s+"
        rf"from\s+{_TO_LIST}",
        _attendance(removing=True),
    ),
    _rule(
        r"\bapolog(?:y|ies)(?:\s+for\s+absence)?\s+(?:(?:were|was|had\s+been|having\s+been)\s+)?"
        r"(?:(?:received|given|sent|tendered|submitted)\s+)?(?:from|for|of|on\s+behalf\s+of|by)\s+"
        + _NAMES,
        _attendance(default="apologies"),
    ),
    _rule(
        rf"{_NAMES}(?:\s+(?:had|has|having))?\s+(?:sent|given|gave|tendered|submitted|offered)\s+"
        r"(?:(?:his|her|their)\s+)?apolog",
        _attendance(removing=False, default="apologies"),
    ),
    _rule(rf"{_NAMES}['’]s\s+apologies", _attendance(default="apologies")),
    _rule(rf"{_NAMES}['’]s\s+attendance\b", _attendance(removing=False)),
    _rule(rf"\battendance\s+of\s+{_NAMES}", _attendance(removing=False)),
    _rule(
        rf"{_NAMES}\s+(?:was|were|had\s+been|is|being)\s+(?:also\s+)?{_LIST}",
        _attendance(removing=False),
    ),
    _rule(rf"{_NAMES}\s+(?:had\s+|also\s+)*attended\b", _attendance(removing=False)),
    _rule(
        rf"{_LIST}\W[^\ue000;]{{0,20}}?\b(?:add|include|insert|record|remove|delete|omit)\s+{_NAMES}",
        _attendance(),
    ),
    _rule(
        rf"{_LIST}\s+(?:list\s+)?(?:[\w,]+\s+){{0,4}}?(?:include|includes|including|show|record)"
        rf"\s+{_NAMES}",
        _attendance(removing=False),
    ),
)

_REPLACE_FORWARD = _rule(
    r"(?:(?P<old>" + _Q + r")|\bword\s+(?P<old_w>" + _W + r"))"
    r"(?:[\s,]+[\w'’()-]+){0,8}?[\s,:]+(?P<conn>with|by|to\s+read|to|into|reads?|be|as)"
    rf"\s*:?\s*{_NEW_REPLACEMENT}",
    _replace_pairs,
)

_RULES: tuple[_Rule, ...] = (
    *_ATTENDANCE_RULES,
    _rule(
        rf"{_INSERT_VERB}{_OF_GAP}{_target('new')}[^\ue000;]{{0,80}}?\b{_ANCHOR}", _insert_anchored
    ),
    _rule(
        rf"{_target('new')}[^\ue000;]{{0,40}}?\b(?:insert\w*|added|included|placed|put)\b"
        rf"[^\ue000;]{{0,60}}?\b{_ANCHOR}",
        _insert_anchored,
    ),
    _rule(
        rf"\bsubstitut(?:e|ed|ion\s+of|ing)\s+{_FILLER}(?P<new>{_Q})\s+for\s+{_FILLER}(?P<old>{_Q})",
        _replace_reversed,
    ),
    _rule(
        rf"(?P<new>{_Q})(?:[\s,]+[\w'’-]+){{0,4}}?[\s,]+(?:instead\s+of|in\s+place\s+of|rather\s+than"
        rf"|in\s+lieu\s+of)\s+{_FILLER}(?P<old>{_Q})",
        _replace_reversed,
    ),
    _rule(rf"(?P<new>{_Q})[\s,]+(?:and\s+|but\s+)?not\s+{_FILLER}(?P<old>{_Q})", _replace_reversed),
    _rule(
        rf"(?P<new>{_Q})\s+(?:(?:should|to|shall|will|would)\s+)?replac(?:e|es|ing)\s+{_FILLER}(?P<old>{_Q})",
        _replace_reversed,
    ),
    _REPLACE_FORWARD,
    _rule(
        r"\b(?:(?:amend|chang|correct|alter|revis|reword|re-word|updat|rewrit)\w*\b[^\ue000;]{0,80}?"
        r"\bto|should|shall|will|would|must)\s+(?:now\s+)?(?:read|state|say)\b(?:\s+as\s+follows)?"
        rf"\s*:?\s*{_FILLER}{_Q}|\bread\s+as\s+follows\s*:?\s*{_Q}",
        _reworded,
    ),
    _rule(
        r"\b(?:amend|chang|correct|alter|revis|updat|clarif)\w*\b[^\ue000;]{0,80}?\bto\s+"
        r"(?:more\s+|accurately\s+|clearly\s+|correctly\s+)*(?:record|reflect|show|state|say|indicate"
        r"|clarify|confirm|note|make\s+clear|include|read|mention|explain)\b",
        _other,
    ),
    _rule(
        r"\b(?:a|an)\s+(?:further\s+|additional\s+|short\s+|brief\s+)?(?:note|statement|footnote)\b"
        r"|\bthe\s+following\s+(?:note|statement)\b"
        r"|\bit\s+(?:be|being|to\s+be|should\s+be|was|is|be\s+further)\s+(?:noted|recorded|minuted)\b"
        r"|\b(?:note|record)(?=\s+that\b)",
        _note,
    ),
    _rule(
        r"\bspelling\s+of\s+(?:(?:Councillor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr)\s+)?"
        r"(?-i:(?P<old_w>[A-Z][\w-]+))['’]s\s+(?:sur)?name\b(?:[\s,]+[\w'’-]+){0,4}?[\s,]+(?:to|as)\s+"
        + _NEW_REPLACEMENT,
        _replace_reversed,
    ),
    _rule(rf"{_INSERT_VERB}{_OF_GAP}{_target('new')}", _insert_plain),
    _rule(
        rf"{_target('new')}[^\ue000;]{{0,40}}?\b(?:be|being|to\s+be|should\s+be|is|was)\s+"
        r"(?:insert\w*|added|included)\b",
        _insert_plain,
    ),
    _rule(
        rf"{_DELETE_VERB}{_OF_GAP}(?:{_FILLER}(?P<old>{_QS})|(?:the\s+)?\bword\s+(?P<old_w>{_W}))",
        _delete,
    ),
    _rule(
        rf"(?P<old>{_QS})(?:[\s,]+[\w'’()-]+){{0,4}}?[\s,]+(?:deleted|removed|omitted|struck"
        r"|taken\s+out|excised|crossed\s+out)\b",
        _delete,
    ),
    _rule(
        rf"(?:the\s+)?\bword\s+(?P<old_w>{_W})\s+{_PASSIVE}(?:deleted|removed|omitted|struck)\b",
        _delete,
    ),
)


_ANNOUNCEMENT = re.compile(
    r"(?:(?:the|these|this)\s+)?(?:(?:following|above|below)\s+)?(?:\w+\s+)?"
    r"(?:amendments?|changes?|corrections?|alterations?)"
    r"(?:\s+(?:below|above|(?:set\s+out|shown|listed|detailed)\s+(?:below|above)))?",
    re.I,
)


def _read_clause(clause: _Clause) -> list[Amendment]:
    if _ANNOUNCEMENT.fullmatch(clause.text):
        return []  # "the following amendment", "the above changes": what they announce is read
    for rule in _RULES:
        for m in rule.pattern.finditer(clause.text):
            result = rule.build(m, clause)
            if result is not None:
                return result
    if _CHANGE_WORD.search(clause.text):
        return [clause.amendment("other")]
    return []


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
    """Read a resolution approving earlier minutes (see the module docstring)."""
    masked = _mask(_normalise(text))
    found = _find_approval(masked.text)
    layout = _layout(masked.text, found)
    minutes_of = _first_date(layout.approval) or _first_date(layout.head)
    return Approval(approved=True, minutes_of=minutes_of, amendments=_amendments(layout, masked))
