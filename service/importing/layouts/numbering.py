"""Item numbers: reading them, ordering them, keeping the runs that go up.

Numbers as written: ``28``, ``28.``, ``4a``, ``39/20``, ``CYP/17/24``, ``5.1``.
A document's items go up; a line that merely looks like a heading (a numbered
list in the text, a stray figure) breaks the run.  Of the candidate headings
the longest strictly rising run is kept (ties: the earliest).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

NUMBER = r"(?:[A-Z]{1,6}/)?\d{1,3}(?:/\d{2,4})?[a-z]?|\d{1,2}\.\d{1,2}"
NUMBER_ONLY = re.compile(rf"^(?:(?:[Mm]inute|MINUTE|[Ii]tem|ITEM)\s+)?(?P<num>{NUMBER})\.?$")

T = TypeVar("T")


def sort_key(number: str) -> tuple[int, int, str]:
    """``39/20`` → (39, 0, ''); ``CYP/17/24`` → (17, 0, ''); ``4b`` → (4, 0, 'b')."""
    if re.fullmatch(r"\d{1,2}\.\d{1,2}", number):
        main, sub = number.split(".")
        return int(main), int(sub), ""
    digits = re.search(r"\d+", number)
    suffix = re.search(r"[a-z]$", number)
    return (int(digits.group()) if digits else 0), 0, (suffix.group() if suffix else "")


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
