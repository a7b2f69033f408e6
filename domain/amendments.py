"""Structured amendments made to minutes when they are confirmed.

An amendment is data, not prose: ``delete(old)``, ``replace(old, new)``,
``insert(new, after|before anchor)``, ``note(new)``, ``attendance(added, removed)``,
scoped to a minute number and optionally a 1-based paragraph.  The wording
clerks use is parsed into these structures by :mod:`domain.approval_wording`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

AmendmentOp = Literal["delete", "replace", "insert", "note", "attendance", "other"]
AMENDMENT_OPS: tuple[str, ...] = ("delete", "replace", "insert", "note", "attendance", "other")


class Amendment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One distinct change made to earlier minutes on their confirmation."""

    op: AmendmentOp
    old: str | None = None
    new: str | None = None
    minute: str | None = None
    paragraph: int | None = None
    #: For ``insert``: the words the new text goes after or before, when stated.
    anchor: str | None = None
    position: Literal["after", "before"] | None = None
    #: For ``attendance``: which list ("present", "apologies", "also_present", "absent").
    attendance_list: str | None = None

    def contract_dict(self) -> dict[str, Any]:
        """The public shape of CONTRACT.md (``parse-amendment`` and dry-run import)."""
        return {
            "op": self.op,
            "old": self.old,
            "new": self.new,
            "minute": self.minute,
            "paragraph": self.paragraph,
        }


class Approval(msgspec.Struct, frozen=True, kw_only=True):
    """A resolution approving earlier minutes, with the amendments it makes."""

    approved: bool
    minutes_of: dt.date | None = None
    amendments: tuple[Amendment, ...] = ()

    def contract_dict(self) -> dict[str, Any]:
        return {
            "approved": self.approved,
            "minutes_of": self.minutes_of.isoformat() if self.minutes_of else None,
            "amendments": [a.contract_dict() for a in self.amendments],
        }
