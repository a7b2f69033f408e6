"""What the caller supplies vs what the document states."""

from __future__ import annotations

import datetime as dt

from service.importing.parse import parse_minutes
from tests.conftest import SEEDS

SEED_000 = (SEEDS / "000_9ce30ee691b8d9d5.txt").read_bytes()


def test_the_documents_own_date_wins_over_a_supplied_date() -> None:
    doc = parse_minutes(SEED_000, file="000.txt", meeting_date=dt.date(2001, 1, 1))
    assert doc.meeting_date == dt.date(2019, 12, 5)


def test_a_supplied_body_names_the_body_to_file_under() -> None:
    doc = parse_minutes(SEED_000, file="000.txt", body="Safer Sefton Together")
    assert doc.body == "Safer Sefton Together"


def test_items_after_the_press_and_public_are_excluded_are_exempt() -> None:
    from tests.importing.test_parse_layouts import parse

    doc = parse("audit_exempt_part2.txt")
    flags = [(i.number, i.exempt, i.exempt_reason) for i in doc.items]
    assert flags == [
        ("18", False, None),
        ("19", False, None),
        ("20", False, None),
        ("21", True, "paragraph 3 of Part 1 of Schedule 12A"),
    ]
