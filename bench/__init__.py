"""Benchmarks of the host's hot path against bare baselines (bench/README.md)."""
