"""Projection-backed reads: the action tracker, histories, attendance, threads — with ?wait."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from tests.api.conftest import Server
from tests.api.helpers import JUNE, SEPT, meeting, ok, record_two_meetings


def raise_actions(clerk: httpx.Client, body: str) -> list[str]:
    first = ok(
        clerk.post(
            "/api/actions",
            json={
                "body": body,
                "date": JUNE,
                "minute": "6",
                "part": 1,
                "description": "Report on the reports",
                "owners": ["Mary Mason"],
                "due_date": "2022-07-01",
            },
        ),
        201,
    )
    second = ok(
        clerk.post(
            "/api/actions",
            json={
                "body": body,
                "date": JUNE,
                "minute": "6",
                "part": 2,
                "description": "Chris White to forward the details",
                "owners": ["Chris White"],
                "due_meeting_date": SEPT,
            },
        ),
        201,
    )
    return [first["id"], second["id"]]


def test_the_action_tracker_filters_and_pages(server: Server, unique: str) -> None:
    body = f"Tracker Board {unique}"
    with server.client("clerk") as clerk, server.client("reader") as reader:
        record_two_meetings(clerk, body)
        first, second = raise_actions(clerk, body)
        updated = ok(
            clerk.post(
                f"/api/actions/{first}/updates",
                json={"note": "Drafted", "status": "in progress"},
                headers={"If-Match": '"1"'},
            ),
            201,
        )
        assert updated["version"] == 2
        done = ok(clerk.post(f"/api/actions/{second}/complete", json={}, params={"wait": "true"}))
        assert done["projected"] is True

        mine = ok(reader.get("/api/actions", params={"body": body}))
        assert {a["id"] for a in mine["items"]} == {first, second}
        by_owner = ok(reader.get("/api/actions", params={"body": body, "owner": "Mary Mason"}))
        assert [a["id"] for a in by_owner["items"]] == [first]
        completed = ok(reader.get("/api/actions", params={"body": body, "status": "completed"}))
        assert [a["id"] for a in completed["items"]] == [second]
        overdue = ok(reader.get("/api/actions", params={"body": body, "overdue": "true"}))
        assert [a["id"] for a in overdue["items"]] == [first]
        page = ok(reader.get("/api/actions", params={"body": body, "limit": 1}))
        assert len(page["items"]) == 1 and page["next"]
        rest = ok(
            reader.get("/api/actions", params={"body": body, "limit": 1, "after": page["next"]})
        )
        assert {page["items"][0]["id"], rest["items"][0]["id"]} == {first, second}
        assert reader.get("/api/actions", params={"after": "_w"}).status_code == 400
        assert reader.get("/api/actions", params={"status": "lost"}).status_code == 400

        action = ok(reader.get(f"/api/actions/{first}"))
        assert action["status"] == "in progress" and action["notes"] == ["Drafted"]
        stale = clerk.put(
            f"/api/actions/{first}/owners", json={"owners": ["X"]}, headers={"If-Match": '"1"'}
        )
        assert stale.status_code == 412
        closed = clerk.post(f"/api/actions/{second}/updates", json={"note": "more"})
        assert closed.status_code == 409


def test_bodies_meetings_attendance_threads_and_status(server: Server, unique: str) -> None:
    body = f"History Board {unique}"
    with server.client("clerk") as clerk, server.client("reader") as reader:
        record_two_meetings(clerk, body)
        ok(
            clerk.put(
                meeting(body, JUNE) + "/attendance",
                json={"present": ["Cllr Hardy", "Cllr Kelly"], "chair": "Cllr Hardy"},
            )
        )
        ok(
            clerk.post(
                meeting(body, SEPT) + "/items",
                json={
                    "number": "17",
                    "title": "Violence Against Women and Girls",
                    "references": [{"minute": "6", "meeting_date": JUNE}],
                },
                params={"wait": "true"},
            ),
            201,
        )
        history = ok(reader.get(f"/api/bodies/{quote(body)}/meetings"))
        assert [m["date"] for m in history["meetings"]] == [JUNE, SEPT]
        register = ok(reader.get(f"/api/bodies/{quote(body)}/attendance"))
        assert {r["person"] for r in register["items"]} >= {"Cllr Hardy", "Cllr Kelly"}
        threads = ok(reader.get("/api/threads", params={"body": body}))
        linked = [t for t in threads["items"] if len(t["entries"]) == 2]
        assert [(e["meeting_date"], e["minute"]) for e in linked[0]["entries"]] == [
            (JUNE, "6"),
            (SEPT, "17"),
        ]
        seen: list[str] = []
        after = None
        while True:
            params = {"limit": 2, **({"after": after} if after else {})}
            page = ok(reader.get("/api/bodies", params=params))
            seen += [b["slug"] for b in page["items"]]
            after = page["next"]
            if after is None:
                break
        assert seen == sorted(seen) and len(seen) == len(set(seen))
        assert any(s.startswith("history-board") for s in seen)
        status = ok(reader.get("/api/projections"))
        assert status and all(v["lag"] >= 0 for v in status)
        assert reader.get("/api/bodies", params={"limit": 501}).status_code == 400
        assert reader.get("/api/bodies/no-such-body/meetings").status_code == 404
