"""Tamper-evident audit trail: an RFC 9162 Merkle tree over the event log.

``service.audit.merkle`` holds the hashing, the append-only frontier, roots and
inclusion/consistency proofs; ``service.audit.digest`` holds the printable tree
digest (``mb1-<size>-<root hex>``) and its optional Ed25519 signatures.
Nothing here touches storage.
"""
