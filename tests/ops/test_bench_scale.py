"""The scaling benchmark's size options and key labels (the run itself is not in CI)."""

from __future__ import annotations

import pytest

from ops.bench.scale import label, parse_sizes


def test_sizes_are_read_with_k_and_m_suffixes() -> None:
    assert parse_sizes("10000, 100k,1m") == [10_000, 100_000, 1_000_000]
    assert parse_sizes("300_000,2.5k") == [300_000, 2_500]


def test_no_sizes_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_sizes(" , ")


def test_labels_name_the_sizes_in_keys() -> None:
    assert [label(n) for n in (10_000, 100_000, 1_000_000, 2_500)] == ["10k", "100k", "1m", "2500"]
