"""``minutebook audit digest|verify|prove|consistency|history``: tamper evidence for auditors."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import msgspec

from domain.errors import UnknownRecordError
from service.audit.auditor import digest, prove_consistency, prove_inclusion, verify
from service.audit.digest import (
    generate_signing_key,
    parse_digest,
    sign_digest,
    verify_digest_signature,
)
from service.audit.history import record_history, replay, resolve_record
from service.cli.common import parse_timestamp
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
    r = audit.add_parser(
        "replay", help="a record's state rebuilt from the log, now or as at a time"
    )
    r.add_argument("record", help="a record id, a body name or slug, or BODY/YYYY-MM-DD")
    r.add_argument("--as-of", type=parse_timestamp, help="ISO timestamp (naive = UTC)")
    k = audit.add_parser("keygen", help="make an Ed25519 key pair for signing digests")
    k.add_argument("prefix", help="writes PREFIX.key (private, mode 0600) and PREFIX.pub")
    s = audit.add_parser("check-signature", help="check a signed digest; exit 1 if it fails")
    s.add_argument("digest", type=parse_digest)
    s.add_argument("signature", help="hex signature printed by 'audit digest --sign'")
    s.add_argument("--public-key", required=True, type=Path, help="the PREFIX.pub file")
    d.add_argument("--sign", type=Path, metavar="KEYFILE", help="also print an Ed25519 signature")
    for q in (d, v, pr, c, h, r):
        add_store_option(q)
    r.set_defaults(handler=run_replay)
    k.set_defaults(handler=run_keygen)
    s.set_defaults(handler=run_check_signature)
    d.set_defaults(handler=run_digest)
    v.set_defaults(handler=run_verify)
    pr.set_defaults(handler=run_prove)
    c.set_defaults(handler=run_consistency)
    h.set_defaults(handler=run_history)


def run_digest(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        head = digest(app)
    print(head)
    if args.sign is not None:
        print(f"signature {sign_digest(read_key(args.sign), head).hex()}")
    return 0


def read_key(path: Path) -> bytes:
    try:
        key = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: not a key file written by 'audit keygen' ({e})") from None
    if len(key) != 32:
        raise ValueError(f"{path}: an Ed25519 key is 32 bytes, found {len(key)}")
    return key


def run_keygen(args: argparse.Namespace) -> int:
    private, public = generate_signing_key()
    key_file, pub_file = Path(f"{args.prefix}.key"), Path(f"{args.prefix}.pub")
    if key_file.exists():
        raise ValueError(f"{key_file} exists: refusing to overwrite a signing key")
    key_file.touch(mode=0o600)
    key_file.write_text(private.hex() + "\n")
    pub_file.write_text(public.hex() + "\n")
    print(f"public key {public.hex()} (written to {pub_file}; keep {key_file} secret)")
    return 0


def run_check_signature(args: argparse.Namespace) -> int:
    try:
        signature = bytes.fromhex(args.signature)
    except ValueError:
        raise ValueError("the signature must be hex") from None
    if verify_digest_signature(read_key(args.public_key), args.digest, signature):
        print(f"good signature for {args.digest}")
        return 0
    print(f"BAD signature for {args.digest}", file=sys.stderr)
    return 1


def run_replay(args: argparse.Namespace) -> int:
    with open_app(args.store) as app:
        state = replay(app, resolve_record(app, args.record), args.as_of)
    print(json.dumps(state, indent=2, default=str))
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
