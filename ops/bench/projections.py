"""4. Projection lag under sustained writes and 5. rebuild speed vs raw read-and-decode."""

from __future__ import annotations

from typing import Any

from ops.bench.history import generate
from ops.measure_projections import best_rebuild, decode_all, lag_under_load, store_of
from service.app import Minutebook


def measure(kind: str, events: int, seconds: float) -> dict[str, Any]:
    with store_of(kind) as store:
        app = Minutebook(store)
        generate(app, events)
        raw = max(decode_all(app) for _ in range(2))
        app.close()
        out: dict[str, Any] = {
            f"lag_p99_ms_{kind}": lag_under_load(store, seconds)["lag"]["p99_ms"]
        }
        if kind == "sqlite":
            rebuilt = best_rebuild(store, None, tries=2)["events_per_second"]
            out.update(
                rebuild_events_per_s=rebuilt,
                rebuild_raw_decode_per_s=raw,
                rebuild_ratio=rebuilt / raw,
            )
        return out
