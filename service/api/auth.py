"""Bearer tokens → the principal of a request; guards checking a role's permission.

A malformed header, an unknown, revoked or expired token answers 401 and counts as
a failure of the client's address (``service.security.ratelimit``); an address
with too many failures gets 429 with ``Retry-After`` until it has waited.  The
client address is the connection's, or the one the trusted proxy put in
``X-Forwarded-For`` (uvicorn trusts it from loopback only).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
import msgspec
import structlog
from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from domain.provenance import Actor
from service.api.errors import ApiError
from service.api.state import services_of
from service.security.roles import Permission, allows, roles_with

log = structlog.get_logger("minutebook.api")
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]

_WHAT = {
    Permission.READ: "read the record",
    Permission.WRITE: "record changes",
    Permission.AUDIT: "read the audit trail and the event feed",
    Permission.EXEMPT: "see exempt items",
    Permission.ADMIN: "administer the service",
}


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    token_id: str
    name: str
    role: str

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    @property
    def actor(self) -> Actor:
        return Actor(id=f"token:{self.token_id}", name=self.name, role=self.role)  # type: ignore[arg-type]


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    client = connection.scope.get("client")
    return str(client[0]) if client else "unknown"


def _refuse(connection: ASGIConnection[Any, Any, Any, Any], detail: str) -> NotAuthorizedException:
    """A 401 for a token that failed, counted against the client's address."""
    services = services_of(connection.app)
    address = client_address(connection)
    count = services.auth_failures.failed(address)
    if count == services.auth_failures.limit:
        log.warning("auth_failures_limit_reached", client=address, failures=count)
    return NotAuthorizedException(detail)


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    header = connection.headers.get("authorization")
    if not header:
        raise NotAuthorizedException(
            "this route needs an API token: send 'Authorization: Bearer TOKEN' "
            "(tokens are made with 'minutebook token create')"
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse(connection, "the Authorization header must be 'Bearer TOKEN'")
    return token.strip()


def _check_rate(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    limiter = services_of(connection.app).auth_failures
    wait = limiter.retry_after(client_address(connection))
    if wait is not None:
        raise ApiError(
            429,
            "too-many-failed-authentications",
            f"{limiter.limit} failed authentications from this address in "
            f"{limiter.window:g} seconds: retry in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


async def authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    state = connection.scope.setdefault("state", {})
    known = state.get("principal")
    if isinstance(known, Principal):
        return known
    _check_rate(connection)
    token = _bearer(connection)
    authenticator = services_of(connection.app).authenticator
    hit, info = authenticator.cached(token)
    if not hit:
        info = await anyio.to_thread.run_sync(authenticator.authenticate, token)
    if info is None:
        raise _refuse(connection, "the API token is unknown or revoked")
    if info.expired():
        raise _refuse(connection, f"the API token expired at {info.expires_at}")
    principal = Principal(token_id=info.id, name=info.name, role=info.role)
    state["principal"] = principal
    return principal


def requires(permission: Permission) -> Guard:
    """A guard: 401 without a valid token, 403 when the token's role lacks ``permission``."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await authenticate(connection)
        if not principal.can(permission):
            raise PermissionDeniedException(
                f"the {principal.role} role cannot {_WHAT[permission]}; "
                f"this needs the {' or '.join(roles_with(permission))} role"
            )

    guard.__name__ = f"requires_{permission.value}"
    return guard


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("state", {}).get("principal")
    if not isinstance(principal, Principal):  # pragma: no cover - every /api/ route is guarded
        raise NotAuthorizedException("this route needs an API token")
    return principal


def collapse_guards(app: Litestar) -> None:
    """Run each route's guards as one guard, each distinct guard once.

    A route's guards come from every layer (the /api/ router's READ, its controller's,
    its own), and Litestar copies the route handler for every guard of every request;
    with the same guard on two layers that cost more than the guard.  Each route's
    resolved guards are replaced by one guard awaiting the distinct ones in order — the
    same checks, one copy.  (Should Litestar stop keeping resolved guards under this
    name, its own list is used as before: slower, never weaker.)
    """
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            distinct = list(dict.fromkeys(handler.resolve_guards()))
            if len(distinct) < 2:
                continue

            async def all_of(
                connection: ASGIConnection[Any, Any, Any, Any],
                route_handler: BaseRouteHandler,
                guards: tuple[Guard, ...] = tuple(distinct),
            ) -> None:
                for guard in guards:
                    await guard(connection, route_handler)

            handler._resolved_guards = [all_of]


READ = requires(Permission.READ)
WRITE = requires(Permission.WRITE)
AUDIT = requires(Permission.AUDIT)
