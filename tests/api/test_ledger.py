"""Tamper evidence over HTTP: digest, inclusion and consistency proofs, auditor only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from service.audit.digest import parse_digest
from service.audit.merkle import verify_consistency
from tests.api.conftest import Server
from tests.api.helpers import ok, record_two_meetings

ROOT = Path(__file__).resolve().parents[2]


def test_digest_proofs_verify_offline_and_need_the_auditor_role(
    server: Server, unique: str, tmp_path: Path
) -> None:
    with server.client("clerk") as clerk, server.client("auditor") as auditor:
        record_two_meetings(clerk, f"Ledger Board {unique}")
        assert clerk.get("/api/audit/digest").status_code == 403
        first = ok(auditor.get("/api/audit/digest"))
        assert first["digest"] == f"mb1-{first['size']}-{first['root']}"
        record_two_meetings(clerk, f"Ledger Board Two {unique}")
        now = ok(auditor.get("/api/audit/digest"))
        proof = ok(
            auditor.get(f"/api/audit/proof/{first['size']}", params={"digest": now["digest"]})
        )
        path = tmp_path / "proof.json"
        path.write_text(json.dumps(proof))
        checked = subprocess.run(
            [sys.executable, str(ROOT / "ops" / "verify_proof.py"), str(path)],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        consistency = ok(
            auditor.get(
                "/api/audit/consistency", params={"from": first["digest"], "to": now["digest"]}
            )
        )
        old, new = parse_digest(first["digest"]), parse_digest(now["digest"])
        assert verify_consistency(
            old.size, new.size, old.root, new.root, [bytes.fromhex(h) for h in consistency["proof"]]
        )
        bad = auditor.get("/api/audit/consistency", params={"from": "mb1-x"})
        assert bad.status_code == 400 and "from" in bad.json()["detail"]
        missing = auditor.get("/api/audit/proof/999999999")
        assert missing.status_code == 404
