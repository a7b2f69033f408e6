"""Every write goes through here: If-Match, Idempotency-Key, provenance, ?wait, ETag.

Handlers are synchronous and run in worker threads (``sync_to_thread=True``),
so the eventsourcing calls never block the event loop.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter, QueryParameter

from domain.provenance import Provenance, bound_provenance
from service.api.auth import principal_of
from service.api.errors import bad_input
from service.api.idempotency import StoredResponse, fingerprint
from service.api.schemas import WriteResult
from service.api.state import Services, services_of
from service.app import Minutebook
from service.commands import CommandResult

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')
_encoder = msgspec.json.Encoder()
_KEEP_HEADERS = ("etag", "location", "x-log-position")


def parse_if_match(value: str | None) -> int | None:
    """``"7"``, ``W/"7"`` or ``7`` → 7; ``*`` or absent → no check."""
    if value is None or value.strip() == "*":
        return None
    found = _ETAG.match(value)
    if not found:
        raise bad_input("header", "If-Match", 'expected the ETag of a version, e.g. "7"')
    return int(found.group(1))


def parse_date(name: str, text: str, source: str = "path") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise bad_input(source, name, f"{text!r} is not a date in the form YYYY-MM-DD") from None


class WriteContext:
    """The request's write options, and :meth:`run` to execute a command under them."""

    def __init__(
        self,
        request: Request[Any, Any, Any],
        if_match: str | None,
        idempotency_key: str | None,
        reason: str | None,
        wait: bool,
    ) -> None:
        self.request = request
        self.services: Services = services_of(request.app)
        self.expected_version = parse_if_match(if_match)
        self.idempotency_key = idempotency_key
        self.reason = reason
        self.wait = wait

    @property
    def app(self) -> Minutebook:
        return self.services.record

    def provenance(self) -> Provenance:
        return Provenance(
            actor=principal_of(self.request).actor,
            reason=self.reason,
            request_id=self.request.scope.get("state", {}).get("request_id"),
        )

    def run(
        self,
        data: msgspec.Struct | None,
        command: Callable[[int | None], CommandResult],
        *,
        status: int = 200,
        location: str | None = None,
    ) -> Response[WriteResult]:
        def produce() -> tuple[int, bytes, dict[str, str]]:
            result = command(self.expected_version)
            return _answer(result, self.wait_for(result.position), status, location)

        return self.execute(data, produce)

    async def run_async(
        self,
        data: msgspec.Struct | None,
        command: Callable[[int | None], CommandResult],
        *,
        status: int = 200,
        location: str | None = None,
    ) -> Response[Any]:
        """:meth:`run` for an ``async`` handler: the same write and the same answer.

        A plain write (no Idempotency-Key, no wait) is handed to the group committer
        straight from the event loop and awaited there: no worker thread is taken and
        woken for it (a thread hop each way and a GIL hand-off per write, which were a
        tenth of the server's CPU per write under 16 clerks).  The command runs in the
        writer's batch as any other.  Anything else runs as :meth:`run` in a thread.
        """
        writer = self.app.writer
        if self.idempotency_key is not None or self.wait or writer is None or not writer.running:
            return await anyio.to_thread.run_sync(
                functools.partial(self.run, data, command, status=status, location=location)
            )
        expected = self.expected_version
        with bound_provenance(self.provenance()):  # copied into the job's context
            result = await writer.submit_async(lambda: command(expected))
        code, body, headers = _answer(result, None, status, location)
        return Response(
            content=body, status_code=code, media_type="application/json", headers=headers
        )

    def wait_for(self, position: int | None) -> bool | None:
        """With ``?wait=true``: whether the read models include ``position`` (None: not asked)."""
        reads = self.services.reads
        if not self.wait or position is None or reads is None:
            return None
        return reads.wait_for(position, timeout=self.services.settings.wait_timeout)

    def execute(
        self,
        data: msgspec.Struct | bytes | None,
        produce: Callable[[], tuple[int, bytes, dict[str, str]]],
    ) -> Response[Any]:
        """Run ``produce`` once per Idempotency-Key, under the request's provenance."""
        principal = principal_of(self.request)
        key = self.idempotency_key
        store = self.services.idempotency
        if key is not None:
            raw = (
                data if isinstance(data, bytes) else b"" if data is None else _encoder.encode(data)
            )
            query = "&".join(
                f"{k}={v}" for k, v in sorted(self.request.query_params.items()) if k != "wait"
            )
            target = self.request.url.path + (f"?{query}" if query else "")
            target = target.replace("\x00", "\\x00")  # PostgreSQL text cannot hold NUL
            method = self.request.method
            stored = store.claim(
                principal.token_id, key, method, target, fingerprint(method, target, raw)
            )
            if stored is not None:
                return Response(
                    content=stored.body,
                    status_code=stored.status,
                    media_type="application/json",
                    headers={**stored.headers, "Idempotent-Replayed": "true"},
                )
        try:
            with bound_provenance(self.provenance()):
                status, body, headers = produce()
        except BaseException:
            if key is not None:
                store.release(principal.token_id, key)
            raise
        if key is not None:
            kept = {k: v for k, v in headers.items() if k.lower() in _KEEP_HEADERS}
            store.complete(
                principal.token_id, key, StoredResponse(status=status, headers=kept, body=body)
            )
        return Response(
            content=body, status_code=status, media_type="application/json", headers=headers
        )


def _answer(
    result: CommandResult, projected: bool | None, status: int, location: str | None
) -> tuple[int, bytes, dict[str, str]]:
    """A write's answer: its status, its body (a WriteResult) and its headers."""
    out = WriteResult(
        id=result.id,
        version=result.version,
        position=result.position,
        etag=f'"{result.version}"',
        amendments=result.amendments,
        projected=projected,
    )
    headers = {"ETag": out.etag}
    if result.position is not None:
        headers["X-Log-Position"] = str(result.position)
    if location:
        headers["Location"] = location
    return status, _encoder.encode(out), headers


#: A write's options as request parameters (documented and validated by Litestar).
IfMatchHeader = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        description='The ETag (version) you last read, e.g. "7": a stale one gets 412.',
        required=False,
    ),
]
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        description="A unique key per intended change: a retry returns the first response.",
        required=False,
        max_length=255,
    ),
]
ReasonHeader = Annotated[
    str | None,
    HeaderParameter(
        name="X-Reason",
        description="Why the change is made; stored with its events.",
        required=False,
        max_length=2000,
    ),
]
WaitQuery = Annotated[
    bool,
    QueryParameter(
        name="wait",
        description="Return only after the projections include this write (read-your-writes).",
        required=False,
    ),
]
WaitHeader = Annotated[
    bool | None,
    HeaderParameter(
        name="X-Wait",
        description="The same as ?wait=true, as a header.",
        required=False,
    ),
]


def write_context(
    request: Request[Any, Any, Any],
    if_match: IfMatchHeader = None,
    idempotency_key: IdempotencyKeyHeader = None,
    reason: ReasonHeader = None,
    wait: WaitQuery = False,
    x_wait: WaitHeader = None,
) -> WriteContext:
    """The ``ctx`` dependency of write handlers (common.py); the hottest handlers take the
    same parameters themselves and call this, which spares Litestar resolving a dependency
    for every request."""
    return WriteContext(request, if_match, idempotency_key, reason, bool(wait or x_wait))
