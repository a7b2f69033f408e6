"""Who, when, why and where from: bound once per request or CLI call.

Every event of the record carries a :class:`Provenance`.  It is read from a
context variable when the event is triggered, so command methods do not have
to thread it through every call (the ``user_id_cvar`` idea of eventsourcing's
content-management example).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

import msgspec

Role = Literal["reader", "clerk", "auditor", "admin", "system"]


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    role: Role


SYSTEM_ACTOR = Actor(id="system", name="Minutebook", role="system")


class Provenance(msgspec.Struct, frozen=True, kw_only=True):
    """Stored on every event: the actor, an optional reason, and the origin."""

    actor: Actor = SYSTEM_ACTOR
    reason: str | None = None
    #: The HTTP request id, when the change came through the API.
    request_id: str | None = None
    #: "import:<sha256 of the file>" or "cli", when not from the API.
    source: str | None = None


# Provenance is a frozen Struct, so sharing the default is safe.
_current: ContextVar[Provenance] = ContextVar(
    "minutebook_provenance",
    default=Provenance(),  # noqa: B039
)


#: The provenance bound now (the default: the system, no reason).  The context
#: variable's own ``get``: read for every event, and a bound C method costs no frame.
current_provenance: Callable[[], Provenance] = _current.get


@contextmanager
def bound_provenance(provenance: Provenance) -> Iterator[Provenance]:
    """Bind ``provenance`` for the events triggered inside the block."""
    token = _current.set(provenance)
    try:
        yield provenance
    finally:
        _current.reset(token)


@contextmanager
def with_reason(reason: str | None) -> Iterator[Provenance]:
    """Bind the current provenance with a reason for the changes inside the block."""
    with bound_provenance(msgspec.structs.replace(current_provenance(), reason=reason)) as p:
        yield p
