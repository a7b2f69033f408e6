"""kill -9 of the HTTP server under write load, many times; then check nothing acknowledged is lost.

    python -m ops.faults.kill_server --store URL [--kills 10] [--clients 4] [--seconds 3]
                                     [--seed 1] [--workdir DIR]

Starts ``minutebook serve`` on the store, runs ``--clients`` concurrent clerks
recording items over HTTP (``ops/faults/http_clerks.py``), and after a random
time (uniform between a quarter and twice ``--seconds``) kills the server with
SIGKILL, mid-request; restarts it on the same store and goes on, ``--kills``
times.  Then, on one last start, it waits for the projections to catch up and
checks that every write the server acknowledged (2xx) is in the record, that no
item is there twice, that the minutes view holds exactly what the record holds,
that nothing is half-written (reading the store itself: every item whole, the
body's minute-number allocation equal to the meeting's items) and that
``minutebook audit verify`` passes.

Prints one JSON object: kills survived, writes acknowledged vs found, every
status and client error seen (5xx counted separately), and the checks; exits 0
when all checks pass, 1 otherwise.  The store may be new or used (the run
records on a meeting of a body of its own, "Kill Server Board <run id>").
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from ops.faults.http_clerks import (
    Clerks,
    ServerProcess,
    Tally,
    audit_verify,
    check_record,
    check_store,
    ensure_meeting,
    make_token,
    projections_caught_up,
    start_server,
)
from service.store.url import parse_store_url

DATE = "2024-03-01"


def run(
    store: str,
    *,
    kills: int,
    clients: int,
    seconds: float,
    seed: int,
    workdir: Path,
    log: Any = None,
) -> dict[str, Any]:
    """One fault run; the summary (``ok`` tells whether every check passed)."""
    rng = random.Random(seed)
    if store.startswith("sqlite:///"):
        Path(store[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    body = f"Kill Server Board {run_id}"
    token = make_token(store, "clerk", f"kill-server clerk {run_id}")
    auditor = make_token(store, "auditor", f"kill-server auditor {run_id}")
    tally = Tally()
    numbers = itertools.count(1)
    survived = 0
    runs: list[float] = []
    started = time.monotonic()
    server: ServerProcess = start_server(store, workdir)
    try:
        ensure_meeting(server.base, token, body, DATE)
        for k in range(kills):
            clerks = Clerks(
                server.base, token, body, DATE, clients=clients, numbers=numbers, tally=tally
            ).start()
            wait = rng.uniform(seconds / 4, seconds * 2)
            time.sleep(wait)
            server.kill9()
            clerks.stop()
            runs.append(round(wait, 2))
            if log is not None:
                print(
                    f"kill {k + 1}/{kills} after {wait:.1f} s: "
                    f"{len(tally.acked)} acknowledged so far",
                    file=log,
                    flush=True,
                )
            server = start_server(store, workdir)  # raises if the store does not reopen
            survived += 1
        views = projections_caught_up(server.base, auditor, timeout=120)
        checks = check_record(server.base, auditor, body, DATE, tally.acked)
    finally:
        server.stop()
    stored = check_store(store, body, DATE)
    verify_code, verify_out = audit_verify(store)
    ok = checks["ok"] and stored["ok"] and verify_code == 0 and survived == kills
    return {
        "ok": ok,
        "store": parse_store_url(store).display,
        "kills": kills,
        "kills_survived": survived,
        "clients": clients,
        "seconds": seconds,
        "seed": seed,
        "run_seconds_before_each_kill": runs,
        "writes_acknowledged": len(tally.acked),
        "acknowledged_found": checks["acknowledged_found"],
        "acknowledged_missing": checks["acknowledged_missing"],
        "items_stored": checks["stored"],
        "unanswered_requests": len(tally.unanswered),
        "stored_unacknowledged_whole": checks["stored"] - checks["acknowledged_found"],
        "duplicates": checks["duplicates"],
        "half_written": stored["half_written"],
        "allocation_matches_items": stored["allocation_matches_items"],
        "view_matches_record": checks["view_matches_record"],
        "projection_lag_after": max(v["lag"] for v in views),
        "statuses": tally.summary()["statuses"],
        "server_errors_5xx": tally.server_errors,
        "client_errors": dict(tally.errors),
        "audit_verify_exit": verify_code,
        "audit_verify": verify_out.splitlines()[-1] if verify_out else "",
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.faults.kill_server",
        description="kill -9 the HTTP server under concurrent writes; check every "
        "acknowledged write survives",
    )
    parser.add_argument("--store", required=True, help="store URL (sqlite:///… or postgresql://…)")
    parser.add_argument("--kills", type=int, default=10, help="how many times to kill (10)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent writing clients (4)")
    parser.add_argument(
        "--seconds",
        type=float,
        default=3.0,
        help="mean seconds of writing between kills (each run: a quarter to twice this; 3)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed for the kill times")
    parser.add_argument("--workdir", type=Path, default=None, help="where server logs go")
    args = parser.parse_args(argv)
    if args.kills < 1 or args.clients < 1 or args.seconds <= 0:
        parser.error("--kills and --clients must be at least 1, --seconds positive")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kill-server-"))
    summary = run(
        args.store,
        kills=args.kills,
        clients=args.clients,
        seconds=args.seconds,
        seed=args.seed,
        workdir=workdir,
        log=sys.stderr,
    )
    summary["server_logs"] = str(workdir)
    print(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
