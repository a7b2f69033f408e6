"""Bearer tokens → the principal of a request; the role's permission for the route.

A malformed header, an unknown, revoked or expired token answers 401 and counts as
a failure of the client's address (``service.security.ratelimit``); an address
with too many failures gets 429 with ``Retry-After`` until it has waited.  The
client address is the connection's, or the one the trusted proxy put in
``X-Forwarded-For`` (uvicorn trusts it from loopback only).
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import msgspec
import structlog
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.types import ASGIApp, Receive, Scope, Send

from domain.provenance import Actor
from service.api.errors import ApiError
from service.api.state import Services, services_of
from service.security.roles import Permission, allows, roles_with

log = structlog.get_logger("minutebook.api")

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


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return _client(connection.scope)


def _refuse(services: Services, scope: Scope, detail: str) -> NotAuthorizedException:
    """A 401 for a token that failed, counted against the client's address."""
    address = _client(scope)
    count = services.auth_failures.failed(address)
    if count == services.auth_failures.limit:
        log.warning("auth_failures_limit_reached", client=address, failures=count)
    return NotAuthorizedException(detail)


def _authorization(scope: Scope) -> str | None:
    """The request's Authorization header (ASGI servers give header names in lower case)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value).decode("latin-1")
    return None


def _bearer(services: Services, scope: Scope) -> str:
    header = _authorization(scope)
    if not header:
        raise NotAuthorizedException(
            "this route needs an API token: send 'Authorization: Bearer TOKEN' "
            "(tokens are made with 'minutebook token create')"
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse(services, scope, "the Authorization header must be 'Bearer TOKEN'")
    return token.strip()


def _check_rate(services: Services, scope: Scope) -> None:
    limiter = services.auth_failures
    wait = limiter.retry_after(_client(scope))
    if wait is not None:
        raise ApiError(
            429,
            "too-many-failed-authentications",
            f"{limiter.limit} failed authentications from this address in "
            f"{limiter.window:g} seconds: retry in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


async def authenticate(scope: Scope) -> Principal:
    """The request's principal (kept in the scope's state): 429, 401 or the token's holder."""
    state = scope.setdefault("state", {})
    known = state.get("principal")
    if isinstance(known, Principal):
        return known
    services = services_of(scope["litestar_app"])
    _check_rate(services, scope)
    token = _bearer(services, scope)
    authenticator = services.authenticator
    hit, info = authenticator.cached(token)
    if not hit:
        info = await anyio.to_thread.run_sync(authenticator.authenticate, token)
    if info is None:
        raise _refuse(services, scope, "the API token is unknown or revoked")
    if info.expired():
        raise _refuse(services, scope, f"the API token expired at {info.expires_at}")
    principal = Principal(token_id=info.id, name=info.name, role=info.role)
    state["principal"] = principal
    return principal


def _check(principal: Principal, permission: Permission) -> None:
    """403 when the token's role lacks ``permission``."""
    if not principal.can(permission):
        raise PermissionDeniedException(
            f"the {principal.role} role cannot {_WHAT[permission]}; "
            f"this needs the {' or '.join(roles_with(permission))} role"
        )


#: The key of a route's ``opt`` naming the permission it needs beyond reading.
PERMISSION = "permission"


def needs(permission: Permission) -> dict[str, Permission]:
    """A route's (or controller's) ``opt``: 401 without a valid token, 403 when the token's
    role lacks ``permission`` (checked by :class:`Authorization`).  Litestar merges ``opt``
    over the layers, the route's own winning over its controller's."""
    return {PERMISSION: permission}


class Authorization:
    """Litestar middleware of the /api/ router: every route needs a valid token whose role
    may read (401, 429, 403), and the permission its ``opt`` names (:func:`needs`; 403).

    It runs where guards would (after routing, before the request body is read), once per
    request.  Guards are not used: Litestar copies the route handler (some seventy
    attributes) for every guard call of every request, which cost more than the check.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = await authenticate(scope)
        _check(principal, Permission.READ)
        permission = scope["route_handler"].opt.get(PERMISSION)
        if permission is not None and permission is not Permission.READ:
            _check(principal, permission)
        await self.app(scope, receive, send)


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("state", {}).get("principal")
    if not isinstance(principal, Principal):  # pragma: no cover - every /api/ route is checked
        raise NotAuthorizedException("this route needs an API token")
    return principal


READ = needs(Permission.READ)
WRITE = needs(Permission.WRITE)
AUDIT = needs(Permission.AUDIT)
