"""The documents a projection reads and writes while it processes a batch of events.

Reads go to the view once and are then served from memory: exactly one runner
writes a view (see :mod:`projections.locks`), so what it wrote last is what the
view holds.  Writes are collected and handed to the view at commit, together
with the batch's tracking record; a failed commit forgets everything cached.
"""

from __future__ import annotations

import datetime as dt
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
#: Ids remembered as strings (the map is emptied when full): bounded, whatever the log's size.
_MAX_ID_STRS = 10_000


def id_str(value: uuid.UUID) -> str:
    """``str(value)``, remembered: projections key every row by ids, many times per event
    (``UUID.__str__`` is Python code; its ``int`` is a plain attribute and a cheap key)."""
    found = _id_strs.get(value.int)
    if found is None:
        if len(_id_strs) >= _MAX_ID_STRS:
            _id_strs.clear()
        found = _id_strs[value.int] = str(value)
    return found


_iso_dates: dict[dt.date, str] = {}


def iso_date(value: dt.date) -> str:
    """``value.isoformat()``, remembered like :func:`id_str`: views sort rows by a meeting's
    date, the same date for every event of a meeting, and ``date.isoformat`` formats
    through ``printf`` (four times the cost of looking it up)."""
    found = _iso_dates.get(value)
    if found is None:
        if len(_iso_dates) >= _MAX_ID_STRS:
            _iso_dates.clear()
        found = _iso_dates[value] = value.isoformat()
    return found


#: A document as put: (doc, grp, sort, f1, f2) — a plain tuple, the cheapest to make.
_Entry = tuple[Any, str, str, str | None, str | None]
_MISSING: Any = object()
#: ``Row``'s own constructor checks its arguments; this makes the tuple directly.
_new_row: Any = tuple.__new__
#: The bits of the filter of keys put since a view's tables were empty (1 MiB).
_KNOWN_BITS = 1 << 23
_KNOWN_MASK = _KNOWN_BITS - 1


