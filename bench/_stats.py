"""Small statistics and the ratio lines every bench prints (the last line is the headline)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of values already sorted (0.0 for none)."""
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def ratio_line(name: str, ratios: Sequence[float]) -> str:
    """`ratio NAME: min X median Y`, the format tests/bench and scripts/bench look for."""
    return f"ratio {name}: min {min(ratios):.2f} median {statistics.median(ratios):.2f}"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
