"""Benchmarks: speed targets as ratios against a floor measured in the same run (see docs/benchmarks.md)."""
