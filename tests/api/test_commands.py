"""Every command the application records, over HTTP, as a clerk: each returns its version."""

from __future__ import annotations

from urllib.parse import quote

from tests.api.conftest import Server
from tests.api.helpers import JUNE, SEPT, meeting, ok, record_two_meetings


def test_bodies_meetings_and_minutes_commands(server: Server, unique: str) -> None:
    body = f"Commands Board {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
        b = f"/api/bodies/{quote(body)}"
        ok(clerk.post(b + "/members", json={"member": "Cllr Hardy", "role": "Chair"}), 201)
        ok(clerk.post(b + "/members", json={"member": "Cllr Kelly"}), 201)
        left = ok(clerk.delete(b + "/members/Cllr%20Kelly"))
        body_now = clerk.get(b)
        assert body_now.headers["etag"] == f'"{left["version"]}"'
        assert body_now.json()["members"] == {"Cllr Hardy": "Chair"}
        stale = clerk.post(b + "/rename", json={"name": f"{body} Two"}, headers={"If-Match": '"1"'})
        assert stale.status_code == 412
        ok(clerk.post(b + "/rename", json={"name": f"{body} Two"}))
        assert clerk.get(f"/api/bodies/{quote(body + ' Two')}").json()["former_names"] == [body]

        ok(clerk.post(b + "/meetings", json={"date": "2022-12-01"}), 201)
        moved = clerk.post(
            meeting(body, "2022-12-01") + "/reschedule", json={"new_date": "2022-12-08"}
        )
        assert ok(moved)["version"] == 2
        assert moved.headers["location"].endswith("/meetings/2022-12-08")
        ok(clerk.post(meeting(body, "2022-12-08") + "/cancel"))
        assert ok(clerk.get(meeting(body, "2022-12-08")))["cancelled"] is True

        june = meeting(body, JUNE)
        ok(clerk.put(june + "/attendance", json={"present": ["Cllr Hardy"], "chair": "Cllr Hardy"}))
        ok(clerk.post(june + "/declarations", json={"member": "Cllr Hardy", "item": "6"}), 201)
        ok(
            clerk.post(
                june + "/votes", json={"minute": "6", "vote": {"part": 1, "unanimous": True}}
            ),
            201,
        )
        ok(clerk.put(june + "/call-in", json={"subject_to_call_in": False}))
        ok(clerk.put(june + "/next-meeting", json={"when": "2022-09-08T10:00"}))
        ok(clerk.post(june + "/circulate"))
        confirmed = ok(
            clerk.post(
                june + "/confirm",
                json={
                    "at_date": SEPT,
                    "minute": "16",
                    "amendments": [
                        {"op": "delete", "old": "by SWACCA", "minute": "6", "paragraph": 1}
                    ],
                },
            )
        )
        assert confirmed["amendments"][0]["op"] == "delete"
        ok(clerk.post(june + "/notes", json={"minute": "6", "note": "Published online."}), 201)
        signed = ok(clerk.post(june + "/sign", json={"signed_by": "Cllr Hardy", "signed_on": SEPT}))
        doc = ok(clerk.get(june))
        assert doc["status"] == "signed" and doc["version"] == signed["version"]
        assert doc["items"][0]["notes"] == ["Published online."]
        assert doc["items"][0]["votes"][0]["unanimous"] is True
        assert doc["declarations"][0]["member"] == "Cllr Hardy"
        assert doc["call_in"] is False and doc["next_meeting"] == "2022-09-08T10:00"


def test_action_commands(server: Server, unique: str) -> None:
    body = f"Action Board {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, body)
        action = ok(
            clerk.post(
                "/api/actions",
                json={"body": body, "date": JUNE, "minute": "6", "part": 1, "description": "Do it"},
            ),
            201,
        )
        a = f"/api/actions/{action['id']}"
        ok(clerk.post(a + "/updates", json={"note": "Started", "status": "in progress"}), 201)
        ok(clerk.put(a + "/owners", json={"owners": ["Mary Mason"]}))
        ok(clerk.put(a + "/due", json={"due_meeting_date": SEPT}))
        ok(clerk.post(a + "/withdraw", json={"reason": "Superseded"}))
        ok(clerk.post(a + "/reopen", json={"reason": "Needed after all"}))
        done = ok(clerk.post(a + "/complete", json={"note": "Done"}))
        now = clerk.get(a)
        assert now.headers["etag"] == f'"{done["version"]}"'
        view = now.json()
        assert view["status"] == "completed" and view["owners"] == ["Mary Mason"]
        assert view["due"]["meeting_date"] == SEPT
        assert clerk.post(a + "/withdraw", json={"reason": "x"}).status_code == 409
