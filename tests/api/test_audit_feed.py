"""Audit reads, the event feed and its stream, exempt items, logs and metrics."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import httpx

from tests.api.conftest import Server
from tests.api.helpers import JUNE, meeting, ok, record_two_meetings

EXEMPT = {
    "number": "7",
    "title": "Acquisition of Land",
    "paragraphs": ["The price offered was £1.2m."],
    "exempt": True,
    "exempt_reason": "paragraph 3 of Part 1 of Schedule 12A",
}


def test_history_of_a_record_says_who_when_why_and_from_which_request(
    server: Server, unique: str
) -> None:
    body = f"Audit Board {unique}"
    with server.client("clerk") as clerk, server.client("auditor") as auditor:
        record_two_meetings(clerk, body)
        written = clerk.patch(
            meeting(body, JUNE) + "/items/6",
            json={"title": "VAWG"},
            headers={"X-Reason": "typo in the title", "X-Request-ID": f"req-{unique}"},
        )
        assert written.headers["x-request-id"] == f"req-{unique}"
        history = ok(auditor.get(f"/api/audit/bodies/{quote(body)}/meetings/{JUNE}/events"))
        last = history["items"][-1]
        assert last["event"] == "Meeting.ItemRevised"
        assert last["actor"]["name"] == "test clerk" and last["actor"]["role"] == "clerk"
        assert last["reason"] == "typo in the title"
        assert last["request_id"] == f"req-{unique}"
        by_id = ok(
            auditor.get(f"/api/audit/records/{written.json()['id']}/events", params={"limit": 2})
        )
        assert [e["version"] for e in by_id["items"]] == [1, 2]
        assert by_id["next"] == 2
        ok(auditor.get(f"/api/audit/bodies/{quote(body)}/events"))


def test_the_feed_pages_by_position_with_stable_cursors(server: Server, unique: str) -> None:
    with server.client("clerk") as clerk, server.client("auditor") as auditor:
        start = server.head()
        record_two_meetings(clerk, f"Feed Board {unique}")
        seen: list[int] = []
        after = start
        while True:
            page = ok(auditor.get("/api/events", params={"after": after, "limit": 3}))
            if not page["items"]:
                break
            assert len(page["items"]) <= 3
            seen += [e["position"] for e in page["items"]]
            after = page["next"]
        assert seen == sorted(seen) and len(seen) == len(set(seen))
        assert seen[0] == start + 1 and seen[-1] == page["head"]
        again = ok(auditor.get("/api/events", params={"after": start, "limit": 3}))
        assert [e["position"] for e in again["items"]] == seen[:3]
        too_many = auditor.get("/api/events", params={"limit": 100000})
        assert too_many.status_code == 400


def test_the_stream_sends_new_events_and_resumes_from_last_event_id(
    server: Server, unique: str
) -> None:
    with server.client("clerk") as clerk, server.client("auditor") as auditor:
        start = server.head()
        ok(clerk.post("/api/bodies", json={"name": f"Stream Board {unique}"}), 201)
        received: list[dict] = []  # type: ignore[type-arg]
        with auditor.stream(
            "GET", "/api/events/stream", headers={"Last-Event-ID": str(start)}
        ) as s:
            assert s.status_code == 200
            assert s.headers["content-type"].startswith("text/event-stream")
            event_id = None
            for line in s.iter_lines():
                if line.startswith("id: "):
                    event_id = int(line[4:])
                if line.startswith("data: "):
                    received.append(json.loads(line[6:]))
                    assert received[-1]["position"] == event_id
                    if len(received) == 2:
                        break
        assert received[0]["event"] == "Body.Registered"
        assert [e["position"] for e in received] == [start + 1, start + 2]


def test_exempt_items_are_withheld_from_readers_and_shown_to_auditors(
    server: Server, unique: str
) -> None:
    body = f"Exempt Board {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
        ok(clerk.post(meeting(body, JUNE) + "/items", json=EXEMPT, params={"wait": "true"}), 201)
    url = meeting(body, JUNE) + "/items/7"
    for role in ("reader", "clerk"):
        with server.client(role) as client:
            item = ok(client.get(url))
            assert item["withheld"] and item["paragraphs"] == []
            assert item["exempt_reason"] == EXEMPT["exempt_reason"]
            text = client.get(meeting(body, JUNE) + "/minutes", headers={"Accept": "text/plain"})
            assert "£1.2m" not in text.text and "considered in private" in text.text
    for role in ("auditor", "admin"):
        with server.client(role) as client:
            assert ok(client.get(url))["paragraphs"] == EXEMPT["paragraphs"]


def test_one_log_line_per_request_without_tokens_or_minute_text(
    server: Server, unique: str
) -> None:
    body = f"Log Board {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
        clerk.get(meeting(body, JUNE), headers={"X-Request-ID": f"log-{unique}"})
    time.sleep(0.2)
    lines = [json.loads(line) for line in server.log_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == f"log-{unique}"]
    assert len(mine) == 1
    line = mine[0]
    assert line["event"] == "request_handled"
    assert line["route"] == "/api/bodies/{body_name}/meetings/{date}"
    assert line["status"] == 200 and line["actor_name"] == "test clerk" and line["role"] == "clerk"
    assert isinstance(line["duration_ms"], float)
    text = server.log_text()
    assert all(token not in text for token in server.tokens.values())
    assert "considered the reports" not in text


def test_metrics_count_requests_and_time_them(server: Server) -> None:
    httpx.get(server.base + "/health")
    metrics = httpx.get(server.base + "/metrics")
    assert metrics.status_code == 200
    assert (
        'minutebook_http_requests_total{method="GET",route="/health",status="200"}' in metrics.text
    )
    assert "minutebook_http_request_duration_seconds_bucket" in metrics.text
    assert "minutebook_projection_lag_events" in metrics.text
    generated = httpx.get(server.base + "/health", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
