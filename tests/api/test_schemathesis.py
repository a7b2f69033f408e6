"""Property-based tests from the OpenAPI schema (schemathesis): no server errors, and
responses that match the schema — status codes, content types and bodies, errors included.

Each operation alone (valid and invalid input), then stateful: sequences of calls chained
by OpenAPI links (register a body → schedule its meeting → minute items → revise them;
raise an action → update it …), each call using what the earlier ones created and the
ETag they returned as ``If-Match``.  ``python -m ops.faults.fuzz`` is the long run.
"""

from __future__ import annotations

import collections
import itertools
import os
from typing import Any, NamedTuple

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Server

EXAMPLES = int(os.environ.get("MINUTEBOOK_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
#: The stream never ends by itself; it is tested in test_audit_feed.py.
SKIP = {"streamEvents"}


def run_operation(operation: Any, base: str, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            base_url=base,
            headers={"Authorization": f"Bearer {token}"},
            checks=CHECKS,
            timeout=30,
        )

    check()


def test_the_api_conforms_to_its_schema_and_never_fails(server: Server) -> None:
    schema = schemathesis.openapi.from_url(server.base + "/schema/openapi.json")
    failures: list[str] = []
    seen = 0
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"an operation schemathesis cannot use: {result.err()}")
            continue
        operation = result.ok()
        op_id = operation.definition.raw.get("operationId", operation.label)
        if op_id in SKIP:
            continue
        seen += 1
        try:
            run_operation(operation, server.base, server.tokens["admin"])
        except (Exception, BaseExceptionGroup) as e:  # collect every operation's failure
            failures.append(f"{op_id}: {str(e)[:1500]}")
    assert seen >= 40
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


# Stateful: sequences of calls chained by OpenAPI links ------------------------------------

STATEFUL_EXAMPLES = int(os.environ.get("MINUTEBOOK_SCHEMATHESIS_STATEFUL_EXAMPLES", "20"))
STATEFUL_STEPS = int(os.environ.get("MINUTEBOOK_SCHEMATHESIS_STATEFUL_STEPS", "8"))
_MEETING_OPS = (
    "getMeeting",
    "getMinutes",
    "listMinutesVersions",
    "minuteItem",
    "recordAttendance",
    "declareInterest",
    "circulateMinutes",
    "cancelMeeting",
    "rescheduleMeeting",
    "setCallIn",
    "fixNextMeeting",
)
_ACTION_OPS = (
    "getAction",
    "updateAction",
    "reassignAction",
    "changeActionDue",
    "completeAction",
    "withdrawAction",
    "reopenAction",
)
#: The links our OpenAPI document does not declare (yet): which response gives which
#: parameter of which operation.  ``$request`` is the producing request, ``$response``
#: its response; every write returns the record's new ETag, which becomes ``If-Match``.
LINKS: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    ("registerBody", "201"): {
        op: {"path.body_name": "$request.body#/name"}
        for op in ("getBody", "scheduleMeeting", "listMeetings", "getAttendanceRegister")
    },
    ("scheduleMeeting", "201"): {
        op: {
            "path.body_name": "$request.path.body_name",
            "path.date": "$request.body#/date",
            **(
                {}
                if op.startswith(("get", "list"))
                else {"header.If-Match": "$response.body#/etag"}
            ),
        }
        for op in _MEETING_OPS
    },
    ("minuteItem", "201"): {
        op: {
            "path.body_name": "$request.path.body_name",
            "path.date": "$request.path.date",
            "path.number": "$request.body#/number",
            **({"header.If-Match": "$response.body#/etag"} if op == "reviseItem" else {}),
        }
        for op in ("getItem", "reviseItem")
    },
    ("raiseAction", "201"): {
        op: {
            "path.action_id": "$response.body#/id",
            **({} if op == "getAction" else {"header.If-Match": "$response.body#/etag"}),
        }
        for op in _ACTION_OPS
    },
}


#: POST operations that answer 200 (they change a record, they make none) while the
#: schema documents 201 — Litestar's default for ``@post`` — found by the stateful test.
ANSWER_200 = (
    "renameBody",
    "rescheduleMeeting",
    "cancelMeeting",
    "circulateMinutes",
    "confirmMinutes",
    "signMinutes",
    "completeAction",
    "withdrawAction",
    "reopenAction",
)


def _drop_any(schema: Any) -> Any:
    """Remove the ``{}`` (anything) alternatives Litestar puts beside an annotated str."""
    if isinstance(schema, dict):
        out = {k: _drop_any(v) for k, v in schema.items()}
        if "oneOf" in out:
            kept = [alt for alt in out["oneOf"] if alt != {}]
            if len(kept) == 1:
                del out["oneOf"]
                out.update(kept[0])
            else:
                out["oneOf"] = kept
        return out
    if isinstance(schema, list):
        return [_drop_any(v) for v in schema]
    return schema


