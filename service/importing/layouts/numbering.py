"""Item numbers: reading them, ordering them, keeping the runs that go up.

Numbers as written: ``28``, ``28.``, ``4a``, ``39/20``, ``CYP/17/24``, ``5.1``,
``TB23/045``, ``C048/23``, ``C 08/042`` and ``CAB 12`` (a code of capitals, a space, a
number; not words such as "PART 1"), ``1-0607/8`` (item, dash, municipal year) and capital Roman
numerals followed by ``.``, ``)`` or a title in capitals (``IV.``,
``II DECLARATION``).  Numbers are ordered by their first number, then their
second ("08/042" before "08/043"), then a letter.  A document's items go up; a
line that merely looks like a heading (a numbered list in the text, a stray
figure) breaks the run.  Of the candidate headings the longest strictly rising
run is kept (ties: the earliest).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

_NOT_CODES = (
    r"(?!(?:PART|ITEM|PAGE|PAGES|ROOM|NO|NOS|APPENDIX|ANNEX|SECTION|SCHEDULE|STAGE|PHASE"
    r"|LEVEL|TABLE|YEAR|WARD|BOX|TO|ON|AT|BY|OF|IN|AND|THE|FOR|MINUTE|MINUTES|A|I|PARA)\s)"
)
NUMBER = (
    r"(?:[A-Z]{1,6}/)?\d{1,3}(?:/\d{2,4})?[a-z]?(?![\w/-])|\d{1,2}\.\d{1,2}"
    rf"|{_NOT_CODES}[A-Z]{{1,5}}\s\d{{1,3}}(?:/\d{{2,4}})?(?![\w/-])"
    r"|\d{1,3}-\d{2,4}(?:/\d{1,2})?(?![\w/-])|[A-Z]{1,5}\d{2,4}/\d{1,4}(?![\w/-])"
    r"|(?=[IVX]{1,5}(?:[.)]|\s+[A-Z]{2}))X{0,3}(?:IX|IV|V?I{0,3})(?=[.)]|\s+[A-Z]{2})"
)
NUMBER_ONLY = re.compile(rf"^(?:(?:[Mm]inute|MINUTE|[Ii]tem|ITEM)\s+)?(?P<num>{NUMBER})\.?$")

T = TypeVar("T")


_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


def sort_key(number: str) -> tuple[int, int, str]:
    """``39/20`` → (39, 20, ''); ``CYP/17/24`` → (17, 24, ''); ``4b`` → (4, 0, 'b');
    ``C 08/042`` → (8, 42, ''); ``IV`` → (4, 0, '')."""
    if re.fullmatch(r"[IVX]+", number):
        return _roman(number), 0, ""
    digits = [int(d) for d in re.findall(r"\d+", number)]
    suffix = re.search(r"(?<=\d)[a-z]$", number)
    first = digits[0] if digits else 0
    second = digits[1] if len(digits) > 1 else 0
    return first, second, (suffix.group() if suffix else "")


def rising(candidates: Sequence[T], number: Callable[[T], str]) -> list[T]:
    """The longest run of candidates whose numbers strictly rise, in document order."""
    keys = [sort_key(number(c)) for c in candidates]
    best: list[int] = [1] * len(keys)
    back: list[int] = [-1] * len(keys)
    for i in range(len(keys)):
        for j in range(i):
            if keys[j] < keys[i] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    if not keys:
        return []
    i = max(range(len(keys)), key=lambda k: (best[k], -k))
    chain: list[int] = []
    while i >= 0:
        chain.append(i)
        i = back[i]
    return [candidates[k] for k in reversed(chain)]
