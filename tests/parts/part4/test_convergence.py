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


# ---------------------------------------------------------------- σ 收敛的检验：线性趋势与 Newey–West 区间

def _newey_west_by_hand(y, lags):
    """独立计算：OLS 斜率、Bartlett 核的 HAC 方差（含 n/(n−k) 修正）、t(n−2) 区间。"""
    from scipy import stats

    y = np.asarray(y, dtype=float)
    n = len(y)
    X = np.column_stack([np.ones(n), np.arange(n, dtype=float)])
    bread = np.linalg.inv(X.T @ X)
    b = bread @ X.T @ y
    u = y - X @ b
    xu = X * u[:, None]
    S = xu.T @ xu
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)
        G = xu[lag:].T @ xu[:-lag]
        S += w * (G + G.T)
    cov = bread @ S @ bread * n / (n - 2)
    se = math.sqrt(cov[1, 1])
    q = stats.t.ppf(0.975, n - 2)
    return b[1], se, b[1] - q * se, b[1] + q * se


def _series(values, first=2000):
    return pd.Series(values, index=range(first, first + len(values)), dtype=float)


def test_trend_matches_newey_west_by_hand():
    from quyu import measures

    rng = np.random.default_rng(7)
    y = _series(0.5 - 0.01 * np.arange(15) + np.cumsum(rng.normal(0, 0.004, 15)))
    t = measures.trend(y)
    assert t.maxlags == measures.newey_west_lags(15) == 2
    slope, se, lo, hi = _newey_west_by_hand(y.values, t.maxlags)
    assert (t.slope, t.se, t.ci_low, t.ci_high) == pytest.approx((slope, se, lo, hi), rel=1e-9)
    # 章节用到的序列：现行版本新时代以来的 σ
    from quyu import data

    era, last = data.stage_start("new_era"), data.latest_year("current")
    sig = convergence.sigma_path("current", era, last)
    t = convergence.sigma_trend(sig, era, last)
    assert (t.first, t.last, t.n) == (era, last, last - era + 1)
    assert (t.slope, t.se, t.ci_low, t.ci_high) == pytest.approx(_newey_west_by_hand(sig.values, t.maxlags),
                                                                 rel=1e-9)


def test_trend_verdict_flips_with_the_interval():
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 0.002, 13)
    falling = measures_trend(_series(0.5 - 0.01 * np.arange(13) + noise))
    rising = measures_trend(_series(0.5 + 0.01 * np.arange(13) + noise))
    flat = measures_trend(_series(0.5 + rng.normal(0, 0.02, 13)))
    assert falling.direction == -1 and "下降在 5% 水平上可以分辨" in convergence.trend_text_zh(falling)
    assert rising.direction == 1 and "上升在 5% 水平上可以分辨" in convergence.trend_text_zh(rising)
    assert flat.ci_low < 0 < flat.ci_high and flat.direction == 0
    assert "没有趋势”相容" in convergence.trend_text_zh(flat)
    # 判断由区间决定：点估计为负而区间跨零时，仍不说“下降”
    assert flat.slope != 0 and "可以分辨" not in convergence.trend_text_zh(flat)


def measures_trend(series):
    from quyu import measures

    return measures.trend(series)


def test_trend_rejects_too_few_years():
    from quyu import measures

    with pytest.raises(measures.MeasureError, match="至少需要 4 个年份"):
        measures.trend(_series([0.5, 0.49, 0.48]))
    with pytest.raises(measures.MeasureError, match="滞后阶数"):
        measures.trend(_series([0.5, 0.49, 0.48, 0.47, 0.46]), maxlags=5)


def _tr(slope, lo, hi):
    from quyu import measures

    return measures.TrendResult(slope, 0.0, lo, hi, 13, 2, 2012, 2024)


