"""6. Audit verify: events/s for a full verification of a generated history.

``measure(events)`` is the harness's part 6.  Run alone, it keeps the generated
history in a file, so verification can be timed again and again without the minute
or so of generating it::

    python -m ops.bench.audit_speed --events 100000 --store /tmp/verify-100k.db --runs 5

Verification is CPU-bound (reading rows and SHA-256): on a shared machine the wall
clock rate follows the load, so the CPU-time rate (``time.process_time``) is printed
beside it, and each figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ops.bench.common import sqlite_store
from ops.bench.history import generate
from service.app import Minutebook
from service.audit.auditor import verify
from service.store.url import parse_store_url


def time_verify(app: Minutebook, runs: int) -> dict[str, float]:
    """Median wall-clock and CPU-time rates of ``runs`` full verifications."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = verify(app)
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        assert report.ok, report
        wall.append(report.size / elapsed)
        cpu.append(report.size / max(elapsed_cpu, 1e-9))
    return {
        "verify_events_per_s": statistics.median(wall),
        "verify_cpu_events_per_s": statistics.median(cpu),
    }


def measure(events: int, runs: int = 3) -> dict[str, float | None]:
    with sqlite_store() as (url, _):
        app = Minutebook(parse_store_url(url))
        start = time.perf_counter()
        written = generate(app, events)
        import_rate = written / (time.perf_counter() - start)
        rates = time_verify(app, runs)
        app.close()
    return {**rates, "history_events": float(written), "import_events_per_s": import_rate}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.bench.audit_speed", description=__doc__)
    parser.add_argument("--events", type=int, default=100_000, help="history to generate")
    parser.add_argument(
        "--store", type=Path, help="SQLite file to keep the history in (generated if missing)"
    )
    parser.add_argument("--runs", type=int, default=5, help="verifications to time")
    args = parser.parse_args(argv)
    if args.store is None:
        results = measure(args.events, args.runs)
    else:
        app = Minutebook(parse_store_url(f"sqlite:///{args.store.resolve()}"))
        try:
            if not app.recorder.max_notification_id():
                generate(app, args.events)
            results = {**time_verify(app, args.runs)}
            results["history_events"] = float(app.recorder.max_notification_id() or 0)
        finally:
            app.close()
    for key, value in results.items():
        print(f"{key:<24} {value:>14,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
