"""``python -m ops.bench [--quick] [--json PATH]``: the benchmark report (see README)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ops.bench import append, audit_speed, http, projections
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="CI-size run (under 2 minutes)")
    parser.add_argument("--json", help="write the JSON report to this path")
    args = parser.parse_args(argv)
    pg = postgres_available()
    results: dict[str, Any] = dict.fromkeys(KEYS)
    results.update(append.measure(200 if args.quick else 2000, pg))
    results.update(audit_speed.measure(3_000 if args.quick else 100_000))
    results.update(http.measure(2 if args.quick else 15))
    results.update(
        projections.measure("sqlite", 2_000 if args.quick else 50_000, 2 if args.quick else 10)
    )
    if pg:
        results.update(
            projections.measure(
                "postgres", 1_000 if args.quick else 20_000, 2 if args.quick else 10
            )
        )
    report = {"machine": machine(), "quick": args.quick, "results": results}
    width = max(map(len, results))
    for key, value in results.items():
        shown = "—" if value is None else f"{value:,.2f}"
        print(f"{key:<{width}}  {shown:>14}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