def as_it_should_be(raw: dict[str, Any]) -> dict[str, Any]:
    """The schema with what our OpenAPI document does not say (yet) but the server does:

    * :data:`LINKS` on the producing responses;
    * request bodies refuse unknown fields (``additionalProperties: false``), and text
      list items are strings (not ``oneOf: [string, {}]``);
    * ``If-Match`` is an ETag, ``"7"``; an ``Idempotency-Key`` is printable ASCII;
    * the operations of :data:`ANSWER_200` answer 200, not 201.
    """
    schemas = raw["components"]["schemas"]
    for name in list(schemas):
        if name.endswith("Request"):
            schemas[name] = {**_drop_any(schemas[name]), "additionalProperties": False}
    by_id = {
        op["operationId"]: op
        for item in raw["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for op_id in ANSWER_200:
        responses = by_id[op_id]["responses"]
        if "201" in responses:
            responses["200"] = responses.pop("201")
    for op in by_id.values():
        for parameter in op.get("parameters", []):
            if parameter["name"] == "If-Match":
                parameter["schema"] = {"type": "string", "pattern": '^"[1-9][0-9]{0,5}"$'}
            elif parameter["name"] == "Idempotency-Key":
                parameter["schema"] = {"type": "string", "pattern": "^[!-~]{1,255}$"}
    for (source, status), targets in LINKS.items():
        response = by_id[source]["responses"][status]
        response["links"] = {
            f"{source}To{target[0].upper()}{target[1:]}": {
                "operationId": target,
                "parameters": parameters,
            }
            for target, parameters in targets.items()
            if target in by_id
        }
    return raw


_registered = itertools.count(1)


def run_sequences(machine: Any, total: int, steps: int, chunk: int = 10) -> int:
    """Run ``total`` sequences of at most ``steps`` calls, ``chunk`` at a time; the number
    of chunks Hypothesis cut short.

    A live server's state differs from one sequence to the next, so Hypothesis may find
    its tree of choices no longer matching what it drew before (``FlakyStrategyDefinition``)
    and stop that run early: the next chunk goes on.  Failures of the API are collected by
    the machine itself and are never lost this way.
    """
    cut = 0
    for start in range(0, total, chunk):
        try:
            machine.run(
                settings=settings(
                    max_examples=min(chunk, total - start),
                    stateful_step_count=steps,
                    deadline=None,
                    database=None,
                    phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
            )
        except FlakyStrategyDefinition:
            cut += 1
    return cut


def fresh_body_name(case: Any) -> None:
    """A body registered by a sequence gets a name no earlier sequence used: the server's
    state then depends on the sequence alone, as Hypothesis needs when it replays one."""
    body = case.body
    registering = case.operation.definition.raw.get("operationId") == "registerBody"
    if registering and isinstance(body, dict) and isinstance(body.get("name"), str):
        case.body = {**body, "name": f"{body['name'][:280]} #{next(_registered)}"}


class LinkedRun(NamedTuple):
    calls: collections.Counter[str]  # "OPERATION STATUS" -> how many
    failures: list[str]
    sequences: int
    cut_short: int  # chunks Hypothesis stopped early (see run_sequences)


def run_linked_sequences(
    base: str, token: str, examples: int, steps: int, chunk: int = 10
) -> LinkedRun:
    """Up to ``examples`` sequences of up to ``steps`` calls chained by :data:`LINKS`, each
    answer checked against the schema; failures collected, not raised (also used by
    ``python -m ops.faults.fuzz`` for the long run)."""
    raw = as_it_should_be(httpx.get(base + "/schema/openapi.json").json())
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.phases.stateful.inference.algorithms = []  # only the declared links
    for config in (schema.config.generation, schema.config.phases.stateful.generation):
        # Valid requests with our token: chains that go somewhere (the stateless test
        # covers invalid input).
        config.update(modes=[GenerationMode.POSITIVE], with_security_parameters=False)
    headers = {"Authorization": f"Bearer {token}"}
    calls: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    sequences = [0]

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            sequences[0] += 1

        def before_call(self, case: Any) -> None:
            fresh_body_name(case)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": base, "headers": headers, "timeout": 30}

        def after_call(self, response: Any, case: Any) -> None:
            calls[f"{case.operation.label} {response.status_code}"] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            # Collected rather than raised: the server's state moves on, so Hypothesis could
            # not replay a failing sequence anyway (it would call the test flaky).
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as e:
                failures.append(f"{case.operation.label} -> {response.status_code}: {e}"[:1500])

    cut = run_sequences(Workflow, examples, steps, chunk)
    return LinkedRun(calls, failures, sequences[0], cut)


def test_linked_call_sequences_never_fail_and_conform(server: Server) -> None:
    """Stateful: register a body, schedule its meeting, minute items, raise and update actions
    — each call using what the earlier ones created — with no 5xx and conforming answers."""
    run = run_linked_sequences(
        server.base, server.tokens["admin"], STATEFUL_EXAMPLES, STATEFUL_STEPS
    )
    calls, failures, sequences = run.calls, run.failures, [run.sequences]
    assert sequences[0] >= STATEFUL_EXAMPLES // 2, sequences
    assert not [k for k in calls if k.endswith(tuple(f" 5{n:02d}" for n in range(100)))], calls
    assert not failures, "\n\n".join(dict.fromkeys(failures))
    # The chains were followed: resources made by one call were read and changed by others.
    chained = {k.split()[1] for k in calls if k.split()[-1].startswith("2")}
    assert "/api/bodies" in chained, calls


def test_writes_that_answer_200_document_200(server: Server) -> None:
    raw = httpx.get(server.base + "/schema/openapi.json").json()
    documented = {
        op["operationId"]: set(op["responses"])
        for item in raw["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    wrong = [op_id for op_id in ANSWER_200 if "200" not in documented[op_id]]
    assert not wrong, f"documented 201, answer 200: {wrong}"
