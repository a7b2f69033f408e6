"""Tamper evidence over HTTP: the digest, inclusion proofs and consistency proofs (auditor)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.params import PathParameter, QueryParameter

from domain.errors import UnknownRecordError
from service.api.auth import AUDIT
from service.api.common import DEPENDENCIES, MAX_POSITION, ServicesDep
from service.api.errors import bad_input, errors
from service.audit.auditor import digest, prove_consistency, prove_inclusion
from service.audit.digest import Digest, parse_digest, sign_digest
from service.cli.audit_cmd import read_key


class DigestResponse(msgspec.Struct, frozen=True, kw_only=True):
    digest: str
    size: int
    root: str
    #: Ed25519 signature (hex) of the tree head, when the service has a signing key.
    signature: str | None = None


def _digest_param(name: str, text: str | None) -> Digest | None:
    if text is None:
        return None
    try:
        return parse_digest(text)
    except ValueError as e:
        raise bad_input("query", name, str(e)) from None


class LedgerController(Controller):
    path = "/api/audit"
    tags = ("audit",)
    dependencies = DEPENDENCIES
    opt = AUDIT

    @get(
        "/digest",
        operation_id="getDigest",
        summary="The digest (size and Merkle root) of the whole log, signed when configured",
        responses=errors(),
        sync_to_thread=True,
    )
    def get_digest(self, services: ServicesDep) -> DigestResponse:
        head = digest(services.record)
        signature = None
        key_file = services.settings.signing_key
        if key_file:
            signature = sign_digest(read_key(Path(key_file)), head).hex()
        return DigestResponse(
            digest=str(head), size=head.size, root=head.root.hex(), signature=signature
        )

    @get(
        "/proof/{position:int}",
        operation_id="getInclusionProof",
        summary="An inclusion proof for the event at a position (check with ops/verify_proof.py)",
        responses=errors(400, 404),
        sync_to_thread=True,
    )
    def inclusion(
        self,
        position: Annotated[int, PathParameter(ge=1, le=MAX_POSITION, description="Log position")],
        services: ServicesDep,
        digest_text: Annotated[
            str | None,
            QueryParameter(name="digest", description="Prove against this digest (default: now)"),
        ] = None,
    ) -> dict[str, Any]:
        against = _digest_param("digest", digest_text)
        try:
            return prove_inclusion(services.record, position, against)
        except LookupError as e:
            raise UnknownRecordError(str(e)) from None
        except ValueError as e:
            raise bad_input("query", "digest", str(e)) from None

    @get(
        "/consistency",
        operation_id="getConsistencyProof",
        summary="A proof that the log at digest FROM is an unchanged prefix of the log at TO",
        responses=errors(400),
        sync_to_thread=True,
    )
    def consistency(
        self,
        services: ServicesDep,
        from_text: Annotated[str, QueryParameter(name="from", description="The older digest")],
        to_text: Annotated[
            str | None, QueryParameter(name="to", description="The newer digest (default: now)")
        ] = None,
    ) -> dict[str, Any]:
        old = _digest_param("from", from_text)
        assert old is not None
        try:
            return prove_consistency(services.record, old, _digest_param("to", to_text))
        except ValueError as e:
            raise bad_input("query", "from", str(e)) from None
