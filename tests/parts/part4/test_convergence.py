"""第四部分“收敛与区域格局的变化”一章（quyu.parts.part4.convergence）：收敛估计与 statsmodels 对照、期限换算、
错误输入，以及收敛估计器组件（用好的和坏的选择驱动组件的视图）。

组件的构造函数 ``estimator_widget`` 在本章的模块中，章节只调用它，并用 ``literalinclude`` 展示其源码。
测试直接调用构造函数，再调用 ``views()`` 与 ``payload()``，并把数字与库函数的结果对照。
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

from conftest import combos, messages  # noqa: E402
from quyu import analysis, fmt  # noqa: E402
from quyu.parts.part4 import convergence  # noqa: E402
from quyu.parts.part4.convergence import OutlookError  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ch1():
    return {"ESTIMATOR": convergence.estimator_widget()}


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


def test_galton_exercise_example_has_negative_beta_and_rising_sigma():
    """习题 ex-p4-4 的示例：β < 0，而对数标准差上升（高尔顿谬误）。"""
    import numpy as np

    from quyu import measures

    y0 = np.array([1, 2, 3, 4, 5.0])
    y1 = np.array([40, 2.5, 3.2, 4.1, 5.1])
    r = measures.beta_convergence(y0, y1, 10)
    assert r.beta < 0
    assert measures.sigma(y1) > measures.sigma(y0)


# ---------------------------------------------------------------- 计算

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
    fit = sm.OLS(g, X).fit(cov_type="HC1", use_t=True)   # 全书的约定：HC1，t 分布
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
    fit = sm.WLS(g, X, weights=s["w0"]).fit(cov_type="HC1", use_t=True)
    r = convergence.estimate(vintage, start, end, weighted=True, pop_basis=basis)
    assert r.beta == pytest.approx(fit.params.iloc[1], rel=1e-9)
    assert r.alpha == pytest.approx(fit.params.iloc[0], rel=1e-9)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)


def test_estimate_robust_matches_statsmodels_hc1():
    s, g, X = _design("current", 2012, 2024, "mean")
    fit = sm.OLS(g, X).fit(cov_type="HC1")
    r = convergence.estimate("current", 2012, 2024, robust=True)
    assert r.se_beta == pytest.approx(fit.bse.iloc[1], rel=1e-9)
    classical = sm.OLS(g, X).fit()                      # robust=False 仍给出经典标准误（对照用）
    assert convergence.estimate("current", 2012, 2024, robust=False).se_beta == pytest.approx(classical.bse.iloc[1],
                                                                                             rel=1e-9)


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


def test_real_growth_sample_by_hand_for_one_province():
    from quyu import data

    rg = convergence.real_growth_sample(2015, 2024)
    idx = data.indicator("gdp_index_prev_year_100")
    bj = idx[(idx["code"] == "11") & idx["year"].between(2016, 2024)]["value"]
    p = analysis.panel("current").set_index(["year", "code"])
    expected = (np.log(bj / 100).sum() - math.log(p.loc[(2024, "11"), "pop_mean"] / p.loc[(2015, "11"), "pop_mean"])) / 9
    assert rg.loc["11", "g_real"] == pytest.approx(expected)
    assert (rg["g_nominal"] - rg["g_real"] - rg["deflator"]).abs().max() < 1e-12


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


def test_beta_reading_follows_the_interval_not_the_point_estimate():
    from types import SimpleNamespace as NS

    assert "排除“不收敛”" in convergence.beta_ci_reading_zh(NS(ci_low=-0.03, ci_high=-0.01))
    assert "不能" in convergence.beta_ci_reading_zh(NS(ci_low=-0.02, ci_high=0.001))
    assert "穷省增长更慢" in convergence.beta_ci_reading_zh(NS(ci_low=0.001, ci_high=0.02))
    r = convergence.estimate("current", 2012, 2024)
    assert ("不能" in convergence.beta_ci_reading_zh(r)) == (r.ci_low <= 0 <= r.ci_high)
