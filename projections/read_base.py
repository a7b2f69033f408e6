"""What every group of reads shares: the store, its own connections, the live tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from domain.errors import UnknownRecordError
from projections import generations
from projections.catalogue import create_views
from projections.env import dialect, open_datastore
from projections.sql import Cursor, DocumentTable, Row
from service.store.url import StoreConfig


class ReadBase:
    def __init__(self, store: StoreConfig) -> None:
        self.store = store
        self.dialect = dialect(store)
        self.datastore = open_datastore(store, pool_size=2)
        create_views(store.kind, self.datastore)  # a view no runner has run yet reads as empty

    def close(self) -> None:
        self.datastore.close()

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        """One read transaction: the generation looked up and the rows read agree."""
        with self.datastore.transaction(commit=False) as c:
            yield c

    def _table(self, c: Cursor, name: str) -> DocumentTable:
        return DocumentTable(self.dialect, name, generations.live(c, self.dialect, name) or 1)


def required(row: Row | None) -> Row:
    if row is None:
        raise UnknownRecordError("the record's body is not in the view")
    return row
