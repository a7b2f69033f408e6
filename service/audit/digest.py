"""Tree digests: the printable, signable form of a Merkle tree head.

An RFC 9162 root hash does not commit to the number of leaves, so a tree head is
always the pair (size, root).  Its text form is::

    mb1-<size>-<root>

where ``<size>`` is the leaf count in decimal (no sign, no leading zeros) and
``<root>`` is the 32-byte SHA-256 root as 64 lowercase hex digits, e.g.
``mb1-0-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855``.

Optional Ed25519 signatures cover the canonical bytes::

    b"minutebook-tree-head-v1\\x00" || size (8 bytes, unsigned big-endian) || root (32 bytes)
"""

from __future__ import annotations

import re

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

DIGEST_PREFIX = "mb1-"
SIGNING_CONTEXT = b"minutebook-tree-head-v1\x00"
_ROOT_SIZE = 32
_MAX_SIZE = (1 << 64) - 1
_SIZE_RE = re.compile(r"0|[1-9][0-9]*")
_ROOT_RE = re.compile(r"[0-9a-f]{64}")


class Digest(msgspec.Struct, frozen=True):
    """A tree head: the number of leaves and the RFC 9162 root over them."""

    size: int
    root: bytes

    def __str__(self) -> str:
        return format_digest(self.size, self.root)


def _check(size: int, root: bytes) -> None:
    if type(size) is not int or not 0 <= size <= _MAX_SIZE:
        raise ValueError(f"tree size must be an integer in 0..2**64-1, got {size!r}")
    if type(root) is not bytes or len(root) != _ROOT_SIZE:
        raise ValueError("tree root must be exactly 32 bytes")


def format_digest(size: int, root: bytes) -> str:
    """``mb1-<size>-<root hex>``; raises ``ValueError`` on a bad size or root."""
    _check(size, root)
    return f"{DIGEST_PREFIX}{size}-{root.hex()}"


def parse_digest(text: str) -> Digest:
    """Parse ``mb1-<size>-<64 lowercase hex>``; ``ValueError`` explains any problem."""
    if not isinstance(text, str):
        raise ValueError(f"digest must be a string, got {type(text).__name__}")
    if not text.startswith(DIGEST_PREFIX):
        raise ValueError(f"digest must start with {DIGEST_PREFIX!r}: {text[:80]!r}")
    body = text[len(DIGEST_PREFIX) :]
    size_text, sep, root_text = body.partition("-")
    if not sep:
        raise ValueError(f"digest must look like 'mb1-<size>-<root hex>': {text[:80]!r}")
    if not _SIZE_RE.fullmatch(size_text):
        raise ValueError(
            f"digest size must be a decimal number without sign or leading zeros: {size_text!r}"
        )
    size = int(size_text)
    if size > _MAX_SIZE:
        raise ValueError(f"digest size {size} is larger than 2**64-1")
    if not _ROOT_RE.fullmatch(root_text):
        raise ValueError(
            "digest root must be exactly 64 lowercase hex digits, "
            f"got {len(root_text)} characters: {root_text[:80]!r}"
        )
    return Digest(size=size, root=bytes.fromhex(root_text))


def signing_bytes(digest: Digest) -> bytes:
    """The canonical bytes a tree-head signature covers."""
    _check(digest.size, digest.root)
    return SIGNING_CONTEXT + digest.size.to_bytes(8, "big") + digest.root


def generate_signing_key() -> tuple[bytes, bytes]:
    """A fresh Ed25519 key pair as (raw 32-byte private key, raw 32-byte public key)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private, public


def sign_digest(private_key_bytes: bytes, digest: Digest) -> bytes:
    """The 64-byte Ed25519 signature of ``signing_bytes(digest)``."""
    key = Ed25519PrivateKey.from_private_bytes(private_key_bytes)
    return key.sign(signing_bytes(digest))


def verify_digest_signature(public_key_bytes: bytes, digest: Digest, signature: bytes) -> bool:
    """True iff ``signature`` is a valid signature of ``digest``; never raises."""
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key_bytes)
        key.verify(signature, signing_bytes(digest))
    except (InvalidSignature, ValueError, TypeError, AttributeError):
        return False
    return True
