"""Summary statistics of per-frame figures.

Definitions (the JSON schema promises them):
  median  the middle value of the sorted list; the mean of the two middle
          values when the count is even
  mean    the arithmetic mean
  p95     nearest-rank 95th percentile: the value at rank ceil(0.95 * n)
          of the sorted list (1-based), so at least 95% of frames are at
          or below it and it is always one of the measured values
  max     the largest value
Frames over a budget are counted on frame totals in milliseconds: a frame
is over the 30 fps budget when it takes more than 1000/30 ms, over the
60 fps budget when it takes more than 1000/60 ms.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Sequence

BUDGET_MS = {30: 1000.0 / 30, 60: 1000.0 / 60}


@dataclass(frozen=True)
class Summary:
    median: float
    mean: float
    p95: float
    max: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def scaled(self, k: float) -> "Summary":
        return Summary(self.median * k, self.mean * k, self.p95 * k, self.max * k)


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        raise ValueError("no frames to summarize")
    s = sorted(values)
    n = len(s)
    mid = n // 2
    median = s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2
    rank = max(1, math.ceil(0.95 * n))
    return Summary(median=median, mean=sum(s) / n, p95=s[rank - 1], max=s[-1])


def over_budget(totals_ms: Sequence[float]) -> dict[str, int]:
    """Frames over the 30 and 60 fps budgets, keyed "30fps" and "60fps"."""
    return {f"{fps}fps": sum(1 for t in totals_ms if t > limit) for fps, limit in BUDGET_MS.items()}
