"""Shared bits of the controllers: dependencies, path and paging parameters."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import PathParameter, QueryParameter

from service.api.auth import principal_of
from service.api.errors import ApiError, bad_input
from service.api.state import Services, services_of
from service.api.writes import WriteContext, write_context
from service.security.roles import Permission

T = TypeVar("T")
MAX_PAGE = 500
#: Positions and versions are 64-bit integers in both stores.
MAX_POSITION = 2**62
DEFAULT_PAGE = 50


def provide_services(request: Request[Any, Any, Any]) -> Services:
    return services_of(request.app)


#: How handlers ask for the server's services and for a write's options.
ServicesDep = NamedDependency[Services]
WriteDep = NamedDependency[WriteContext]

DEPENDENCIES = {
    "services": Provide(provide_services, sync_to_thread=False),
    "ctx": Provide(write_context, sync_to_thread=False),
}

BodyParam = Annotated[
    str,
    PathParameter(description="The body's exact name or its slug (e.g. safer-sefton-together)"),
]
DateParam = Annotated[
    str,
    PathParameter(description="The meeting's date, YYYY-MM-DD", schema_extra={"format": "date"}),
]
NumberParam = Annotated[
    str,
    PathParameter(
        description="The item number as written (e.g. 16, 12(b), 39/20 — send '/' as %2F)"
    ),
]
LimitParam = Annotated[
    int,
    QueryParameter(
        name="limit",
        ge=1,
        le=MAX_PAGE,
        description=f"Page size (at most {MAX_PAGE})",
        required=False,
    ),
]
AfterParam = Annotated[
    str | None,
    QueryParameter(
        name="after",
        description="The `next` cursor of the previous page",
        required=False,
        max_length=512,
    ),
]


def item_number(number: str) -> str:
    """The ``{number:path}`` parameter arrives with a leading slash."""
    text = number[1:] if number.startswith("/") else number
    if not text:
        raise bad_input("path", "number", "an item number is needed")
    return text


def sees_exempt(request: Request[Any, Any, Any]) -> bool:
    return principal_of(request).can(Permission.EXEMPT)


def read_models(services: Services) -> Any:
    if services.reads is None:
        raise ApiError(
            503,
            "projections-unavailable",
            "the read models (projections) are not available on this server",
        )
    return services.reads


def _encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_input("query", "after", "not a cursor returned by this list") from None


def page_of(
    items: Sequence[T], key: Callable[[T], str], after: str | None, limit: int
) -> tuple[list[T], str | None]:
    """A page of ``items`` (sorted by ``key``) after the cursor; cursors are keys, so stable."""
    ordered = sorted(items, key=key)
    if after is not None:
        last = _decode_cursor(after)
        ordered = [i for i in ordered if key(i) > last]
    page = ordered[:limit]
    more = len(ordered) > limit
    return page, (_encode_cursor(key(page[-1])) if more and page else None)
