"""Fixtures for the read side: the store's config, the views running in-process, a reader."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from projections.read import ReadModels
from projections.service import ProjectionService
from service.app import Minutebook
from service.store.url import StoreConfig, parse_store_url
from tests.projections.pg import FreshSchema


@pytest.fixture
def store(store_url: str) -> StoreConfig:
    return parse_store_url(store_url)


@pytest.fixture
def schema() -> Iterator[FreshSchema]:
    """A PostgreSQL schema of the test's own, dropped afterwards."""
    with FreshSchema() as fresh:
        yield fresh


@pytest.fixture
def views(store: StoreConfig, app: Minutebook) -> Iterator[ProjectionService]:
    service = ProjectionService(store, restart_delay=0.1)
    service.start()
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def read(store: StoreConfig, app: Minutebook) -> Iterator[ReadModels]:
    reader = ReadModels(store)
    try:
        yield reader
    finally:
        reader.close()
