"""quyu.parts.part4（第四部分）：收敛估计与 statsmodels 对照、期限换算、情景路径手算、错误输入，
以及两章的交互组件（用好的和坏的选择驱动组件的视图）。

组件的构造函数在 ``quyu.parts.part4`` 中（``estimator_widget``、``scenario_widget``），章节只调用它们，
并用 ``literalinclude`` 展示其源码。测试直接调用构造函数，再调用 ``views()`` 与 ``payload()``，
并把数字与库函数（``convergence.estimate`` 等）的结果对照。
"""
from __future__ import annotations

import math
import re

import matplotlib
import pytest

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.api as sm  # noqa: E402

from conftest import REL, combos, latest_year, messages  # noqa: E402
from quyu import analysis, data, fmt, measures  # noqa: E402
from quyu.parts.part4 import convergence, outlook  # noqa: E402
from quyu.parts.part4.convergence import OutlookError  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ch1():
    return {"ESTIMATOR": convergence.estimator_widget()}


@pytest.fixture(scope="module")
def ch2():
    return {"SCENARIO": outlook.scenario_widget()}


def _kinds(views):
    return [v["type"] for v in views]




# ---------------------------------------------------------------- 收敛估计器

def test_estimator_default_matches_outlook(ch1):
    w = ch1["ESTIMATOR"]
    views = w.views()
    assert _kinds(views) == ["stats", "message", "chart"]
    items = dict(views[0]["items"])
    r = convergence.estimate("current", 2012, 2024)
    assert items["β"] == fmt.num(r.beta, 4)
    assert items["收敛速度 λ（每年）"] == fmt.pct(r.speed, 2)
    assert items["省份数"] == "31"
    assert "包含 0" in messages(views, "info")[0]
    chart = views[2]
    assert chart["x"][0] == 2012 and chart["x"][-1] == w.defaults()["end"]


@pytest.mark.parametrize("choice", [
    dict(vintage="yearbook", start=2000, end=2012, basis="yearend"),
    dict(vintage="yearbook", start=2000, end=2012, basis="yearend", weighted=True),
    dict(vintage="yearbook", start=2001, end=2012),
    dict(vintage="census2018", start=2012, end=2022),
    dict(vintage="current", start=2006, end=2012, weighted=True),
])
def test_estimator_good_choices(ch1, choice):
    views = ch1["ESTIMATOR"].views(**choice)
    assert _kinds(views) == ["stats", "message", "chart"]
    r = convergence.estimate(choice["vintage"], choice["start"], choice["end"],
                         weighted=choice.get("weighted", False), pop_basis=choice.get("basis", "mean"))
    assert dict(views[0]["items"])["β"] == fmt.num(r.beta, 4)


@pytest.mark.parametrize("choice,expected", [
    (dict(vintage="yearbook", start=2000, end=2012, basis="mean"), "1999"),
    (dict(start=2017, end=2020), "时期太短"),
    (dict(start=2012, end=2012), "应晚于"),
    (dict(start=2017, end=2012), "应晚于"),
    (dict(vintage="yearbook", start=2012, end=2024), "没有 2024 年"),
    (dict(vintage="census2018", start=2000, end=2012), "没有 2000 年"),
    (dict(vintage="no_such_vintage"), "未知的数据版本"),
])
def test_estimator_bad_choices_give_chinese_message(ch1, choice, expected):
    views = ch1["ESTIMATOR"].views(**choice)
    assert _kinds(views) == ["message"]
    assert views[0]["level"] == "error"
    assert expected in views[0]["text"] and CJK.search(views[0]["text"])
    assert "Traceback" not in views[0]["text"] and " / " not in views[0]["text"]


def test_estimator_precomputes_all_combinations(ch1):
    w = ch1["ESTIMATOR"]
    assert len(combos(w)) <= 300
    payload = w.payload()
    assert len(payload["results"]) == len(combos(w))
    for view in payload["views"]:
        if view["type"] == "message":
            assert CJK.search(view["text"])


# ---------------------------------------------------------------- 情景推演工具

