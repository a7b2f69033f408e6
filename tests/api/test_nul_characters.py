"""U+0000 (NUL) in a path or a text field: refused or stored, never a 500, never a stuck view.

PostgreSQL text columns cannot hold NUL, SQLite's can; JSON may carry it as ``\\u0000``.
Found by ``python -m ops.faults.fuzz`` on PostgreSQL: a write with an
``Idempotency-Key`` to a path holding ``%00`` answered 500 (the key's target path is
stored in a text column: ``psycopg.DataError: PostgreSQL text fields cannot contain NUL``).
"""

from __future__ import annotations

from urllib.parse import quote

from ops.faults.http_clerks import projections_caught_up
from tests.api.conftest import Server


def test_a_keyed_write_to_a_path_with_nul_is_not_a_server_error(
    server: Server, unique: str
) -> None:
    name = "Nul\x00Board " + unique
    with server.client("clerk") as clerk:
        r = clerk.post(
            f"/api/bodies/{quote(name, safe='')}/meetings",
            json={"date": "2024-01-10"},
            headers={"Idempotency-Key": f"nul-{unique}"},
        )
    assert r.status_code < 500, r.text
    assert r.status_code in (400, 404)


def test_text_with_nul_is_stored_or_refused_and_the_views_go_on(
    server: Server, unique: str
) -> None:
    name = f"Nul\x00Text Board {unique}"
    with server.client("clerk") as clerk:
        made = clerk.post("/api/bodies", json={"name": name})
        assert made.status_code in (201, 400, 422), made.text
        if made.status_code == 201:
            r = clerk.post(
                f"/api/bodies/{quote(name, safe='')}/meetings", json={"date": "2024-01-10"}
            )
            assert r.status_code == 201, r.text
        ok_body = clerk.post("/api/bodies", json={"name": f"After Nul {unique}"})
        assert ok_body.status_code == 201, ok_body.text
    # Whatever was stored, every view applies it and goes on to the next event.
    projections_caught_up(server.base, server.tokens["auditor"], timeout=30)
