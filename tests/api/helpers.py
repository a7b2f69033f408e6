"""Recording a body with two meetings over HTTP, as a clerk would."""

from __future__ import annotations

from urllib.parse import quote

import httpx

JUNE, SEPT = "2022-06-22", "2022-09-08"
WORDING = (
    "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
    'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.'
)
PARAGRAPH = (
    "Further to Minute No. 36 of 17 March 2022, the Partnership considered the reports "
    "provided by SWACCA and other partners."
)


def meeting(body: str, date: str) -> str:
    return f"/api/bodies/{quote(body, safe='')}/meetings/{date}"


def ok(response: httpx.Response, status: int = 200) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, response.text
    data: dict = response.json()  # type: ignore[type-arg]
    return data


def record_two_meetings(clerk: httpx.Client, body: str) -> None:
    ok(clerk.post("/api/bodies", json={"name": body}), 201)
    for date in (JUNE, SEPT):
        ok(
            clerk.post(
                f"/api/bodies/{quote(body)}/meetings",
                json={"date": date, "time": "10:00", "remote": True},
            ),
            201,
        )
    ok(
        clerk.post(
            meeting(body, JUNE) + "/items",
            json={
                "number": "6",
                "title": "Violence Against Women and Girls",
                "paragraphs": [PARAGRAPH, "Partners would report back."],
                "resolutions": ["the reports be noted", "Chris White to forward the details"],
            },
        ),
        201,
    )
    ok(
        clerk.post(
            meeting(body, SEPT) + "/items",
            json={"number": "16", "title": "Minutes of Previous Meeting"},
        ),
        201,
    )
