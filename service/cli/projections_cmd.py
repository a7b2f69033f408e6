"""``minutebook projections status|rebuild|run``: the read models built from the log.

* ``status [--json]`` — each view's position against the head of the log (lag).
* ``rebuild [NAME...]`` — replay the log into fresh tables, then swap them in.
* ``run [NAME...]`` — follow the log as the one runner of those views (a worker
  process for the scale-out deployment); a second runner is refused (exit 1).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

import msgspec

from projections.catalogue import VIEWS
from projections.locks import ViewLockedError
from projections.read import ReadModels
from projections.rebuild import rebuild
from projections.service import ProjectionService
from service.runtime import ensure_schema
from service.store.url import parse_store_url


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("projections", help="read models: status, rebuild, run")
    commands = p.add_subparsers(dest="projections_command", required=True, parser_class=type(p))
    s = commands.add_parser("status", help="each view's position, the head of the log, the lag")
    s.add_argument("--json", action="store_true", help="one JSON array on stdout")
    r = commands.add_parser("rebuild", help="rebuild views into fresh tables, then swap them in")
    w = commands.add_parser("run", help="run the views' projections until interrupted")
    for q in (r, w):
        q.add_argument("names", nargs="*", metavar="NAME", help=f"one of: {', '.join(VIEWS)}")
    r.add_argument("--json", action="store_true", help="the report as JSON")
    for q in (s, r, w):
        add_store_option(q)
        q.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = parse_store_url(args.store)
    ensure_schema(store)
    command: str = args.projections_command
    if command == "status":
        return _status(store, args.json)
    if command == "rebuild":
        return _rebuild(store, args.names, args.json)
    return _run(store, args.names)


def _status(store: Any, as_json: bool) -> int:
    with ReadModels(store) as read:
        rows = read.status()
    if as_json:
        print(msgspec.json.encode(rows).decode())
        return 0
    print(f"{'view':<10} {'position':>10} {'head':>10} {'lag':>8} {'generation':>10}")
    for row in rows:
        print(f"{row.name:<10} {row.position:>10} {row.head:>10} {row.lag:>8} {row.generation:>10}")
    return 0


def _rebuild(store: Any, names: list[str], as_json: bool) -> int:
    try:
        report = rebuild(store, names or None)
    except ViewLockedError as e:
        print(f"minutebook: projections rebuild: {e}", file=sys.stderr)
        return 1
    if as_json:
        print(msgspec.json.encode(report).decode())
        return 0
    for view in report.views:
        print(
            f"{view.name}: generation {view.generation} is live "
            f"(was {view.replaced}), at position {view.position}"
        )
    print(
        f"{report.events} events replayed in {report.seconds:.2f}s "
        f"({report.events_per_second:,.0f} events/s)"
    )
    return 0


def _run(store: Any, names: list[str]) -> int:
    service = ProjectionService(store, worker=True, names=names or None)
    try:
        service.start()
    except ViewLockedError as e:
        print(f"minutebook: projections run: {e}", file=sys.stderr)
        return 1
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    print(f"running projections: {', '.join(service.local)} (Ctrl-C to stop)", flush=True)
    try:
        done.wait()
    finally:
        service.stop()
    return 0
