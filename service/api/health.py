"""Liveness, readiness and metrics: no token needed (keep /metrics behind the proxy)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec

from service.api.common import DEPENDENCIES, ServicesDep
from service.api.metrics import CONTENT_TYPE
from service.api.schemas import Status
from service.api.state import Services

UNAVAILABLE = {
    503: ResponseSpec(
        data_container=Status, description="The store or the projections are not reachable"
    )
}


def readiness(services: Services) -> str | None:
    """None when the store and the projections answer; else what does not."""
    if services.app is None:
        return "the application is not open"
    try:
        services.record.recorder.max_notification_id()
    except Exception as e:
        return f"the store does not answer: {type(e).__name__}"
    if services.reads is not None:
        try:
            services.reads.status()
        except Exception as e:
            return f"the projections do not answer: {type(e).__name__}"
    return None


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
            return Response(Status(status="unavailable", detail=problem), status_code=503)
        return Response(Status(status="ok"))

    @get(
        "/metrics",
        operation_id="metrics",
        summary="Prometheus metrics: requests, latency, projection lag",
        media_type=CONTENT_TYPE,
        sync_to_thread=True,
    )
    def metrics(self, services: ServicesDep) -> Response[Any]:
        return Response(services.metrics.render(), media_type=CONTENT_TYPE)
