"""One typed settings object for the server, loaded once from the environment.

``minutebook serve`` turns its options into ``MINUTEBOOK_*`` variables (so every
uvicorn worker process reads the same settings); ``load_settings`` reads them and
fails fast with one message naming the variable and the value it wants.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import msgspec

from service.store.url import DEFAULT_STORE, StoreURLError, parse_store_url

MB = 1024 * 1024


class SettingsError(ValueError):
    """A setting is missing or malformed: the message names it and the form wanted."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    store: str = DEFAULT_STORE
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    #: JSON log lines (None: JSON unless standard error is a terminal).
    log_json: bool | None = None
    log_level: str = "INFO"
    #: Largest request body in bytes; imports of minutes text get their own limit.
    max_body_bytes: int = 1 * MB
    max_import_bytes: int = 6 * MB
    #: Longest wait for projections on ``?wait=true`` (seconds).
    wait_timeout: float = 5.0
    #: Run the projections inside the server process (one runner per process).
    projections: bool = True
    #: Seconds a token lookup is cached (a revoked token stops working within this).
    token_cache_seconds: float = 5.0
    #: SSE: seconds between polls of the log and between keep-alive comments.
    stream_poll_seconds: float = 0.5
    stream_keepalive_seconds: float = 15.0
    demo: bool = False
    #: File with the Ed25519 private key (hex, from ``minutebook audit keygen``) that signs
    #: the digests served at /api/audit/digest; unset: digests are served unsigned.
    signing_key: str | None = None


_ENV: dict[str, tuple[str, type]] = {
    "store": ("MINUTEBOOK_STORE", str),
    "host": ("MINUTEBOOK_HOST", str),
    "port": ("MINUTEBOOK_PORT", int),
    "workers": ("MINUTEBOOK_WORKERS", int),
    "log_json": ("MINUTEBOOK_LOG_JSON", bool),
    "log_level": ("MINUTEBOOK_LOG_LEVEL", str),
    "max_body_bytes": ("MINUTEBOOK_MAX_BODY_BYTES", int),
    "max_import_bytes": ("MINUTEBOOK_MAX_IMPORT_BYTES", int),
    "wait_timeout": ("MINUTEBOOK_WAIT_TIMEOUT", float),
    "projections": ("MINUTEBOOK_PROJECTIONS", bool),
    "token_cache_seconds": ("MINUTEBOOK_TOKEN_CACHE_SECONDS", float),
    "stream_poll_seconds": ("MINUTEBOOK_STREAM_POLL_SECONDS", float),
    "stream_keepalive_seconds": ("MINUTEBOOK_STREAM_KEEPALIVE_SECONDS", float),
    "demo": ("MINUTEBOOK_DEMO", bool),
    "signing_key": ("MINUTEBOOK_SIGNING_KEY", str),
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR"}


def _convert(name: str, text: str, kind: type) -> object:
    if kind is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise SettingsError(f"{name}={text!r}: expected true or false")
    if kind is int or kind is float:
        try:
            return kind(text)
        except ValueError:
            raise SettingsError(f"{name}={text!r}: expected a {kind.__name__} number") from None
    return text


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment variables that reproduce ``settings`` (for worker processes)."""
    env = {}
    for field, (name, _) in _ENV.items():
        value = getattr(settings, field)
        if value is None:
            continue
        env[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return env


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from ``env`` (default: the process environment), then ``overrides``."""
    source = os.environ if env is None else env
    values: dict[str, object] = {}
    for field, (name, kind) in _ENV.items():
        if name in source and source[name] != "":
            values[field] = _convert(name, source[name], kind)
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        settings = msgspec.convert(values, Settings)
    except msgspec.ValidationError as e:
        raise SettingsError(f"invalid setting: {e}") from None
    check(settings)
    return settings


def check(settings: Settings) -> None:
    try:
        parse_store_url(settings.store)
    except StoreURLError as e:
        raise SettingsError(f"MINUTEBOOK_STORE: {e}") from None
    if not 0 < settings.port < 65536:
        raise SettingsError(f"port {settings.port}: expected 1 to 65535")
    if settings.workers < 1:
        raise SettingsError(f"workers {settings.workers}: expected at least 1")
    if settings.log_level.upper() not in _LEVELS:
        raise SettingsError(
            f"log level {settings.log_level!r}: expected one of {', '.join(sorted(_LEVELS))}"
        )
    for name in ("max_body_bytes", "max_import_bytes"):
        if getattr(settings, name) < 1024:
            raise SettingsError(f"{name} must be at least 1024 bytes")
    if settings.wait_timeout < 0 or settings.stream_poll_seconds <= 0:
        raise SettingsError("wait_timeout and stream_poll_seconds must be positive")