def test_sigma_beta_story_is_chosen_by_the_intervals():
    from types import SimpleNamespace as NS

    beta_a = NS(ci_low=-0.03, ci_high=-0.01, speed=0.028)
    slow_open = NS(ci_low=-0.02, ci_high=0.001, speed=0.01)
    ta = _tr(-0.010, -0.014, -0.006)
    text = convergence.sigma_beta_story_zh(beta_a, slow_open, ta, _tr(-0.0012, -0.002, -0.0004))
    assert text.startswith("新时代以前，β 的区间整体在零以下，σ 的下降趋势可以分辨，两者一致")
    assert "σ 的结论比 β 更强" in text and "支持“缓慢收敛”，而不支持“停滞”" in text
    text = convergence.sigma_beta_story_zh(beta_a, slow_open, ta, _tr(-0.0012, -0.003, 0.0005))
    assert "σ 没有可分辨的趋势" in text and "两者一致" in text and "都不能在 5% 水平上排除停滞" in text
    text = convergence.sigma_beta_story_zh(beta_a, NS(ci_low=-0.05, ci_high=-0.03, speed=0.05), ta,
                                           _tr(-0.02, -0.03, -0.01))
    assert "明显放慢" not in text and "并不相同" in text
    assert "方向相反" in convergence.sigma_beta_story_zh(beta_a, slow_open, _tr(0.01, 0.005, 0.015), ta)


def test_nominal_real_reading_is_chosen_by_the_intervals():
    from types import SimpleNamespace as NS

    nom, real = NS(beta=-0.0045, ci_low=-0.0123, ci_high=0.0033), NS(beta=-0.0049, ci_low=-0.0095, ci_high=-0.0004)
    text = convergence.nominal_real_reading_zh(nom, real)
    assert "没有明显改变" in text and "扣除价格后，收敛在 5% 水平上可以分辨" in text and text.endswith("实际回归的区间更窄")
    far = NS(beta=-0.03, ci_low=-0.035, ci_high=-0.025)
    text = convergence.nominal_real_reading_zh(nom, far)
    assert "互不重叠" in text and "明显改变" in text
    both_open = NS(beta=-0.001, ci_low=-0.02, ci_high=0.018)
    assert "都跨过了零" in convergence.nominal_real_reading_zh(nom, both_open)
    assert convergence.nominal_real_summary_zh(nom, far).startswith("省际价格差异改变了")


def test_start_year_sensitivity_softens_the_verdict():
    """新时代 σ 的下降若对起始年份不稳健，合读不说“支持缓慢收敛、不支持停滞”，而说相容、不足以排除。"""
    import pandas as pd
    from types import SimpleNamespace as NS

    from quyu.parts.part4 import convergence as conv

    years = list(range(2000, 2013))
    falling = pd.Series([0.5 - 0.01 * i for i in range(len(years))], index=years)
    sens = conv.start_year_sensitivity(falling + 0.0, 2000, 2012)
    assert min(sens) == 2000 and max(sens) == 2012 - conv.MIN_TREND_YEARS + 1
    beta_a = NS(ci_low=-0.03, ci_high=-0.01, speed=0.03)
    beta_b = NS(ci_low=-0.02, ci_high=0.001, speed=0.01)
    ta = NS(direction=-1, slope=-0.01)
    tb = NS(direction=-1, slope=-0.001)
    strong = conv.sigma_beta_story_zh(beta_a, beta_b, ta, tb, robust_b=True)
    weak = conv.sigma_beta_story_zh(beta_a, beta_b, ta, tb, robust_b=False)
    assert "而不支持“停滞”" in strong and "不足以排除" in weak and "而不支持“停滞”" not in weak


# ---------------------------------------------------------------- 空间 β 收敛

