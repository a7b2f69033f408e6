"""Opening the store: one Application per process, built from a store URL."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import PersistenceError

from service.app import Minutebook
from service.errors import StoreUnavailableError
from service.store.url import StoreConfig, parse_store_url


def ensure_schema(store: StoreConfig) -> None:
    """Create the PostgreSQL schema named in the store URL if it does not exist."""
    if store.kind != "postgres" or not store.postgres_schema:
        return
    env = store.env
    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{store.postgres_schema}"')
    except psycopg.Error as e:
        raise StoreUnavailableError(f"cannot reach PostgreSQL at {store.display}: {e}") from e


def open_app(url: str) -> Minutebook:
    store = parse_store_url(url)
    ensure_schema(store)
    try:
        return Minutebook(store)
    except (psycopg.Error, PersistenceError) as e:
        raise StoreUnavailableError(f"cannot open the store {store.display}: {e}") from e
