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


def request_id_from(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _REQUEST_ID.match(text):
                return text
            break
    return os.urandom(16).hex()


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


def secure_headers(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The security headers on every response (errors and refusals included), and
    ``Cache-Control: no-store`` on every /api/ response (the event stream's included)."""
    if path.startswith("/api/"):  # authenticated answers are never stored
        headers = [h for h in headers if h[0].lower() != b"cache-control"]
        headers.append(NO_STORE)
    present = {name.lower() for name, _ in headers}
    headers.extend(h for h in COMMON_HEADERS if h[0] not in present)
    if b"content-security-policy" not in present:
        headers.append((b"content-security-policy", _csp_for(path, headers)))
    return headers
