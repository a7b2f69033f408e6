"""Concurrent clerks on the same meeting and the same action, over HTTP, on two servers.

Two ``minutebook serve`` processes share one store (the second without the
projections, as a scale-out deployment would run it), so the writes of one are
invisible to the other's aggregate cache until the store says otherwise.  Many
threads, each with a random schedule of its own, read the meeting or the action
(through either server), wait a random moment and write with ``If-Match`` set to
the version they read: new items, revisions of the same three items, progress
notes and reassignments of the same action; a few add items with no
``If-Match`` at all, and each thread sends one write with the long-stale
version of the setup.  Then:

* every answer is 2xx, 412 or 409 — never a 5xx, never a dropped connection;
  the deliberately stale writes are all 412;
* no two accepted writes were based on the same version (a lost update would be
  two), and every accepted write made exactly the next version;
* every accepted write is in the final state (the record, and the minutes view
  once caught up), and the record's history holds exactly the accepted writes —
  nothing from a refused one;
* the final state equals a serial replay: the accepted writes, re-sent one at a
  time in commit order to a fresh body on the same store with the same
  ``If-Match`` versions, are all accepted at the same versions and give the same
  minutes and the same action.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ops.faults.http_clerks import make_token, projections_caught_up
from tests.api.conftest import Server, start_server, stop_server

THREADS = 8
ROUNDS = 20
DATE = "2024-05-02"
SEED_ITEMS = ("1", "2", "3")


@dataclass
class Write:
    """One attempted write and what became of it."""

    thread: int
    op: str  # add | add-blind | revise | update | reassign
    target: str  # "meeting" or "action"
    path: str
    method: str
    payload: dict[str, Any]
    if_match: int | None
    status: int = 0
    version: int | None = None
    stale_on_purpose: bool = False


@dataclass
class Scene:
    body: str
    meeting: str  # the meeting's path
    action: str  # the action's path
    meeting_version: int
    action_version: int


@pytest.fixture
def servers(store_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server, dict[str, str]]]:
    # One after the other: two servers starting at once on a fresh PostgreSQL store race
    # to create the tables (tests/reliability/test_concurrent_startup.py).
    first = start_server(store_url, tmp_path)
    try:
        second = start_server(store_url, tmp_path, MINUTEBOOK_PROJECTIONS="false")
    except BaseException:
        stop_server(first)
        raise
    tokens = {
        role: make_token(store_url, role, f"concurrent {role} {uuid.uuid4().hex[:6]}")
        for role in ("clerk", "auditor")
    }
    try:
        yield first, second, tokens
    finally:
        stop_server(second)
        stop_server(first)


def client(server: Server, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def ok(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def set_up(c: httpx.Client, body: str) -> Scene:
    """A body, its meeting with three items, and an action raised from item 1."""
    ok(c.post("/api/bodies", json={"name": body}), 201)
    ok(c.post(f"/api/bodies/{quote(body, safe='')}/meetings", json={"date": DATE}), 201)
    meeting = f"/api/bodies/{quote(body, safe='')}/meetings/{DATE}"
    version = 0
    for n in SEED_ITEMS:
        item = {"number": n, "title": f"Item {n}", "resolutions": [f"resolution {n}"]}
        version = ok(c.post(meeting + "/items", json=item), 201)["version"]
    raised = ok(
        c.post(
            "/api/actions",
            json={
                "body": body,
                "date": DATE,
                "minute": "1",
                "part": 1,
                "description": "Report back",
                "owners": ["Mary Mason"],
            },
        ),
        201,
    )
    return Scene(body, meeting, f"/api/actions/{raised['id']}", version, raised["version"])


def etag(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.headers["etag"].strip('"'))


def clerk(
    k: int, clients: list[httpx.Client], scene: Scene, log: list[Write], lock: threading.Lock
) -> None:
    rng = random.Random(1000 + k)
    for i in range(ROUNDS + 1):
        c = rng.choice(clients)  # read through one server, write through either
        w = rng.choice(clients)
        op = rng.choice(("add", "revise", "revise", "update", "update", "reassign", "add-blind"))
        stale = i == ROUNDS  # the last write of each thread: the setup's version, long gone
        payload: dict[str, Any]
        if op in ("update", "reassign"):
            base = scene.action_version if stale else etag(c.get(scene.action))
            if op == "update":
                path, method, payload = scene.action + "/updates", "POST", {"note": f"note {k}.{i}"}
            else:
                path, method, payload = scene.action + "/owners", "PUT", {"owners": [f"O {k}.{i}"]}
            write = Write(k, op, "action", path, method, payload, base)
        else:
            base = scene.meeting_version if stale else etag(c.get(scene.meeting))
            if op == "revise":
                path = f"{scene.meeting}/items/{rng.choice(SEED_ITEMS)}"
                payload = {"title": f"Title {k}.{i}", "paragraphs": [f"text {k}.{i}"]}
                write = Write(k, op, "meeting", path, "PATCH", payload, base)
            else:
                number = str(100 + 20 * k + i)
                payload = {"number": number, "title": f"Item {number}"}
                blind = op == "add-blind" and not stale
                write = Write(
                    k,
                    op,
                    "meeting",
                    scene.meeting + "/items",
                    "POST",
                    payload,
                    None if blind else base,
                )
        write.stale_on_purpose = stale and write.if_match is not None
        threading.Event().wait(rng.uniform(0, 0.03))  # let the others interleave
        headers = {} if write.if_match is None else {"If-Match": f'"{write.if_match}"'}
        r = w.request(write.method, write.path, json=write.payload, headers=headers)
        write.status = r.status_code
        if 200 <= r.status_code < 300:
            write.version = r.json()["version"]
        with lock:
            log.append(write)


def replay(c: httpx.Client, scene: Scene, accepted: list[Write], original: Scene) -> list[int]:
    """The accepted writes, one at a time in commit order, on ``scene``; their versions."""
    versions = []
    for write in accepted:
        path = write.path.replace(original.meeting, scene.meeting).replace(
            original.action, scene.action
        )
        headers = {} if write.if_match is None else {"If-Match": f'"{write.if_match}"'}
        r = c.request(write.method, path, json=write.payload, headers=headers)
        assert 200 <= r.status_code < 300, (write, r.status_code, r.text)
        versions.append(r.json()["version"])
    return versions


def minutes_items(c: httpx.Client, meeting: str) -> list[tuple[str, str, list[str]]]:
    doc = ok(c.get(meeting + "/minutes", headers={"Accept": "application/json"}), 200)
    return sorted((i["number"], i["title"], i["paragraphs"]) for i in doc["items"])


def record_items(c: httpx.Client, meeting: str) -> list[tuple[str, str, list[str]]]:
    doc = ok(c.get(meeting), 200)
    return sorted((i["number"], i["title"], i["paragraphs"]) for i in doc["items"])


def check_chain(accepted: list[Write], start: int, what: str) -> None:
    """Accepted writes of one record, in commit order: each made the next version, and
    each conditional one was based on the version just before it."""
    versions = [w.version for w in accepted]
    assert versions == list(range(start + 1, start + 1 + len(accepted))), (what, versions)
    bases = [w.if_match for w in accepted if w.if_match is not None]
    assert len(bases) == len(set(bases)), f"{what}: two writes accepted on one version"
    for w in accepted:
        if w.if_match is not None:
            assert w.version == w.if_match + 1, (what, w)


def model(scene: Scene, accepted_meeting: list[Write]) -> list[tuple[str, str, list[str]]]:
    """The meeting's items by serial replay of the accepted writes, in plain Python."""
    items: dict[str, tuple[str, list[str]]] = {n: (f"Item {n}", []) for n in SEED_ITEMS}
    for w in accepted_meeting:
        if w.op == "revise":
            items[w.path.rsplit("/", 1)[1]] = (w.payload["title"], w.payload["paragraphs"])
        else:
            items[w.payload["number"]] = (w.payload["title"], [])
    return sorted((n, t, p) for n, (t, p) in items.items())


