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
4. Each clause is read by the first rule of ``rules._RULES`` that fits.  A clause that
   plainly changes the minutes but fits no rule becomes op ``other`` rather than a
   guessed structure.
"""

from domain.approval_wording.errors import NotAnApprovalError
from domain.approval_wording.parse import parse_approval

__all__ = ["NotAnApprovalError", "parse_approval"]
