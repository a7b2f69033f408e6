"""Liveness, readiness and metrics: no token needed (keep /metrics behind the proxy)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec

from service.api.common import DEPENDENCIES, ServicesDep
from service.api.errors import RETRY_AFTER_SECONDS
from service.api.metrics import CONTENT_TYPE
from service.api.schemas import Status
from service.api.state import Services

UNAVAILABLE = {
    503: ResponseSpec(
        data_container=Status, description="The store or the projections are not reachable"
    )
}


def readiness(services: Services) -> str | None:
    """None when the store and the projections answer (and SQLite takes a write); else what
    does not.  While the store is known to be out (see availability.py) this answers at once."""
    if services.app is None or services.monitor is None:
        return "the application is not open"
    return services.monitor.ready()


class HealthController(Controller):
    path = "/"
    tags = ("health",)
    dependencies = DEPENDENCIES

    @get(
        "/health",
        operation_id="health",
        summary="Liveness: the process is serving",
        sync_to_thread=False,
    )
    def health(self) -> Status:
        return Status(status="ok")

    @get(
        "/ready",
        operation_id="ready",
        summary="Readiness: the store and the projections are reachable",
        responses=UNAVAILABLE,
        sync_to_thread=True,
    )
    def ready(self, services: ServicesDep) -> Response[Status]:
        problem = readiness(services)
        if problem is not None:
            return Response(
                Status(status="unavailable", detail=problem),
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
            )
        return Response(Status(status="ok"), headers={"Cache-Control": "no-store"})

    @get(
        "/metrics",
        operation_id="metrics",
        summary="Prometheus metrics: requests, latency, projection lag",
        media_type=CONTENT_TYPE,
        sync_to_thread=True,
    )
    def metrics(self, services: ServicesDep) -> Response[Any]:
        return Response(services.metrics.render(), media_type=CONTENT_TYPE)
