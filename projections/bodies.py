"""Bodies as every read model needs them: names (and former names) for lookup and display.

Each view keeps its own ``body`` rows and an ``alias`` row per slug of every
name the body has had, so a view answers on its own, at its own position.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from domain import ids
from domain.body import Body
from domain.errors import UnknownRecordError
from projections.base import handles
from projections.changes import Changes, decoder, id_str
from projections.sql import Cursor, DocumentTable


class Rename(msgspec.Struct, frozen=True, kw_only=True):
    old_name: str
    new_name: str
    at: dt.datetime


class BodyInfo(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    slug: str
    organisation: str | None = None
    year_start: tuple[int, int] = (5, 1)
    former_names: list[str] = []
    renames: list[Rename] = []

    def municipal_year(self, date: dt.date) -> int:
        """The calendar year in which the body's municipal year holding ``date`` began."""
        month, day = self.year_start
        return date.year if (date.month, date.day) >= (month, day) else date.year - 1


class FollowsBodies:
    """Handlers for Body events, mixed into each projection."""

    @handles(Body.Registered)
    def _body_registered(self, e: Any, changes: Changes) -> None:
        body = BodyInfo(
            id=e.originator_id,
            name=e.name,
            slug=e.slug,
            organisation=e.organisation,
            year_start=(e.year_start_month, e.year_start_day),
        )
        changes.put("body", id_str(body.id), body)
        _alias(changes, body.slug, body.id)

    @handles(Body.Renamed)
    def _body_renamed(self, e: Any, changes: Changes) -> None:
        body = changes.get("body", id_str(e.originator_id), BodyInfo)
        if body is None:
            return
        body.former_names.append(e.old_name)
        body.renames.append(Rename(old_name=e.old_name, new_name=e.name, at=e.timestamp))
        body.name = e.name
        changes.put("body", id_str(body.id), body)
        _alias(changes, ids.slugify(e.name), body.id)


def _alias(changes: Changes, slug: str, body_id: uuid.UUID) -> None:
    key = id_str(body_id)
    changes.put("alias", slug, msgspec.json.encode(key), grp=key, keep=False)


def find_body(table: DocumentTable, c: Cursor, name_or_slug: str) -> BodyInfo:
    """The body by its slug or any name it has had (as the write model finds it)."""
    alias = table.get(c, "alias", ids.slugify(name_or_slug))
    body = table.get(c, "body", alias.grp) if alias is not None else None
    if body is None:
        raise UnknownRecordError(f'no body called "{name_or_slug}" is recorded')
    found: BodyInfo = decoder(BodyInfo).decode(body.doc)
    return found


def all_bodies(table: DocumentTable, c: Cursor) -> list[BodyInfo]:
    rows = table.kind(c, "body")
    bodies = [decoder(BodyInfo).decode(r.doc) for r in rows]
    return sorted(bodies, key=lambda b: b.name.casefold())
