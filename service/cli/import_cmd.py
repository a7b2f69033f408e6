"""``minutebook import FILE...``: read published minutes and record them as events."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any

import msgspec

from domain.errors import DomainError
from service.cli.common import parse_date
from service.importing.errors import MinutesFormatError
from service.importing.parse import parse_minutes
from service.importing.record import record_minutes
from service.runtime import open_app

MAX_FILE_BYTES = 5 * 1024 * 1024


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("import", help="import minutes published as plain text")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="parse only; store nothing")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.add_argument(
        "--body", help="the body to record the minutes under (default: the document's heading)"
    )
    p.add_argument(
        "--date", type=parse_date, help="the meeting date for documents that do not state one"
    )
    add_store_option(p)
    p.set_defaults(handler=run)


def read_file(path: Path) -> bytes:
    if not path.is_file():
        raise MinutesFormatError("no such file" if not path.exists() else "not a regular file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise MinutesFormatError(f"larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    return path.read_bytes()


def run(args: argparse.Namespace) -> int:
    app = None if args.dry_run else open_app(args.store)
    failed: list[str] = []
    try:
        for name in args.files:
            try:
                data = read_file(Path(name))
                doc = parse_minutes(
                    data, file=Path(name).name, body=args.body, meeting_date=args.date
                )
                if app is None:
                    out: dict[str, Any] = doc.contract_dict()
                    line = msgspec.json.encode(out).decode() if args.json else _summary(out)
                    print(line)
                    continue
                outcome = record_minutes(app, doc, hashlib.sha256(data).hexdigest())
            except (MinutesFormatError, DomainError, OSError) as e:
                print(f"minutebook: import: {name}: {e}", file=sys.stderr)
                failed.append(name)
                continue
            for warning in outcome.warnings:
                print(f"minutebook: import: {name}: warning: {warning}", file=sys.stderr)
            if args.json:
                print(msgspec.json.encode(outcome).decode())
            else:
                print(f"{name}: {outcome.message}" + _counts(outcome))
    finally:
        if app is not None:
            app.close()
    if failed:
        done = len(args.files) - len(failed)
        if len(args.files) == 1:  # the one line above already says what was wrong
            return 2
        print(
            f"minutebook: import: {done} of {len(args.files)} file(s) imported; "
            f"not imported: {', '.join(failed)}",
            file=sys.stderr,
        )
        return 2
    return 0


def _summary(doc: dict[str, Any]) -> str:
    return (
        f"{doc['file']}: {doc['body']} on {doc['meeting_date']}: "
        f"{len(doc['items'])} item(s), {len(doc['present'])} present"
    )


def _counts(outcome: Any) -> str:
    if not outcome.imported:
        return ""
    confirmed = f", confirmed the minutes of {outcome.confirmed}" if outcome.confirmed else ""
    return (
        f" ({outcome.body}, {outcome.meeting_date}: {outcome.items} items, "
        f"{outcome.actions} actions{confirmed})"
    )
