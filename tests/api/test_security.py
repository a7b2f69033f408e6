"""Auth hardening: tokens hashed at rest and compared in constant time, expiry, every
route refusing malformed, forged, revoked and expired tokens, the failure rate limit per
client address, and the security headers on every response.

The server trusts ``X-Forwarded-For`` from loopback (uvicorn's default, the proxy of
``ops/deploy``), so each test speaks from addresses of its own and the rate limit of
one test never meets another's.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import secrets
import sqlite3
import time
from typing import Any

import httpx
import psycopg
import pytest

from service.security.ratelimit import FailureLimiter
from tests.api.conftest import Server, cli
from tests.api.test_auth import PERMISSION, PLACEHOLDERS

_addresses = itertools.count(1)


def address() -> str:
    """A client address of its own (198.18.0.0/15, for tests)."""
    n = next(_addresses) + secrets.randbelow(200) * 1000
    return f"198.{18 + (n >> 16) % 2}.{(n >> 8) % 256}.{n % 256}"


def headers_from(
    addr: str, token: str | None = None, authorization: str | None = None
) -> dict[str, str]:
    out = {"X-Forwarded-For": addr}
    if token is not None:
        out["Authorization"] = f"Bearer {token}"
    if authorization is not None:
        out["Authorization"] = authorization
    return out


def stored_token_rows(store: str) -> list[tuple[Any, ...]]:
    if store.startswith("sqlite:///"):
        with sqlite3.connect(store[len("sqlite:///") :]) as conn:
            return conn.execute("SELECT * FROM minutebook_tokens").fetchall()
    base, _, schema = store.partition("?schema=")
    with psycopg.connect(base, options=f"-c search_path={schema}") as conn:
        return conn.execute("SELECT * FROM minutebook_tokens").fetchall()


# Tokens at rest -------------------------------------------------------------------------


def test_tokens_are_stored_only_as_their_sha256(server: Server, unique: str) -> None:
    token = cli(
        "token", "create", "--role", "reader", "--name", f"at rest {unique}", store=server.store
    ).stdout.strip()
    rows = stored_token_rows(server.store)
    assert rows
    for row in rows:
        assert all(token not in str(value) for value in row)  # never the token itself
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert any(digest in row for row in rows)


def test_token_lookups_compare_hashes_in_constant_time(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hmac

    from service.security.db import SqlStore
    from service.security.tokens import TokenStore
    from service.store.url import parse_store_url

    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    tokens = TokenStore(SqlStore(parse_store_url(f"sqlite:///{tmp_path / 't.db'}")))
    try:
        _, token = tokens.create("someone", "reader")
        assert tokens.authenticate(token) is not None
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert compared == [(digest, digest)]
        assert tokens.authenticate(token[:-1] + "x") is None
    finally:
        tokens.db.close()


# Expiry -----------------------------------------------------------------------------------


def test_tokens_can_expire(server: Server, unique: str) -> None:
    made = cli(
        "token",
        "create",
        "--role",
        "reader",
        "--name",
        f"brief {unique}",
        "--expires-in",
        "0.00003",  # about 2.6 seconds
        store=server.store,
    )
    assert "valid until" in made.stderr
    token = made.stdout.strip()
    addr = address()
    first = httpx.get(server.base + "/api/bodies/nobody", headers=headers_from(addr, token))
    assert first.status_code == 404  # the token works: the body is just not there
    time.sleep(3.2)
    late = httpx.get(server.base + "/api/bodies/nobody", headers=headers_from(addr, token))
    assert late.status_code == 401
    assert "expired" in late.json()["detail"]
    assert late.headers["www-authenticate"].startswith("Bearer")
    listed = cli("token", "list", store=server.store).stdout
    assert re.search(rf"brief {unique}.*expired 20", listed)


@pytest.mark.parametrize("days", ["0", "-1", "100000", "soon"])
def test_token_expiry_must_be_a_sensible_number_of_days(server: Server, days: str) -> None:
    done = cli(
        "token",
        "create",
        "--role",
        "reader",
        "--name",
        "never made",
        "--expires-in",
        days,
        store=server.store,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "expires-in" in done.stderr


# Every route refuses a bad token ----------------------------------------------------------

MALFORMED = [
    "Basic eDp5",
    "Bearer",
    "Bearer mbk_two words",
    "Token mbk_abc",
    "mbk_" + "a" * 43,
    "Bearer mbk_" + "a" * 400,
    "Bearer not-a-minutebook-token",
]


def operations(server: Server) -> list[tuple[str, str, str]]:
    schema = httpx.get(server.base + "/schema/openapi.json").json()
    out = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if PERMISSION.get(op["operationId"]) == "public":
                continue
            url = re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDERS[m.group(1)], path)
            out.append((op["operationId"], method, url))
    return out


def status_of(server: Server, method: str, url: str, headers: dict[str, str]) -> tuple[int, str]:
    kwargs: dict[str, Any] = {"json": {}} if method in ("post", "put", "patch") else {}
    with (
        httpx.Client(base_url=server.base, timeout=30) as client,
        client.stream(method.upper(), url, headers=headers, **kwargs) as response,
    ):
        return response.status_code, response.headers.get("www-authenticate", "")


def test_every_route_refuses_malformed_forged_revoked_and_expired_tokens(
    server: Server, unique: str
) -> None:
    revoked = cli(
        "token", "create", "--role", "admin", "--name", f"revoked {unique}", store=server.store
    ).stdout.strip()
    cli("token", "revoke", f"revoked {unique}", store=server.store)
    expired = cli(
        "token",
        "create",
        *("--role", "admin", "--name", f"expired {unique}", "--expires-in", "0.00001"),
        store=server.store,
    ).stdout.strip()
    time.sleep(1.5)  # the expiry passes, and the server's 1 s token cache forgets
    forged = "mbk_" + secrets.token_urlsafe(32)  # the right shape, never issued
    tampered = server.tokens["admin"][:-2] + ("AA" if server.tokens["admin"][-2:] != "AA" else "BB")
    ops = operations(server)
    assert len(ops) >= 40
    failures = []
    for n, (op_id, method, url) in enumerate(ops):
        cases = {
            "malformed": {"Authorization": MALFORMED[n % len(MALFORMED)]},
            "forged": {"Authorization": f"Bearer {forged}"},
            "tampered": {"Authorization": f"Bearer {tampered}"},
            "revoked": {"Authorization": f"Bearer {revoked}"},
            "expired": {"Authorization": f"Bearer {expired}"},
        }
        for kind, headers in cases.items():
            status, challenge = status_of(
                server, method, url, {**headers, "X-Forwarded-For": address()}
            )
            if status != 401 or not challenge.startswith("Bearer"):
                failures.append(f"{op_id} with a {kind} token: {status} {challenge!r}")
    assert not failures, "\n".join(failures)


# The failure rate limit -------------------------------------------------------------------


def test_too_many_failed_tokens_from_one_address_get_429(server: Server) -> None:
    attacker, bystander = address(), address()
    url = server.base + "/api/bodies/nobody"
    for _ in range(20):
        guess = "mbk_" + secrets.token_urlsafe(32)
        assert httpx.get(url, headers=headers_from(attacker, guess)).status_code == 401
    blocked = httpx.get(url, headers=headers_from(attacker, "mbk_" + secrets.token_urlsafe(32)))
    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    assert 0 < int(blocked.headers["retry-after"]) <= 60
    assert blocked.json()["type"].endswith("too-many-failed-authentications")
    # Blocked means blocked: a right token from that address is not even looked at …
    good = server.tokens["reader"]
    assert httpx.get(url, headers=headers_from(attacker, good)).status_code == 429
    # … while everyone else carries on.
    assert httpx.get(url, headers=headers_from(bystander, good)).status_code == 404


def test_successes_do_not_count_and_missing_tokens_are_not_guesses(server: Server) -> None:
    addr = address()
    url = server.base + "/api/bodies/nobody"
    for _ in range(30):
        assert (
            httpx.get(url, headers=headers_from(addr, server.tokens["reader"])).status_code == 404
        )
    for _ in range(30):
        assert httpx.get(url, headers=headers_from(addr)).status_code == 401
    for _ in range(19):
        assert httpx.get(url, headers=headers_from(addr, "mbk_wrong")).status_code == 401
    assert httpx.get(url, headers=headers_from(addr, server.tokens["reader"])).status_code == 404


def test_the_limiter_forgets_failures_older_than_its_window() -> None:
    now = [1000.0]
    limiter = FailureLimiter(limit=3, window=60, clock=lambda: now[0], max_addresses=4)
    for _ in range(3):
        assert limiter.retry_after("a") is None
        limiter.failed("a")
        now[0] += 10
    assert limiter.retry_after("a") == 30  # the first failure leaves the window in 30 s
    now[0] += 30
    assert limiter.retry_after("a") is None
    for name in "bcdefg":  # more addresses than it keeps: the oldest go, memory stays bounded
        limiter.failed(name)
    assert len(limiter._failures) <= 4


# Security headers ------------------------------------------------------------------------

STRICT = "default-src 'none'; frame-ancestors 'none'"


def test_every_response_carries_the_security_headers(server: Server, unique: str) -> None:
    reader = {"Authorization": f"Bearer {server.tokens['reader']}"}
    clerk = {"Authorization": f"Bearer {server.tokens['clerk']}"}
    responses = {
        "health": httpx.get(server.base + "/health"),
        "ready": httpx.get(server.base + "/ready"),
        "metrics": httpx.get(server.base + "/metrics"),
        "openapi": httpx.get(server.base + "/schema/openapi.json"),
        "unmatched 404": httpx.get(server.base + "/no/such/path"),
        "api 200": httpx.get(server.base + "/api/bodies", headers=reader),
        "api 404": httpx.get(server.base + "/api/bodies/nobody", headers=reader),
        "api 401": httpx.get(server.base + "/api/bodies", headers={"X-Forwarded-For": address()}),
        "api 403": httpx.post(server.base + "/api/bodies", headers=reader, json={"name": "x"}),
        "api 400": httpx.post(server.base + "/api/bodies", headers=clerk, json={"nom": "x"}),
        "api 405": httpx.put(server.base + "/api/bodies", headers=clerk),
        "api 413": httpx.post(
            server.base + "/api/bodies", headers=clerk, content=b"{" + b" " * (2 << 20) + b"}"
        ),
        "api 201": httpx.post(
            server.base + "/api/bodies", headers=clerk, json={"name": f"Headers {unique}"}
        ),
    }
    with (
        httpx.Client(base_url=server.base, timeout=10) as c,
        c.stream(
            "GET",
            "/api/events/stream",
            headers={"Authorization": f"Bearer {server.tokens['auditor']}"},
        ) as stream,
    ):
        responses["api stream"] = stream
    for name, r in responses.items():
        h = r.headers
        assert h.get("x-content-type-options") == "nosniff", name
        assert h.get("x-frame-options") == "DENY", name
        assert h.get("referrer-policy") == "no-referrer", name
        assert h.get("content-security-policy") == STRICT, name
        if name.startswith("api"):
            assert h.get("cache-control") == "no-store", name
    assert responses["api 413"].status_code == 413
    assert "1 MB" in responses["api 413"].json()["detail"]


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_the_interactive_docs_keep_their_scripts_but_cannot_be_framed(
    server: Server, path: str
) -> None:
    r = httpx.get(server.base + path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "script-src" not in csp and "default-src" not in csp  # their CDN scripts run
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
