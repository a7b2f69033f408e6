"""The scaling benchmark reports the server's CPU per write and the write rate beside the p50.

With 16 clerks the write p50 is about 16 / writes per second, so a p50 that grows
between sizes is told apart here: more server CPU per write, or the same CPU and
less throughput.  The runs themselves are not in CI: ``one_size`` is replaced by
figures made up for two sizes.
"""

from __future__ import annotations

import pytest

from ops.bench import scale

FIGURES = (
    "append_p50_ms",
    "http_write_p50_ms",
    "http_write_per_s",
    "http_write_server_cpu_ms",
    "http_read_minutes_p50_ms",
    "http_read_tracker_p50_ms",
    "rss_mb",
    "restarted_http_write_p50_ms",
    "restarted_http_write_server_cpu_ms",
    "restarted_http_read_p50_ms",
    "restarted_rss_mb",
    "import_events_per_s",
)


def _made_up(size: int) -> dict[str, float]:
    s = scale.label(size)
    out = {f"scale_{name}_{s}": 1.0 for name in FIGURES}
    if size > 10_000:  # the larger store: a write dearer by half, and half the rate
        out[f"scale_http_write_server_cpu_ms_{s}"] = 1.5
        out[f"scale_restarted_http_write_server_cpu_ms_{s}"] = 1.25
        out[f"scale_http_write_per_s_{s}"] = 0.5
    return out


def test_the_cpu_per_write_and_the_rate_are_compared_between_sizes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scale, "one_size", _made_up)
    out = scale.measure([10_000, 100_000])
    assert out["scale_http_write_server_cpu_ratio"] == pytest.approx(1.5)
    assert out["scale_restarted_http_write_server_cpu_ratio"] == pytest.approx(1.25)
    assert out["scale_http_write_per_s_ratio"] == pytest.approx(0.5)
    # Not targets: the contract's ratio is still the worst of the p50 ratios alone.
    assert out["scale_p50_ratio_1m_vs_10k"] == pytest.approx(1.0)
