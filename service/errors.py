"""Errors of the service layer (the domain's own live in domain.errors)."""

from __future__ import annotations

from domain.errors import DomainError, RecordConflictError


class StaleVersionError(DomainError):
    """The clerk's copy is out of date (If-Match did not match): HTTP 412."""


class ConcurrentChangeError(RecordConflictError):
    """Someone else changed the record between read and save: nothing was stored."""


class StoreUnavailableError(Exception):
    """The store cannot be reached (HTTP 503)."""
