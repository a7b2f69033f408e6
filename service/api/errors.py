"""Every error as RFC 9457 problem details, from one map; and their OpenAPI declarations."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import structlog
from eventsourcing import persistence
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    InternalServerException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

from domain.approval_wording import NotAnApprovalError
from domain.errors import (
    AmendmentError,
    DomainError,
    InvalidValueError,
    RecordConflictError,
    UnknownRecordError,
)
from service.api.state import services_of
from service.errors import (
    ConcurrentChangeError,
    StaleVersionError,
    is_sqlite_write_problem,
    store_unavailable_reason,
)
from service.importing.errors import MinutesFormatError

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("minutebook.api")


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    """One invalid input: where it was (body, query, path, header), its name, what is wrong."""

    source: str
    field: str | None
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details, with the request id to quote when reporting it."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: tuple[FieldError, ...] = ()


class ApiError(Exception):
    """A problem the API itself detects (bad header, bad cursor, idempotency misuse…)."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        errors: tuple[FieldError, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def bad_input(source: str, field: str, message: str) -> ApiError:
    """400 naming the parameter: ``bad_input("query", "limit", "must be 1 to 500")``."""
    return ApiError(
        400,
        "invalid-request",
        f"{source} parameter {field!r}: {message}",
        errors=(FieldError(source=source, field=field, message=message),),
    )


_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed for this role",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "The record does not allow this change",
    412: "Stale version",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid value",
    429: "Too many failed authentications",
    500: "Internal error",
    503: "Store unavailable",
}

#: Domain and service errors, most specific first: (class, status, problem type).
_DOMAIN_MAP: tuple[tuple[type[Exception], int, str], ...] = (
    (StaleVersionError, 412, "stale-version"),
    (ConcurrentChangeError, 409, "concurrent-change"),
    (RecordConflictError, 409, "record-conflict"),
    (AmendmentError, 422, "amendment-does-not-apply"),
    (InvalidValueError, 422, "invalid-value"),
    (UnknownRecordError, 404, "unknown-record"),
    (MinutesFormatError, 422, "unreadable-minutes"),
    (NotAnApprovalError, 422, "not-an-approval"),
    (DomainError, 422, "invalid-value"),
    (persistence.IntegrityError, 409, "concurrent-change"),
)
#: Seconds a client is told to wait (Retry-After) when the store is unavailable.
RETRY_AFTER_SECONDS = 2
_HTTP_KINDS = {
    400: "invalid-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "body-too-large",
    415: "unsupported-media-type",
}


def problem_type(kind: str) -> str:
    return f"urn:minutebook:problem:{kind}"


#: msgspec's messages for a value over (or under) a constraint: "… of length <= 500", ">= 1".
_LIMIT = re.compile(r"(?:<=|>=|<|>) -?\d")
_NAMED = re.compile(r"(?:unknown|required) field `([^`]+)`")


def _field_name(key: object, source: str, message: str) -> str | None:
    """The field a validation message is about (msgspec names top-level ones in the text)."""
    if source == "body" and key in (None, "", "data"):
        found = _NAMED.search(message)
        return found.group(1) if found else None
    return str(key) if key not in (None, "") else None


def _field_errors(extra: Any) -> tuple[FieldError, ...]:
    items = extra if isinstance(extra, list) else [extra] if isinstance(extra, dict) else []
    out = []
    for item in items:
        if isinstance(item, dict):
            source = str(item.get("source") or "body")
            message = str(item.get("message", "invalid"))
            out.append(
                FieldError(
                    source=source,
                    field=_field_name(item.get("key"), source, message),
                    message=message,
                )
            )
    return tuple(out)


def _validation_detail(exc: ValidationException, errors: tuple[FieldError, ...]) -> str:
    if not errors:
        text = str(exc.detail or "")
        return text if text and "Validation failed" not in text else "the request is malformed"
    parts = []
    for e in errors:
        where = f"{e.source} field {e.field!r}" if e.field else f"{e.source}"
        parts.append(f"{where}: {e.message}")
    return "invalid request — " + "; ".join(parts)


def unavailable_detail(reason: str, *, reads_ok: bool = False) -> str:
    """What a client is told when the store is unavailable: why, and what to do."""
    scope = "changes cannot be recorded" if reads_ok else "the record cannot be reached"
    return (
        f"the store is unavailable ({reason}): {scope} just now. Retry in "
        f"{RETRY_AFTER_SECONDS} seconds; send an Idempotency-Key with a write so that "
        "retrying it is safe"
    )


