"""Every error status as problem details; a rejected request stores nothing; never a 500."""

from __future__ import annotations

import threading
from urllib.parse import quote

import httpx
import pytest

from tests.api.conftest import Server
from tests.api.helpers import JUNE, SEPT, meeting, ok, record_two_meetings


def problem(response: httpx.Response, status: int) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    data: dict = response.json()  # type: ignore[type-arg]
    assert data["status"] == status
    assert data["detail"]
    assert data["request_id"] == response.headers["x-request-id"]
    return data


@pytest.fixture
def body(server: Server, unique: str) -> str:
    name = f"Errors Partnership {unique}"
    with server.client("clerk") as clerk:
        record_two_meetings(clerk, name)
    return name


def test_stale_if_match_is_412_and_stores_nothing(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        current = clerk.get(meeting(body, JUNE))
        etag = current.headers["etag"]
        ok(
            clerk.patch(
                meeting(body, JUNE) + "/items/6", json={"title": "VAWG"}, headers={"If-Match": etag}
            )
        )
        head = server.head()
        stale = clerk.patch(
            meeting(body, JUNE) + "/items/6", json={"title": "Other"}, headers={"If-Match": etag}
        )
        assert "reload" in problem(stale, 412)["detail"]
        assert server.head() == head
        bad = clerk.patch(
            meeting(body, JUNE) + "/items/6", json={"title": "x"}, headers={"If-Match": "v7"}
        )
        assert problem(bad, 400)["errors"][0]["field"] == "If-Match"


def test_unknown_records_are_404(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        problem(clerk.get("/api/bodies/no-such-body"), 404)
        problem(clerk.get(meeting(body, "2001-01-01")), 404)
        problem(clerk.get(meeting(body, JUNE) + "/items/99"), 404)
        problem(clerk.get(f"/api/actions/{'0' * 8}-0000-0000-0000-{'0' * 12}"), 404)
        problem(clerk.get("/api/no-such-route"), 404)


def test_malformed_input_names_the_field(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        unknown = problem(clerk.post(meeting(body, JUNE) + "/items", json={"titel": "x"}), 400)
        assert {e["field"] for e in unknown["errors"]} == {"titel"}
        wrong = problem(clerk.post(meeting(body, JUNE) + "/items", json={"title": 5}), 400)
        assert wrong["errors"][0]["field"] == "title"
        date = problem(clerk.get(meeting(body, "2022-13-45")), 400)
        assert date["errors"][0] == {
            "source": "path",
            "field": "date",
            "message": "'2022-13-45' is not a date in the form YYYY-MM-DD",
        }
        version = problem(clerk.get(meeting(body, JUNE) + "/minutes", params={"version": "x"}), 400)
        assert version["errors"][0]["field"] == "version"
        problem(clerk.get(meeting(body, JUNE) + "/minutes", params={"as_of": "yesterday"}), 400)
        problem(
            clerk.post(
                "/api/bodies", content=b"{not json", headers={"Content-Type": "application/json"}
            ),
            400,
        )


def test_values_the_record_refuses_are_422(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        exempt = clerk.post(meeting(body, JUNE) + "/items", json={"title": "Land", "exempt": True})
        assert "reason for exemption" in problem(exempt, 422)["detail"]
        problem(
            clerk.post(
                f"/api/bodies/{quote(body)}/meetings", json={"date": "2023-01-01", "time": "25:00"}
            ),
            422,
        )


def test_changes_the_record_does_not_allow_are_409(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        twice = clerk.post(f"/api/bodies/{quote(body)}/meetings", json={"date": JUNE})
        assert "already has a meeting" in problem(twice, 409)["detail"]
        problem(clerk.post("/api/bodies", json={"name": body}), 409)
        problem(
            clerk.post(
                meeting(body, SEPT) + "/sign", json={"signed_by": "Cllr Hardy", "signed_on": SEPT}
            ),
            409,
        )


def test_oversized_bodies_are_413(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        big = {"title": "x", "paragraphs": ["y" * 1024] * 1100}
        problem(clerk.post(meeting(body, JUNE) + "/items", json=big), 413)
        problem(clerk.post("/api/imports", content=b"z" * (7 * 1024 * 1024)), 413)


def test_not_acceptable_is_406(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        problem(clerk.get(meeting(body, JUNE) + "/minutes", headers={"Accept": "image/png"}), 406)


def test_idempotent_retry_returns_the_first_response_and_records_once(
    server: Server, body: str
) -> None:
    with server.client("clerk") as clerk:
        url = meeting(body, JUNE) + "/items"
        item = {"title": "Any Other Business", "paragraphs": ["None."]}
        first = clerk.post(url, json=item, headers={"Idempotency-Key": f"k-{body}"})
        assert first.status_code == 201
        head = server.head()
        again = clerk.post(url, json=item, headers={"Idempotency-Key": f"k-{body}"})
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["etag"] == first.headers["etag"]
        assert server.head() == head
        other = clerk.post(url, json={"title": "Else"}, headers={"Idempotency-Key": f"k-{body}"})
        assert problem(other, 422)["type"].endswith("idempotency-key-reused")
        # a failed write frees its key: the corrected retry is recorded
        failing = {"title": "Land", "exempt": True}
        problem(clerk.post(url, json=failing, headers={"Idempotency-Key": f"f-{body}"}), 422)
        fixed = {**failing, "exempt_reason": "paragraph 3 of Part 1 of Schedule 12A"}
        recorded = ok(clerk.post(url, json=fixed, headers={"Idempotency-Key": f"f-{body}"}), 201)
        replayed = ok(clerk.post(url, json=fixed, headers={"Idempotency-Key": f"f-{body}"}), 201)
        assert replayed == recorded


def test_concurrent_conflicting_edits_one_wins_the_other_is_told(server: Server, body: str) -> None:
    with server.client("clerk") as clerk:
        etag = clerk.get(meeting(body, JUNE)).headers["etag"]
    results: list[int] = []

    def edit(title: str) -> None:
        with server.client("clerk") as c:
            r = c.patch(
                meeting(body, JUNE) + "/items/6", json={"title": title}, headers={"If-Match": etag}
            )
            results.append(r.status_code)

    threads = [threading.Thread(target=edit, args=(f"Title {i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] + [412] * 5


def test_item_numbers_with_a_slash_are_sent_encoded(server: Server, unique: str) -> None:
    body = f"Slash Board {unique}"
    with server.client("clerk") as clerk:
        ok(clerk.post("/api/bodies", json={"name": body}), 201)
        ok(clerk.post(f"/api/bodies/{quote(body)}/meetings", json={"date": "2020-07-01"}), 201)
        ok(
            clerk.post(
                meeting(body, "2020-07-01") + "/items", json={"number": "39/20", "title": "Budget"}
            ),
            201,
        )
        item = ok(clerk.get(meeting(body, "2020-07-01") + "/items/39%2F20"))
        assert item["number"] == "39/20"
        ok(
            clerk.patch(
                meeting(body, "2020-07-01") + "/items/39%2F20", json={"title": "Budget 2020"}
            )
        )