def test_scenario_default_matches_hand_computed_paths(ch2):
    w = ch2["SCENARIO"]
    views = w.views()
    assert _kinds(views) == ["table", "chart"]
    start = outlook.starting_ratios("current")
    t0, r_ec, r_ew = start["year"], start["east_central"], start["east_west"]
    rows = {r[0]: r[1:] for r in views[0]["rows"]}
    # 默认：东−中、东−西都为 −0.5 个百分点
    assert rows["2035 年"][0] == fmt.num(r_ec * math.exp(-0.005 * (2035 - t0)), 2)
    assert rows["2050 年"][2] == fmt.num(r_ew * math.exp(-0.005 * (2050 - t0)), 2)
    lam = convergence.estimate("current", 2012, t0).speed
    assert rows["2050 年"][1] == fmt.num(math.exp(math.log(r_ec) * math.exp(-lam * (2050 - t0))), 2)
    chart = views[1]
    assert chart["x"][0] == t0 and chart["x"][-1] == 2050
    assert "示意，不是预测" in chart["note"]
    ec = chart["series"][0]["y"]
    assert ec[2035 - t0] == pytest.approx(r_ec * math.exp(-0.005 * (2035 - t0)), rel=REL)


@pytest.mark.parametrize("choice", [
    dict(gap_ec=0.0, gap_ew=0.0),
    dict(gap_ec=1.0, gap_ew=-1.5, source="a"),
    dict(gap_ec=-1.0, gap_ew=-1.0, source="bw"),
])
def test_scenario_good_choices(ch2, choice):
    views = ch2["SCENARIO"].views(**choice)
    assert _kinds(views) == ["table", "chart"]
    start = outlook.starting_ratios("current")
    ec = views[1]["series"][0]["y"]
    assert ec[-1] == pytest.approx(start["east_central"] * math.exp(choice["gap_ec"] / 100 * (2050 - start["year"])), rel=REL)


def test_scenario_reversal_is_flagged(ch2):
    views = ch2["SCENARIO"].views(gap_ec=-3.0, gap_ew=-3.0)
    info = messages(views, "info")
    assert len(info) == 2 and all("超过东部" in t for t in info)


@pytest.mark.parametrize("choice,expected", [
    (dict(gap_ec=6.0), "超出合理范围"),
    (dict(gap_ew=-7.5), "超出合理范围"),
    (dict(gap_ec=float("nan")), "超出合理范围"),
    (dict(gap_ec="很多"), "应为数字"),
    (dict(source="no_such_speed"), "未知的收敛速度来源"),
])
def test_scenario_bad_choices_give_chinese_message(ch2, choice, expected):
    views = ch2["SCENARIO"].views(**choice)
    assert _kinds(views) == ["message"]
    assert views[0]["level"] == "error"
    assert expected in views[0]["text"]


def test_scenario_precomputes_all_combinations(ch2):
    w = ch2["SCENARIO"]
    assert len(combos(w)) <= 300
    payload = w.payload()
    assert len(payload["results"]) == len(combos(w))
    assert not any(v["type"] == "message" and v["level"] == "error" for v in payload["views"])


def test_galton_exercise_example_has_negative_beta_and_rising_sigma():
    """习题 ex-p4-4 的示例：β < 0，而对数标准差上升（高尔顿谬误）。"""
    import numpy as np

    from quyu import measures

    y0 = np.array([1, 2, 3, 4, 5.0])
    y1 = np.array([40, 2.5, 3.2, 4.1, 5.1])
    r = measures.beta_convergence(y0, y1, 10)
    assert r.beta < 0
    assert measures.sigma(y1) > measures.sigma(y0)


def test_scenario_exercise_is_faster_than_convergence_path_for_both_regions():
    """习题 ex-p4-10 的示范设定（东−中 −0.5、东−西 −0.8 个百分点）到 2050 年比收敛速度路径收敛得更多。"""
    s = outlook.starting_ratios("current")
    lam = convergence.estimate("current", 2012, s["year"]).speed
    for key, gap in (("east_central", -0.5), ("east_west", -0.8)):
        scen = outlook.scenario_path(s[key], gap, s["year"], 2050).loc[2050]
        conv = outlook.convergence_path(s[key], lam, s["year"], 2050).loc[2050]
        assert scen < conv - 0.005, (key, scen, conv)


# ---------------------------------------------------------------- 计算（原 test_part4.py）

PERIODS = [
    ("current", 2012, 2024, "mean"),
    ("yearbook", 2000, 2012, "yearend"),
    ("yearbook", 2001, 2012, "mean"),
    ("census2018", 2012, 2022, "mean"),
]


def _design(vintage, start, end, basis):
    s = convergence.convergence_sample(vintage, start, end, basis)
    g = np.log(s["y1"] / s["y0"]) / (end - start)
    X = sm.add_constant(np.log(s["y0"]))
    return s, g, X


# ---------------------------------------------------------------- 与 statsmodels 对照

