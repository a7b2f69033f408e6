"""``verify`` reads the log a batch at a time: every kind of tampering is still named at
its position, whichever batch it falls in, the same as one event at a time (both stores).

Batches are made tiny here (4 events on the fast path, 3 on the row-by-row one, so they
never line up) so that a short log spans many of them and every tampering lands in the
middle of one, on a boundary, or in the last.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import commands as c
from service.app import Minutebook
from service.audit import auditor, ledger, verify_scan
from service.audit.auditor import VerifyReport, digest, log_rows, row_leaf, verify
from service.audit.digest import Digest
from service.audit.merkle import MerkleFrontier, root_from_leaves
from service.store.url import parse_store_url
from tests.audit.test_tamper import fill, pos, raw_sql

DATE_OF_FILL = dt.date(2024, 6, 6)  # the meeting test_tamper.fill records


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify_scan, "BATCH", 4)
    monkeypatch.setattr(auditor, "BATCH", 3)
    # Stores with a head checkpoint (ledger.py) write it often, so head tampering lands.
    monkeypatch.setattr(ledger, "CHECKPOINT_INTERVAL", 4, raising=False)


def tables(app: Minutebook) -> tuple[str, str, str]:
    """(events, ledger leaves, ledger head) as the raw SQL names them."""
    with raw_sql(app) as (_, events):
        pass
    if app.store.kind == "sqlite":
        return events, "stored_events_merkle_leaves", "stored_events_merkle_head"
    schema = events.split(".")[0]
    return (
        events,
        f"{schema}.minutebook_events_merkle_leaves",
        f"{schema}.minutebook_events_merkle_head",
    )


def param(app: Minutebook) -> str:
    return "?" if app.store.kind == "sqlite" else "%s"


def both_ways(app: Minutebook, monkeypatch: pytest.MonkeyPatch) -> VerifyReport:
    """The report with tiny batches, checked equal to the report with the shipped ones."""
    small = verify(app)
    with monkeypatch.context() as m:
        m.setattr(verify_scan, "BATCH", 4096)
        m.setattr(auditor, "BATCH", 5000)
        assert verify(app) == small
    return small


@pytest.fixture
def filled(app: Minutebook) -> Iterator[Minutebook]:
    fill(app, 12)
    assert (app.recorder.max_notification_id() or 0) > 20  # several batches of 4
    yield app


def test_an_untouched_log_verifies_against_a_digest_of_every_size(
    filled: Minutebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = filled
    now = both_ways(app, monkeypatch)
    assert now.ok and now.size == app.recorder.max_notification_id()
    assert now.digest == str(digest(app))
    leaves = [row_leaf(row) for row in log_rows(app)]
    for size in range(now.size + 1):
        kept = Digest(size, root_from_leaves(leaves[:size]))
        assert verify(app, kept).ok, size
        report = verify(app, Digest(size, bytes(32)))
        assert not report.ok and "rewritten" in (report.problem or ""), size
    report = verify(app, Digest(now.size + 1, bytes(32)))
    assert not report.ok and "deleted" in (report.problem or "")


@pytest.mark.parametrize(
    "column, sqlite_value, postgres_value",
    [
        ("topic", "topic || 'x'", "topic || 'x'"),
        ("originator_version", "originator_version + 100", "originator_version + 100"),
        (
            "originator_id",
            "'00000000000000000000000000000001'",
            "'00000000-0000-0000-0000-000000000001'::uuid",
        ),
    ],
)
@pytest.mark.parametrize("which", [1, 4, 5, 9, -1])
def test_an_altered_field_is_named_at_its_position(
    filled: Minutebook,
    monkeypatch: pytest.MonkeyPatch,
    column: str,
    sqlite_value: str,
    postgres_value: str,
    which: int,
) -> None:
    app = filled
    target = which if which > 0 else app.recorder.max_notification_id()
    value = sqlite_value if app.store.kind == "sqlite" else postgres_value
    with raw_sql(app) as (execute, table):
        execute(f"UPDATE {table} SET {column} = {value} WHERE {pos(app)} = {target}")
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position == target
    assert "altered" in (report.problem or "")


@pytest.fixture
def sqlite_filled(tmp_path: Path) -> Iterator[Minutebook]:
    app = Minutebook(parse_store_url(f"sqlite:///{tmp_path / 'minutebook.db'}"))
    try:
        fill(app, 12)
        yield app
    finally:
        app.close()


@pytest.mark.parametrize(
    "value", ["'not a uuid'", "'text, not bytes'", "X'00'", "-1", "'one'", "NULL"]
)
@pytest.mark.parametrize("column", ["originator_id", "state", "originator_version"])
def test_sqlite_values_of_the_wrong_type_are_altered_events(
    sqlite_filled: Minutebook, monkeypatch: pytest.MonkeyPatch, column: str, value: str
) -> None:
    """SQLite keeps whatever is written (PostgreSQL's column types refuse these): a row
    that cannot even be hashed is named as altered, not a crash."""
    app = sqlite_filled
    with raw_sql(app) as (execute, table):
        execute(f"UPDATE {table} SET {column} = {value} WHERE rowid = 6")
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position == 6
    assert "altered" in (report.problem or "")


@pytest.mark.parametrize("which", [1, 4, 5, -1])
def test_an_altered_leaf_is_named_at_its_event(
    filled: Minutebook, monkeypatch: pytest.MonkeyPatch, which: int
) -> None:
    app = filled
    target = which if which > 0 else app.recorder.max_notification_id()
    _, leaves, _ = tables(app)
    with raw_sql(app) as (execute, _):
        execute(
            f"UPDATE {leaves} SET leaf_hash = {param(app)} WHERE position = {target}", (bytes(32),)
        )
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position == target
    assert "altered" in (report.problem or "")


@pytest.mark.parametrize("which", [1, 4, 5, 9])
def test_deleted_and_inserted_events_in_any_batch(
    filled: Minutebook, monkeypatch: pytest.MonkeyPatch, which: int
) -> None:
    app = filled
    with raw_sql(app) as (execute, table):
        execute(f"DELETE FROM {table} WHERE {pos(app)} = {which}")
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position == which
    assert "missing" in (report.problem or "")


def test_an_inserted_event_is_named(filled: Minutebook, monkeypatch: pytest.MonkeyPatch) -> None:
    app = filled
    with raw_sql(app) as (execute, table):
        execute(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
            f"SELECT originator_id, 99, topic, state FROM {table} WHERE {pos(app)} = 4"
        )
    report = both_ways(app, monkeypatch)
    assert not report.ok and "inserted" in (report.problem or "")
    assert report.first_bad_position == app.recorder.max_notification_id()


def test_a_deleted_ledger_entry_is_found(
    filled: Minutebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = filled
    _, leaves, _ = tables(app)
    with raw_sql(app) as (execute, _):
        execute(f"DELETE FROM {leaves} WHERE leaf_index = 6")
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position is not None
    assert "ledger entry 6" in (report.problem or "")


def _head_row(app: Minutebook) -> bytes:
    _, _, head = tables(app)
    with raw_sql(app) as (execute, _):
        row = execute(f"SELECT frontier FROM {head} WHERE id = 1").fetchone()
    assert row is not None, "the fill writes a head (checkpoint)"
    return bytes(row[0])


def _write_head(app: Minutebook, frontier: bytes) -> None:
    _, _, head = tables(app)
    with raw_sql(app) as (execute, _):
        execute(f"UPDATE {head} SET frontier = {param(app)} WHERE id = 1", (frontier,))


def test_an_altered_head_is_found(filled: Minutebook, monkeypatch: pytest.MonkeyPatch) -> None:
    app = filled
    stored = _head_row(app)
    _write_head(app, stored[:-1] + bytes([stored[-1] ^ 1]))
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position is None
    assert "head does not match" in (report.problem or "")


def test_an_unreadable_head_is_reported_not_raised(
    filled: Minutebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = filled
    _write_head(app, b"garbage")
    report = both_ways(app, monkeypatch)
    assert not report.ok and report.first_bad_position is None
    assert "head cannot be read" in (report.problem or "")


def test_a_head_that_disagrees_with_the_leaves_fails(
    filled: Minutebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the head's storage, verify compares the head it reads with the tree."""
    app = filled
    true_head = digest(app)
    longer = MerkleFrontier()
    longer.extend([bytes(32)] * (true_head.size + 1))
    monkeypatch.setattr(verify_scan, "read_frontier", lambda cursor, sql: longer)
    monkeypatch.setattr(auditor, "read_frontier", lambda cursor, sql: longer)
    report = verify(app)
    assert not report.ok and "head does not match" in (report.problem or "")


def test_verify_while_clerks_write_never_reports_a_false_problem(
    app: Minutebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events, leaves and head are read as one state: a commit landing between the
    reads of the last batch must not look like a deleted or inserted event (it did,
    in most runs, before the reads shared a snapshot)."""
    # Batches of 4 would chase the writer's end of the log for ever: shipped sizes.
    monkeypatch.setattr(verify_scan, "BATCH", 4096)
    fill(app, 3)
    stop = threading.Event()
    errors: list[BaseException] = []
    written = [0]

    def write() -> None:
        try:
            while not stop.is_set():
                number = str(100 + written[0])
                app.minute_item(
                    c.MinuteItem(body="Audit Board", date=DATE_OF_FILL, number=number, title="w")
                )
                written[0] += 1
        except BaseException as e:  # reported below
            errors.append(e)

    writer = threading.Thread(target=write)
    writer.start()
    reports: list[VerifyReport] = []
    deadline = time.monotonic() + 20
    try:
        while (written[0] < 40 or len(reports) < 20) and time.monotonic() < deadline:
            reports.append(verify(app))
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors
    assert written[0] >= 40 and len(reports) >= 20  # they did overlap
    assert [r for r in reports if not r.ok] == []
