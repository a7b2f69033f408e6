"""Importing published minutes over HTTP: the CLI's parser and recording, one transaction."""

from __future__ import annotations

from tests.api.conftest import Server
from tests.conftest import SEEDS

SEED = "000_9ce30ee691b8d9d5.txt"


def test_import_records_once_and_preview_stores_nothing(server: Server) -> None:
    data = (SEEDS / SEED).read_bytes()
    with server.client("clerk") as clerk:
        head = server.head()
        preview = clerk.post("/api/imports/preview", content=data, params={"file": SEED})
        assert preview.status_code == 200, preview.text
        assert preview.json()["file"] == SEED and preview.json()["items"]
        assert server.head() == head
        first = clerk.post(
            "/api/imports",
            content=data,
            params={"file": SEED, "wait": "true"},
            headers={"Content-Type": "text/plain"},
        )
        assert first.status_code == 201, first.text
        outcome = first.json()
        assert outcome["imported"] and outcome["items"] > 0 and outcome["position"] > head
        again = clerk.post("/api/imports", content=data, params={"file": SEED})
        assert again.status_code == 200 and again.json()["imported"] is False
        slug = outcome["body"]
        minutes = clerk.get(f"/api/bodies/{slug}/meetings/{outcome['meeting_date']}/minutes")
        assert minutes.status_code == 200


def test_unreadable_documents_are_422_and_store_nothing(server: Server) -> None:
    with server.client("clerk") as clerk:
        head = server.head()
        binary = clerk.post("/api/imports", content=b"\x00\x01\x02" * 100)
        assert binary.status_code == 422
        assert binary.headers["content-type"] == "application/problem+json"
        no_date = clerk.post("/api/imports", content=b"Some text\nwith no minutes in it\n")
        assert no_date.status_code == 422
        bad_date = clerk.post("/api/imports", content=b"x", params={"date": "June"})
        assert bad_date.status_code == 400
        assert bad_date.json()["errors"][0]["field"] == "date"
        assert server.head() == head
