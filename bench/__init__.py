"""Benchmarks (run from the repository root)."""
