"""``minutebook token create|list|revoke``: API tokens, stored hashed, shown once."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import msgspec

from service.errors import StoreUnavailableError
from service.security.db import SqlStore
from service.security.tokens import ROLES, TokenInfo, TokenStore
from service.store.url import parse_store_url


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("token", help="create, list and revoke API tokens")
    tsub = p.add_subparsers(dest="token_command", required=True, parser_class=type(p))
    create = tsub.add_parser("create", help="make a token and print it (shown only once)")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", required=True, help="who or what uses the token")
    create.add_argument("--json", action="store_true", help="print the token and its record")
    create.add_argument(
        "--expires-in",
        type=float,
        metavar="DAYS",
        default=None,
        help="the token stops working after DAYS days (fractions allowed; default: never)",
    )
    add_store_option(create)
    create.set_defaults(handler=run)
    listing = tsub.add_parser("list", help="list tokens (never the tokens themselves)")
    listing.add_argument("--all", action="store_true", help="include revoked tokens")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    add_store_option(listing)
    listing.set_defaults(handler=run)
    revoke = tsub.add_parser("revoke", help="revoke a token by its name or id")
    revoke.add_argument("name_or_id", metavar="NAME_OR_ID")
    add_store_option(revoke)
    revoke.set_defaults(handler=run)


def open_tokens(store_url: str) -> TokenStore:
    from service.runtime import ensure_schema

    store = parse_store_url(store_url)
    ensure_schema(store)
    return TokenStore(SqlStore(store))


def _when(value: object) -> str:
    return "-" if value is None else str(value)


def _row(info: TokenInfo) -> str:
    revoked = f"  revoked {_when(info.revoked_at)}" if info.revoked_at else ""
    expires = ""
    if info.expires_at is not None:
        expires = f"  {'expired' if info.expired() else 'expires'} {_when(info.expires_at)}"
    return (
        f"{info.id}  {info.role:<8} {info.name}  created {_when(info.created_at)}"
        f"  last used {_when(info.last_used_at)}{expires}{revoked}"
    )


def run(args: argparse.Namespace) -> int:
    try:
        tokens = open_tokens(args.store)
    except StoreUnavailableError as e:
        print(f"minutebook: token: {e}", file=sys.stderr)
        return 1
    try:
        if args.token_command == "create":
            info, token = tokens.create(args.name, args.role, expires_in_days=args.expires_in)
            if args.json:
                out = {"token": token, **msgspec.to_builtins(info)}
                print(msgspec.json.encode(out).decode())
            else:
                print(token)
            until = f", valid until {info.expires_at}" if info.expires_at else ""
            print(
                f"minutebook: token: created {info.role} token {info.name!r} (id {info.id}"
                f"{until}); it is shown only this once",
                file=sys.stderr,
            )
        elif args.token_command == "list":
            for info in tokens.list(include_revoked=args.all):
                print(msgspec.json.encode(info).decode() if args.json else _row(info))
        else:
            info = tokens.revoke(args.name_or_id)
            print(f"revoked {info.role} token {info.name!r} (id {info.id})")
    finally:
        tokens.db.close()
    return 0
