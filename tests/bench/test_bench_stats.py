"""Statistics of `rp8 bench` (console/bench/stats.py) on synthetic data."""
from __future__ import annotations

import pytest

from console.bench.stats import Summary, over_budget, summarize


def test_odd_count():
    s = summarize([5, 1, 4, 2, 3])
    assert s == Summary(median=3, mean=3.0, p95=5, max=5)


def test_even_count_median_is_mean_of_middle_pair():
    assert summarize([4, 1, 3, 2]).median == 2.5


def test_p95_nearest_rank():
    # 1..100: rank ceil(95) = 95 -> 95; 1..20: rank ceil(19) = 19 -> 19
    assert summarize(list(range(1, 101))).p95 == 95
    assert summarize(list(range(1, 21))).p95 == 19
    # 1..10: rank ceil(9.5) = 10 -> the maximum
    assert summarize(list(range(1, 11))).p95 == 10


def test_single_value():
    assert summarize([7.5]) == Summary(7.5, 7.5, 7.5, 7.5)


def test_empty_is_an_error():
    with pytest.raises(ValueError):
        summarize([])


def test_scaled():
    assert summarize([2, 4]).scaled(0.5) == Summary(1.5, 1.5, 2.0, 2.0)


def test_over_budget_thresholds_are_strict():
    # 1000/60 = 16.67 ms, 1000/30 = 33.33 ms
    frames = [10.0, 16.6, 16.7, 33.3, 33.4, 50.0]
    assert over_budget(frames) == {"30fps": 2, "60fps": 4}
