"""各章模块的缓存（``data.cached``）：每个被记住的结果都以副本交给调用者；改动它不影响下一次调用。"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from quyu.parts.part2 import theory as part2_theory
from quyu.parts.part3 import finance_and_people, people_and_governance
from quyu.parts.part4 import dynamics, world


def _spoil(frame: pd.DataFrame) -> None:
    """像粗心的调用者那样就地改动一个表：改值、加列、改索引。"""
    frame.iloc[:, -1] = np.nan
    frame["spoiled"] = 1
    frame.index = range(len(frame) - 1, -1, -1)


@pytest.mark.parametrize("call", [
    lambda: dynamics.club_panel("current", 2006, 2024),
    lambda: dynamics.gdp_pc_wide("current", 2006, 2024),
    lambda: dynamics.moran_by_year("current"),
    lambda: finance_and_people.fiscal_panel(),
    lambda: finance_and_people.dispersion("consumption"),
    lambda: world.unit_panel("US"),
    lambda: part2_theory.shares("current"),
    lambda: people_and_governance.income_panel(),
], ids=["club_panel", "gdp_pc_wide", "moran_by_year", "fiscal_panel", "dispersion", "world_unit_panel",
        "theory_shares", "income_panel"])
def test_changing_a_returned_frame_leaves_the_next_call_alone(call):
    first = call()
    expected = first.copy(deep=True)
    _spoil(first)
    again = call()
    pd.testing.assert_frame_equal(again, expected)
    assert again is not first


def test_changing_a_returned_series_leaves_the_next_call_alone():
    d = part2_theory.dissimilarity_series("current")
    expected = d.copy()
    d.iloc[:] = -1.0
    pd.testing.assert_series_equal(part2_theory.dissimilarity_series("current"), expected)


def test_changing_returned_results_and_tuples_leaves_the_next_call_alone():
    result, cutoffs = dynamics.markov_result("current", 2006, 2024, 4)
    P, cut = result.P.copy(), np.array(cutoffs, dtype=float)
    result.P[:] = 0.0
    cutoffs[:] = 0.0
    again, cutoffs_again = dynamics.markov_result("current", 2006, 2024, 4)
    assert np.array_equal(again.P, P) and np.array_equal(cutoffs_again, cut)

    clubs = dynamics.club_result("current", 2006, 2024)
    before = clubs.membership()
    clubs.clubs.clear()
    clubs.divergent.append("不存在的省")
    pd.testing.assert_series_equal(dynamics.club_result("current", 2006, 2024).membership(), before)
