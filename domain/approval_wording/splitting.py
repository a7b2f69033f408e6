"""Splitting the amendment text into clauses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from domain.approval_wording.locations import _MINUTE
from domain.approval_wording.phrases import _CHANGE_WORD
from domain.approval_wording.quotes import _Masked

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
