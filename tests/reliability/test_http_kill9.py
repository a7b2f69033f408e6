"""kill -9 of the HTTP server while clients write: every acknowledged write survives.

The real server (``minutebook serve``) is killed with SIGKILL at random moments
while four clients record items over HTTP; it is restarted on the same store
each time.  Then: every write answered 2xx is in the record, nothing is there
twice, the minutes view catches up (lag 0) and holds exactly what the record
holds, and ``minutebook audit verify`` passes.  ``python -m ops.faults.kill_server``
is the longer, configurable run of the same thing.
"""

from __future__ import annotations

from pathlib import Path

from ops.faults.kill_server import run


def test_acknowledged_http_writes_survive_kill_9_of_the_server(
    store_url: str, tmp_path: Path
) -> None:
    summary = run(store_url, kills=3, clients=4, seconds=2.0, seed=7, workdir=tmp_path)
    assert summary["kills_survived"] == 3
    assert summary["writes_acknowledged"] > 50, summary
    assert summary["acknowledged_missing"] == [], summary
    assert summary["acknowledged_found"] == summary["writes_acknowledged"]
    assert summary["duplicates"] == [], summary
    assert summary["view_matches_record"], summary
    assert summary["projection_lag_after"] == 0
    assert summary["server_errors_5xx"] == 0, summary
    assert summary["audit_verify_exit"] == 0, summary["audit_verify"]
    assert summary["ok"]
