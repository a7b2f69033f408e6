"""The documents a projection holds in memory are bounded by count and by size, and what
it knows of a view built from empty tables is a fixed-size filter: none of it grows with
the log.  (Logic only; memory itself is measured by ``python -m ops.bench``.)"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import msgspec
import pytest

from projections.changes import Changes, iso_date
from projections.sql import Row
from projections.view import DocumentView


class Doc(msgspec.Struct):
    text: str


class FakeView:
    """Holds what was committed; counts the rows looked up."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Row] = {}
        self.lookups: list[tuple[str, str]] = []

    def get_row(self, kind: str, key: str) -> Row | None:
        self.lookups.append((kind, key))
        return self.rows.get((kind, key))

    def commit(self, changes: Changes) -> None:
        upserts, deletes = changes.pending()
        for row in upserts:
            self.rows[(row.kind, row.key)] = row
        for k in deletes:
            self.rows.pop(k, None)
        changes.committed()


def _changes(view: FakeView, **bounds: Any) -> Changes:
    return Changes(cast(DocumentView, view), **bounds)


def test_the_cache_is_bounded_by_size() -> None:
    view = FakeView()
    changes = _changes(view, max_cached=10_000, max_bytes=50_000)
    for i in range(200):
        changes.put("doc", str(i), Doc(text="x" * 1000))
        if i % 10 == 9:
            view.commit(changes)
            assert changes._bytes <= 50_000 + 10 * 1100  # one batch over at most
            assert changes._bytes == sum(changes._sizes.values())
    assert len(changes._cache) < 60
    # what was dropped is read again, as it was last put
    assert changes.get("doc", "0", Doc) == Doc(text="x" * 1000)
    assert view.lookups == [("doc", "0")]


def test_the_cache_is_bounded_by_count_and_keeps_the_latest_put() -> None:
    view = FakeView()
    changes = _changes(view, max_cached=10, max_bytes=1 << 30)
    for i in range(30):
        changes.put("doc", str(i), Doc(text=str(i)))
        changes.put("doc", "hot", Doc(text=str(i)))  # put again and again: kept
        view.commit(changes)
        assert len(changes._cache) <= 10
    assert changes.get("doc", "hot", Doc) == Doc(text="29")
    assert view.lookups == []


def test_a_view_built_from_empty_tables_looks_up_only_what_it_put() -> None:
    view = FakeView()
    changes = _changes(view, max_cached=4, max_bytes=1 << 30)
    changes.start_empty()
    for i in range(50):
        changes.put("doc", str(i), Doc(text=str(i)))
        view.commit(changes)
    assert not changes.complete  # trimmed
    for i in range(50, 1000):
        assert changes.get("doc", str(i), Doc) is None
    assert len(view.lookups) < 20  # the filter's false positives only
    view.lookups.clear()
    assert changes.get("doc", "3", Doc) == Doc(text="3")
    assert view.lookups == [("doc", "3")]
    assert len(cast(bytearray, changes._known)) == 1 << 20  # a fixed size, however many keys


def test_deleted_documents_are_not_counted() -> None:
    view = FakeView()
    changes = _changes(view, max_cached=100, max_bytes=1 << 30)
    changes.put("doc", "a", Doc(text="x" * 100))
    view.commit(changes)
    assert changes._bytes > 100
    changes.delete("doc", "a")
    view.commit(changes)
    assert changes._bytes == 0
    assert changes.get("doc", "a", Doc) is None


def test_a_document_changed_in_place_is_written_again_with_its_columns() -> None:
    view = FakeView()
    changes = _changes(view, max_cached=1)
    changes.put("doc", "a", Doc(text="1"), grp="g", sort="s", f1="x", f2="y")
    view.commit(changes)
    changes.put("doc", "b", Doc(text="b"))
    view.commit(changes)  # "a" trimmed: read back from the table below
    doc = changes.get("doc", "a", Doc)
    assert doc is not None and view.lookups == [("doc", "a")]
    doc.text = "2"
    changes.rewrite("doc", "a")
    view.commit(changes)
    assert view.rows[("doc", "a")] == Row("doc", "a", "g", "s", "x", "y", b'{"text":"2"}')


def test_only_a_cached_document_can_be_written_again() -> None:
    changes = _changes(FakeView())
    with pytest.raises(KeyError):
        changes.rewrite("doc", "never got")
    changes.put("doc", "a", Doc(text="1"))
    changes.delete("doc", "a")
    with pytest.raises(KeyError):
        changes.rewrite("doc", "a")
    assert changes.get("doc", "a", Doc) is None


def test_dates_as_text_are_isoformat() -> None:
    for day in (dt.date(2022, 3, 17), dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        assert iso_date(day) == day.isoformat()
        assert iso_date(day) == day.isoformat()  # remembered
