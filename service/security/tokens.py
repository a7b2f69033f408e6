"""API tokens: random, shown once, stored only as their SHA-256, with a role each.

A token is ``mbk_`` followed by 256 random bits; the store keeps its hash, name,
role, when it was made, when it expires (if it does), revoked and last used.
Lookups compare hashes with ``hmac.compare_digest``.  Names are unique among the
tokens not revoked.  An expired token is refused like a revoked one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
import uuid
from typing import Literal, get_args

import msgspec

from service.security.db import SqlStore

TokenRole = Literal["reader", "clerk", "auditor", "admin"]
ROLES: tuple[str, ...] = get_args(TokenRole)
PREFIX = "mbk_"
TABLE = "minutebook_tokens"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
    " token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,"
    " revoked_at TEXT, last_used_at TEXT, expires_at TEXT)",
    f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_active_name ON {TABLE} (name)"
    " WHERE revoked_at IS NULL",
)
_COLUMNS = "id, name, role, created_at, revoked_at, last_used_at, expires_at"
#: Record "last used" at most this often per token (seconds), not on every request.
TOUCH_EVERY = 60.0


class TokenError(ValueError):
    """Bad token input (unknown role, name taken, no such token): exit 2 / HTTP 4xx."""


class TokenInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A token as listed: never the token itself."""

    id: str
    name: str
    role: TokenRole
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None

    def expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or dt.datetime.now(dt.UTC))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


#: The longest lifetime ``--expires-in`` accepts (days): ten years.
MAX_DAYS = 3660.0


def _info(row: tuple[object, ...]) -> TokenInfo:
    return msgspec.convert(
        dict(zip(_COLUMNS.split(", "), row, strict=True)), TokenInfo, strict=False
    )


class TokenStore:
    def __init__(self, db: SqlStore) -> None:
        self.db = db
        db.create(TABLE, _SCHEMA)
        db.add_column(TABLE, "expires_at", "TEXT")  # tables made before tokens could expire

    def create(
        self, name: str, role: str, *, expires_in_days: float | None = None
    ) -> tuple[TokenInfo, str]:
        """Make a token; returns its record and the token, which is never shown again.

        ``expires_in_days`` (may be fractional) makes it expire; None: it lasts until revoked.
        """
        name = " ".join(name.split())
        if not name:
            raise TokenError("a token needs a name (e.g. the person or system using it)")
        if role not in ROLES:
            raise TokenError(f"role {role!r} is not one of {', '.join(ROLES)}")
        expires_at = None
        if expires_in_days is not None:
            if not 0 < expires_in_days <= MAX_DAYS:
                raise TokenError(
                    f"--expires-in must be more than 0 and at most {MAX_DAYS:g} days, "
                    f"not {expires_in_days:g}"
                )
            expires_at = (dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days)).isoformat(
                timespec="seconds"
            )
        if self._active(name) is not None:
            raise TokenError(f'a token named "{name}" exists already: revoke it or pick another')
        token = PREFIX + secrets.token_urlsafe(32)
        token_id = uuid.uuid4().hex[:12]
        self.db.execute(
            f"INSERT INTO {TABLE} (id, name, role, token_hash, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (token_id, name, role, hash_token(token), _now(), expires_at),
        )
        info = self.get(token_id)
        assert info is not None
        return info, token

    def _active(self, name: str) -> TokenInfo | None:
        row = self.db.fetchone(
            f"SELECT {_COLUMNS} FROM {TABLE} WHERE name = ? AND revoked_at IS NULL", (name,)
        )
        return _info(row) if row else None

    def get(self, token_id: str) -> TokenInfo | None:
        row = self.db.fetchone(f"SELECT {_COLUMNS} FROM {TABLE} WHERE id = ?", (token_id,))
        return _info(row) if row else None

    def list(self, *, include_revoked: bool = False) -> list[TokenInfo]:
        where = "" if include_revoked else " WHERE revoked_at IS NULL"
        rows = self.db.fetchall(f"SELECT {_COLUMNS} FROM {TABLE}{where} ORDER BY created_at, id")
        return [_info(r) for r in rows]

    def revoke(self, name_or_id: str) -> TokenInfo:
        found = self._active(name_or_id) or self.get(name_or_id)
        if found is None:
            raise TokenError(f'no token with the name or id "{name_or_id}"')
        if found.revoked_at is not None:
            raise TokenError(f'token "{found.name}" ({found.id}) is already revoked')
        self.db.execute(
            f"UPDATE {TABLE} SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (_now(), found.id),
        )
        revoked = self.get(found.id)
        assert revoked is not None
        return revoked

    def authenticate(self, token: str) -> TokenInfo | None:
        """The token's record if it is known and not revoked, else None (an expired token's
        record is returned: callers check :meth:`TokenInfo.expired`, to say why it failed)."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        digest = hash_token(token)
        row = self.db.fetchone(
            f"SELECT {_COLUMNS}, token_hash FROM {TABLE} "
            "WHERE token_hash = ? AND revoked_at IS NULL",
            (digest,),
        )
        if row is None or not hmac.compare_digest(str(row[-1]), digest):
            return None
        return _info(row[:-1])

    def touch(self, token_id: str) -> None:
        self.db.execute(f"UPDATE {TABLE} SET last_used_at = ? WHERE id = ?", (_now(), token_id))


class CachedAuthenticator:
    """Token lookups cached for a few seconds (revocation takes effect within ``ttl``)."""

    def __init__(self, tokens: TokenStore, ttl: float = 5.0) -> None:
        self.tokens = tokens
        self.ttl = ttl
        self._cache: dict[str, tuple[float, TokenInfo | None]] = {}
        self._touched: dict[str, float] = {}
        self._lock = threading.Lock()

    def cached(self, token: str) -> tuple[bool, TokenInfo | None]:
        """(hit, info) without touching the store."""
        digest = hash_token(token)
        with self._lock:
            entry = self._cache.get(digest)
        if entry is not None and entry[0] > time.monotonic():
            return True, entry[1]
        return False, None

    def authenticate(self, token: str) -> TokenInfo | None:
        """Look the token up in the store (call from a worker thread)."""
        info = self.tokens.authenticate(token)
        now = time.monotonic()
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[hash_token(token)] = (now + self.ttl, info)
            due = info is not None and self._touched.get(info.id, 0.0) + TOUCH_EVERY < now
            if due and info is not None:
                self._touched[info.id] = now
        if due and info is not None:
            self.tokens.touch(info.id)
        return info
