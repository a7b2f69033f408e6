"""Where in the minutes a change applies: the minute number and the paragraph."""

from __future__ import annotations

import re

_MINUTE = re.compile(
    r"\b(?:agenda\s+)?(?:minute|min|item)s?\.?\s*(?:no\.?|number|ref(?:erence)?\.?)?\s*"
    r"(?P<n>[A-Za-z]{1,6}/\d+(?:/\d+)*|(?-i:[A-Z]{2,6})\s?\d+(?:/\d+)*|\d+(?:[/.]\d+)*(?:\s?\((?-i:[a-z]{1,4}|\d{1,2})\))*"
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
    return re.sub(r"\s+(?=\()", "", m.group("n")) if m else None


def _paragraph(text: str) -> int | None:
    m = _PARAGRAPH.search(text)
    if m is None:
        return None
    word = (m.group("o") or m.group("n")).lower()
    if word.isdigit():
        return int(word)
    return _ORDINALS.get(word) or _CARDINALS.get(word) or int(re.sub(r"\D", "", word))
