"""Finishing the generated OpenAPI document: examples, other media types, raw bodies.

Litestar describes one JSON body per response; routes that negotiate (minutes
as text or Markdown), stream (SSE) or take plain text (imports) are completed
here, once, when the app is built.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin

from service.api.examples import EXAMPLES, TEXT_EXAMPLES

_TEXT = {"schema": {"type": "string"}}


def _success(operation: dict[str, Any]) -> dict[str, Any] | None:
    for status in ("200", "201"):
        if status in operation.get("responses", {}):
            response: dict[str, Any] = operation["responses"][status]
            return response
    return None


def _complete(op_id: str, operation: dict[str, Any]) -> None:
    success = _success(operation)
    if op_id in ("importMinutes", "previewImport"):
        operation["requestBody"] = {
            "description": "The minutes document as plain text (UTF-8, or Windows-1252)",
            "required": True,
            "content": {"text/plain": dict(_TEXT)},
        }
    if success is None:
        return
    content = success.setdefault("content", {})
    if op_id == "getMinutes":
        content["text/plain"] = {"schema": {"type": "string"}}
        content["text/markdown"] = {"schema": {"type": "string"}}
        operation["responses"]["304"] = {"description": "Not modified (If-None-Match matched)"}
    elif op_id == "diffMinutes":
        content["text/plain"] = {"schema": {"type": "string"}}
    elif op_id == "streamEvents":
        success["content"] = {"text/event-stream": {"schema": {"type": "string"}}}
        success["description"] = "A stream of Server-Sent Events"
    elif op_id == "metrics":
        success["content"] = {"text/plain": {"schema": {"type": "string"}}}
    if op_id == "importMinutes":
        operation["responses"]["200"] = {
            "description": "Already imported: nothing recorded",
            "content": {"application/json": dict(content.get("application/json", {}))},
        }


def _add_examples(op_id: str, operation: dict[str, Any]) -> None:
    request, response = EXAMPLES.get(op_id, (None, None))
    body = operation.get("requestBody")
    if request is not None and body is not None:
        for media in body.get("content", {}).values():
            media["example"] = request
    success = _success(operation)
    if response is not None and success is not None:
        for name, media in success.get("content", {}).items():
            is_text = name.startswith("text/")
            if name in TEXT_EXAMPLES.get(op_id, {}):
                media["example"] = TEXT_EXAMPLES[op_id][name]
            elif isinstance(response, str) == is_text or name == "text/event-stream":
                media["example"] = response


def finish(app: Litestar) -> dict[str, Any]:
    """Complete the app's OpenAPI document in place (it is served from this cache)."""
    schema = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            op_id = operation.get("operationId", "")
            _complete(op_id, operation)
            _add_examples(op_id, operation)
    return schema
