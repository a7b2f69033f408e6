"""Benchmarks: every figure a ratio against a reference measured side by side in one run."""
