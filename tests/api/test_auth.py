"""The auth matrix: every route of the schema × every role × no token."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.api.conftest import ROLES, Server, cli

#: Which permission each operation needs; "public" needs no token.
PERMISSION = {
    "health": "public",
    "ready": "public",
    "metrics": "public",
    "getRecordEvents": "audit",
    "getBodyEvents": "audit",
    "getMeetingEvents": "audit",
    "listEvents": "audit",
    "streamEvents": "audit",
    "getDigest": "audit",
    "getInclusionProof": "audit",
    "getConsistencyProof": "audit",
}
VIEWS = {
    "listBodies",
    "listMeetings",
    "getAttendanceRegister",
    "listThreads",
    "listActions",
    "getProjectionStatus",
}
READS = {
    "getBody",
    "getMeeting",
    "getItem",
    "getMinutes",
    "listMinutesVersions",
    "diffMinutes",
    "getAction",
    "listBodies",
    "listMeetings",
    "getAttendanceRegister",
    "listThreads",
    "listActions",
    "getProjectionStatus",
}
ALLOWED = {
    "public": set(ROLES),
    "read": set(ROLES),
    "write": {"clerk", "admin"},
    "audit": {"auditor", "admin"},
}
PLACEHOLDERS = {
    "body_name": "no-such-body",
    "date": "2022-06-22",
    "number": "1",
    "member": "nobody",
    "action_id": "00000000-0000-0000-0000-000000000000",
    "record_id": "00000000-0000-0000-0000-000000000000",
    "position": "1",
}


def permission(op_id: str, method: str) -> str:
    if op_id in PERMISSION:
        return PERMISSION[op_id]
    if op_id in READS:
        return "read"
    assert method != "get", f"{op_id}: a GET route missing from the matrix"
    return "write"


def operations(server: Server) -> list[tuple[str, str, str]]:
    schema = httpx.get(server.base + "/schema/openapi.json").json()
    out = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            url = re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDERS[m.group(1)], path)
            out.append((op["operationId"], method, url))
    return out


def call(server: Server, role: str | None, method: str, url: str, op_id: str) -> int:
    with server.client(role) as client:
        kwargs: dict[str, Any] = {}
        if method in ("post", "put", "patch"):
            kwargs["json"] = {}
        params: dict[str, Any] = {"from": 1} if op_id == "diffMinutes" else {}
        if op_id == "getConsistencyProof":
            params = {
                "from": "mb1-0-"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            }
        with client.stream(method.upper(), url, params=params, **kwargs) as response:
            return response.status_code


def test_every_route_checks_the_token_and_the_role(server: Server) -> None:
    ops = operations(server)
    assert len(ops) >= 45
    failures = []
    for op_id, method, url in ops:
        needed = permission(op_id, method)
        for role in (None, *ROLES):
            status = call(server, role, method, url, op_id)
            if status >= 500:
                failures.append(f"{op_id} as {role}: {status}")
            elif role is None and needed != "public":
                if status != 401:
                    failures.append(f"{op_id} without a token: {status}, not 401")
            elif role is not None and role not in ALLOWED[needed]:
                if status != 403:
                    failures.append(f"{op_id} as {role}: {status}, not 403")
            elif status in (401, 403):
                failures.append(f"{op_id} as {role}: {status}, but the role is allowed")
    assert not failures, "\n".join(failures)


def test_unknown_and_revoked_tokens_are_401(server: Server, unique: str) -> None:
    made = cli(
        "token", "create", "--role", "reader", "--name", f"short-lived {unique}", store=server.store
    )
    token = made.stdout.strip()
    assert "shown only this once" in made.stderr
    listed = cli("token", "list", store=server.store).stdout
    assert f"short-lived {unique}" in listed and token not in listed
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(server.base + "/api/bodies/x", headers=headers).status_code == 404
    cli("token", "revoke", f"short-lived {unique}", store=server.store)
    import time

    time.sleep(1.2)  # the test server caches token lookups for 1 second
    assert httpx.get(server.base + "/api/bodies/x", headers=headers).status_code == 401
    bad = httpx.get(server.base + "/api/bodies/x", headers={"Authorization": "Bearer mbk_nope"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"].startswith("Bearer")
    basic = httpx.get(server.base + "/api/bodies/x", headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401


def test_token_cli_rejects_bad_input_with_exit_2(server: Server) -> None:
    role = cli("token", "create", "--role", "mayor", "--name", "x", store=server.store, check=False)
    assert role.returncode == 2 and "Traceback" not in role.stderr
    missing = cli("token", "revoke", "no such token", store=server.store, check=False)
    assert missing.returncode == 2
    assert "no token" in missing.stderr


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_health_and_readiness_need_no_token(server: Server, path: str) -> None:
    response = httpx.get(server.base + path)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
