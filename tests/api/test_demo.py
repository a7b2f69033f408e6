"""``minutebook serve --demo``: examples loaded once, a clerk and an auditor token printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.conftest import ROOT, free_port


def environment() -> dict[str, str]:
    """The test's environment without any MINUTEBOOK_* setting (the demo picks its own store)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINUTEBOOK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def serve_demo(workdir: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str], str]:
    port = free_port()
    out = workdir / f"demo-{port}.out"
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--demo", "--port", str(port)],
        cwd=workdir,
        stdout=out.open("wb"),
        stderr=subprocess.STDOUT,
        env=environment(),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, out.read_text()
        try:
            if httpx.get(base + "/ready", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    text = out.read_text()
    tokens = dict(re.findall(r"export (MINUTEBOOK_\w+_TOKEN)=(\S+)", text))
    return process, base, tokens, text


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


def test_the_demo_serves_the_examples_to_the_printed_tokens(tmp_path: Path) -> None:
    process, base, tokens, text = serve_demo(tmp_path)
    try:
        assert set(tokens) == {"MINUTEBOOK_CLERK_TOKEN", "MINUTEBOOK_AUDITOR_TOKEN"}
        assert "curl" in text and (tmp_path / "minutebook-demo.db").exists()
        clerk = {"Authorization": f"Bearer {tokens['MINUTEBOOK_CLERK_TOKEN']}"}
        auditor = {"Authorization": f"Bearer {tokens['MINUTEBOOK_AUDITOR_TOKEN']}"}
        body = httpx.get(base + "/api/bodies/safer-sefton-together", headers=clerk)
        assert body.status_code == 200 and body.json()["name"] == "Safer Sefton Together"
        minutes = httpx.get(
            base + "/api/bodies/safer-sefton-together/meetings/2022-09-08/minutes",
            headers={**clerk, "Accept": "text/plain"},
        )
        assert minutes.status_code == 200 and "SAFER SEFTON TOGETHER" in minutes.text
        events = httpx.get(base + "/api/events", params={"limit": 5}, headers=auditor)
        assert events.status_code == 200 and len(events.json()["items"]) == 5
        assert httpx.get(base + "/api/bodies/safer-sefton-together").status_code == 401
        env_file = (tmp_path / "minutebook-demo.env").read_text()
        assert tokens["MINUTEBOOK_CLERK_TOKEN"] in env_file
        head = events.json()["head"]
    finally:
        stop(process)
    again, base, same, _ = serve_demo(tmp_path)
    try:
        assert same == tokens  # reused, not made anew
        auditor = {"Authorization": f"Bearer {same['MINUTEBOOK_AUDITOR_TOKEN']}"}
        assert httpx.get(base + "/api/events", headers=auditor).json()["head"] == head
    finally:
        stop(again)
