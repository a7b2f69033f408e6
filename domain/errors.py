"""Domain errors: each names the rule that was broken in words a clerk can act on."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every rule the record enforces."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RecordConflictError(DomainError):
    """The record does not allow this change in its current state (HTTP 409)."""


class MinutesConfirmedError(RecordConflictError):
    """Confirmed minutes reject any direct change."""


class MinutesNotEditableError(RecordConflictError):
    """Minutes may only be changed while draft or circulated."""


class AlreadyConfirmedError(RecordConflictError):
    """Minutes can be confirmed once."""


class ConfirmationOrderError(RecordConflictError):
    """Only an item of a later meeting of the same body confirms minutes."""


class ItemNumberTakenError(RecordConflictError):
    """Item numbers are unique within a body's municipal year."""


class MeetingCancelledError(RecordConflictError):
    """A cancelled meeting has no minutes."""


class ActionClosedError(RecordConflictError):
    """A completed or withdrawn action takes no updates except a reasoned reopening."""


class InvalidValueError(DomainError):
    """A value given is malformed or out of range (HTTP 422)."""


class AmendmentError(InvalidValueError):
    """A structured amendment does not match exactly once in its scope."""


class UnknownRecordError(DomainError):
    """No such body, meeting, item or action (HTTP 404)."""