class Changes:
    """A view's documents in memory while its projection applies events.

    The cache is bounded twice: at most ``max_cached`` documents, and at most about
    ``max_bytes`` of them as stored (their JSON; decoded, about twice that).  Past
    either, :meth:`trim` drops the least recently put half; what is dropped is read
    again when needed.  Either bound alone lets memory follow the log: the minutes
    documents grow with a meeting's items, and a count of them was 40 MB decoded.
    """

    def __init__(
        self, view: DocumentView, *, max_cached: int = 2_000, max_bytes: int = 2 << 20
    ) -> None:
        self.view = view
        self.max_cached = max_cached
        self.max_bytes = max_bytes
        self._cache: dict[tuple[str, str], _Entry | None] = {}
        self._dirty: dict[tuple[str, str], _Entry | None] = {}
        #: The stored size (JSON bytes) of cached documents, where known, and their total.
        self._sizes: dict[tuple[str, str], int] = {}
        self._bytes = 0
        #: Every document of the view is in the cache (a view built from empty tables):
        #: what is not cached does not exist, and need not be looked for.
        self.complete = False
        #: Keys put since the view's tables were empty (None: not known), as a filter of
        #: fixed size (one bit per hash; no false negatives): once the cache is trimmed,
        #: a key whose bit is clear need not be looked for either.  A set of the keys
        #: themselves grew with the log (a million events: about 600,000 keys, 100 MB).
        self._known: bytearray | None = None
        #: The stored event being applied, when known (its bytes are the log's own).
        self.current: StoredEvent | None = None
        #: Rows only ever written (see :meth:`append`), in the order appended.
        self._appended: list[Row] = []

    def get(self, kind: str, key: str, type_: type[T]) -> T | None:
        """The document, as last put (or as stored); None if there is none."""
        k = (kind, key)
        entry = self._cache.get(k, _MISSING)
        if entry is not _MISSING:
            return None if entry is None else entry[0]
        if self.complete:
            return None
        known = self._known
        if known is not None:
            h = hash(k) & _KNOWN_MASK
            if not known[h >> 3] & (1 << (h & 7)):
                return None
        row = self.view.get_row(kind, key)
        if row is None:
            self._cache[k] = None
            return None
        doc: T = decoder(type_).decode(row.doc)
        self._cache[k] = (doc, row.grp, row.sort, row.f1, row.f2)
        self._sized(k, len(row.doc))
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
            cache = self._cache
            cache.pop(k, None)  # the most recently put last: trimmed last
            cache[k] = entry
        known = self._known
        if known is not None:
            h = hash(k) & _KNOWN_MASK
            known[h >> 3] |= 1 << (h & 7)

    def rewrite(self, kind: str, key: str) -> None:
        """Write at commit the document :meth:`get` returned, changed in place since, with
        the columns it had (grp, sort, f1, f2): :meth:`put` for a change that leaves them
        as they were, less working them out again.  The document must be cached (got
        during this event, or put and kept): else ``KeyError``."""
        k = (kind, key)
        cache = self._cache
        entry = cache.pop(k)
        if entry is None:
            cache[k] = None
            raise KeyError(k)
        cache[k] = entry  # the most recently put last: trimmed last
        self._dirty[k] = entry

    def append(
        self, kind: str, key: str, doc: bytes, grp: str, sort: str, f1: str | None = None
    ) -> None:
        """Write a row this projection never reads back, changes or deletes (a minutes
        version: one per event, a key of its own).  Neither cached nor looked up again:
        a rebuild puts tens of thousands of them, and the cache and the filter of
        :meth:`put` cost more than the row."""
        self._appended.append(_new_row(Row, (kind, key, grp, sort, f1, None, doc)))

    def delete(self, kind: str, key: str) -> None:
        k = (kind, key)
        self._dirty[k] = None
        self._cache[k] = None
        self._sized(k, 0)

    def _sized(self, k: tuple[str, str], size: int) -> None:
        self._bytes += size - self._sizes.get(k, 0)
        self._sizes[k] = size

    def pending(self) -> tuple[list[Row], list[tuple[str, str]]]:
        upserts: list[Row] = []
        deletes: list[tuple[str, str]] = []
        encoder, new, row = _encoder.encode, _new_row, Row
        cache, sizes = self._cache, self._sizes
        grown = 0
        for k, entry in self._dirty.items():
            if entry is None:
                deletes.append(k)
            else:
                doc, grp, sort, f1, f2 = entry
                if not isinstance(doc, bytes):
                    doc = encoder(doc)
                if cache.get(k) is entry:  # cached: its size counts
                    grown += len(doc) - sizes.get(k, 0)
                    sizes[k] = len(doc)
                upserts.append(new(row, (k[0], k[1], grp, sort, f1, f2, doc)))
        self._bytes += grown
        upserts += self._appended
        return upserts, deletes

    def start_empty(self) -> None:
        """The view's tables are empty (a rebuild's new generation): nothing to look up."""
        self.complete = True
        self._known = bytearray(_KNOWN_BITS >> 3)

    def committed(self) -> None:
        self.handed_over()
        self.trim()

    def handed_over(self) -> None:
        """What :meth:`pending` returned is being written: collect the next batch."""
        self._dirty.clear()
        self._appended = []

    def trim(self) -> None:
        """Bounded memory whatever the history's size: past ``max_cached`` documents or
        ``max_bytes``, drop the least recently put until half of both is left (but those
        not yet handed over).  Only once what was handed over is written."""
        if len(self._cache) <= self.max_cached and self._bytes <= self.max_bytes:
            return
        cache, dirty, sizes = self._cache, self._dirty, self._sizes
        count, size = self.max_cached // 2, self.max_bytes // 2
        dropped: list[tuple[str, str]] = []
        left, total = len(cache), self._bytes
        for k in cache:
            if left <= count and total <= size:
                break
            if k in dirty:
                continue
            dropped.append(k)
            left -= 1
            total -= sizes.get(k, 0)
        for k in dropped:
            del cache[k]
            sizes.pop(k, None)
        self._bytes = total
        self.complete = False

    def forget(self) -> None:
        self._dirty.clear()
        self._appended = []
        self._cache.clear()
        self._sizes.clear()
        self._bytes = 0
        self.complete = False

    @property
    def dirty(self) -> int:
        return len(self._dirty) + len(self._appended)