def classify(exc: Exception) -> tuple[int, str, str, tuple[FieldError, ...], dict[str, str]]:
    """(status, problem kind, detail, field errors, extra headers) for any exception."""
    if isinstance(exc, ApiError):
        return exc.status, exc.kind, exc.detail, exc.errors, dict(exc.headers)
    for cls, status, kind in _DOMAIN_MAP:
        if isinstance(exc, cls):
            return status, kind, str(exc), (), {}
    # The store is down, locked, read-only or full: 503, to retry later.
    reason = store_unavailable_reason(exc)
    if reason is not None:
        detail = unavailable_detail(reason, reads_ok=is_sqlite_write_problem(exc))
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return 503, "store-unavailable", detail, (), headers
    if isinstance(exc, ValidationException):
        errors = _field_errors(exc.extra)
        if errors and all(e.source == "body" and _LIMIT.search(e.message) for e in errors):
            # Well-formed, but over a limit (too long, too many, out of range): 422.
            return 422, "limit-exceeded", _validation_detail(exc, errors), errors, {}
        return 400, "invalid-request", _validation_detail(exc, errors), errors, {}
    if isinstance(exc, UnicodeDecodeError):  # msgspec reads JSON as UTF-8 and says so this way
        return (
            400,
            "invalid-request",
            f"the request body is not UTF-8 text (byte {exc.start}): send JSON in UTF-8",
            (),
            {},
        )
    if isinstance(exc, RecursionError) and "deserializ" in str(exc):
        return 400, "invalid-request", "the request body nests too deeply to be read", (), {}
    if isinstance(exc, InternalServerException) and "disconnected" in str(exc.detail):
        return 400, "invalid-request", "the client disconnected before sending the body", (), {}
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        status = exc.status_code
        headers = dict(exc.headers or {})
        if isinstance(exc, NotAuthorizedException):
            headers.setdefault("WWW-Authenticate", 'Bearer realm="minutebook"')
        detail = str(exc.detail) if exc.detail else _TITLES.get(status, "Client error")
        if status == 413:
            detail = "the request body is larger than this route accepts; send a smaller body"
        return status, _HTTP_KINDS.get(status, "client-error"), detail, (), headers
    return 500, "internal-error", "", (), {}


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


def too_large_detail(request: Request[Any, Any, Any]) -> str:
    """413's detail, naming the limit of the route."""
    settings = services_of(request.app).settings
    imports = request.url.path.rstrip("/").startswith("/api/imports")
    limit = settings.max_import_bytes if imports else settings.max_body_bytes
    what = "a minutes document" if imports else "a request body"
    return (
        f"the request body is too large: {what} may be at most {_size(limit)} "
        f"({limit} bytes) here; send a smaller body"
    )


def problem_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    status, kind, detail, errors, headers = classify(exc)
    request_id = request.scope.get("state", {}).get("request_id")
    if status == 413:
        detail = too_large_detail(request)
    if status == 500:
        log.error("request_failed", exc_info=exc)
        detail = (
            "an unexpected error occurred; nothing was stored. Quote request id "
            f"{request_id} when reporting it"
        )
    elif kind == "store-unavailable":
        log.warning("store_unavailable", error=f"{type(exc).__name__}: {exc}"[:500])
        headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
        monitor = services_of(request.app).monitor
        if monitor is not None:
            monitor.trip(exc)
    problem = Problem(
        type=problem_type(kind),
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id,
        errors=errors,
    )
    return Response(content=problem, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_EXAMPLE_DETAIL = {
    400: "invalid request — body field 'titel': Object contains unknown field `titel`",
    401: "send an API token as 'Authorization: Bearer TOKEN'",
    403: "the reader role cannot record changes; this needs the clerk or admin role",
    404: 'no body called "safer-sefton" is recorded',
    406: "this resource is available as application/json, text/plain, text/markdown",
    409: (
        "the minutes of 2022-06-22 were confirmed as a correct record at the meeting of "
        "2022-09-08, minute 16; they can no longer be changed directly"
    ),
    412: "the record is at version 8, not 7: it changed since you read it",
    413: "the request body is larger than this route accepts; send a smaller body",
    422: "exempt item 12 needs the reason for exemption",
    429: "20 failed authentications from this address in 60 seconds: retry in 42 seconds",
    503: unavailable_detail("the database connection failed"),
}
_KIND_FOR = {
    400: "invalid-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "unknown-record",
    406: "not-acceptable",
    409: "record-conflict",
    412: "stale-version",
    413: "body-too-large",
    422: "invalid-value",
    429: "too-many-failed-authentications",
    503: "store-unavailable",
}


def problem_spec(status: int) -> ResponseSpec:
    example = Problem(
        type=problem_type(_KIND_FOR[status]),
        title=_TITLES[status],
        status=status,
        detail=_EXAMPLE_DETAIL[status],
        instance="/api/bodies/safer-sefton-together/meetings/2022-06-22/items/6",
        request_id="5f0c2d8e9a3b4c1d",
    )
    return ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_JSON,
        description=_TITLES[status],
        generate_examples=False,
        examples=[Example(summary=_TITLES[status], value=msgspec.to_builtins(example))],
    )


#: Every authenticated route can answer these.
AUTH_ERRORS = (400, 401, 403, 429, 503)


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem responses of a route: the common ones plus ``statuses``."""
    return {s: problem_spec(s) for s in sorted({*AUTH_ERRORS, *statuses})}


def public_errors(*statuses: int) -> dict[int, ResponseSpec]:
    return {s: problem_spec(s) for s in sorted({400, *statuses})}
