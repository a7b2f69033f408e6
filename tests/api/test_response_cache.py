"""Kept answers of the current views (service/api/responses.py) are never stale or leaked.

The current minutes and the action tracker are served again as sent while the
views stand still: a write the views include changes the next answer, an exempt
item stays withheld from a role that may not see it even when another role's
answer is kept, and the guards still run before anything kept is given out.
"""

from __future__ import annotations

import json
import time

import httpx

from tests.api.conftest import Server, cli
from tests.api.helpers import JUNE, meeting, ok, record_two_meetings


def test_a_kept_answer_changes_with_the_next_write(server: Server, unique: str) -> None:
    body = f"Cache Board {unique}"
    with server.client("clerk") as clerk, server.client("reader") as reader:
        record_two_meetings(clerk, body)
        minutes = meeting(body, JUNE) + "/minutes"
        first = reader.get(minutes + "?wait=true")
        again = reader.get(minutes)
        assert first.status_code == again.status_code == 200
        assert first.content == again.content
        assert first.headers["etag"] == again.headers["etag"]
        assert again.headers["cache-control"] == "no-store"
        assert again.headers["x-content-type-options"] == "nosniff"
        text = reader.get(minutes, headers={"Accept": "text/plain"})
        assert text.headers["content-type"].startswith("text/plain")
        assert reader.get(minutes, headers={"Accept": "text/plain"}).content == text.content

        ok(
            clerk.post(
                meeting(body, JUNE) + "/items?wait=true",
                json={"number": "7", "title": "Cached Or Not"},
            ),
            201,
        )
        after = reader.get(minutes)
        assert after.status_code == 200
        assert after.headers["etag"] != first.headers["etag"]
        assert "Cached Or Not" in after.text
        assert "CACHED OR NOT" in reader.get(minutes, headers={"Accept": "text/plain"}).text
        unchanged = reader.get(minutes, headers={"If-None-Match": after.headers["etag"]})
        assert unchanged.status_code == 304


def test_the_action_tracker_answer_follows_writes(server: Server, unique: str) -> None:
    body = f"Cache Tracker {unique}"
    with server.client("clerk") as clerk, server.client("reader") as reader:
        record_two_meetings(clerk, body)
        before = ok(reader.get("/api/actions", params={"body": body, "limit": 50}))
        assert before["items"] == []
        ok(
            clerk.post(
                "/api/actions?wait=true",
                json={
                    "body": body,
                    "date": JUNE,
                    "minute": "6",
                    "part": 1,
                    "description": "Kept answers must not hide me",
                    "owners": ["Mary Mason"],
                },
            ),
            201,
        )
        after = ok(reader.get("/api/actions", params={"body": body, "limit": 50}))
        assert [a["description"] for a in after["items"]] == ["Kept answers must not hide me"]


def test_exempt_items_stay_withheld_when_another_role_is_answered_first(
    server: Server, unique: str
) -> None:
    body = f"Cache Exempt {unique}"
    with (
        server.client("clerk") as clerk,
        server.client("auditor") as auditor,
        server.client("reader") as reader,
    ):
        record_two_meetings(clerk, body)
        ok(
            clerk.post(
                meeting(body, JUNE) + "/items?wait=true",
                json={
                    "number": "9",
                    "title": "Staffing Matter",
                    "paragraphs": ["The secret paragraph of the staffing matter."],
                    "exempt": True,
                    "exempt_reason": "Paragraph 1 of Schedule 12A",
                },
            ),
            201,
        )
        minutes = meeting(body, JUNE) + "/minutes"
        for accept in ("application/json", "text/plain", "text/markdown"):
            seen = auditor.get(minutes, headers={"Accept": accept})
            assert seen.status_code == 200
            assert "secret paragraph" in seen.text
            for _ in range(2):  # the auditor's answer is kept now; the reader's is its own
                withheld = reader.get(minutes, headers={"Accept": accept})
                assert withheld.status_code == 200
                assert "secret paragraph" not in withheld.text


