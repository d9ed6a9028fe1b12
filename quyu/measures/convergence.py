"""差距随时间的走向：β 收敛回归、收敛速度与半衰期，一条序列的线性趋势（σ 收敛的检验），以及一条序列的峰值（差距在哪一年转向）。"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._checks import _align, _as_values, _fail, _floats, _population_shares, _require

__all__ = ["BetaResult", "beta_convergence", "convergence_speed", "half_life", "TrendResult", "trend",
           "newey_west_lags", "PeakResult", "peak"]


# ---------------------------------------------------------------------------
# β 收敛
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BetaResult:
    """β 收敛回归 g_i = α + β ln y0_i + ε_i 的结果。

    ``speed`` 为收敛速度 λ（每年），``half_life`` 为差距缩小一半所需年数；
    ``converging`` 为 β 的点估计是否小于 0（不代表统计显著）。
    β ≥ 0 时 ``half_life`` 为 inf；1 + βT ≤ 0 时 λ 无定义（NaN）。
    """

    alpha: float
    beta: float
    se_beta: float
    ci_low: float
    ci_high: float
    p_value: float
    r2: float
    n: int
    years: float
    speed: float
    speed_se: float
    half_life: float
    converging: bool
    robust: bool


def _least_squares(X: np.ndarray, y: np.ndarray, w: np.ndarray, robust: bool):
    """加权最小二乘：返回系数、协方差矩阵（经典或 HC1）与 R²。

    WLS 等价于把每行乘以 √w 后做 OLS；w 全相等时即 OLS。
    """
    root_w = np.sqrt(w)
    Xw, yw = X * root_w[:, None], y * root_w
    coef, *_ = np.linalg.lstsq(Xw, yw, rcond=None)
    resid = yw - Xw @ coef
    n, k = X.shape
    bread = np.linalg.inv(Xw.T @ Xw)
    if robust:  # HC1：White 夹心估计 (X'X)⁻¹ X' diag(e²) X (X'X)⁻¹ × n/(n−k)
        meat = (Xw * resid[:, None] ** 2).T @ Xw
        cov = bread @ meat @ bread * n / (n - k)
    else:  # 经典：σ² (X'X)⁻¹，σ² = e'e/(n−k)
        cov = bread * (resid @ resid) / (n - k)
    centred = y - np.sum(w * y) / np.sum(w)
    r2 = float(1 - (resid @ resid) / np.sum(w * centred**2))
    return coef, cov, r2


def convergence_speed(beta: float, years: float) -> float:
    r"""收敛速度 :math:`\lambda = -\ln(1 + \beta T)/T`（Barro & Sala-i-Martin 1992）。

    ``years`` 为时期长度 T；:math:`1 + \beta T \le 0` 时 λ 没有定义，返回 NaN。
    """
    if not (np.isfinite(years) and years > 0):
        _fail(f"时期长度应为正数（现为 {years}）", f"the period length must be positive (got {years})")
    decay = 1 + beta * years
    return -math.log(decay) / years if decay > 0 else math.nan


def half_life(speed: float) -> float:
    r"""半衰期 :math:`\ln 2/\lambda`（年）：差距缩小一半所需的时间。

    λ ≤ 0（不收敛）时为 inf，λ 缺失时为 NaN。
    """
    if speed is None or not np.isfinite(speed):
        return math.nan
    return math.log(2) / speed if speed > 0 else math.inf


def beta_convergence(y0, y1, years: float, weights=None, robust: bool = True) -> BetaResult:
    r"""绝对 β 收敛（Barro & Sala-i-Martin 1992）。

    对年均对数增长率做回归：

    .. math:: g_i = \frac{1}{T}\ln\frac{y_{1i}}{y_{0i}} = \alpha + \beta \ln y_{0i} + \varepsilon_i

    β < 0 表示初期越穷增长越快。隐含收敛速度与半衰期：

    .. math:: \lambda = -\frac{\ln(1 + \beta T)}{T}, \qquad t_{1/2} = \frac{\ln 2}{\lambda}

    给出 ``weights``（人口）时用加权最小二乘（WLS）。全书的回归约定（附录“方法”）：标准误用异方差稳健的
    HC1（``robust=False`` 时为经典 OLS 公式，只供对照），置信区间与 p 值用 t 分布（自由度 n − k，此处 k = 2）。
    结果与 statsmodels 的 ``WLS(...).fit(cov_type="HC1", use_t=True)`` 相同（测试核对到 1e-9），
    这里直接用 numpy 计算，是因为组件要在构建时为每一种选择各算一次。
    λ 的标准误由 delta 方法得到：:math:`se_\lambda = se_\beta / |1 + \beta T|`。
    """
    start, labels = _as_values(y0, "期初值", "initial values")
    end = _floats(_align(y0, y1, "期末值", "final values"))
    _require(start, labels, "positive", ("期初值非正或缺失", "non-positive or missing initial values"))
    _require(end, labels, "positive", ("期末值非正或缺失", "non-positive or missing final values"))
    n = start.size
    if n < 3:
        _fail(f"β 收敛回归至少需要 3 个地区（现有 {n} 个）", f"needs at least 3 units (got {n})")
    if not (np.isfinite(years) and years >= 1):
        _fail(f"时间跨度应至少为 1 年（现为 {years}）", f"time span must be ≥ 1 year (got {years})")
    if weights is not None:
        weights = _floats(_align(y0, weights, "人口（权重）", "population (weights)"))
    w = _population_shares(weights, n, labels)

    growth = np.log(end / start) / years
    X = np.column_stack([np.ones(n), np.log(start)])
    coef, cov, r2 = _least_squares(X, growth, w, robust)
    alpha, beta = float(coef[0]), float(coef[1])
    se_beta = float(np.sqrt(cov[1, 1]))
    df = n - 2
    # t 分布的分位数与尾概率直接取自 scipy.special（scipy.stats.t 的 ppf、sf 调用的就是这两个函数；
    # 导入 scipy.stats 要一两秒，而 scipy.special 不到 0.2 秒）
    from scipy.special import stdtr, stdtrit

    t_crit = float(stdtrit(df, 0.975))
    p_value = float(2 * stdtr(df, -abs(beta / se_beta))) if se_beta > 0 else math.nan

    decay = 1 + beta * years
    speed = convergence_speed(beta, years)
    speed_se = se_beta / abs(decay) if decay != 0 else math.nan
    return BetaResult(
        alpha=alpha,
        beta=beta,
        se_beta=se_beta,
        ci_low=beta - t_crit * se_beta,
        ci_high=beta + t_crit * se_beta,
        p_value=p_value,
        r2=r2,
        n=n,
        years=float(years),
        speed=speed,
        speed_se=speed_se,
        half_life=half_life(speed) if beta < 0 else math.inf,
        converging=beta < 0,
        robust=robust,
    )


# ---------------------------------------------------------------------------
# 一条序列的线性趋势（σ 收敛的检验）
# ---------------------------------------------------------------------------


class TrendResult(NamedTuple):
    """序列对年份的线性趋势 x_t = a + b·t + u_t：斜率 b（每年）、HAC 标准误与 95% 区间。

    ``maxlags`` 为 Newey–West（Bartlett 核）所用的滞后阶数；``first``、``last`` 为实际用到的首末年份。
    """

    slope: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    maxlags: int
    first: int
    last: int

    @property
    def direction(self) -> int:
        """区间整体在零以下为 −1，整体在零以上为 +1，跨过零为 0（由区间决定，不由点估计决定）。"""
        return -1 if self.ci_high < 0 else 1 if self.ci_low > 0 else 0


def newey_west_lags(n: int) -> int:
    r"""Newey–West 滞后阶数的常用经验法则 :math:`\lfloor 4 (n/100)^{2/9} \rfloor`（至少 1 阶）。"""
    return max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))


def trend(series, start=None, end=None, maxlags: int | None = None) -> TrendResult:
    r"""``series``（以年份为索引）在 [start, end] 内对年份的线性趋势（缺失值不参与）。

    用 statsmodels 的 OLS，标准误为 Newey–West 的 HAC 估计（Bartlett 核，``maxlags`` 默认取
    :func:`newey_west_lags`，含 n/(n−k) 的小样本修正），区间用自由度 n − 2 的 t 分布，与全书回归的约定一致。
    年度离散度序列往往很平滑、年份又少，这个区间只是近似：残差的自相关越强、年份越少，它越可能偏窄。
    """
    s = pd.Series(series, dtype=float).dropna().sort_index()
    lo = s.index.min() if start is None else start
    hi = s.index.max() if end is None else end
    s = s.loc[(s.index >= lo) & (s.index <= hi)]
    n = len(s)
    if n < 4:
        _fail(f"趋势检验至少需要 4 个年份（{lo}—{hi} 年只有 {n} 个）",
              f"a trend test needs at least 4 years ({lo}-{hi} has {n})")
    lags = newey_west_lags(n) if maxlags is None else int(maxlags)
    if not 0 <= lags < n:
        _fail(f"滞后阶数应在 0 到 {n - 1} 之间（现为 {lags}）", f"maxlags must be in 0..{n - 1} (got {lags})")
    from statsmodels.regression.linear_model import OLS

    t = s.index.to_numpy(dtype=float)
    X = np.column_stack([np.ones(n), t - t[0]])
    fit = OLS(s.to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True},
                                   use_t=True)
    ci = fit.conf_int()[1]
    return TrendResult(float(fit.params[1]), float(fit.bse[1]), float(ci[0]), float(ci[1]), n, lags,
                       int(s.index[0]), int(s.index[-1]))


# ---------------------------------------------------------------------------
# 序列的峰值（第一部分理论章）
# ---------------------------------------------------------------------------


class PeakResult(NamedTuple):
    """一条序列在某一时段内的最大值：年份、数值，以及它是否落在时段内部。

    ``interior`` 为假时最大值落在时段的第一年或最后一年，此时只能说“在这一时段内一路下降
    （或上升）”，不能说序列在那一年“见顶”。
    """

    year: int
    value: float
    interior: bool
    first: int
    last: int


def peak(series, start=None, end=None) -> PeakResult:
    """``series``（以年份为索引）在 [start, end] 内的最大值及其位置；缺失值不参与。

    最大值出现多次时取最早的一次。时段内没有数据时报错。
    """
    s = pd.Series(series, dtype=float).dropna().sort_index()
    lo = s.index.min() if start is None else start
    hi = s.index.max() if end is None else end
    s = s.loc[(s.index >= lo) & (s.index <= hi)]
    if s.empty:
        _fail(f"{lo}—{hi} 年之间没有数据", f"no data between {lo} and {hi}")
    year = s.idxmax()
    first, last = int(s.index.min()), int(s.index.max())
    return PeakResult(int(year), float(s.loc[year]), first < int(year) < last, first, last)
