"""Store settings for the read side: recorders that can be followed, small pools, a datastore."""

from __future__ import annotations

import uuid

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import Environment

from projections.sql import Dialect
from service.store.recorders import POSTGRES_RECORDER_TOPIC, SQLITE_RECORDER_TOPIC
from service.store.url import StoreConfig

#: The application whose log the views follow (and the name in their tracking records).
APPLICATION_NAME = "Minutebook"


class LogReader(Application[uuid.UUID]):
    """The record application as a runner needs it: its log, its mapper, a subscription."""

    name = APPLICATION_NAME
    is_snapshotting_enabled = False


def follower_env(
    store: StoreConfig, *, pool_size: int = 1, max_overflow: int = 3, create_log: bool = True
) -> dict[str, str]:
    """The store's settings with a recorder that supports ``subscribe()`` and small pools.

    A follower only reads the log, so its recorder need not be the writer's.
    ``create_log=False`` leaves the log's tables alone (PostgreSQL's CREATE OR
    REPLACE FUNCTION fails when several runners start at once).
    """
    env = dict(store.env)
    if not create_log:
        env[f"{APPLICATION_NAME.upper()}_CREATE_TABLE"] = "n"
    if store.kind == "sqlite":
        env["APPLICATION_RECORDER_TOPIC"] = SQLITE_RECORDER_TOPIC
    else:
        env["APPLICATION_RECORDER_TOPIC"] = POSTGRES_RECORDER_TOPIC
        env["POSTGRES_POOL_SIZE"] = str(pool_size)
        env["POSTGRES_MAX_OVERFLOW"] = str(max_overflow)
    return env


def dialect(store: StoreConfig) -> Dialect:
    if store.kind == "sqlite":
        return Dialect("sqlite")
    return Dialect("postgres", store.postgres_schema or "public")


def open_datastore(
    store: StoreConfig, *, pool_size: int = 2
) -> SQLiteDatastore | PostgresDatastore:
    """A datastore of its own on the store (close it when done)."""
    factory = InfrastructureFactory.construct(
        Environment(APPLICATION_NAME, follower_env(store, pool_size=pool_size))
    )
    datastore = getattr(factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        raise TypeError(f"projections need an SQLite or PostgreSQL store, not {store.kind}")
    return datastore
