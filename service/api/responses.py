"""Rendered answers of the current views, kept while the views stand still.

Reading the current minutes or the action tracker costs a read transaction, a
document built from its rows and its encoding — each time, though the answer
only changes when a view moves on.  The projection runner of this process
knows every view's position in memory, so an answer is kept with the positions
it was read at (and today's date: overdue actions and the tracker under the
minutes depend on it) and served again, bytes as they were, while those stay
the same — at once on the event loop, without a worker thread or the store.

A kept answer is also given before the request reaches the router
(:class:`KeptAnswers`, inside the store gate and the request middleware, so the
503 of an outage, the request id, the security headers, the log line and the
metrics are as for any request): only to a GET with the same target and Accept
header as the request it was kept from, carrying a token that the
authenticator's cache holds as valid, unexpired and allowed to read, from an
address not refused for failed authentications, and allowed to see exempt items
exactly when that request was.  Anything else — no token, a token not cached,
revoked, expired or unknown, If-None-Match, another method — goes the whole way
through the router, its authorization and the handler, which answer as always.

Nothing is kept when a view is followed by another process (its position is
not known here) or the server runs without its projections; a kept answer
lives at most :data:`TTL_SECONDS` in any case (a rebuild by another process
swaps a view's tables without moving its position).  Authorization runs before the
cache is asked: a kept answer is only given to a request entitled to it, and
the key holds what makes answers differ between roles (exempt items).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from service.security.roles import Permission

if TYPE_CHECKING:
    from service.api.state import Services

#: The longest an answer is kept, whatever the views' positions say.
TTL_SECONDS = 5.0
#: Answers kept at most, and their bodies' bytes at most (all are dropped when either is
#: reached: the working set is small, and a client varying its queries cannot grow it).
MAX_ENTRIES = 512
MAX_BYTES = 32 * 2**20


class Rendered(msgspec.Struct, frozen=True, kw_only=True):
    """An answer as sent: its body, media type and headers (ETag, Vary)."""

    body: bytes
    media_type: str
    headers: dict[str, str]
    etag: str | None = None


class Kept(msgspec.Struct, frozen=True, kw_only=True):
    """An answer as :class:`KeptAnswers` sends it: the route it came from, its headers."""

    route: str
    body: bytes
    headers: list[tuple[bytes, bytes]]


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def request_key(scope: Scope, exempt: bool) -> tuple[Any, ...]:
    """What a kept answer is found by: the exact target, Accept header and exempt sight."""
    return (
        "request",
        bytes(scope.get("raw_path") or scope["path"].encode()),
        bytes(scope.get("query_string", b"")),
        _header(scope, b"accept"),
        exempt,
    )


Stamp = tuple[tuple[int, ...], dt.date]


class ResponseCache:
    def __init__(self, services: Services, *, ttl: float = TTL_SECONDS) -> None:
        self.services = services
        self.ttl = ttl
        self._entries: dict[Hashable, tuple[Stamp, float, Rendered | Kept]] = {}
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def stamp(self) -> Stamp | None:
        """What the views' answers depend on now; None: answers cannot be kept."""
        services = self.services
        runner = services.projections
        if runner is None or runner.elsewhere or services.reads is None or services.closing:
            return None
        return tuple(runner.positions().values()), dt.date.today()

    def _lookup(self, key: Hashable, stamp: Stamp | None) -> Rendered | Kept | None:
        if stamp is None:
            return None
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp and entry[1] > time.monotonic():
            self.hits += 1
            return entry[2]
        self.misses += 1
        return None

    def get(self, key: Hashable, stamp: Stamp | None) -> Rendered | None:
        found = self._lookup(key, stamp)
        return found if isinstance(found, Rendered) else None

    def kept(self, key: Hashable, stamp: Stamp | None) -> Kept | None:
        found = self._lookup(key, stamp) if self._entries else None
        return found if isinstance(found, Kept) else None

    def put(self, key: Hashable, stamp: Stamp | None, rendered: Rendered | Kept) -> None:
        """Keep ``rendered``, read after ``stamp`` was taken (so at least as new as it)."""
        if stamp is None:
            return
        if len(self._entries) >= MAX_ENTRIES or self._bytes >= MAX_BYTES:
            self.clear()
        self._bytes += len(rendered.body)
        self._entries[key] = (stamp, time.monotonic() + self.ttl, rendered)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def keep_request(
        self, scope: Scope, exempt: bool, stamp: Stamp | None, found: Rendered
    ) -> None:
        """Keep ``found`` for :class:`KeptAnswers` too, as the answer to this very request."""
        if stamp is None or scope.get("method") != "GET":
            return
        media_type = found.media_type  # with the charset Litestar adds to text/ types
        if media_type.startswith("text/"):
            media_type += "; charset=utf-8"
        headers = [
            (b"content-type", media_type.encode("latin-1")),
            (b"content-length", str(len(found.body)).encode()),
            *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in found.headers.items()),
        ]
        route = str(scope.get("path_template") or "(unmatched)")
        kept = Kept(route=route, body=found.body, headers=headers)
        self.put(request_key(scope, exempt), stamp, kept)


class KeptAnswers:
    """ASGI: give a kept answer (see the module's text) without routing the request."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kept = (
            self._kept(scope)
            if scope["type"] == ScopeType.HTTP and scope.get("method") == "GET"
            else None
        )
        if kept is None:
            await self.app(scope, receive, send)
            return
        scope["path_template"] = kept.route
        await send({"type": "http.response.start", "status": 200, "headers": list(kept.headers)})
        await send({"type": "http.response.body", "body": kept.body, "more_body": False})

    def _kept(self, scope: Scope) -> Kept | None:
        services = self.services
        cache = services.responses
        if services.authenticator_ is None:
            return None
        if _header(scope, b"if-none-match") is not None:
            return None
        header = _header(scope, b"authorization")
        if header is None:
            return None
        scheme, _, token = header.decode("latin-1").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        hit, info = services.authenticator_.cached(token)
        if not hit or info is None or info.expired():
            return None
        client = scope.get("client")
        if services.auth_failures.retry_after(str(client[0]) if client else "unknown"):
            return None
        from service.api.auth import Principal

        principal = Principal(token_id=info.id, name=info.name, role=info.role)
        if not principal.can(Permission.READ):
            return None
        found = cache.kept(request_key(scope, principal.can(Permission.EXEMPT)), cache.stamp())
        if found is None:
            return None
        scope.setdefault("state", {})["principal"] = principal
        return found
