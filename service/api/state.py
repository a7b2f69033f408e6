"""What the server holds for its lifetime: one application, the read models, the tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.api.responses import ResponseCache
from service.security.ratelimit import FailureLimiter

if TYPE_CHECKING:
    from litestar import Litestar

    from projections.read import ReadModels
    from projections.service import ProjectionService
    from service.api.availability import StoreMonitor
    from service.api.idempotency import IdempotencyStore
    from service.api.metrics import Metrics
    from service.app import Minutebook
    from service.security.db import SqlStore
    from service.security.tokens import CachedAuthenticator, TokenStore
    from service.settings import Settings
    from service.store.url import StoreConfig


class Services:
    """A plain class (not a dataclass), so Litestar passes it to handlers as it is."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.app: Minutebook | None = None
        self.db: SqlStore | None = None
        self.tokens: TokenStore | None = None
        self.authenticator_: CachedAuthenticator | None = None
        self.idempotency_: IdempotencyStore | None = None
        #: The read models, and their runner when it runs in this process.
        self.reads: ReadModels | None = None
        self.projections: ProjectionService | None = None
        #: The store as the server opens it (service/api/store_policy.py), set at startup.
        self.store: StoreConfig | None = None
        #: Trips when the store fails a request; refuses requests until it answers again.
        self.monitor: StoreMonitor | None = None
        #: Failed authentications per client address (in memory, this process only).
        self.auth_failures = FailureLimiter()
        #: Rendered answers of the current views, kept while the views stand still.
        self.responses = ResponseCache(self)
        self.closing = False
        self.problems: list[str] = []

    @property
    def record(self) -> Minutebook:
        assert self.app is not None, "the application is opened at startup"
        return self.app

    @property
    def authenticator(self) -> CachedAuthenticator:
        assert self.authenticator_ is not None
        return self.authenticator_

    @property
    def idempotency(self) -> IdempotencyStore:
        assert self.idempotency_ is not None
        return self.idempotency_


def services_of(app: Litestar) -> Services:
    services: Services = app.state.services
    return services
