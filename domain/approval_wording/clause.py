"""One clause being read, and the rule (pattern and builder) that reads it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from domain.amendments import Amendment, AmendmentOp
from domain.approval_wording.quotes import _Masked


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


def _rule(pattern: str, build: Build) -> _Rule:
    return _Rule(re.compile(pattern, re.I | re.S), build)
