"""``minutebook serve``: the HTTP API on uvicorn; ``--demo`` preloads examples and tokens."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from eventsourcing.persistence import PersistenceError

from service.errors import StoreUnavailableError
from service.settings import Settings, SettingsError, load_settings, settings_env
from service.store.url import DEFAULT_STORE, parse_store_url

#: How the server runs uvicorn (the HTTP benchmark's bare reference runs with the same).
#: No access log: the request middleware writes one line per request itself.  uvicorn
#: picks httptools and uvloop when they are installed (``uvicorn[standard]``).
UVICORN_OPTIONS: dict[str, Any] = {
    "log_config": None,
    "access_log": False,
    "server_header": False,
    "timeout_graceful_shutdown": 5,
}


def register(sub: Any, add_store_option: Any) -> None:
    p = sub.add_parser("serve", help="serve the HTTP API (uvicorn)")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default 1)")
    p.add_argument(
        "--demo",
        action="store_true",
        help="the demo: sqlite:///minutebook-demo.db unless --store is given, the example "
        "minutes loaded on first start, a clerk and an auditor token printed",
    )
    p.add_argument("--log-level", default=None, choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.add_argument(
        "--log-json",
        default=None,
        action=argparse.BooleanOptionalAction,
        help="JSON log lines (default: JSON unless standard error is a terminal)",
    )
    p.add_argument(
        "--no-projections",
        action="store_true",
        help="do not run the projections in the server process (run them elsewhere)",
    )
    add_store_option(p)
    p.set_defaults(handler=run)


def _store(args: argparse.Namespace) -> str:
    from service.demo import DEMO_STORE

    explicit = os.environ.get("MINUTEBOOK_STORE") or args.store != DEFAULT_STORE
    return str(args.store) if explicit or not args.demo else DEMO_STORE


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(
        store=_store(args),
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        log_json=args.log_json,
        demo=args.demo or None,
        projections=False if args.no_projections else None,
    )


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
    except SettingsError as e:
        print(f"minutebook: serve: {e}", file=sys.stderr)
        return 2
    from service.logging import configure_logging

    configure_logging(json=settings.log_json, level=settings.log_level)
    try:
        if settings.demo:
            prepare_demo(settings)
        else:
            check_store(settings)
    except (StoreUnavailableError, PersistenceError) as e:
        print(f"minutebook: serve: cannot open the store: {e}", file=sys.stderr)
        return 1
    os.environ.update(settings_env(settings))
    import uvicorn

    uvicorn.run(
        "service.api.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers if settings.workers > 1 else None,
        **UVICORN_OPTIONS,
    )
    return 0


def check_store(settings: Settings) -> None:
    """Fail fast, with one line, when the store cannot be opened."""
    from service.runtime import open_app

    open_app(settings.store).close()


DEMO_ROLES = (("clerk", "MINUTEBOOK_CLERK_TOKEN"), ("auditor", "MINUTEBOOK_AUDITOR_TOKEN"))


def demo_env_file(settings: Settings) -> Path:
    """Where the demo's tokens are kept for reuse: ``minutebook-demo.env`` beside the store."""
    store = parse_store_url(settings.store)
    if store.sqlite_path is not None:
        return store.sqlite_path.with_name(store.sqlite_path.name.removesuffix(".db") + ".env")
    return Path("minutebook-demo.env")


def _read_env(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        out[name.strip()] = value.strip()
    return out


def demo_tokens(settings: Settings) -> dict[str, str]:
    """A clerk and an auditor token: reused from the env file while valid, else made anew."""
    from service.cli.token_cmd import open_tokens

    path = demo_env_file(settings)
    known = _read_env(path)
    tokens = open_tokens(settings.store)
    out: dict[str, str] = {}
    try:
        for role, var in DEMO_ROLES:
            token = known.get(var, "")
            info = tokens.authenticate(token) if token else None
            if info is None or info.role != role:
                name = f"demo {role}"
                if any(t.name == name for t in tokens.list()):
                    tokens.revoke(name)
                _, token = tokens.create(name, role)
            out[var] = token
    finally:
        tokens.db.close()
    path.write_text("".join(f"export {var}={token}\n" for var, token in out.items()))
    path.chmod(0o600)
    return out


def prepare_demo(settings: Settings) -> None:
    """Load the examples into an empty store, then print the tokens and a few curl lines."""
    from service.demo import load_examples
    from service.runtime import open_app

    app = open_app(settings.store)
    try:
        if app.recorder.max_notification_id() is None:
            outcomes = load_examples(app)
            print(f"minutebook: demo: loaded {len(outcomes)} example minutes", file=sys.stderr)
    finally:
        app.close()
    tokens = demo_tokens(settings)
    base = f"http://{settings.host}:{settings.port}"
    auth = 'curl -H "Authorization: Bearer $MINUTEBOOK_CLERK_TOKEN"'
    lines = [
        f"Minutebook demo: {base} (store {parse_store_url(settings.store).display})",
        f"Tokens (also in {demo_env_file(settings)}; run: source {demo_env_file(settings)}):",
        *(f"  export {var}={token}" for var, token in tokens.items()),
        "Try:",
        f"  {auth} {base}/api/bodies/safer-sefton-together",
        f"  {auth} -H 'Accept: text/plain' "
        f"{base}/api/bodies/safer-sefton-together/meetings/2022-09-08/minutes",
        f'  curl -H "Authorization: Bearer $MINUTEBOOK_AUDITOR_TOKEN" "{base}/api/events?limit=5"',
        f"API docs: {base}/schema",
    ]
    print("\n".join(lines), flush=True)
