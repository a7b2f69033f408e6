"""The app factory: nothing is built at import time; the lifespan opens and closes the store.

One Minutebook application per process (created at startup, closed at
shutdown), one projection runner and read models when available, the token and
idempotency tables in the same store.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
import structlog
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag

from projections.read import ReadModels
from projections.service import ProjectionService
from service.api import openapi
from service.api.actions import ActionController
from service.api.audit import AuditController
from service.api.auth import Authorization
from service.api.availability import StoreGate, StoreMonitor, store_check
from service.api.bodies import BodyController
from service.api.errors import problem_response
from service.api.health import HealthController
from service.api.idempotency import IdempotencyStore
from service.api.imports import ImportController
from service.api.items import ItemController
from service.api.ledger import LedgerController
from service.api.lifecycle import LifecycleController
from service.api.meetings import MeetingController
from service.api.metrics import Metrics
from service.api.middleware import RequestContextMiddleware
from service.api.minutes import MinutesController
from service.api.responses import KeptAnswers
from service.api.state import Services, services_of
from service.api.store_policy import PG_POOL_WAIT_SECONDS, server_store, tune_pool
from service.api.views import ViewsController
from service.app import Minutebook
from service.app.writer import GroupCommitter
from service.runtime import ensure_schema
from service.security.db import SqlStore
from service.security.tokens import CachedAuthenticator, TokenStore
from service.settings import Settings, load_settings
from service.store.url import parse_store_url

log = structlog.get_logger("minutebook.api")
VERSION = "0.1.0"
#: Threads for the synchronous handlers.  The loop's default executor has
#: min(32, cores + 4) — six on two cores — and a write holds its thread while it
#: waits for the group commit, so six threads meant at most six commands a commit
#: whatever the number of clerks.  Idle threads cost little; they start on demand.
REQUEST_THREADS = 64
#: Allocations between young collections while serving (the interpreter's default: 700).
#: At 700 the collector runs hundreds of times a second under write load, and its
#: older generations (the aggregate cache, the views' documents) are scanned often
#: enough to stop every thread for tens of milliseconds: that was the writes' p99.
GC_YOUNG_THRESHOLD = 20_000


def open_services(services: Services) -> None:
    settings = services.settings
    # The same store, opened to give up quickly when it is unavailable (store_policy.py).
    store = services.store = server_store(parse_store_url(settings.store))
    ensure_schema(store)
    services.app = Minutebook(store)
    # Concurrent requests' commands share commits (group commit); see service/app/writer.py.
    services.app.writer = GroupCommitter(services.app).start()
    services.metrics.set_writer(services.app.writer)
    services.db = SqlStore(store, pg_connections=8, wait=PG_POOL_WAIT_SECONDS)
    services.tokens = TokenStore(services.db)
    services.authenticator_ = CachedAuthenticator(services.tokens, settings.token_cache_seconds)
    services.idempotency_ = IdempotencyStore(services.db)
    open_projections(services)
    services.monitor = StoreMonitor(store_check(services))
    # While the store is out, queued commands fail at once instead of each waiting on it.
    services.app.writer.refuse = services.monitor.refusal
    services.app.writer.observe = services.monitor.observe
    log.info("server_started", store=store.display, projections=services.reads is not None)


def open_projections(services: Services) -> None:
    """The read models and, unless disabled, their runner in this process."""
    store = services.store
    assert store is not None
    if services.settings.projections:
        services.projections = ProjectionService(store)
        services.projections.start()
    services.reads = ReadModels(store)
    tune_pool(services.reads.datastore)
    services.metrics.set_lag_source(lambda: lag(services))
    # Let the views catch up with the log (briefly) before the first request reads them.
    head = services.record.recorder.max_notification_id()
    if head and not services.reads.wait_for(head, timeout=services.settings.wait_timeout):
        log.warning("projections_behind_at_start", head=head)


def lag(services: Services) -> tuple[list[tuple[str, int]], int]:
    """Each view's tracked position and the log's head, for the lag gauge."""
    if services.reads is None:
        return [], -1
    statuses = services.reads.status()
    head = max((v.head for v in statuses), default=-1)
    return [(v.name, v.position) for v in statuses], head


def close_services(services: Services) -> None:
    services.closing = True
    for closer in (
        services.monitor.stop if services.monitor is not None else None,
        services.projections.stop if services.projections is not None else None,
        services.reads.close if services.reads is not None else None,
        services.app.writer.stop if services.app is not None and services.app.writer else None,
        services.app.close if services.app is not None else None,
        services.db.close if services.db is not None else None,
    ):
        if closer is None:
            continue
        try:
            closer()
        except Exception:  # closing must go on for the rest
            log.exception("close_failed")
    log.info("server_stopped")


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    services = services_of(app)
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=REQUEST_THREADS, thread_name_prefix="minutebook-request")
    )
    await anyio.to_thread.run_sync(open_services, services)
    thresholds = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        await anyio.to_thread.run_sync(close_services, services)


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Minutebook",
        version=VERSION,
        description=(
            "The official record of public meetings: bodies, meetings, minutes and their "
            "confirmation, actions, and the audit trail. Authenticate with "
            "`Authorization: Bearer TOKEN` (tokens: `minutebook token create`). Errors are "
            "RFC 9457 problem details."
        ),
        path="/schema",
        render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="A token from `minutebook token create`",
                )
            }
        ),
        tags=[
            Tag(name="bodies", description="Committees, partnerships and boards"),
            Tag(name="meetings", description="Meetings and the lifecycle of their minutes"),
            Tag(name="minutes", description="Minutes now, then, rendered; versions and diffs"),
            Tag(name="actions", description="Actions raised from resolutions"),
            Tag(name="imports", description="Importing published minutes"),
            Tag(name="views", description="Projections: lists, tracker, histories, threads"),
            Tag(name="audit", description="Who changed what, when and why; the event feed"),
            Tag(name="health", description="Liveness, readiness, metrics"),
        ],
    )


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    services = Services(settings=settings, metrics=Metrics())
    # Every /api/ route needs a token allowed to read, and its own permission (auth.py).
    api = Router(
        path="/",
        middleware=[Authorization],
        security=[{"bearer": []}],
        route_handlers=[
            BodyController,
            MeetingController,
            ItemController,
            LifecycleController,
            MinutesController,
            ActionController,
            ImportController,
            ViewsController,
            AuditController,
            LedgerController,
        ],
    )
    exception_handlers: Any = {Exception: problem_response}
    app = Litestar(
        route_handlers=[HealthController, api],
        lifespan=[lifespan],
        state=State({"services": services}),
        exception_handlers=exception_handlers,
        openapi_config=openapi_config(),
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,
        debug=False,
    )
    # One outer layer (request id, security headers, log line, metrics), then the gate,
    # then answers kept from the current views (responses.py), then the router.
    app.asgi_handler = RequestContextMiddleware(
        StoreGate(KeptAnswers(app.asgi_handler, services), services), services.metrics
    )
    openapi.finish(app)
    return app


def create_app_from_env() -> Litestar:
    """For ``uvicorn --factory``: settings from MINUTEBOOK_* variables."""
    from service.logging import configure_logging

    settings = load_settings()
    configure_logging(json=settings.log_json, level=settings.log_level)
    return create_app(settings)