def test_spatial_beta_uses_the_chapter_sample_and_weights():
    from quyu import data, measures

    era, last = data.stage_start("new_era"), data.latest_year("current")
    r = convergence.spatial_beta(True)
    base = convergence.estimate("current", era, last)
    # 普通最小二乘部分与本章估计表中新时代不加权的一行是同一个回归（标准误口径不同，系数相同）
    assert r.n == base.n == 31
    assert r.ols.coef["ln_y0"] == pytest.approx(base.beta, rel=1e-10)
    assert r.ols.coef["const"] == pytest.approx(base.alpha, rel=1e-10)
    # 残差莫兰指数与分布动态一章同一套权重、同一个函数（esda）
    direct = measures.moran(r.resid, data.neighbours(True), permutations=convergence.PERMUTATIONS,
                            seed=convergence.SEED)
    assert r.moran_resid.I == pytest.approx(direct.I) and r.moran_resid.p_sim == direct.p_sim
    assert r.moran_resid.I == pytest.approx(r.moran_resid_norm[0])
    # 不含海南连接：没有邻省的省份（只有海南）退出估计
    islands = convergence.island_codes()
    names = analysis.panel("current").drop_duplicates("code").set_index("code")["name"]
    assert [names[c] for c in islands] == ["海南"]
    nh = convergence.spatial_beta(False)
    assert nh.n == 30 and not set(islands) & set(nh.ids)
    # 速度按本章的公式由各模型的 β 换算
    T = last - era
    sp = convergence.spatial_speeds(r, T)
    assert sp["lag_total"] == pytest.approx(-math.log(1 + r.effects.total["ln_y0"] * T) / T)
    assert sp["ols"] == pytest.approx(base.speed)


def test_lag_effects_on_the_book_data_match_the_inverse_matrix():
    from quyu import data, measures

    r = convergence.spatial_beta(True)
    W = measures.spatial_weights(data.neighbours(True), r.ids).full()[0]
    S = np.linalg.inv(np.eye(r.n) - r.lag.spatial * W) * r.lag.coef["ln_y0"]
    assert r.effects.direct["ln_y0"] == pytest.approx(np.trace(S) / r.n, rel=1e-10)
    assert r.effects.total["ln_y0"] == pytest.approx(S.sum() / r.n, rel=1e-10)


def test_spatial_table_is_chinese_and_complete():
    from quyu import data

    r = convergence.spatial_beta(True)
    t = convergence.spatial_table(r, data.latest_year("current") - data.stage_start("new_era"))
    assert list(t["模型"]) == ["普通最小二乘", "空间滞后模型", "空间误差模型"]
    text = t.to_string()
    assert "ln_y0" not in text and "const" not in text
    assert fmt.num(r.lag.spatial, 3) in t.loc[1, "空间参数（标准误）"]
    assert t.loc[0, "空间参数（标准误）"] == "—"


def _lm(lag, err, rlag, rerr):
    from quyu.measures import LMTest
    return {"lag": LMTest(1.0, lag), "error": LMTest(1.0, err), "robust_lag": LMTest(1.0, rlag),
            "robust_error": LMTest(1.0, rerr)}


def test_lm_reading_follows_the_decision_rule():
    assert "不要求空间模型" in convergence.lm_reading_zh(_lm(0.3, 0.2, 0.5, 0.5))
    assert "分不清" in convergence.lm_reading_zh(_lm(0.04, 0.07, 0.3, 0.6))
    assert "应选空间误差模型" in convergence.lm_reading_zh(_lm(0.2, 0.01, 0.5, 0.02))
    assert "稳健形式中只有空间滞后显著" in convergence.lm_reading_zh(_lm(0.01, 0.01, 0.01, 0.4))
    assert "同时存在" in convergence.lm_reading_zh(_lm(0.01, 0.01, 0.01, 0.01))
    assert "分不清" in convergence.lm_reading_zh(_lm(0.01, 0.01, 0.2, 0.4))


def test_spatial_parameter_reading_is_chosen_by_both_tests():
    from types import SimpleNamespace as NS
    assert "临界" in convergence.spatial_param_reading_zh(NS(spatial_p=0.03, lr_p=0.06))
    assert "似然比检验在 5% 水平上显著" in convergence.spatial_param_reading_zh(NS(spatial_p=0.06, lr_p=0.03))
    assert "都在 5% 水平上显著" in convergence.spatial_param_reading_zh(NS(spatial_p=0.01, lr_p=0.02))
    assert "都不显著" in convergence.spatial_param_reading_zh(NS(spatial_p=0.3, lr_p=0.4))


