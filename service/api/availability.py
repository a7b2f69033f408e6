"""Whether the store can serve requests: 503 at once while it cannot, and recovery by itself.

A request that fails because the store is unavailable (``service.errors.
store_unavailable_reason``: PostgreSQL unreachable, SQLite locked, read-only or
full) *trips* the :class:`StoreMonitor`.  While tripped:

* ``/api/`` requests are answered 503 with ``Retry-After`` at once, without
  waiting for the store — all of them when the store cannot be read (PostgreSQL
  down), only writes when it can still be read (an SQLite file locked by another
  process, read-only or full: the record stays readable);
* ``/ready`` answers 503 ``{"status": "unavailable", "detail": ...}``;
* a background thread checks the store every :data:`PROBE_SECONDS` — reads
  through the application's and the views' own connections, a committed write
  on SQLite — and clears the state as soon as the check passes.

Nothing is queued or replayed: a request refused with 503 did nothing, and the
client retries it (with an ``Idempotency-Key`` to make the retry safe).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import msgspec
import structlog
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

from service.api.errors import (
    PROBLEM_JSON,
    RETRY_AFTER_SECONDS,
    Problem,
    problem_type,
    unavailable_detail,
)
from service.errors import StoreUnavailableError, is_sqlite_write_problem, store_unavailable_reason

log = structlog.get_logger("minutebook.api")
PROBE_SECONDS = 0.5
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Outage(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    #: True when the store still answers reads (only writes are refused).
    reads_ok: bool
    since: float


#: Raises StoreUnavailableError (or any error) unless the store answers; ``commit`` makes
#: the write check commit (finds a full disk) rather than roll back.
Check = Callable[[bool], None]


class StoreMonitor:
    def __init__(self, check: Check, *, probe_seconds: float = PROBE_SECONDS) -> None:
        self.check = check
        self.probe_seconds = probe_seconds
        self._outage: Outage | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.outages = 0

    @property
    def outage(self) -> Outage | None:
        return self._outage

    def trip(self, exc: BaseException) -> None:
        """Record that the store failed a request; start checking for its return."""
        reason, reads_ok = _diagnosis(exc)
        with self._lock:
            if self._stop.is_set():
                return
            current = self._outage
            if current is None:
                self.outages += 1
                log.warning("store_unavailable_since", reason=reason, reads_ok=reads_ok)
                self._outage = Outage(reason=reason, reads_ok=reads_ok, since=time.monotonic())
            elif current.reads_ok and not reads_ok:
                self._outage = msgspec.structs.replace(current, reason=reason, reads_ok=False)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch, name="minutebook-store-monitor", daemon=True
                )
                self._thread.start()

    def observe(self, exc: BaseException) -> None:
        """Trip on an error that means the store is unavailable; ignore any other."""
        if store_unavailable_reason(exc) is not None:
            self.trip(exc)

    def refusal(self) -> CheckFailed | None:
        """For the writer: the error to fail commands with at once while writes are refused."""
        outage = self._outage
        if outage is None:
            return None
        return CheckFailed(outage.reason, reads_ok=outage.reads_ok)

    def refuses(self, method: str) -> Outage | None:
        """The outage a request with ``method`` is refused for, if any."""
        outage = self._outage
        if outage is None or (outage.reads_ok and method in SAFE_METHODS):
            return None
        return outage

    def ready(self) -> str | None:
        """None when the store answers now; else why not (tripping the monitor)."""
        outage = self._outage
        if outage is not None:
            return outage.reason
        try:
            self.check(False)
        except Exception as e:
            self.trip(e)
            return _diagnosis(e)[0]
        return None

    def _watch(self) -> None:
        while not self._stop.wait(self.probe_seconds):
            try:
                self.check(True)
            except Exception as e:
                reason, reads_ok = _diagnosis(e)
                with self._lock:
                    if self._outage is not None:
                        self._outage = msgspec.structs.replace(
                            self._outage, reason=reason, reads_ok=reads_ok
                        )
                continue
            with self._lock:
                outage, self._outage = self._outage, None
                self._thread = None
            if outage is not None:
                log.info(
                    "store_available_again",
                    after_seconds=round(time.monotonic() - outage.since, 2),
                )
            return

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(5)


class CheckFailed(StoreUnavailableError):
    """The store check failed, or the store is known to be out: why, and whether reads
    still work."""

    def __init__(self, reason: str, *, reads_ok: bool) -> None:
        super().__init__(reason, reason=reason)
        self.reads_ok = reads_ok


def _diagnosis(exc: BaseException) -> tuple[str, bool]:
    if isinstance(exc, CheckFailed):
        return exc.reason or "the store did not answer", exc.reads_ok
    reason = store_unavailable_reason(exc) or f"the store does not answer: {type(exc).__name__}"
    return reason, is_sqlite_write_problem(exc)


def store_check(services: Any) -> Check:
    """The check of a server's store: its reads, then (SQLite) whether it takes a write."""

    def check(commit: bool) -> None:
        if services.app is None or services.db is None:
            raise CheckFailed("the application is not open", reads_ok=False)
        try:
            services.db.probe(write=False)
            services.app.recorder.max_notification_id()
            if services.reads is not None:
                services.reads.status()
        except Exception as e:
            raise CheckFailed(_diagnosis(e)[0], reads_ok=False) from e
        try:
            services.db.probe(write=True, commit=commit)
        except Exception as e:
            raise CheckFailed(_diagnosis(e)[0], reads_ok=True) from e

    return check


class StoreGate:
    """ASGI: refuse ``/api/`` requests at once (503, Retry-After) while the store is out."""

    def __init__(self, app: ASGIApp, services: Any) -> None:
        self.app = app
        self.services = services  # its monitor is made when the store is opened

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        monitor: StoreMonitor | None = self.services.monitor
        if (
            monitor is not None
            and scope["type"] == ScopeType.HTTP
            and scope["path"].startswith("/api/")
        ):
            outage = monitor.refuses(str(scope.get("method", "GET")))
            if outage is not None:
                await self._refuse(scope, send, outage)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, send: Send, outage: Outage) -> None:
        problem = Problem(
            type=problem_type("store-unavailable"),
            title="Store unavailable",
            status=503,
            detail=unavailable_detail(outage.reason, reads_ok=outage.reads_ok),
            instance=scope["path"],
            request_id=scope.get("state", {}).get("request_id"),
        )
        body = msgspec.json.encode(problem)
        start: HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            ],
        }
        await send(start)
        end: HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": body,
            "more_body": False,
        }
        await send(end)
