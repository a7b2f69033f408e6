"""``minutebook parse-amendment TEXT``: the structure of an approval resolution, as JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import msgspec

from domain.approval_wording import parse_approval


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("parse-amendment", help="parse the wording approving earlier minutes")
    p.add_argument("text", help="the resolution's wording; - reads standard input")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text: str = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise ValueError("parse-amendment: no text given")
    approval = parse_approval(text)
    sys.stdout.write(msgspec.json.encode(approval.contract_dict()).decode() + "\n")
    return 0
