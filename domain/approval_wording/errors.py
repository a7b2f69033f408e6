"""The error raised for text that does not approve minutes, and its messages."""

from __future__ import annotations


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
