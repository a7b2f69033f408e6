"""Idempotency-Key: a retried write returns the first response and records nothing twice.

A key is claimed (per token) before the command runs, with the request's method,
path and a hash of its body; the response is stored when the command succeeds.
A retry with the same key gets the stored response; the same key with another
request is refused (422); a retry while the first is still running gets 409.
A write that fails releases its key, so the client may correct it and retry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import msgspec

from service.api.errors import ApiError
from service.security.db import SqlStore

TABLE = "minutebook_idempotency"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " actor TEXT NOT NULL, idem_key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,"
    " body_hash TEXT NOT NULL, state TEXT NOT NULL, status INTEGER, headers TEXT, body TEXT,"
    " created_at TEXT NOT NULL, PRIMARY KEY (actor, idem_key))",
)
#: Keys are kept a day; a claim never completed (process died) is taken over after this.
KEEP = dt.timedelta(days=1)
ABANDONED = dt.timedelta(minutes=2)
MAX_KEY = 255


class StoredResponse(msgspec.Struct, frozen=True, kw_only=True):
    status: int
    headers: dict[str, str]
    body: bytes


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class IdempotencyStore:
    def __init__(self, db: SqlStore) -> None:
        self.db = db
        db.create(TABLE, _SCHEMA)
        self._last_purge = 0.0

    def claim(
        self, actor: str, key: str, method: str, path: str, body_hash: str
    ) -> StoredResponse | None:
        """None: the caller owns the key and runs the write; else the response to replay."""
        if not key or len(key) > MAX_KEY or not key.isprintable():
            raise ApiError(
                400,
                "invalid-request",
                f"header 'Idempotency-Key' must be 1 to {MAX_KEY} printable characters",
            )
        self._purge()
        now = _now()
        claimed = self.db.execute(
            f"INSERT INTO {TABLE} (actor, idem_key, method, path, body_hash, state, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (actor, idem_key) DO NOTHING",
            (actor, key, method, path, body_hash, now.isoformat()),
        )
        if claimed == 1:
            return None
        row = self.db.fetchone(
            f"SELECT method, path, body_hash, state, status, headers, body, created_at "
            f"FROM {TABLE} WHERE actor = ? AND idem_key = ?",
            (actor, key),
        )
        if row is None:  # released meanwhile: try once more
            return self.claim(actor, key, method, path, body_hash)
        (m, p, h, state, status, headers, body, created) = row
        if (m, p, h) != (method, path, body_hash):
            raise ApiError(
                422,
                "idempotency-key-reused",
                f"Idempotency-Key {key!r} was used for a different request ({m} {p}); "
                "use a new key for a new request",
            )
        if state == "done":
            return StoredResponse(
                status=int(status),
                headers=msgspec.json.decode(headers or "{}", type=dict[str, str]),
                body=str(body).encode(),
            )
        if now - dt.datetime.fromisoformat(str(created)) < ABANDONED:
            raise ApiError(
                409,
                "request-in-progress",
                f"a request with Idempotency-Key {key!r} is still being processed; "
                "retry in a moment",
            )
        taken = self.db.execute(
            f"UPDATE {TABLE} SET created_at = ? WHERE actor = ? AND idem_key = ? "
            "AND state = 'pending' AND created_at = ?",
            (now.isoformat(), actor, key, created),
        )
        if taken != 1:
            return self.claim(actor, key, method, path, body_hash)
        return None

    def complete(self, actor: str, key: str, response: StoredResponse) -> None:
        self.db.execute(
            f"UPDATE {TABLE} SET state = 'done', status = ?, headers = ?, body = ? "
            "WHERE actor = ? AND idem_key = ?",
            (
                response.status,
                msgspec.json.encode(response.headers).decode(),
                response.body.decode(),
                actor,
                key,
            ),
        )

    def release(self, actor: str, key: str) -> None:
        self.db.execute(
            f"DELETE FROM {TABLE} WHERE actor = ? AND idem_key = ? AND state = 'pending'",
            (actor, key),
        )

    def _purge(self) -> None:
        if time.monotonic() - self._last_purge < 3600:
            return
        self._last_purge = time.monotonic()
        self.db.execute(f"DELETE FROM {TABLE} WHERE created_at < ?", ((_now() - KEEP).isoformat(),))
