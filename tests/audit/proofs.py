"""Checking an inclusion proof as ``audit prove`` answers it (hex fields)."""

from __future__ import annotations

from typing import Any

from service.audit.merkle import verify_inclusion


def inclusion_holds(proof: dict[str, Any], root: bytes | None = None) -> bool:
    """Whether the proof's leaf is in the tree of its size under ``root`` (default: the
    proof's own root)."""
    return verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        proof["leaf_index"],
        proof["tree_size"],
        [bytes.fromhex(h) for h in proof["audit_path"]],
        root if root is not None else bytes.fromhex(proof["root"]),
    )
