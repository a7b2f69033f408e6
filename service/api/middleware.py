"""Outermost ASGI layer: request id in and out, security headers, one log line and metrics.

The line names the route template (not the path, so no body names or minute
numbers), the actor (token id, name and role — never the token), the status and
the duration.  Request and response bodies are never logged.
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.api.metrics import Metrics

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
log = structlog.get_logger("minutebook.api")
_std_log = logging.getLogger("minutebook.api")


class _FreshIds:
    """Random request ids (32 hex digits, from ``os.urandom``), drawn :data:`BATCH` at a time.

    ``os.urandom`` lets go of the GIL; on the event loop's thread, getting it back
    from a busy writer thread can take up to the interpreter's switch interval, with
    every request of the process waiting meanwhile.  One draw per batch makes that
    rare.  Called on the event loop only; a forked child starts with an empty batch.
    """

    BATCH = 256

    def __init__(self) -> None:
        self._ids: list[str] = []
        os.register_at_fork(after_in_child=self._ids.clear)

    def next(self) -> str:
        ids = self._ids
        if not ids:
            raw = os.urandom(16 * self.BATCH).hex()
            ids.extend(raw[i : i + 32] for i in range(0, len(raw), 32))
        return ids.pop()


_fresh_ids = _FreshIds()


def request_id_from(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _REQUEST_ID.match(text):
                return text
            break
    return _fresh_ids.next()


def _info_enabled() -> bool:
    """Whether a request line would be written: structlog routes through the standard
    library once configured (``service.logging``), where the level decides; skipping the
    line's processors when it would be dropped is the largest cost saved per request."""
    return not structlog.is_configured() or _std_log.isEnabledFor(logging.INFO)


class RequestContextMiddleware:
    """ASGI, outermost: the request id, the security headers (:func:`secure_headers`),
    one log line and the metrics of every HTTP request — one layer, one ``send`` wrapper."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        path = str(scope.get("path", ""))
        header = (b"x-request-id", request_id.encode())

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = secure_headers(path, list(message.get("headers", ())))
                headers.append(header)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or "(unmatched)"
            method = str(scope.get("method", "GET"))
            if _info_enabled():
                principal = state.get("principal")
                actor = (
                    {
                        "actor": principal.token_id,
                        "actor_name": principal.name,
                        "role": principal.role,
                    }
                    if principal is not None
                    else {"actor": None}
                )
                log.info(
                    "request_handled",
                    method=method,
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                    **actor,
                )
            self.metrics.observe(method, route, status, elapsed)
            structlog.contextvars.clear_contextvars()


#: Every response: no MIME sniffing, no framing, no referrer.
COMMON_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
#: JSON, text, problem details, metrics: nothing on the page may load or run anything.
STRICT_CSP = b"default-src 'none'; frame-ancestors 'none'"
#: The interactive docs under /schema load their scripts and styles from a CDN and run an
#: inline script, so their pages keep scripts working but may not be framed, embed
#: plugins or change their base URL.
DOCS_CSP = b"frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
NO_STORE = (b"cache-control", b"no-store")


def _csp_for(path: str, headers: list[tuple[bytes, bytes]]) -> bytes:
    if path == "/schema" or path.startswith("/schema/"):
        for name, value in headers:
            if name.lower() == b"content-type" and value.lower().startswith(b"text/html"):
                return DOCS_CSP
    return STRICT_CSP


#: The headers :func:`secure_headers` sets or replaces (lower case).
_SECURITY_NAMES = frozenset(
    {b"cache-control", b"content-security-policy", *(name for name, _ in COMMON_HEADERS)}
)
#: What :func:`secure_headers` appends when the response sets none of them (the usual case).
_API_TAIL = (NO_STORE, *COMMON_HEADERS, (b"content-security-policy", STRICT_CSP))
_OTHER_TAIL = (*COMMON_HEADERS, (b"content-security-policy", STRICT_CSP))


def secure_headers(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The security headers on every response (errors and refusals included), and
    ``Cache-Control: no-store`` on every /api/ response (the event stream's included)."""
    api = path.startswith("/api/")
    if (api or not path.startswith("/schema")) and not any(
        name.lower() in _SECURITY_NAMES for name, _ in headers
    ):  # the usual answer: the same headers as below, appended in the same order
        headers.extend(_API_TAIL if api else _OTHER_TAIL)
        return headers
    if api:  # authenticated answers are never stored
        headers = [h for h in headers if h[0].lower() != b"cache-control"]
        headers.append(NO_STORE)
    present = {name.lower() for name, _ in headers}
    headers.extend(h for h in COMMON_HEADERS if h[0] not in present)
    if b"content-security-policy" not in present:
        headers.append((b"content-security-policy", _csp_for(path, headers)))
    return headers
