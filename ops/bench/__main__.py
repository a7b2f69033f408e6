"""``python -m ops.bench [--quick] [--json PATH] [--scale-only] [--scale-sizes N,N,N]``.

The benchmark report (see README).  The scaling part (7) runs on full runs only
(its keys stay null with ``--quick``); ``--scale-only`` runs just that part.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ops.bench import append, audit_speed, http, projections, scale
from ops.bench.common import machine, postgres_available

KEYS = (
    "append_ratio_sqlite",
    "append_ratio_postgres",
    "http_write_ratio_sqlite",
    "http_write_p99_ms_sqlite",
    "http_read_ratio",
    "http_read_p99_ms",
    "lag_p99_ms_sqlite",
    "lag_p99_ms_postgres",
    "rebuild_ratio",
    "rebuild_events_per_s",
    "verify_events_per_s",
    "scale_p50_ratio_1m_vs_10k",
    "scale_rss_ratio_1m_vs_10k",
    "import_events_per_s",
)
SCALE_SIZES = "10000,100000,1000000"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="CI-size run (under 2 minutes)")
    parser.add_argument("--json", help="write the JSON report to this path")
    parser.add_argument(
        "--scale-sizes",
        default=SCALE_SIZES,
        help=f"stored events for the scaling part, comma-separated (default {SCALE_SIZES}; "
        "10k, 1m accepted); ratios compare the largest with the smallest",
    )
    parser.add_argument("--scale-only", action="store_true", help="run only the scaling part (7)")
    args = parser.parse_args(argv)
    try:
        sizes = scale.parse_sizes(args.scale_sizes)
    except ValueError:
        parser.error(f"--scale-sizes: not a list of sizes: {args.scale_sizes!r}")
    if args.scale_only and args.quick:
        parser.error("--scale-only and --quick do not go together")
    results: dict[str, Any] = dict.fromkeys(KEYS)
    if not args.scale_only:
        run_parts(results, args.quick)
    if not args.quick:  # the largest history's import rate replaces part 6's (100k events)
        results.update(scale.measure(sizes))
    report = {"machine": machine(), "quick": args.quick, "results": results}
    width = max(map(len, results))
    for key, value in results.items():
        shown = "—" if value is None else f"{value:,.2f}"
        print(f"{key:<{width}}  {shown:>14}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 0


def run_parts(results: dict[str, Any], quick: bool) -> None:
    """Parts 1–6 (append, audit verify and import, HTTP, projections)."""
    pg = postgres_available()
    results.update(append.measure(200 if quick else 2000, pg))
    results.update(audit_speed.measure(3_000 if quick else 100_000))
    results.update(http.measure(2 if quick else 15))
    results.update(projections.measure("sqlite", 2_000 if quick else 50_000, 2 if quick else 10))
    if pg:
        results.update(
            projections.measure("postgres", 1_000 if quick else 20_000, 2 if quick else 10)
        )


if __name__ == "__main__":
    sys.exit(main())
