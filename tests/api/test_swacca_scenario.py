"""Seed 002's confirmation end to end over HTTP: record, circulate, confirm, read it back."""

from __future__ import annotations

from tests.api.conftest import Server
from tests.api.helpers import JUNE, PARAGRAPH, SEPT, WORDING, meeting, ok, record_two_meetings


def test_minutes_confirmed_with_the_resolution_wording_read_back_every_way(
    server: Server, unique: str
) -> None:
    body = f"Safer Sefton Together {unique}"
    with server.client("clerk") as clerk, server.client("auditor") as auditor:
        start = server.head()
        record_two_meetings(clerk, body)
        circulated = ok(clerk.post(meeting(body, JUNE) + "/circulate", params={"wait": "true"}))
        assert circulated["projected"] is True
        before = ok(clerk.get(meeting(body, JUNE) + "/minutes"))
        assert before["status"] == "circulated"
        assert before["version"] == circulated["version"]

        confirmed = ok(
            clerk.post(
                meeting(body, JUNE) + "/confirm",
                json={"at_date": SEPT, "minute": "16", "wording": WORDING},
                headers={
                    "If-Match": circulated["etag"],
                    "X-Reason": "confirmed at the meeting",
                    "X-Wait": "true",
                },
            )
        )
        # the parsed structure is echoed back
        assert [
            (a["op"], a["old"], a["minute"], a["paragraph"]) for a in confirmed["amendments"]
        ] == [("delete", "by SWACCA", "6", 1)]
        assert confirmed["version"] == circulated["version"] + 1
        assert confirmed["position"] > start

        now = clerk.get(meeting(body, JUNE) + "/minutes")
        assert now.headers["etag"] == f'"{confirmed["version"]}"'
        doc = ok(now)
        assert doc["status"] == "confirmed"
        assert doc["confirmed_at"]["meeting_date"] == SEPT
        assert doc["items"][0]["paragraphs"][0] == PARAGRAPH.replace(" by SWACCA", "")
        old = ok(clerk.get(meeting(body, JUNE) + "/minutes", params={"version": before["version"]}))
        assert old["items"][0]["paragraphs"][0] == PARAGRAPH

        text = clerk.get(meeting(body, JUNE) + "/minutes", headers={"Accept": "text/plain"})
        assert text.status_code == 200
        assert text.headers["content-type"].startswith("text/plain")
        assert "Confirmed as a correct record at the meeting of 2022-09-08" in text.text
        assert "6. VIOLENCE AGAINST WOMEN AND GIRLS" in text.text
        markdown = clerk.get(meeting(body, JUNE) + "/minutes", headers={"Accept": "text/markdown"})
        assert markdown.text.startswith("# Safer Sefton Together")

        versions = ok(clerk.get(meeting(body, JUNE) + "/minutes/versions"))
        assert versions[-1]["event_type"].endswith("MinutesConfirmed")
        assert versions[-1]["actor"] == "test clerk"
        assert versions[-1]["reason"] == "confirmed at the meeting"
        diff = ok(
            clerk.get(
                meeting(body, JUNE) + "/minutes/diff",
                params={"from": before["version"], "to": confirmed["version"]},
            )
        )
        removed = [ln for ln in diff["diff"].splitlines() if ln.startswith("-") and "SWACCA" in ln]
        assert removed, diff["diff"]
        assert not any(ln.startswith("+") and "SWACCA" in ln for ln in diff["diff"].splitlines())

        raised = ok(
            clerk.post(
                "/api/actions",
                json={
                    "body": body,
                    "date": JUNE,
                    "minute": "6",
                    "part": 2,
                    "description": "Chris White to forward the details to CI Moscrop",
                    "owners": ["Chris White"],
                    "due_meeting_date": SEPT,
                },
                params={"wait": "true"},
            ),
            201,
        )
        tracker = ok(clerk.get("/api/actions", params={"body": body}))
        assert [(a["id"], a["minute"], a["part"]) for a in tracker["items"]] == [
            (raised["id"], "6", 2)
        ]
        assert (
            "Chris White"
            in clerk.get(meeting(body, JUNE) + "/minutes", headers={"Accept": "text/plain"}).text
        )

        later = ok(clerk.get(meeting(body, SEPT)))
        assert later["items"][0]["approves_minutes_of"] == JUNE

        feed = ok(auditor.get("/api/events", params={"after": start, "limit": 100}))
        events = [e["event"] for e in feed["items"]]
        assert "Meeting.MinutesConfirmed" in events
        confirmation = next(e for e in feed["items"] if e["event"] == "Meeting.MinutesConfirmed")
        assert confirmation["actor"]["name"] == "test clerk"
        assert confirmation["reason"] == "confirmed at the meeting"
        assert confirmation["request_id"]


def test_confirmed_minutes_reject_direct_edits_and_store_nothing(
    server: Server, unique: str
) -> None:
    body = f"Safer Sefton Together {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
        ok(clerk.post(meeting(body, JUNE) + "/circulate"))
        ok(
            clerk.post(
                meeting(body, JUNE) + "/confirm",
                json={"at_date": SEPT, "minute": "16", "wording": WORDING},
            )
        )
        head = server.head()
        edit = clerk.patch(meeting(body, JUNE) + "/items/6", json={"title": "Changed"})
        assert edit.status_code == 409
        assert edit.headers["content-type"] == "application/problem+json"
        assert "confirmed as a correct record" in edit.json()["detail"]
        assert server.head() == head
