"""The benchmark harness runs end to end in its quick mode (no thresholds: figures are noisy)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURED = (
    "append_ratio_sqlite",
    "append_library_ratio_sqlite",
    "http_write_ratio_sqlite",
    "http_write_p99_ms_sqlite",
    "http_write_worker_ratio_sqlite",
    "http_write_worker_p99_ms_sqlite",
    "http_write_worker_catch_up_ms_sqlite",
    "http_read_ratio",
    "http_read_p99_ms",
    "lag_p99_ms_sqlite",
    "rebuild_ratio",
    "rebuild_events_per_s",
    "verify_events_per_s",
    "import_events_per_s",
)


def test_quick_benchmark_writes_the_contract_report(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, "-m", "ops.bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(out.read_text())
    assert report["quick"] is True
    assert {"cores", "memory_gb", "python", "sqlite", "postgres"} <= set(report["machine"])
    results = report["results"]
    for key in MEASURED:
        assert isinstance(results[key], float) and results[key] > 0, key
    assert "scale_p50_ratio_1m_vs_10k" in results
