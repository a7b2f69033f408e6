"""The documents a projection reads and writes while it processes a batch of events.

Reads go to the view once and are then served from memory: exactly one runner
writes a view (see :mod:`projections.locks`), so what it wrote last is what the
view holds.  Writes are collected and handed to the view at commit, together
with the batch's tracking record; a failed commit forgets everything cached.
"""

from __future__ import annotations

import itertools
import uuid
from typing import TYPE_CHECKING, Any, TypeVar

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


_id_strs: dict[int, str] = {}
_MAX_ID_STRS = 50_000


def id_str(value: uuid.UUID) -> str:
    """``str(value)``, remembered: projections key every row by ids, many times per event
    (``UUID.__str__`` is Python code; its ``int`` is a plain attribute and a cheap key)."""
    found = _id_strs.get(value.int)
    if found is None:
        if len(_id_strs) >= _MAX_ID_STRS:
            _id_strs.clear()
        found = _id_strs[value.int] = str(value)
    return found


#: A document as put: (doc, grp, sort, f1, f2) — a plain tuple, the cheapest to make.
_Entry = tuple[Any, str, str, str | None, str | None]
_MISSING: Any = object()


class Changes:
    def __init__(self, view: DocumentView, *, max_cached: int = 5_000) -> None:
        self.view = view
        self.max_cached = max_cached
        self._cache: dict[tuple[str, str], _Entry | None] = {}
        self._dirty: dict[tuple[str, str], _Entry | None] = {}
        #: Every document of the view is in the cache (a view built from empty tables):
        #: what is not cached does not exist, and need not be looked for.
        self.complete = False
        #: Every key put since the view's tables were empty (None: not known): once the
        #: cache is trimmed, a key not in it need not be looked for either.
        self._known: set[tuple[str, str]] | None = None
        #: The stored event being applied, when known (its bytes are the log's own).
        self.current: StoredEvent | None = None

    def get(self, kind: str, key: str, type_: type[T]) -> T | None:
        """The document, as last put (or as stored); None if there is none."""
        k = (kind, key)
        entry = self._cache.get(k, _MISSING)
        if entry is not _MISSING:
            return None if entry is None else entry[0]
        if self.complete or (self._known is not None and k not in self._known):
            return None
        row = self.view.get_row(kind, key)
        if row is None:
            self._cache[k] = None
            return None
        doc: T = decoder(type_).decode(row.doc)
        self._cache[k] = (doc, row.grp, row.sort, row.f1, row.f2)
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
        k = (kind, key)
        entry = (doc, grp, sort, f1, f2)
        self._dirty[k] = entry
        if keep:
            self._cache[k] = entry
        if self._known is not None:
            self._known.add(k)

    def delete(self, kind: str, key: str) -> None:
        self._dirty[(kind, key)] = None
        self._cache[(kind, key)] = None

    def pending(self) -> tuple[list[Row], list[tuple[str, str]]]:
        upserts: list[Row] = []
        deletes: list[tuple[str, str]] = []
        encoder, make = _encoder.encode, Row._make
        for (kind, key), entry in self._dirty.items():
            if entry is None:
                deletes.append((kind, key))
            else:
                doc, grp, sort, f1, f2 = entry
                if not isinstance(doc, bytes):
                    doc = encoder(doc)
                upserts.append(make((kind, key, grp, sort, f1, f2, doc)))
        return upserts, deletes

    def start_empty(self) -> None:
        """The view's tables are empty (a rebuild's new generation): nothing to look up."""
        self.complete = True
        self._known = set()

    def committed(self) -> None:
        self.handed_over()
        self.trim()

    def handed_over(self) -> None:
        """What :meth:`pending` returned is being written: collect the next batch."""
        self._dirty.clear()

    def trim(self) -> None:
        """Bounded memory whatever the history's size: past ``max_cached`` documents, drop
        the oldest half (in the order first cached) but those not yet handed over; what is
        dropped is read again when needed.  Only once what was handed over is written."""
        if len(self._cache) <= self.max_cached:
            return
        dirty, drop = self._dirty, len(self._cache) - self.max_cached // 2
        for k in [k for k in itertools.islice(self._cache, drop) if k not in dirty]:
            del self._cache[k]
        self.complete = False

    def forget(self) -> None:
        self._dirty.clear()
        self._cache.clear()
        self.complete = False

    @property
    def dirty(self) -> int:
        return len(self._dirty)
