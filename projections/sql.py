"""The one table shape every read model uses, in SQLite's and PostgreSQL's dialects.

A document table holds rows ``(kind, key) → doc`` with a group, a sort key and
two filter columns, all indexed; what they mean is up to each read model::

    kind  the sort of document ("meeting", "version", "action", …)
    key   its identity within the kind
    grp   the record it belongs to (a body, a meeting)   — index (kind, grp, sort)
    sort  its order within the group (ISO dates sort as text)
    f1    a filter column (a status, an event topic)
    f2    a second filter column (a due date)
    doc   the document: msgspec JSON bytes (BLOB / BYTEA)

Each generation of a view has its own tables (``view_<name>_g<n>`` and
``…_tracking``), so a rebuild writes fresh tables while readers use the live ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any, Literal, NamedTuple, Protocol


class Cursor(Protocol):
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...
    def executemany(self, query: Any, params_seq: Any, /) -> Any: ...
    def fetchall(self) -> Any: ...
    def fetchone(self) -> Any: ...


class Row(NamedTuple):
    kind: str
    key: str
    grp: str
    sort: str
    f1: str | None
    f2: str | None
    doc: bytes


COLUMNS = "kind, key, grp, sort, f1, f2, doc"
#: Rows an SQLite statement writes at once when a commit has many (a rebuild's batches):
#: ``executemany`` steps the statement once per row, releasing the GIL and taking it
#: back each time, so a writer thread beside a busy pass crawled; one statement per 200
#: rows binds them in one go and inserts them in one step (and costs less CPU).
ROWS_PER_STATEMENT = 200
#: Views read by group and f1 in sort order (the action tracker, by status): an index more.
FILTERED_VIEWS = frozenset({"actions"})
_BY_F1 = "(kind, grp, f1, sort, key)"


class Dialect:
    def __init__(self, kind: Literal["sqlite", "postgres"], schema: str | None = None) -> None:
        self.kind = kind
        self.schema = schema
        self.p = "?" if kind == "sqlite" else "%s"
        self.blob = "BLOB" if kind == "sqlite" else "BYTEA"

    def name(self, table: str) -> str:
        """A table's name as written in statements (schema-qualified on PostgreSQL)."""
        return f'"{self.schema}"."{table}"' if self.schema else f'"{table}"'

    def events_head(self) -> str:
        """The statement for the log's last position (the application's events table)."""
        if self.kind == "sqlite":
            return "SELECT MAX(rowid) AS head FROM stored_events"
        return f"SELECT MAX(notification_id) AS head FROM {self.name('minutebook_events')}"

    def params(self, count: int) -> str:
        return ", ".join([self.p] * count)


