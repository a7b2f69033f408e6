"""The long schemathesis run: every operation fuzzed, then linked call sequences; count them.

    python -m ops.faults.fuzz --store URL [--examples 200] [--stateful-examples 300]
                              [--steps 10] [--seed 1] [--workdir DIR]

Starts ``minutebook serve`` on the store and runs, as an admin, what
``tests/api/test_schemathesis.py`` runs in CI but for longer: every operation of
the OpenAPI schema (but the never-ending SSE stream) with ``--examples``
generated cases each, valid and invalid, then ``--stateful-examples`` sequences
of up to ``--steps`` calls chained by the links the test declares.  Every
response is checked (no 5xx; status code, content type, headers and body as
documented).  Prints one JSON object — cases run, statuses seen, 5xx seen, the
distinct failures — and exits 0 when there were none.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.result import Ok

from ops.faults.http_clerks import make_token, start_server
from tests.api.test_schemathesis import (
    CHECKS,
    SKIP,
    run_linked_sequences,
)


def _record(calls: collections.Counter[str], case: Any, response: Any) -> None:
    calls[f"{case.operation.label} {response.status_code}"] += 1


def fuzz_operation(
    operation: Any,
    op_id: str,
    base: str,
    headers: dict[str, str],
    examples: int,
    seed: int,
    calls: collections.Counter[str],
    failures: list[str],
) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(base_url=base, headers=headers, timeout=30)
        _record(calls, case, response)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as e:
            failures.append(f"{op_id} -> {response.status_code}: {str(e)[:800]}")

    check._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    check()


def stateless(base: str, token: str, examples: int, seed: int) -> dict[str, Any]:
    schema = schemathesis.openapi.from_url(base + "/schema/openapi.json")
    headers = {"Authorization": f"Bearer {token}"}
    calls: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"an operation schemathesis cannot use: {result.err()}")
            continue
        operation = result.ok()
        op_id = operation.definition.raw.get("operationId", operation.label)
        if op_id in SKIP:
            continue

        fuzz_operation(operation, op_id, base, headers, examples, seed, calls, failures)
    return {"calls": calls, "failures": failures}


def stateful(base: str, token: str, examples: int, steps: int, seed: int) -> dict[str, Any]:
    # ``seed`` seeds the single operations only; the sequences are not seeded.
    run = run_linked_sequences(base, token, examples, steps, chunk=25)
    return {
        "calls": run.calls,
        "failures": run.failures,
        "sequences": run.sequences,
        "cut_short": run.cut_short,
    }


def summarise(part: dict[str, Any]) -> dict[str, Any]:
    calls: collections.Counter[str] = part["calls"]
    statuses: collections.Counter[str] = collections.Counter()
    for key, n in calls.items():
        statuses[key.rsplit(" ", 1)[1]] += n
    distinct = list(dict.fromkeys(f.split("\n", 1)[0] + " …" for f in part["failures"]))
    out = {
        "cases": sum(calls.values()),
        "statuses": dict(sorted(statuses.items())),
        "server_errors_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "failures": len(part["failures"]),
        "distinct_failures": distinct[:30],
        "operations_answered_2xx": len({k.rsplit(" ", 1)[0] for k in calls if " 2" in k}),
    }
    if "sequences" in part:
        out["sequences"] = part["sequences"]
        out["chunks_cut_short_by_hypothesis"] = part["cut_short"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.faults.fuzz", description=__doc__)
    parser.add_argument("--store", required=True, help="store URL (sqlite:///… or postgresql://…)")
    parser.add_argument("--examples", type=int, default=200, help="cases per operation (200)")
    parser.add_argument("--stateful-examples", type=int, default=300, help="sequences (300)")
    parser.add_argument("--steps", type=int, default=10, help="most calls per sequence (10)")
    parser.add_argument("--seed", type=int, default=1, help="Hypothesis seed (1)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the server log goes")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fuzz-"))
    if args.store.startswith("sqlite:///"):
        Path(args.store[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    token = make_token(args.store, "admin", f"fuzz admin {time.time_ns()}")
    started = time.monotonic()
    server = start_server(args.store, workdir)
    try:
        single = summarise(stateless(server.base, token, args.examples, args.seed))
        print(f"stateless: {single['cases']} cases", file=sys.stderr, flush=True)
        chained = summarise(
            stateful(server.base, token, args.stateful_examples, args.steps, args.seed)
        )
    finally:
        server.stop()
    summary = {
        "ok": not single["failures"] and not chained["failures"],
        "store": args.store.split("?")[0] if "@" not in args.store else args.store,
        "examples_per_operation": args.examples,
        "stateful_examples": args.stateful_examples,
        "steps": args.steps,
        "seed": args.seed,
        "cases_run": single["cases"] + chained["cases"],
        "server_errors_5xx": single["server_errors_5xx"] + chained["server_errors_5xx"],
        "stateless": single,
        "stateful": chained,
        "elapsed_seconds": round(time.monotonic() - started, 1),
        "server_log": str(server.log),
    }
    print(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
