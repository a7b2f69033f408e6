"""``minutebook audit digest|verify|prove|consistency|history``: tamper evidence for auditors."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

import msgspec

from domain.errors import UnknownRecordError
from service.audit.auditor import digest, prove_consistency, prove_inclusion, verify
from service.audit.digest import parse_digest
from service.audit.history import record_history, resolve_record
from service.runtime import open_app


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("audit", help="digest, verify and prove the stored log")
    audit = p.add_subparsers(dest="audit_command", required=True, parser_class=type(p))
    d = audit.add_parser("digest", help="print the digest (size and root) of the whole log")
    v = audit.add_parser("verify", help="recompute every leaf; exit 1 at the first bad position")
    v.add_argument("--digest", type=parse_digest, help="also prove this digest is a prefix")
    pr = audit.add_parser("prove", help="print an inclusion proof for the event at POSITION")
    pr.add_argument("position", type=int)
    pr.add_argument(
        "--digest", type=parse_digest, help="the digest to prove against (default: now)"
    )
    c = audit.add_parser("consistency", help="prove digest FROM is a prefix of TO (default: now)")
    c.add_argument("old", type=parse_digest, metavar="FROM")
    c.add_argument("new", type=parse_digest, nargs="?", metavar="TO")
    h = audit.add_parser("history", help="every event of a record: who, when, why")
    h.add_argument("record", help="a record id, a body name or slug, or BODY/YYYY-MM-DD")
    for q in (d, v, pr, c, h):
        add_store_option(q)
    d.set_defaults(handler=run_digest)
    v.set_defaults(handler=run_verify)
    pr.set_defaults(handler=run_prove)
    c.set_defaults(handler=run_consistency)
    h.set_defaults(handler=run_history)


def run_digest(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        print(digest(app))
    return 0


def run_verify(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        report = verify(app, args.digest)
    if report.ok:
        print(f"intact: {report.size} events verified; digest {report.digest}")
        return 0
    where = (
        f"first bad position {report.first_bad_position}: "
        if report.first_bad_position is not None
        else ""
    )
    print(f"TAMPERED: {where}{report.problem}", file=sys.stderr)
    print(msgspec.json.encode(report).decode())
    return 1


def run_prove(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        try:
            document = prove_inclusion(app, args.position, args.digest)
        except LookupError as e:
            raise ValueError(str(e)) from None
    print(json.dumps(document, indent=2))
    return 0


def run_consistency(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        print(json.dumps(prove_consistency(app, args.old, args.new), indent=2))
    return 0


def run_history(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        record_id: uuid.UUID = resolve_record(app, args.record)
        entries = record_history(app, record_id)
        if not entries:
            raise UnknownRecordError(f"no record {args.record}")
    for entry in entries:
        print(msgspec.json.encode(entry).decode())
    return 0