def test_concurrent_clerks_lose_no_update_and_equal_a_serial_replay(
    servers: tuple[Server, Server, dict[str, str]],
) -> None:
    first, second, tokens = servers
    run = uuid.uuid4().hex[:8]
    with client(first, tokens["clerk"]) as setup_client:
        scene = set_up(setup_client, f"Concurrent Board {run}")
    clients = [client(first, tokens["clerk"]), client(second, tokens["clerk"])]
    log: list[Write] = []
    lock = threading.Lock()
    errors: list[str] = []

    def run_clerk(k: int) -> None:
        try:
            clerk(k, clients, scene, log, lock)
        except BaseException as e:  # a read that failed, a dropped connection: all reported
            errors.append(f"clerk {k}: {e!r}")

    threads = [threading.Thread(target=run_clerk, args=(k,)) for k in range(THREADS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        for c in clients:
            c.close()
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors
    assert len(log) == THREADS * (ROUNDS + 1)  # every request was answered

    statuses = sorted({w.status for w in log})
    assert all(200 <= s < 300 or s in (409, 412) for s in statuses), statuses
    assert all(w.status == 412 for w in log if w.stale_on_purpose)
    # A write without If-Match is never refused as stale; losing the race to the other
    # server more than twice in a row is reported as a conflict (409), storing nothing.
    blind = [w.status for w in log if w.if_match is None]
    assert all(200 <= s < 300 or s == 409 for s in blind), blind

    def accepted(target: str) -> list[Write]:
        done = [w for w in log if w.target == target and 200 <= w.status < 300]
        return sorted(done, key=lambda w: w.version or 0)

    meeting_writes, action_writes = accepted("meeting"), accepted("action")
    assert meeting_writes and action_writes
    check_chain(meeting_writes, scene.meeting_version, "meeting")
    check_chain(action_writes, scene.action_version, "action")

    with client(first, tokens["clerk"]) as c, client(first, tokens["auditor"]) as auditor:
        # Every accepted write is in the record, as a serial replay in Python says.
        expected = model(scene, meeting_writes)
        assert record_items(c, scene.meeting) == expected
        action = ok(c.get(scene.action), 200)
        assert action["notes"] == [w.payload["note"] for w in action_writes if w.op == "update"]
        owners = [w.payload["owners"] for w in action_writes if w.op == "reassign"]
        assert action["owners"] == (owners[-1] if owners else ["Mary Mason"])
        assert action["version"] == scene.action_version + len(action_writes)
        # The record's history: exactly the setup and the accepted writes, nothing refused.
        body = quote(scene.body, safe="")
        history = ok(
            auditor.get(f"/api/audit/bodies/{body}/meetings/{DATE}/events", params={"limit": 500}),
            200,
        )
        after_setup = [e for e in history["items"] if e["version"] > scene.meeting_version]
        assert [e["version"] for e in after_setup] == [w.version for w in meeting_writes]
        for event, w in zip(after_setup, meeting_writes, strict=True):
            assert event["event"] == (
                "Meeting.ItemRevised" if w.op == "revise" else "Meeting.ItemMinuted"
            )
            assert event["data"]["item"]["title"] == w.payload["title"]
        # The projection caught up holds the same.
        projections_caught_up(first.base, tokens["auditor"], timeout=60)
        assert minutes_items(c, scene.meeting) == expected

        # A serial replay through the service itself, on a fresh body of the same store.
        fresh = set_up(c, f"Replay Board {run}")
        assert (fresh.meeting_version, fresh.action_version) == (
            scene.meeting_version,
            scene.action_version,
        )
        assert replay(c, fresh, meeting_writes, scene) == [w.version for w in meeting_writes]
        assert replay(c, fresh, action_writes, scene) == [w.version for w in action_writes]
        assert record_items(c, fresh.meeting) == expected
        replayed = ok(c.get(fresh.action), 200)
        for field in ("notes", "owners", "status", "version", "description"):
            assert replayed[field] == action[field], field