def test_guards_run_before_a_kept_answer_is_given(server: Server, unique: str) -> None:
    body = f"Cache Guard {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
        minutes = meeting(body, JUNE) + "/minutes"
        assert clerk.get(minutes + "?wait=true").status_code == 200
        assert clerk.get("/api/actions").status_code == 200
    with server.client() as anonymous:
        assert anonymous.get(minutes).status_code == 401
        assert anonymous.get("/api/actions").status_code == 401
    with server.client() as wrong:
        refused = wrong.get(minutes, headers={"Authorization": "Bearer mbk_not-a-token"})
        assert refused.status_code == 401


def _without_request_id(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in ("x-request-id", "date")}


def test_a_kept_answer_is_sent_as_the_first_was(server: Server, unique: str) -> None:
    body = f"Cache Same {unique}"
    with server.client("clerk") as clerk, server.client("reader") as reader:
        record_two_meetings(clerk, body)
        minutes = meeting(body, JUNE) + "/minutes"
        assert reader.get(minutes + "?wait=true").status_code == 200
        for accept in ("application/json", "text/plain", "text/markdown"):
            first = reader.get(minutes, headers={"Accept": accept})
            kept = reader.get(minutes, headers={"Accept": accept, "X-Request-ID": f"kept-{unique}"})
            assert kept.status_code == first.status_code == 200
            assert kept.content == first.content
            assert _without_request_id(kept) == _without_request_id(first)
            assert kept.headers["x-request-id"] == f"kept-{unique}"
        first = reader.get("/api/actions", params={"body": body})
        kept = reader.get("/api/actions", params={"body": body})
        assert kept.content == first.content
        assert _without_request_id(kept) == _without_request_id(first)
    lines = [
        json.loads(line)
        for line in server.log_text().splitlines()
        if line.startswith("{") and f"kept-{unique}" in line
    ]
    handled = [line for line in lines if line["event"] == "request_handled"]
    assert handled and all(line["route"].endswith("/minutes") for line in handled)
    assert all(line["role"] == "reader" and line["status"] == 200 for line in handled)


def test_a_revoked_token_gets_no_kept_answer(server: Server, unique: str) -> None:
    body = f"Cache Revoked {unique}"
    made = cli(
        "token", "create", "--role", "reader", "--name", f"kept {unique}", store=server.store
    )
    headers = {"Authorization": f"Bearer {made.stdout.strip()}"}
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
    minutes = server.base + meeting(body, JUNE) + "/minutes"
    assert httpx.get(minutes + "?wait=true", headers=headers).status_code == 200
    assert httpx.get(minutes, headers=headers).status_code == 200
    cli("token", "revoke", f"kept {unique}", store=server.store)
    time.sleep(1.2)  # the test server caches token lookups for 1 second
    assert httpx.get(minutes, headers=headers).status_code == 401


class _Runner:
    def __init__(self) -> None:
        self.elsewhere: list[str] = []
        self.at = {"minutes": 5, "actions": 5}

    def positions(self) -> dict[str, int]:
        return dict(self.at)


class _Services:
    def __init__(self) -> None:
        self.projections: _Runner | None = _Runner()
        self.reads = object()
        self.closing = False


def test_kept_answers_follow_the_views_positions_and_stay_bounded() -> None:
    from service.api import responses
    from service.api.responses import Rendered, ResponseCache

    services = _Services()
    cache = ResponseCache(services)  # type: ignore[arg-type]
    answer = Rendered(body=b"x" * 1000, media_type="application/json", headers={})
    stamp = cache.stamp()
    cache.put("k", stamp, answer)
    assert cache.get("k", cache.stamp()) is answer
    assert services.projections is not None
    services.projections.at["actions"] = 6  # a view moved on: the answer is not given
    assert cache.get("k", cache.stamp()) is None
    services.projections.elsewhere = ["threads"]  # a view followed elsewhere: nothing kept
    assert cache.stamp() is None
    services.projections = None
    assert cache.stamp() is None
    services.projections = _Runner()
    for i in range(responses.MAX_ENTRIES + 10):
        cache.put(i, cache.stamp(), answer)
    assert len(cache._entries) <= responses.MAX_ENTRIES
    big = Rendered(body=b"x" * (responses.MAX_BYTES // 4), media_type="text/plain", headers={})
    for i in range(10):
        cache.put(("big", i), cache.stamp(), big)
    assert cache._bytes <= responses.MAX_BYTES + len(big.body)
