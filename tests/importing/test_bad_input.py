"""Input that is not minutes: a clear MinutesFormatError, never another exception."""

from __future__ import annotations

import datetime as dt

import pytest

from service.importing.errors import MinutesFormatError
from service.importing.parse import parse_minutes

PROSE = (
    "The quick brown fox jumps over the lazy dog. It was a bright cold day in April, and the\n"
    "clocks were striking thirteen.\n\nNobody was there to see it happen.\n"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "file is empty"),
        (b"", "file is empty"),
        ("  \n\t\n   \u00a0\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "file is binary, not text"),
        ("text with a \x00 NUL", "file is binary, not text"),
        (bytes(range(0x80, 0xA0)) * 40, "file is binary, not text"),  # not UTF-8 nor cp1252
        (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x01, 0x02]) * 50, "file is binary, not text"),
        (PROSE, "no recognisable minutes: no numbered items or 'Minutes:' block found"),
    ],
)
def test_rejected_with_a_clear_message(data: str | bytes, message: str) -> None:
    with pytest.raises(MinutesFormatError, match=message.replace("(", r"\(")):
        parse_minutes(data, file="bad.txt")


def test_minutes_without_a_date_ask_for_one() -> None:
    text = (
        "PLANNING COMMITTEE\n\n1. APOLOGIES\n\nNone.\n\n"
        "2. MINUTES\n\nRESOLVED: That they be noted.\n"
    )
    with pytest.raises(MinutesFormatError, match=r"no meeting date found: pass --date YYYY-MM-DD"):
        parse_minutes(text, file="nodate.txt")
    doc = parse_minutes(text, file="nodate.txt", meeting_date=dt.date(2024, 1, 9))
    assert doc.body == "Planning Committee" and len(doc.items) == 2


def test_windows_1252_and_bom_and_utf16_are_read() -> None:
    body = "HOUSING BOARD\n\nMEETING HELD ON 3 MAY 2021\n\n1. CHAIR\u2019S UPDATE\n\nNoted.\n"
    for data in (
        body.encode("cp1252"),
        b"\xef\xbb\xbf" + body.encode("utf-8"),
        body.encode("utf-16"),
        body.replace("\n", "\r\n").encode("utf-8"),
    ):
        doc = parse_minutes(data, file="enc.txt")
        assert doc.body == "Housing Board"
        assert doc.meeting_date == dt.date(2021, 5, 3)
        assert doc.items[0].title == "Chair\u2019s Update"


def test_error_is_a_value_error() -> None:
    assert issubclass(MinutesFormatError, ValueError)
