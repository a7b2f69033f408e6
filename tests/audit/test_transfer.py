"""Export → load moves the log between stores with the same digest; bad exports load nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service import commands as c
from service.app import Minutebook
from service.audit.auditor import digest, verify
from service.audit.transfer import ExportError, export_log, load_log
from service.store.url import parse_store_url


def filled(url: str) -> Minutebook:
    app = Minutebook(parse_store_url(url))
    app.register_body(c.RegisterBody(name="Transfer Board"))
    app.schedule_meeting(c.ScheduleMeeting(body="Transfer Board", date=dt.date(2024, 1, 9)))
    for n in range(1, 6):
        app.minute_item(
            c.MinuteItem(
                body="Transfer Board",
                date=dt.date(2024, 1, 9),
                number=str(n),
                title=f"Item {n} — ünïcode 👍 <script>",
            )
        )
    return app


def export(app: Minutebook, path: Path) -> str:
    with path.open("wb") as out:
        return export_log(app, out)


def test_round_trip_sqlite_postgres_sqlite(tmp_path: Path, postgres_url: str) -> None:
    source = filled(f"sqlite:///{tmp_path / 'a.db'}")
    first = export(source, tmp_path / "one.jsonl")
    assert first == str(digest(source))

    pg = Minutebook(parse_store_url(postgres_url))
    assert load_log(pg, tmp_path / "one.jsonl") == first
    assert str(digest(pg)) == first and verify(pg).ok
    assert pg.minutes("Transfer Board", dt.date(2024, 1, 9)) == source.minutes(
        "Transfer Board", dt.date(2024, 1, 9)
    )
    pg.minute_item(c.MinuteItem(body="Transfer Board", date=dt.date(2024, 1, 9), title="After"))
    second = export(pg, tmp_path / "two.jsonl")

    back = Minutebook(parse_store_url(f"sqlite:///{tmp_path / 'b.db'}"))
    assert load_log(back, tmp_path / "two.jsonl") == second
    assert verify(back).ok and str(digest(back)) == second
    for app in (source, pg, back):
        app.close()


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda lines: lines[:-1], "truncated"),
        (lambda lines: lines[:3] + lines[4:], "does not match"),
        (
            lambda lines: [
                *lines[:2],
                lines[2].replace(b'"version":', b'"version":7,"x":'),
                *lines[3:],
            ],
            "line 3",
        ),
        (lambda lines: [*lines[:2], b"garbage\n", *lines[3:]], "line 3"),
    ],
)
def test_corrupted_or_truncated_exports_load_nothing(
    tmp_path: Path, store_url: str, damage: object, message: str
) -> None:
    source = filled(f"sqlite:///{tmp_path / 'src.db'}")
    export(source, tmp_path / "good.jsonl")
    lines = (tmp_path / "good.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "bad.jsonl").write_bytes(b"".join(damage(lines)))  # type: ignore[operator]
    target = Minutebook(parse_store_url(store_url))
    with pytest.raises(ExportError, match=message):
        load_log(target, tmp_path / "bad.jsonl")
    assert not target.recorder.max_notification_id()
    source.close()
    target.close()


def test_load_refuses_a_store_that_is_not_empty(tmp_path: Path, store_url: str) -> None:
    source = filled(f"sqlite:///{tmp_path / 'src.db'}")
    export(source, tmp_path / "x.jsonl")
    target = filled(store_url)
    with pytest.raises(ExportError, match="not empty"):
        load_log(target, tmp_path / "x.jsonl")
    source.close()
    target.close()
