"""Normalising the text, and masking quoted words as placeholders before any grammar is read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


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
