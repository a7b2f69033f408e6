"""The documents a projection reads and writes while it processes a batch of events.

Reads go to the view once and are then served from memory: exactly one runner
writes a view (see :mod:`projections.locks`), so what it wrote last is what the
view holds.  Writes are collected and handed to the view at commit, together
with the batch's tracking record; a failed commit forgets everything cached.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import msgspec
from eventsourcing.persistence import StoredEvent

from projections.sql import Row

if TYPE_CHECKING:
    from projections.view import DocumentView

T = TypeVar("T")
_encoder = msgspec.json.Encoder()
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    found = _decoders.get(type_)
    if found is None:
        found = _decoders[type_] = msgspec.json.Decoder(type_)
    return found


def encode(doc: Any) -> bytes:
    return doc if isinstance(doc, bytes) else _encoder.encode(doc)


class Entry(NamedTuple):
    doc: Any
    grp: str
    sort: str
    f1: str | None
    f2: str | None


class Changes:
    def __init__(self, view: DocumentView, *, max_cached: int = 5_000) -> None:
        self.view = view
        self.max_cached = max_cached
        self._cache: dict[tuple[str, str], Entry | None] = {}
        self._dirty: dict[tuple[str, str], Entry | None] = {}
        #: Every document of the view is in the cache (a view built from empty tables):
        #: what is not cached does not exist, and need not be looked for.
        self.complete = False
        #: The stored event being applied, when known (its bytes are the log's own).
        self.current: StoredEvent | None = None

    def get(self, kind: str, key: str, type_: type[T]) -> T | None:
        """The document, as last put (or as stored); None if there is none."""
        k = (kind, key)
        if k in self._cache:
            entry = self._cache[k]
            return None if entry is None else entry.doc
        if self.complete:
            return None
        row = self.view.get_row(kind, key)
        if row is None:
            self._cache[k] = None
            return None
        doc: T = decoder(type_).decode(row.doc)
        self._cache[k] = Entry(doc, row.grp, row.sort, row.f1, row.f2)
        return doc

    def put(
        self,
        kind: str,
        key: str,
        doc: Any,
        *,
        grp: str = "",
        sort: str = "",
        f1: str | None = None,
        f2: str | None = None,
        keep: bool = True,
    ) -> None:
        """Write ``doc`` (a msgspec Struct, or JSON bytes) at commit; ``keep`` caches it."""
        entry = Entry(doc, grp, sort, f1, f2)
        self._dirty[(kind, key)] = entry
        if keep:
            self._cache[(kind, key)] = entry

    def delete(self, kind: str, key: str) -> None:
        self._dirty[(kind, key)] = None
        self._cache[(kind, key)] = None

    def pending(self) -> tuple[list[Row], list[tuple[str, str]]]:
        upserts: list[Row] = []
        deletes: list[tuple[str, str]] = []
        for (kind, key), entry in self._dirty.items():
            if entry is None:
                deletes.append((kind, key))
            else:
                upserts.append(
                    Row(kind, key, entry.grp, entry.sort, entry.f1, entry.f2, encode(entry.doc))
                )
        return upserts, deletes

    def committed(self) -> None:
        self._dirty.clear()
        if len(self._cache) > self.max_cached:
            # Bounded memory whatever the history's size: drop the oldest half (in the
            # order they were first cached); what is dropped is read again when needed.
            for k in list(itertools.islice(self._cache, len(self._cache) - self.max_cached // 2)):
                del self._cache[k]
            self.complete = False

    def forget(self) -> None:
        self._dirty.clear()
        self._cache.clear()
        self.complete = False

    @property
    def dirty(self) -> int:
        return len(self._dirty)
