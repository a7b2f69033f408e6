"""Prometheus metrics: requests, latency, and how far the projections lag behind the log.

Each server process keeps its own registry (with several workers, scrape each or
run one worker per port behind the proxy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from service.app.writer import GroupCommitter

CONTENT_TYPE = CONTENT_TYPE_LATEST
#: (view name, its tracked position) for each projection, and the log's head position.
LagSource = Callable[[], tuple[list[tuple[str, int]], int]]


class _LagCollector:
    def __init__(self) -> None:
        self.source: LagSource | None = None
        self.writer: GroupCommitter | None = None

    def collect(self) -> Iterable[Metric]:
        lag = GaugeMetricFamily(
            "minutebook_projection_lag_events",
            "Events in the log not yet applied to each projection",
            labels=["view"],
        )
        head = GaugeMetricFamily("minutebook_log_position", "Position of the last event in the log")
        if self.source is not None:
            try:
                views, position = self.source()
            except Exception:  # a scrape must not fail because the store is down
                views, position = [], -1
            if position >= 0:
                head.add_metric([], position)
            for name, tracked in views:
                lag.add_metric([name], max(position - tracked, 0))
        yield lag
        yield head
        if self.writer is not None:
            yield CounterMetricFamily(
                "minutebook_commits",
                "Transactions committed by the group committer",
                value=self.writer.batches,
            )
            yield CounterMetricFamily(
                "minutebook_commands",
                "Commands run by the group committer",
                value=self.writer.commands,
            )


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "minutebook_http_requests",
            "HTTP requests handled",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "minutebook_http_request_duration_seconds",
            "Time to handle an HTTP request",
            ["method", "route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self._lag = _LagCollector()
        self.registry.register(self._lag)
        #: The labelled children, looked up once per (method, route, status).
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def set_lag_source(self, source: LagSource | None) -> None:
        self._lag.source = source

    def set_writer(self, writer: GroupCommitter | None) -> None:
        """Report commits and commands of the group committer (their ratio: the batch size)."""
        self._lag.writer = writer

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
        children[0].inc()
        children[1].observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
