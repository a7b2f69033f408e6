"""The request path's own parts, without a server: request ids, security headers, and
the authorization every /api/ route runs (the behaviour over HTTP is in test_auth.py and
test_security.py)."""

from __future__ import annotations

import itertools
import re

import pytest
from litestar.handlers import HTTPRouteHandler

from service.api.app import create_app
from service.api.auth import PERMISSION, Authorization
from service.api.middleware import (
    COMMON_HEADERS,
    DOCS_CSP,
    NO_STORE,
    STRICT_CSP,
    request_id_from,
    secure_headers,
)
from service.security.roles import Permission
from service.settings import Settings


def _scope(*headers: tuple[bytes, bytes]) -> dict[str, object]:
    return {"type": "http", "headers": list(headers)}


def test_fresh_request_ids_are_random_hex_and_never_repeat() -> None:
    ids = [request_id_from(_scope()) for _ in range(3_000)]  # more than one batch
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_a_client_request_id_is_kept_and_a_malformed_one_replaced() -> None:
    assert request_id_from(_scope((b"x-request-id", b"abc-123:4"))) == "abc-123:4"
    replaced = request_id_from(_scope((b"x-request-id", b"bad id!")))
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def _reference(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The security headers as the middleware has always set them (no fast path)."""
    if path.startswith("/api/"):
        headers = [h for h in headers if h[0].lower() != b"cache-control"]
        headers.append(NO_STORE)
    present = {name.lower() for name, _ in headers}
    headers.extend(h for h in COMMON_HEADERS if h[0] not in present)
    if b"content-security-policy" not in present:
        csp = STRICT_CSP
        if path == "/schema" or path.startswith("/schema/"):
            for name, value in headers:
                if name.lower() == b"content-type" and value.lower().startswith(b"text/html"):
                    csp = DOCS_CSP
        headers.append((b"content-security-policy", csp))
    return headers


_SOME_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-type", b"text/html; charset=utf-8"),
    (b"etag", b'"3"'),
    (b"Cache-Control", b"max-age=60"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"Content-Security-Policy", b"default-src 'self'"),
    (b"referrer-policy", b"origin"),
]


@pytest.mark.parametrize(
    "path", ["/api/bodies", "/api/", "/health", "/metrics", "/schema", "/schema/swagger", "/x"]
)
def test_security_headers_are_those_of_the_general_rule_for_every_response(path: str) -> None:
    for n in range(3):
        for chosen in itertools.combinations(_SOME_HEADERS, n):
            given = list(chosen)
            assert secure_headers(path, list(given)) == _reference(path, list(given)), given


def test_every_api_route_is_authorized_once_and_by_no_guard() -> None:
    app = create_app(Settings(store="sqlite:///unused-never-opened.db"))
    seen = 0
    for route in app.routes:
        if not route.path.startswith("/api"):
            continue
        for handler in getattr(route, "route_handlers", ()):
            assert isinstance(handler, HTTPRouteHandler)
            assert handler.resolve_middleware() == [Authorization], route.path
            assert not handler.resolve_guards(), route.path
            needed = handler.opt.get(PERMISSION, Permission.READ)
            assert needed in (Permission.READ, Permission.WRITE, Permission.AUDIT)
            if "GET" not in handler.http_methods and "OPTIONS" not in handler.http_methods:
                assert needed is not Permission.READ, f"{route.path}: a write open to readers"
            seen += 1
    assert seen >= 45
