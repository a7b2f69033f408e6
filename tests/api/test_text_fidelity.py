"""Text is stored exactly as given and shown, never interpreted.

Right-to-left Arabic and Hebrew, emoji (with skin tones and joiners), combining
marks, ``<script>``, SQL-looking strings and control characters go in through the
API and come back byte for byte — from the record, from the minutes view, from the
event feed and from the stored events themselves — on both stores; the Markdown
rendering escapes them, so nothing in the minutes becomes markup or HTML.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any
from urllib.parse import quote

import httpx
import msgspec
import psycopg
import pytest

from domain.ids import slugify
from tests.api.conftest import Server
from tests.api.helpers import ok

ARABIC = "قرر المجلس الموافقة على المحضر"  # RTL
HEBREW = "הוועדה החליטה לאשר את הפרוטוקול"
MIXED = "Item \u202bمحضر\u202c 12(b) — \u200fשלום\u200e ok"  # embedding and direction marks
EMOJI = "Agreed 👍🏽 👩🏾‍⚖️ 🏳️‍🌈 🇬🇧"
COMBINING = "Cafe\u0301 vs Café; A\u030a; Z\u0335\u0321a\u0336l\u0334g\u0337o"  # decomposed forms
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
SQL = "'; DROP TABLE stored_events; --"
SQL2 = 'Robert"); DELETE FROM minutebook_tokens WHERE ("1"="1'
MARKDOWN = "**bold** _it_ [link](javascript:alert(3)) ![img](http://x/y.png) `code` # h | t |"
CONTROL = "tab\there; new\nline; nul\x00byte; bell\x07"
TEXTS = [ARABIC, HEBREW, MIXED, EMOJI, COMBINING, SCRIPT, SQL, SQL2, MARKDOWN, CONTROL]
DATE = "2024-02-02"


def path_of(body: str) -> str:
    """By slug: a name with "/" in it (``</script>``) cannot be a path segment."""
    return f"/api/bodies/{quote(slugify(body), safe='')}"


@pytest.fixture
def recorded(server: Server, unique: str) -> dict[str, Any]:
    """A body and a meeting whose every text field holds the hard strings."""
    body = f"{ARABIC} {SCRIPT} {unique}"
    item = {
        "number": "1",
        "title": f"{HEBREW} {SQL}",
        "paragraphs": TEXTS,
        "resolutions": [SCRIPT, SQL, EMOJI],
    }
    with server.client("clerk") as clerk:
        ok(clerk.post("/api/bodies", json={"name": body, "organisation": SQL2}), 201)
        ok(
            clerk.post(
                path_of(body) + "/meetings",
                json={"date": DATE, "venue": f"{MIXED} {SCRIPT}", "time": "10:00"},
            ),
            201,
        )
        meeting = f"{path_of(body)}/meetings/{DATE}"
        ok(
            clerk.put(
                meeting + "/attendance",
                json={"present": [ARABIC, HEBREW, SCRIPT], "chair": ARABIC, "apologies": [SQL]},
            )
        )
        ok(clerk.post(meeting + "/items", json=item), 201)
        ok(clerk.post(meeting + "/notes", json={"minute": "1", "note": COMBINING}), 201)
        done = ok(
            clerk.post(meeting + "/notes?wait=true", json={"minute": "1", "note": CONTROL}), 201
        )
        assert done["projected"] is True
    return {"body": body, "meeting": meeting, "item": item}


def test_text_round_trips_exactly_through_the_api(server: Server, recorded: dict[str, Any]) -> None:
    with server.client("reader") as reader:
        for source in ("", "/minutes"):  # the record itself, and the minutes view
            doc = ok(reader.get(recorded["meeting"] + source))
            assert doc["body"] == recorded["body"]
            (item,) = doc["items"]
            assert item["title"] == recorded["item"]["title"]
            assert item["paragraphs"] == TEXTS
            assert item["resolutions"] == [SCRIPT, SQL, EMOJI]
            assert item["notes"] == [COMBINING, CONTROL]
            assert doc["attendance"]["present"] == [ARABIC, HEBREW, SCRIPT]
            assert doc["venue"] == f"{MIXED} {SCRIPT}"
            # Not normalised: the decomposed é stays two code points.
            assert unicodedata.is_normalized("NFC", item["notes"][0]) is False
        body = ok(reader.get(path_of(recorded["body"])))
        assert body["name"] == recorded["body"] and body["organisation"] == SQL2


def test_the_stored_events_hold_the_exact_bytes(server: Server, recorded: dict[str, Any]) -> None:
    """Straight from the events table: every string is there as its UTF-8 (JSON-escaped
    only where JSON must escape), nothing dropped, normalised or HTML-escaped."""
    if server.store.startswith("sqlite:///"):
        with sqlite3.connect(server.store[len("sqlite:///") :]) as conn:
            states = [bytes(r[0]) for r in conn.execute("SELECT state FROM stored_events")]
    else:
        base, _, schema = server.store.partition("?schema=")
        with psycopg.connect(base, options=f"-c search_path={schema}") as conn:
            states = [bytes(r[0]) for r in conn.execute("SELECT state FROM minutebook_events")]
    blob = b"\n".join(states)
    for text in [*TEXTS, recorded["body"], COMBINING]:
        encoded = msgspec.json.encode(text)[1:-1]  # the string as JSON holds it
        assert encoded in blob, text
    assert SCRIPT.encode() in blob and SQL.encode() in blob  # not escaped on the way in


def test_the_event_feed_gives_the_text_back(server: Server, recorded: dict[str, Any]) -> None:
    with server.client("auditor") as auditor:
        head = server.head()
        page = ok(auditor.get("/api/events", params={"after": max(0, head - 20), "limit": 20}))
    texts = msgspec.json.encode([e["data"] for e in page["items"]])
    for text in (SCRIPT, SQL, ARABIC, EMOJI, CONTROL):
        assert msgspec.json.encode(text)[1:-1] in texts


def test_markdown_escapes_the_text_and_keeps_it_readable(
    server: Server, recorded: dict[str, Any]
) -> None:
    with server.client("reader") as reader:
        md = reader.get(recorded["meeting"] + "/minutes", headers={"Accept": "text/markdown"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    text = md.text
    assert not re.search(r"(?<!\\)<", text), "an unescaped '<': raw HTML"
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "[link]" not in text and "\\[link\\]" in text  # no links, no images
    assert "\\*\\*bold\\*\\*" in text
    assert ARABIC in text and HEBREW in text and EMOJI in text  # Unicode as written
    assert COMBINING in text  # combining marks kept, not normalised
    shown = re.sub(r"\\(.)", r"\1", text)  # what a Markdown viewer displays
    for plain in (SCRIPT, SQL, SQL2, MARKDOWN, MIXED):
        assert plain in shown, plain


def test_the_text_rendering_keeps_the_text_as_given(
    server: Server, recorded: dict[str, Any]
) -> None:
    with server.client("reader") as reader:
        plain = reader.get(recorded["meeting"] + "/minutes", headers={"Accept": "text/plain"})
    assert plain.status_code == 200
    for text in (SCRIPT, SQL, ARABIC, HEBREW, EMOJI):
        assert text in plain.text.replace("\n", " ") or text.split()[0] in plain.text


def test_markdown_escapes_the_next_meeting_and_the_confirming_minute(
    server: Server, unique: str
) -> None:
    body = f"Escape Board {unique}"
    with server.client("clerk") as clerk:
        ok(clerk.post("/api/bodies", json={"name": body}), 201)
        for date in ("2024-01-01", "2024-02-01"):
            ok(clerk.post(path_of(body) + "/meetings", json={"date": date}), 201)
        june, sept = f"{path_of(body)}/meetings/2024-01-01", f"{path_of(body)}/meetings/2024-02-01"
        ok(clerk.post(june + "/items", json={"number": "1", "title": "Item"}), 201)
        ok(clerk.post(sept + "/items", json={"number": "<b>2</b>", "title": "Minutes"}), 201)
        ok(clerk.put(june + "/next-meeting", json={"when": SCRIPT}))
        ok(clerk.post(june + "/circulate"))
        ok(
            clerk.post(
                june + "/confirm?wait=true", json={"at_date": "2024-02-01", "minute": "<b>2</b>"}
            )
        )
        md = clerk.get(june + "/minutes", headers={"Accept": "text/markdown"}).text
    assert not re.search(r"(?<!\\)<", md), md


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b'{"name": "\xff\xfe not utf-8"}', 400),  # invalid UTF-8
        (b'{"name": "lone \\ud800 surrogate"}', 400),
    ],
)
def test_text_that_is_not_unicode_is_refused_not_a_crash(
    server: Server, raw: bytes, status: int
) -> None:
    with server.client("clerk") as clerk:
        response = clerk.post(
            "/api/bodies", content=raw, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_sql_looking_text_did_nothing(server: Server, recorded: dict[str, Any]) -> None:
    """After all of the above, the tables the strings name are all there and intact."""
    with server.client("auditor") as auditor:
        assert ok(auditor.get("/api/audit/digest"))["size"] > 0
    assert httpx.get(server.base + "/ready").status_code == 200
    with server.client("reader") as reader:
        assert ok(reader.get(path_of(recorded["body"])))["name"] == recorded["body"]
