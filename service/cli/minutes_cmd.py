"""``minutebook minutes BODY DATE``: a meeting's minutes now, at a version, or as at a time."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

import msgspec

from projections.rendering import render_markdown, render_text
from service.cli.common import parse_date, parse_timestamp
from service.runtime import open_app


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("minutes", help="print a meeting's minutes")
    p.add_argument("body", help="the body's exact name or its slug")
    p.add_argument("date", type=parse_date, help="the meeting's date, YYYY-MM-DD")
    p.add_argument("--as-of", type=parse_timestamp, help="as they stood at this ISO timestamp")
    p.add_argument("--version", type=int, help="as they stood at this version of the record")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    add_store_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    app = open_app(args.store)
    try:
        date: dt.date = args.date
        doc = app.minutes(args.body, date, version=args.version, as_of=args.as_of)
    finally:
        app.close()
    if args.format == "json":
        sys.stdout.write(msgspec.json.encode(doc.to_json_dict()).decode() + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(doc))
    else:
        sys.stdout.write(render_text(doc))
    return 0
