"""quyu.outlook 的测试：收敛估计与 statsmodels 对照、期限换算、情景路径手算、错误输入。"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from quyu import analysis, measures, outlook
from quyu.outlook import OutlookError

PERIODS = [
    ("current", 2012, 2024, "mean"),
    ("yearbook", 2000, 2012, "yearend"),
    ("yearbook", 2001, 2012, "mean"),
    ("census2018", 2012, 2022, "mean"),
]


def _design(vintage, start, end, basis):
    s = outlook.convergence_sample(vintage, start, end, basis)
    g = np.log(s["y1"] / s["y0"]) / (end - start)
    X = sm.add_constant(np.log(s["y0"]))
    return s, g, X


# ---------------------------------------------------------------- 与 statsmodels 对照

@pytest.mark.parametrize("vintage,start,end,basis", PERIODS)
def test_estimate_matches_statsmodels_ols(vintage, start, end, basis):
    s, g, X = _design(vintage, start, end, basis)
    fit = sm.OLS(g, X).fit()
    r = outlook.estimate(vintage, start, end, pop_basis=basis)
    assert r.n == 31
    assert r.alpha == pytest.approx(fit.params.iloc[0], rel=1e-9)
    assert r.beta == pytest.approx(fit.params.iloc[1], rel=1e-9)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)
    assert r.r2 == pytest.approx(fit.rsquared, rel=1e-9)
    lo, hi = fit.conf_int().iloc[1]
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi), rel=1e-9)
    assert r.p_value == pytest.approx(fit.pvalues.iloc[1], rel=1e-7)


@pytest.mark.parametrize("vintage,start,end,basis", PERIODS)
def test_estimate_matches_statsmodels_wls(vintage, start, end, basis):
    s, g, X = _design(vintage, start, end, basis)
    fit = sm.WLS(g, X, weights=s["w0"]).fit()
    r = outlook.estimate(vintage, start, end, weighted=True, pop_basis=basis)
    assert r.beta == pytest.approx(fit.params.iloc[1], rel=1e-9)
    assert r.alpha == pytest.approx(fit.params.iloc[0], rel=1e-9)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)


def test_estimate_robust_matches_statsmodels_hc1():
    s, g, X = _design("current", 2012, 2024, "mean")
    fit = sm.OLS(g, X).fit(cov_type="HC1")
    r = outlook.estimate("current", 2012, 2024, robust=True)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)


def test_sample_uses_one_vintage_and_initial_population():
    s = outlook.convergence_sample("current", 2012, 2024)
    p = analysis.panel("current").set_index(["year", "code"])
    pd.testing.assert_series_equal(s["y0"], p.loc[2012, "gdp_pc"], check_names=False)
    pd.testing.assert_series_equal(s["w0"], p.loc[2012, "pop_mean"], check_names=False)
    s = outlook.convergence_sample("yearbook", 2000, 2012, "yearend")
    assert s[["y0", "y1", "w0"]].notna().all().all()


# ---------------------------------------------------------------- 期限换算

def test_speed_and_half_life_by_hand():
    # β = −0.015, T = 20：1 + βT = 0.7
    lam = outlook.speed(-0.015, 20)
    assert lam == pytest.approx(-math.log(0.7) / 20)
    assert outlook.half_life(lam) == pytest.approx(math.log(2) / lam)
    assert math.isnan(outlook.speed(-0.06, 20))  # 1 + βT < 0
    assert outlook.half_life(0.0) == math.inf
    assert outlook.half_life(-0.01) == math.inf
    assert math.isnan(outlook.half_life(math.nan))


def test_speed_agrees_with_measures():
    r = outlook.estimate("current", 2012, 2024)
    assert outlook.speed(r.beta, r.years) == pytest.approx(r.speed)
    assert outlook.half_life(r.speed) == pytest.approx(r.half_life)


def test_intervals_map_beta_interval():
    r = outlook.estimate("yearbook", 2000, 2012, pop_basis="yearend")
    lo, hi = outlook.speed_interval(r)
    assert lo == pytest.approx(-math.log(1 + r.ci_high * 12) / 12)
    assert hi == pytest.approx(-math.log(1 + r.ci_low * 12) / 12)
    assert lo < r.speed < hi
    h_lo, h_hi = outlook.half_life_interval(r)
    assert h_lo == pytest.approx(math.log(2) / hi)
    assert h_hi == pytest.approx(math.log(2) / lo)
    assert h_lo < r.half_life < h_hi


def test_half_life_interval_open_when_ci_contains_zero():
    r = outlook.estimate("current", 2012, 2024)
    assert r.ci_low < 0 < r.ci_high  # 这一时期 β 的区间包含零（正文据此讨论）
    lo, hi = outlook.speed_interval(r)
    assert lo < 0 < hi
    assert outlook.half_life_interval(r)[1] == math.inf


# ---------------------------------------------------------------- 情景路径：手算

def test_scenario_path_by_hand():
    p = outlook.scenario_path(1.6, -1.0, 2024, 2050)
    assert list(p.index) == list(range(2024, 2051))
    assert p.loc[2024] == pytest.approx(1.6)
    assert p.loc[2035] == pytest.approx(1.6 * math.exp(-0.01 * 11))
    assert p.loc[2050] == pytest.approx(1.6 * math.exp(-0.26))
    # 逐年递推：每年乘以 e^d
    r = 1.6
    for year in range(2025, 2051):
        r *= math.exp(-0.01)
        assert p.loc[year] == pytest.approx(r)


def test_scenario_zero_gap_is_flat_and_positive_gap_widens():
    assert np.allclose(outlook.scenario_path(1.5, 0.0, 2024, 2035).values, 1.5)
    up = outlook.scenario_path(1.5, 0.5, 2024, 2035)
    assert up.is_monotonic_increasing and up.loc[2035] == pytest.approx(1.5 * math.exp(0.055))


def test_convergence_path_by_hand():
    lam = 0.02
    p = outlook.convergence_path(1.6, lam, 2024, 2050)
    assert p.loc[2024] == pytest.approx(1.6)
    assert p.loc[2035] == pytest.approx(math.exp(math.log(1.6) * math.exp(-0.02 * 11)))
    # 半衰期：ln R 在 ln2/λ 年后减半
    q = outlook.convergence_path(1.6, math.log(2) / 10, 2020, 2030)
    assert math.log(q.loc[2030]) == pytest.approx(math.log(1.6) / 2)
    # λ = 0：不变；λ < 0：发散
    assert np.allclose(outlook.convergence_path(1.6, 0.0, 2024, 2030).values, 1.6)
    assert outlook.convergence_path(1.6, -0.01, 2024, 2030).is_monotonic_increasing


def test_implied_gap_is_slope_of_convergence_path():
    lam, r0 = 0.01, 1.57
    d = outlook.implied_gap(r0, lam)
    assert d == pytest.approx(-lam * math.log(r0) * 100)
    p = outlook.convergence_path(r0, lam, 2024, 2025)
    # 一年的对数变化 ≈ 起点的瞬时差距（λ 小时误差很小）
    assert math.log(p.loc[2025] / p.loc[2024]) * 100 == pytest.approx(d, rel=0.01)


def test_starting_ratios_match_regional_aggregates():
    s = outlook.starting_ratios("current")
    pc = analysis.regional("current")["per_capita"].loc[s["year"]]
    assert s["year"] == 2024
    assert s["east_central"] == pytest.approx(pc["east"] / pc["central"])
    assert s["east_west"] == pytest.approx(pc["east"] / pc["west"])


def test_real_growth_sample_by_hand_for_one_province():
    from quyu import data

    rg = outlook.real_growth_sample(2015, 2024)
    idx = data.indicator("gdp_index_prev_year_100")
    bj = idx[(idx["code"] == "11") & idx["year"].between(2016, 2024)]["value"]
    p = analysis.panel("current").set_index(["year", "code"])
    expected = (np.log(bj / 100).sum() - math.log(p.loc[(2024, "11"), "pop_mean"] / p.loc[(2015, "11"), "pop_mean"])) / 9
    assert rg.loc["11", "g_real"] == pytest.approx(expected)
    assert (rg["g_nominal"] - rg["g_real"] - rg["deflator"]).abs().max() < 1e-12


# ---------------------------------------------------------------- 错误输入：中文信息

@pytest.mark.parametrize("gap", [5.5, -6, float("nan"), float("inf"), "abc", None])
def test_bad_gap(gap):
    with pytest.raises(OutlookError, match="增长率之差|百分点"):
        outlook.scenario_path(1.5, gap, 2024, 2035)


@pytest.mark.parametrize("ratio0", [0, -1.2, float("nan"), "x"])
def test_bad_ratio(ratio0):
    with pytest.raises(OutlookError, match="比值"):
        outlook.scenario_path(ratio0, -0.5, 2024, 2035)


@pytest.mark.parametrize("start,end,what", [(2024, 2024, "晚于"), (2024, 2020, "晚于"), (2024, 2101, "太远"),
                                            (2024.5, 2035, "整数")])
def test_bad_years(start, end, what):
    with pytest.raises(OutlookError, match=what):
        outlook.scenario_path(1.5, -0.5, start, end)
    with pytest.raises(OutlookError, match=what):
        outlook.convergence_path(1.5, 0.01, start, end)


@pytest.mark.parametrize("lam", [0.5, -0.3, float("nan"), "fast"])
def test_bad_speed(lam):
    with pytest.raises(OutlookError, match="收敛速度"):
        outlook.convergence_path(1.5, lam, 2024, 2035)


def test_bad_periods_give_chinese_messages():
    with pytest.raises(OutlookError, match="时期太短"):
        outlook.estimate("current", 2020, 2024)
    with pytest.raises(OutlookError, match="应晚于"):
        outlook.estimate("current", 2024, 2012)
    with pytest.raises(OutlookError, match="没有 2024 年"):
        outlook.estimate("yearbook", 2012, 2024)
    with pytest.raises(OutlookError, match="1999"):
        outlook.estimate("yearbook", 2000, 2012, pop_basis="mean")
    with pytest.raises(OutlookError, match="未知的数据版本"):
        outlook.estimate("nope", 2000, 2012)
    with pytest.raises(OutlookError, match="2016—2024"):
        outlook.real_growth_sample(2010, 2024)
    with pytest.raises(OutlookError, match="时期长度"):
        outlook.speed(-0.01, 0)
    with pytest.raises(OutlookError, match="比值"):
        outlook.implied_gap(0, 0.01)


def test_outlook_error_is_value_error():
    # 组件把 ValueError 显示为中文提示；OutlookError 必须是 ValueError
    assert issubclass(OutlookError, ValueError)
    assert issubclass(measures.MeasureError, ValueError)
