"""``minutebook export FILE`` and ``minutebook load FILE``: move the log between stores."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from service.audit.transfer import export_log, load_log
from service.runtime import open_app


def register(sub: Any, add_store_option: Any) -> None:
    e = sub.add_parser("export", help="write the whole log as JSON Lines (- for stdout)")
    e.add_argument("file")
    add_store_option(e)
    e.set_defaults(handler=run_export)
    lo = sub.add_parser("load", help="load an export into an empty store")
    lo.add_argument("file", type=Path)
    add_store_option(lo)
    lo.set_defaults(handler=run_load)


def run_export(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        if args.file == "-":
            final = export_log(app, sys.stdout.buffer)
        else:
            with open(args.file, "wb") as out:
                final = export_log(app, out)
    print(f"exported; digest {final}", file=sys.stderr)
    return 0


def run_load(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise ValueError(f"load: {args.file}: no such file")
    with open_app(args.store) as app:
        final = load_log(app, args.file)
    print(f"loaded; digest {final}")
    return 0
