"""The ``minutebook`` command line: exit 0 success, 1 a problem found, 2 bad usage or input."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from domain.errors import DomainError
from service.errors import StoreUnavailableError
from service.store.url import DEFAULT_STORE, StoreURLError

Handler = Callable[[argparse.Namespace], int]

#: One module per command group, each with ``register(subparsers, add_store_option)``.
COMMAND_MODULES = (
    "parse_cmd",
    "import_cmd",
    "minutes_cmd",
    "audit_cmd",
    "transfer_cmd",
    "serve_cmd",
    "token_cmd",
    "projections_cmd",
)


class UsageError(Exception):
    """Bad usage or input: one clear line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        default=os.environ.get("MINUTEBOOK_STORE", DEFAULT_STORE),
        help="store URL (default: $MINUTEBOOK_STORE or sqlite:///minutebook.db)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="minutebook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"service.cli.{name}").register(sub, add_store_option)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        return handler(args)
    except UsageError as e:
        print(str(e), file=sys.stderr)
        return 2
    except (DomainError, StoreURLError, ValueError) as e:
        print(f"minutebook: {e}", file=sys.stderr)
        return 2
    except StoreUnavailableError as e:
        print(f"minutebook: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stderr.close()
        return 0


def run() -> None:
    sys.exit(main())