@pytest.mark.parametrize("vintage,start,end,basis", PERIODS)
def test_estimate_matches_statsmodels_ols(vintage, start, end, basis):
    s, g, X = _design(vintage, start, end, basis)
    fit = sm.OLS(g, X).fit()
    r = convergence.estimate(vintage, start, end, pop_basis=basis)
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
    r = convergence.estimate(vintage, start, end, weighted=True, pop_basis=basis)
    assert r.beta == pytest.approx(fit.params.iloc[1], rel=1e-9)
    assert r.alpha == pytest.approx(fit.params.iloc[0], rel=1e-9)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)


def test_estimate_robust_matches_statsmodels_hc1():
    s, g, X = _design("current", 2012, 2024, "mean")
    fit = sm.OLS(g, X).fit(cov_type="HC1")
    r = convergence.estimate("current", 2012, 2024, robust=True)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)


def test_sample_uses_one_vintage_and_initial_population():
    s = convergence.convergence_sample("current", 2012, 2024)
    p = analysis.panel("current").set_index(["year", "code"])
    pd.testing.assert_series_equal(s["y0"], p.loc[2012, "gdp_pc"], check_names=False)
    pd.testing.assert_series_equal(s["w0"], p.loc[2012, "pop_mean"], check_names=False)
    s = convergence.convergence_sample("yearbook", 2000, 2012, "yearend")
    assert s[["y0", "y1", "w0"]].notna().all().all()


# ---------------------------------------------------------------- 期限换算

def test_speed_and_half_life_by_hand():
    # β = −0.015, T = 20：1 + βT = 0.7
    lam = convergence.speed(-0.015, 20)
    assert lam == pytest.approx(-math.log(0.7) / 20)
    assert convergence.half_life(lam) == pytest.approx(math.log(2) / lam)
    assert math.isnan(convergence.speed(-0.06, 20))  # 1 + βT < 0
    assert convergence.half_life(0.0) == math.inf
    assert convergence.half_life(-0.01) == math.inf
    assert math.isnan(convergence.half_life(math.nan))


def test_speed_agrees_with_measures():
    r = convergence.estimate("current", 2012, 2024)
    assert convergence.speed(r.beta, r.years) == pytest.approx(r.speed)
    assert convergence.half_life(r.speed) == pytest.approx(r.half_life)


def test_intervals_map_beta_interval():
    r = convergence.estimate("yearbook", 2000, 2012, pop_basis="yearend")
    lo, hi = convergence.speed_interval(r)
    assert lo == pytest.approx(-math.log(1 + r.ci_high * 12) / 12)
    assert hi == pytest.approx(-math.log(1 + r.ci_low * 12) / 12)
    assert lo < r.speed < hi
    h_lo, h_hi = convergence.half_life_interval(r)
    assert h_lo == pytest.approx(math.log(2) / hi)
    assert h_hi == pytest.approx(math.log(2) / lo)
    assert h_lo < r.half_life < h_hi


def test_half_life_interval_open_when_ci_contains_zero():
    r = convergence.estimate("current", 2012, 2024)
    assert r.ci_low < 0 < r.ci_high  # 这一时期 β 的区间包含零（正文据此讨论）
    lo, hi = convergence.speed_interval(r)
    assert lo < 0 < hi
    assert convergence.half_life_interval(r)[1] == math.inf


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
    assert s["year"] == latest_year()
    assert s["east_central"] == pytest.approx(pc["east"] / pc["central"])
    assert s["east_west"] == pytest.approx(pc["east"] / pc["west"])


def test_real_growth_sample_by_hand_for_one_province():
    from quyu import data

    rg = convergence.real_growth_sample(2015, 2024)
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


def test_bad_periods_give_chinesemessages():
    with pytest.raises(OutlookError, match="时期太短"):
        convergence.estimate("current", 2020, 2024)
    with pytest.raises(OutlookError, match="应晚于"):
        convergence.estimate("current", 2024, 2012)
    with pytest.raises(OutlookError, match="没有 2024 年"):
        convergence.estimate("yearbook", 2012, 2024)
    with pytest.raises(OutlookError, match="1999"):
        convergence.estimate("yearbook", 2000, 2012, pop_basis="mean")
    with pytest.raises(OutlookError, match="未知的数据版本"):
        convergence.estimate("nope", 2000, 2012)
    with pytest.raises(OutlookError, match="2016—2024"):
        convergence.real_growth_sample(2010, 2024)
    with pytest.raises(OutlookError, match="时期长度"):
        convergence.speed(-0.01, 0)
    with pytest.raises(OutlookError, match="比值"):
        outlook.implied_gap(0, 0.01)