def test_spatial_verdicts_on_the_book_data_agree_with_the_p_values():
    from quyu import data

    r = convergence.spatial_beta(True)
    # 书中的判断句由 p 值选出：逐条与结果核对
    moran_txt = convergence.resid_moran_reading_zh(r.moran_resid, r.n)
    assert ("显著为正" in moran_txt) == (r.moran_resid.p_sim < 0.05 and r.moran_resid.I > r.moran_resid.EI)
    lag_txt = convergence.spatial_param_reading_zh(r.lag)
    assert ("临界" in lag_txt) == ((r.lag.spatial_p < 0.05) != (r.lag.lr_p < 0.05))
    beta_txt = convergence.spatial_beta_reading_zh(r)
    sig = [getattr(r, k).p["ln_y0"] < 0.05 for k in ("ols", "lag", "error")]
    assert ("都不能" in beta_txt) == (not any(sig))
    summary = convergence.spatial_summary_zh(r, convergence.spatial_speeds(
        r, data.latest_year("current") - data.stage_start("new_era")))
    assert ("缓慢而不确定" in summary) == (not any(b and getattr(r, k).coef["ln_y0"] < 0 for b, k in
                                                  zip(sig, ("ols", "lag", "error"))))
    assert ("不需要修改" in summary) == (r.moran_resid.p_sim >= 0.05)
    same = convergence.hainan_robust_zh(r, r)
    assert "完全相同" in same
    eff = convergence.effects_reading_zh(r)
    e = r.effects
    total_has0 = e.lo.loc["ln_y0", "total"] <= 0 <= e.hi.loc["ln_y0", "total"]
    assert ("总效应的 95% 区间包含 0" in eff) == total_has0
    # 模拟的 p 值与区间一致：区间含 0 当且仅当 p 不小于约 0.05（模拟误差之内）
    assert (e.p.loc["ln_y0", "total"] > 0.04) or not total_has0
    # 残差莫兰指数的期望是 tr(MW)/(n − k)，在本书数据上明显不同于 −1/(n − 1)
    assert r.moran_resid_ei < r.moran_resid.EI - 0.01
    assert convergence.lag_beta_size_zh(r) == ("较小" if abs(r.lag.coef["ln_y0"]) < abs(r.ols.coef["ln_y0"]) else "并不更小")


def test_effects_reading_is_chosen_by_the_intervals():
    from types import SimpleNamespace as NS
    import pandas as pd

    def res(lo, hi):
        cols = ["direct", "indirect", "total"]
        return NS(n=31, effects=NS(lo=pd.DataFrame([lo], index=["ln_y0"], columns=cols),
                                   hi=pd.DataFrame([hi], index=["ln_y0"], columns=cols)))
    assert "分辨不出总效应" in convergence.effects_reading_zh(res([-0.02, -0.02, -0.03], [0.01, 0.01, 0.01]))
    assert "直接效应的区间不包含 0" in convergence.effects_reading_zh(res([-0.02, -0.02, -0.03], [-0.001, 0.01, 0.01]))
    assert "经由邻省传导的那一部分分辨不出来" in convergence.effects_reading_zh(res([-0.02, -0.02, -0.03], [-0.01, 0.01, -0.01]))
    assert "都不包含 0" in convergence.effects_reading_zh(res([-0.02, -0.02, -0.03], [-0.01, -0.001, -0.01]))


def test_lm_reading_flags_a_borderline_p_value():
    from quyu.measures import LMTest
    lm = {"lag": LMTest(3.95, 0.047), "error": LMTest(3.3, 0.069), "robust_lag": LMTest(0.9, 0.34),
          "robust_error": LMTest(0.26, 0.61)}
    assert "临界" in convergence.lm_reading_zh(lm)
    lm["lag"] = LMTest(9.0, 0.003)
    assert "临界" not in convergence.lm_reading_zh(lm)
