"""quyu.measures.convergence 的测试：β 收敛与 statsmodels、lstsq 对照，收敛速度与半衰期，序列的峰值。"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from quyu import measures as m
from quyu.measures import MeasureError

CHINESE = r"[\u4e00-\u9fff]"


# ---------------------------------------------------------------------------
# β 收敛
# ---------------------------------------------------------------------------


def convergence_data(seed=0, n=31, years=20):
    rng = np.random.default_rng(seed)
    y0 = rng.lognormal(8, 0.6, size=n)
    growth = 0.25 - 0.02 * np.log(y0) + rng.normal(0, 0.005, size=n)
    y1 = y0 * np.exp(growth * years)
    pop = rng.uniform(300, 10000, size=n)
    return y0, y1, pop, years


def test_beta_speed_and_half_life_on_exact_data():
    # 无噪声：g = 0.3 − 0.02 ln y0，T = 10 ⇒ β = −0.02，λ = −ln(0.8)/10，半衰期 = ln2/λ
    y0 = np.array([1_000.0, 2_000.0, 5_000.0, 20_000.0])
    years = 10
    y1 = y0 * np.exp((0.3 - 0.02 * np.log(y0)) * years)
    result = m.beta_convergence(y0, y1, years)
    speed = -math.log(1 - 0.02 * years) / years
    assert result.beta == pytest.approx(-0.02)
    assert result.alpha == pytest.approx(0.3)
    assert result.speed == pytest.approx(speed)
    assert result.half_life == pytest.approx(math.log(2) / speed)
    assert result.converging
    assert result.r2 == pytest.approx(1.0)


def test_beta_divergence():
    y0 = np.array([1.0, 2.0, 4.0, 8.0])
    y1 = y0**1.5  # 越富增长越快
    result = m.beta_convergence(y0, y1, years=5)
    assert result.beta > 0 and not result.converging
    assert result.speed < 0 and math.isinf(result.half_life)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("robust", [False, True])
def test_beta_matches_statsmodels(weighted, robust):
    y0, y1, pop, years = convergence_data()
    growth = np.log(y1 / y0) / years
    X = sm.add_constant(np.log(y0))
    if weighted:
        model = sm.WLS(growth, X, weights=pop)
    else:
        model = sm.OLS(growth, X)
    fit = model.fit(cov_type="HC1", use_t=True) if robust else model.fit()
    result = m.beta_convergence(y0, y1, years, weights=pop if weighted else None, robust=robust)
    assert result.alpha == pytest.approx(fit.params[0], rel=1e-9)
    assert result.beta == pytest.approx(fit.params[1], rel=1e-9)
    assert result.se_beta == pytest.approx(fit.bse[1], rel=1e-9)
    assert result.r2 == pytest.approx(fit.rsquared, rel=1e-9)
    assert result.n == y0.size and result.robust is robust
    # 全书的约定：t 分布（自由度 n − k）；statsmodels 的 HC1 需要 use_t=True 才用 t 分布
    low, high = fit.conf_int()[1]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-9)
    assert result.p_value == pytest.approx(fit.pvalues[1], rel=1e-6)
    assert abs(result.ci_low - low) < 1e-9 and abs(result.se_beta - fit.bse[1]) < 1e-9


def test_default_is_the_book_convention_hc1_with_t():
    y0, y1, _, years = convergence_data(seed=3)
    fit = sm.OLS(np.log(y1 / y0) / years, sm.add_constant(np.log(y0))).fit(cov_type="HC1", use_t=True)
    r = m.beta_convergence(y0, y1, years)
    assert r.robust and abs(r.se_beta - fit.bse[1]) < 1e-9
    assert abs(r.ci_high - fit.conf_int()[1][1]) < 1e-9


def test_beta_matches_lstsq():
    y0, y1, _, years = convergence_data(seed=5)
    X = np.column_stack([np.ones(y0.size), np.log(y0)])
    coef, *_ = np.linalg.lstsq(X, np.log(y1 / y0) / years, rcond=None)
    result = m.beta_convergence(y0, y1, years)
    assert (result.alpha, result.beta) == pytest.approx(tuple(coef), rel=1e-10)
    # delta 方法：se_λ = se_β / |1 + βT|
    assert result.speed_se == pytest.approx(result.se_beta / abs(1 + result.beta * years))


def test_convergence_speed_and_half_life():
    import math

    lam = m.convergence_speed(-0.02, 10)
    assert lam == pytest.approx(-math.log(0.8) / 10)
    assert m.half_life(lam) == pytest.approx(math.log(2) / lam)
    assert math.isnan(m.convergence_speed(-0.2, 10))      # 1 + βT ≤ 0
    assert m.half_life(0.0) == math.inf and math.isnan(m.half_life(float("nan")))
    with pytest.raises(MeasureError, match="时期长度"):
        m.convergence_speed(-0.02, 0)



@pytest.mark.parametrize(
    "call, where",
    [
        (lambda: m.beta_convergence([1.0, 2.0], [2.0, 3.0], 5), "至少需要 3"),
        (lambda: m.beta_convergence([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], 0.5), "至少为 1 年"),
    ],
)
def test_errors(call, where):
    with pytest.raises(MeasureError, match=CHINESE) as info:
        call()
    assert where in str(info.value)
    assert " / " in str(info.value)  # 中英文对照


# ---------------------------------------------------------------------------
# 序列的峰值
# ---------------------------------------------------------------------------


def test_peak_interior_and_endpoints():
    s = pd.Series([1.0, 3.0, 2.0, 3.0, 0.5], index=[2000, 2001, 2002, 2003, 2004])
    pk = m.peak(s)
    assert (pk.year, pk.value, pk.interior) == (2001, 3.0, True)  # 并列取最早的一次
    first = m.peak(pd.Series([5.0, 4.0, 3.0], index=[2010, 2011, 2012]))
    assert (first.year, first.interior) == (2010, False)
    windowed = m.peak(s, start=2002)
    assert (windowed.year, windowed.first, windowed.last) == (2003, 2002, 2004)
    with pytest.raises(m.MeasureError, match="没有数据"):
        m.peak(s, start=2010)


def test_peak_ignores_missing():
    s = pd.Series([1.0, np.nan, 2.0, 1.0], index=[1, 2, 3, 4])
    assert m.peak(s).year == 3