class DocumentTable:
    """Statements for one generation of one view's document table."""

    def __init__(self, dialect: Dialect, view: str, generation: int) -> None:
        self.dialect = dialect
        self.view = view
        self.base = f"view_{view}_g{generation}"
        self.tracking = f"{self.base}_tracking"
        t, p = dialect.name(self.base), dialect.p
        self.table = t
        on_conflict = (
            "ON CONFLICT (kind, key) DO UPDATE SET grp = excluded.grp, sort = excluded.sort, "
            "f1 = excluded.f1, f2 = excluded.f2, doc = excluded.doc"
        )
        self._upsert = f"INSERT INTO {t} ({COLUMNS}) VALUES ({dialect.params(7)}) {on_conflict}"
        values = ", ".join([f"({dialect.params(7)})"] * ROWS_PER_STATEMENT)
        self._upsert_many = f"INSERT INTO {t} ({COLUMNS}) VALUES {values} {on_conflict}"
        self._delete = f"DELETE FROM {t} WHERE kind = {p} AND key = {p}"
        self._get = f"SELECT {COLUMNS} FROM {t} WHERE kind = {p} AND key = {p}"
        self._group = f"SELECT {COLUMNS} FROM {t} WHERE kind = {p} AND grp = {p}"
        self._kind = f"SELECT {COLUMNS} FROM {t} WHERE kind = {p}"

    def create(self) -> list[str]:
        d, t = self.dialect, self.table
        return [
            f"CREATE TABLE IF NOT EXISTS {t} (kind TEXT NOT NULL, key TEXT NOT NULL, "
            "grp TEXT NOT NULL, sort TEXT NOT NULL, f1 TEXT, f2 TEXT, "
            f"doc {d.blob} NOT NULL, PRIMARY KEY (kind, key))",
            # (kind, grp, sort, key): a group read in (sort, key) order is one index range,
            # whatever the view's size (without key, SQLite preferred a full kind scan).
            f'CREATE INDEX IF NOT EXISTS "{self.base}_grp_sk" ON {t} (kind, grp, sort, key)',
            *(
                # The tracker's pages filtered by status (f1) are one index range too, however
                # few of a body's actions have that status.
                [f'CREATE INDEX IF NOT EXISTS "{self.base}_f1_sk" ON {t} {_BY_F1}']
                if self.view in FILTERED_VIEWS
                else []
            ),
        ]

    def drop(self) -> list[str]:
        d = self.dialect
        return [f"DROP TABLE IF EXISTS {d.name(n)}" for n in (self.base, self.tracking)]

    # Writing ----------------------------------------------------------------------

    def write(self, c: Cursor, upserts: Sequence[Row], deletes: Sequence[tuple[str, str]]) -> None:
        """Deletes, then upserts in order (a key written twice keeps the later row)."""
        if deletes:
            c.executemany(self._delete, deletes)
        n = ROWS_PER_STATEMENT
        if self.dialect.kind == "sqlite" and len(upserts) >= n:
            whole = len(upserts) - len(upserts) % n
            values = list(chain.from_iterable(upserts[:whole]))
            step = n * len(Row._fields)
            for i in range(0, len(values), step):
                c.execute(self._upsert_many, values[i : i + step])
            upserts = upserts[whole:]
        if upserts:
            c.executemany(self._upsert, upserts)

    # Reading ----------------------------------------------------------------------

    def get(self, c: Cursor, kind: str, key: str) -> Row | None:
        c.execute(self._get, (kind, key))
        found = c.fetchone()
        return _row(found) if found is not None else None

    def group(
        self, c: Cursor, kind: str, grp: str, *, sort: str | None = None, desc: bool = False
    ) -> list[Row]:
        """Rows of one group in sort order, optionally only those with one sort value."""
        p = self.dialect.p
        query, params = self._group, [kind, grp]
        if sort is not None:
            query += f" AND sort = {p}"
            params.append(sort)
        query += " ORDER BY sort DESC, key DESC" if desc else " ORDER BY sort, key"
        c.execute(query, params)
        return [_row(r) for r in c.fetchall()]

    def kind(
        self,
        c: Cursor,
        kind: str,
        *,
        grps: Iterable[str] | None = None,
        f1: str | None = None,
        sort_after: str | None = None,
    ) -> list[Row]:
        """Rows of one kind in sort order; optionally only some groups, one f1, after a sort key."""
        p = self.dialect.p
        query, params = self._kind, [kind]
        if grps is not None:
            wanted = list(grps)
            if not wanted:
                return []
            query += f" AND grp IN ({self.dialect.params(len(wanted))})"
            params += wanted
        if f1 is not None:
            query += f" AND f1 = {p}"
            params.append(f1)
        if sort_after is not None:
            query += f" AND sort > {p}"
            params.append(sort_after)
        c.execute(query + " ORDER BY sort, key", params)
        return [_row(r) for r in c.fetchall()]

    def has_kind(self, c: Cursor, kind: str) -> bool:
        """Whether any row of this kind is stored."""
        c.execute(
            f"SELECT 1 AS found FROM {self.table} WHERE kind = {self.dialect.p} LIMIT 1", (kind,)
        )
        return c.fetchone() is not None

    def all_rows(self, c: Cursor) -> list[Row]:
        c.execute(f"SELECT {COLUMNS} FROM {self.table} ORDER BY kind, key")
        return [_row(r) for r in c.fetchall()]

    def position(self, c: Cursor, application_name: str) -> int | None:
        p = self.dialect.p
        c.execute(
            f"SELECT MAX(notification_id) AS position FROM {self.dialect.name(self.tracking)} "
            f"WHERE application_name = {p}",
            (application_name,),
        )
        found = c.fetchone()
        return None if found is None else found["position"]


def _row(r: Any) -> Row:
    return Row(r["kind"], r["key"], r["grp"], r["sort"], r["f1"], r["f2"], bytes(r["doc"]))
