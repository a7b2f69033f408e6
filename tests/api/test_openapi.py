"""The OpenAPI document: every route named, tagged, summarised, with examples and errors."""

from __future__ import annotations

from typing import Any

import pytest

from service.api.app import create_app
from service.settings import load_settings


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from service.api.openapi import finish

    store = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'unused.db'}"
    return finish(create_app(load_settings({}, store=store)))


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_has_an_id_tags_a_summary_and_examples(schema: dict[str, Any]) -> None:
    ids = []
    for path, method, op in operations(schema):
        where = f"{method.upper()} {path}"
        ids.append(op["operationId"])
        assert op.get("tags") and op.get("summary"), where
        success = next(op["responses"][s] for s in ("200", "201") if s in op["responses"])
        assert all("example" in media for media in success.get("content", {}).values()), where
        if "requestBody" in op:
            assert all("example" in m for m in op["requestBody"]["content"].values()), where
    assert len(ids) == len(set(ids))
    assert schema["openapi"].startswith("3.1")


def test_api_routes_declare_their_errors_as_problem_details(schema: dict[str, Any]) -> None:
    for path, method, op in operations(schema):
        if not path.startswith("/api/"):
            continue
        where = f"{method.upper()} {path}"
        assert op.get("security") == [{"bearer": []}], where
        for status in ("400", "401", "403"):
            content = op["responses"][status]["content"]
            assert list(content) == ["application/problem+json"], where
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
        if method != "get":
            for status in ("409", "422"):
                if op["operationId"] not in ("previewImport",):
                    assert status in op["responses"], f"{where} lacks {status}"


def test_minutes_are_documented_in_each_rendering(schema: dict[str, Any]) -> None:
    minutes = schema["paths"]["/api/bodies/{body_name}/meetings/{date}/minutes"]["get"]
    assert set(minutes["responses"]["200"]["content"]) == {
        "application/json",
        "text/plain",
        "text/markdown",
    }
    stream = schema["paths"]["/api/events/stream"]["get"]
    assert "text/event-stream" in stream["responses"]["200"]["content"]
    imports = schema["paths"]["/api/imports"]["post"]
    assert "text/plain" in imports["requestBody"]["content"]
