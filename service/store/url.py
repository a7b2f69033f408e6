"""Store URLs (CONTRACT.md) → eventsourcing environment settings."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import msgspec

DEFAULT_STORE = "sqlite:///minutebook.db"
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class StoreURLError(ValueError):
    pass


class StoreConfig(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # "sqlite" | "postgres"
    env: dict[str, str]
    display: str  # the URL without its password
    sqlite_path: Path | None = None
    postgres_schema: str | None = None


_MAPPER = "service.store.mapper:MsgspecMapper"
SQLITE_RECORDER = "service.audit.recorders:LedgerSQLiteRecorder"
#: The library's SQLite factory with a statement cache (see service.store.sqlite_factory).
SQLITE_FACTORY = "service.store.sqlite_factory:StoreSQLiteFactory"
POSTGRES_RECORDER = "service.audit.recorders:LedgerPostgresRecorder"


def parse_store_url(url: str) -> StoreConfig:
    """``sqlite:///rel.db``, ``sqlite:////abs.db`` or ``postgresql://user[:pw]@host[:port]/db``.

    PostgreSQL URLs may add ``?schema=NAME`` to keep the record in its own schema.
    """
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if not path or path.endswith("/"):
            raise StoreURLError(f"store URL {url!r} names no database file")
        file = Path(path)
        env = {
            "PERSISTENCE_MODULE": SQLITE_FACTORY,
            "SQLITE_DBNAME": str(file),
            "SQLITE_LOCK_TIMEOUT": "10",
            "MAPPER_TOPIC": _MAPPER,
            "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
        }
        return StoreConfig(kind="sqlite", env=env, display=url, sqlite_path=file)
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname or not parts.hostname:
            raise StoreURLError(
                f"store URL {_redact(url)!r} needs a host and a database name: "
                "postgresql://user[:password]@host[:port]/dbname"
            )
        query = parse_qs(parts.query)
        schema = query.get("schema", [""])[0]
        if schema and not _SCHEMA.match(schema):
            raise StoreURLError(f"schema {schema!r} must be lower-case letters, digits and _")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "8",
            "POSTGRES_MAX_OVERFLOW": "8",
            "POSTGRES_PRE_PING": "n",
            "MAPPER_TOPIC": _MAPPER,
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER,
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        return StoreConfig(
            kind="postgres", env=env, display=_redact(url), postgres_schema=schema or None
        )
    raise StoreURLError(
        f"unsupported store URL {_redact(url)!r}: use sqlite:///relative.db, "
        "sqlite:////absolute/path.db or postgresql://user[:password]@host[:port]/dbname"
    )


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
