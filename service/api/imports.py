"""Import minutes published as plain text: the same parser and recording as the CLI."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import QueryParameter

from service.api.auth import WRITE
from service.api.common import DEPENDENCIES, ServicesDep, WriteDep
from service.api.errors import errors
from service.api.writes import parse_date
from service.importing.document import ParsedMinutes
from service.importing.parse import parse_minutes
from service.importing.record import ImportOutcome, record_minutes

#: Litestar's own ceiling; the configured limit (``max_import_bytes``) is checked while reading.
HARD_LIMIT = 64 * 1024 * 1024

BodyQuery = Annotated[
    str | None,
    QueryParameter(
        name="body",
        description="The body to record under when the document does not name one",
        required=False,
        max_length=300,
    ),
]
DateQuery = Annotated[
    str | None,
    QueryParameter(
        name="date",
        description="The meeting date (YYYY-MM-DD) when the document does not state one",
        required=False,
        max_length=10,
    ),
]
FileQuery = Annotated[
    str,
    QueryParameter(
        name="file", description="The file's name, kept with the import record", max_length=255
    ),
]


async def read_limited(request: Request[Any, Any, Any], limit: int) -> bytes:
    announced = request.headers.get("content-length")
    if announced and announced.isdigit() and int(announced) > limit:
        raise RequestEntityTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestEntityTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def parse(data: bytes, file: str, body: str | None, date: str | None) -> ParsedMinutes:
    day = parse_date("date", date, source="query") if date else None
    return parse_minutes(data, file=file, body=body, meeting_date=day)


class ImportController(Controller):
    path = "/api/imports"
    tags = ("imports",)
    dependencies = DEPENDENCIES

    @post(
        "/",
        operation_id="importMinutes",
        summary="Import a minutes document sent as plain text (one transaction, or nothing)",
        description=(
            "Send the document as the request body (text/plain). Importing the same bytes "
            "twice records nothing (200, imported=false); a new import answers 201."
        ),
        opt=WRITE,
        status_code=201,
        request_max_body_size=HARD_LIMIT,
        responses=errors(409, 413, 422),
    )
    async def import_minutes(
        self,
        request: Request[Any, Any, Any],
        services: ServicesDep,
        ctx: WriteDep,
        file: FileQuery = "upload.txt",
        body_name: BodyQuery = None,
        date: DateQuery = None,
    ) -> Response[ImportOutcome]:
        data = await read_limited(request, services.settings.max_import_bytes)
        encoder = msgspec.json.Encoder()

        def produce() -> tuple[int, bytes, dict[str, str]]:
            doc = parse(data, file, body_name, date)
            outcome = record_minutes(services.record, doc, hashlib.sha256(data).hexdigest())
            ctx.wait_for(outcome.position)
            headers = {"X-Log-Position": str(outcome.position)} if outcome.position else {}
            return (201 if outcome.imported else 200), encoder.encode(outcome), headers

        response: Response[ImportOutcome] = await anyio.to_thread.run_sync(
            ctx.execute, data, produce
        )
        return response

    @post(
        "/preview",
        operation_id="previewImport",
        summary="Parse a minutes document without storing anything (like import --dry-run)",
        opt=WRITE,
        status_code=200,
        request_max_body_size=HARD_LIMIT,
        responses=errors(413, 422),
    )
    async def preview(
        self,
        request: Request[Any, Any, Any],
        services: ServicesDep,
        file: FileQuery = "upload.txt",
        body_name: BodyQuery = None,
        date: DateQuery = None,
    ) -> dict[str, Any]:
        data = await read_limited(request, services.settings.max_import_bytes)
        doc = await anyio.to_thread.run_sync(parse, data, file, body_name, date)
        out: dict[str, Any] = doc.contract_dict()
        return out
