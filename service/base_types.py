"""Small shared type aliases of the service layer."""

from __future__ import annotations

from domain.base import RecordAggregate

Aggregates = list[RecordAggregate]
