"""区域差距的度量：纯函数，无读写、无绘图。

本模块实现教材中用到的区域差距指标：

- 相对差距：``ratio``、``max_min_ratio``
- 离散程度：``cv``（变异系数，Williamson 1965 人口加权）、``sigma``（对数标准差，σ 收敛）
- 不平等指数：``theil_t``、``theil_l``（Theil 1967；分组分解见 Shorrocks 1980）、``gini``
- β 收敛：``beta_convergence``（Barro & Sala-i-Martin 1992）
- 汇总：``per_capita``、``regional_shares``、``regional_per_capita``、``disparity_by_year``

约定：

- 输入可以是数组、列表或 ``pandas.Series``（索引为地区代码或名称）。两个 Series
  一起输入时按索引对齐；出错时错误信息会指出是哪些地区（数组则指出位置）。
- ``weights`` 一律指人口（或其他"人数"权重），函数内部换算为人口份额
  :math:`p_i = P_i / \\sum_j P_j`；不给权重时每个地区权重相同（:math:`p_i = 1/n`）。
- 输入不合要求时抛出 :class:`MeasureError`，信息中英文对照。
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import BookError

__all__ = [
    "MeasureError",
    "MeasureInfo",
    "MEASURES",
    "TheilResult",
    "BetaResult",
    "ratio",
    "max_min_ratio",
    "cv",
    "theil_t",
    "theil_l",
    "gini",
    "sigma",
    "per_capita",
    "regional_shares",
    "regional_per_capita",
    "beta_convergence",
    "convergence_speed",
    "half_life",
    "disparity_by_year",
    "dissimilarity",
    "PeakResult",
    "peak",
]


class MeasureError(BookError):
    """度量的输入不合要求（中英文说明：``error.zh``、``error.en``）。

    例如：空输入、长度不一致、需要取对数或作分母的数值非正或缺失、
    人口为零或缺失、地区缺少分组标签、未知的指标名。
    """


# ---------------------------------------------------------------------------
# 输入检查（内部工具）
# ---------------------------------------------------------------------------

_MAX_NAMED = 10  # 错误信息中最多列出的地区数
_POSITION = "位置"  # 数组输入没有地区名，报错时只能给出位置（从 0 起）
_ZERO_POP = ("人口为零、为负或缺失", "zero, negative or missing population")


def _name_units(labels) -> str:
    """把出问题的地区（或位置）列成一串，过长时截断。"""
    names = [str(label) for label in labels]
    if len(names) > _MAX_NAMED:
        names = names[:_MAX_NAMED] + [f"…（共 {len(names)} 个 / {len(names)} in total）"]
    return ", ".join(names)


def _fail(zh: str, en: str, units=None) -> None:
    """抛出中英文对照的 MeasureError；``units`` 给出时附上地区名单。"""
    if units is None:
        raise MeasureError(zh, en)
    where = _name_units(units)
    if getattr(units, "name", None) == _POSITION:
        zh, en = f"{zh}（位置，从 0 起）", f"{en} (positions, from 0)"
    raise MeasureError(f"{zh}：{where}", f"{en}: {where}")


def _floats(values) -> np.ndarray:
    """转为浮点数组；pandas 的缺失值（pd.NA）转为 NaN。"""
    if isinstance(values, (pd.Series, pd.api.extensions.ExtensionArray)):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def _as_values(x, what_zh: str = "数据", what_en: str = "data"):
    """把一维输入转为浮点数组，并返回用于报错的标签（Series 的索引或位置）。"""
    raw = _floats(x)
    labels = x.index if isinstance(x, pd.Series) else pd.RangeIndex(raw.size, name=_POSITION)
    if raw.ndim != 1:
        _fail(f"{what_zh}应为一维", f"{what_en} must be one-dimensional")
    if raw.size == 0:
        _fail(f"{what_zh}为空", f"{what_en} is empty")
    return raw, labels


def _align(x, other, what_zh: str, what_en: str):
    """让 ``other`` 与 ``x`` 对齐：两者都是 Series 时按索引，否则按位置（长度须相同）。"""
    if isinstance(x, pd.Series) and isinstance(other, pd.Series):
        missing = x.index.difference(other.index)
        if len(missing) > 0:
            _fail(f"{what_zh}缺少这些地区", f"{what_en} missing for", missing)
        return other.reindex(x.index)
    values = other.array if isinstance(other, pd.Series) else other
    if not isinstance(values, pd.api.extensions.ExtensionArray):  # 保留分类型（category）等
        values = np.asarray(values)
    size = len(values) if values.ndim == 1 else values.size
    if values.ndim != 1 or size != len(x):
        _fail(
            f"{what_zh}的长度（{size}）与数据（{len(x)}）不一致",
            f"length of {what_en} ({size}) does not match data ({len(x)})",
        )
    return values


_RULES = {
    "finite": ("数值缺失", "missing values"),
    "nonnegative": ("数值为负或缺失", "negative or missing values"),
    "positive": (
        "数值非正或缺失（取对数或作分母需要正数）",
        "non-positive or missing values (log/ratio needs positive values)",
    ),
}


def _require(values, labels, rule: str, message: tuple[str, str] | None = None) -> None:
    """检查数值：rule 为 "finite"（不缺失）、"nonnegative"（≥ 0）或 "positive"（> 0）。"""
    bad = ~np.isfinite(values)
    if rule == "nonnegative":
        bad |= values < 0
    elif rule == "positive":
        bad |= values <= 0
    if bad.any():
        zh, en = message or _RULES[rule]
        _fail(zh, en, labels[bad])


def _population_shares(weights, n: int, labels) -> np.ndarray:
    """人口份额 p_i = P_i / ΣP；没有权重时 p_i = 1/n。"""
    if weights is None:
        return np.full(n, 1.0 / n)
    pop = _floats(weights)
    _require(pop, labels, "positive", _ZERO_POP)
    return pop / pop.sum()


def _prepare(y, weights=None, rule: str = "positive"):
    """公共入口：检查 y（及人口权重），返回 (y, p, labels)。"""
    values, labels = _as_values(y)
    _require(values, labels, rule)
    if weights is not None:
        weights = _floats(_align(y, weights, "人口（权重）", "population (weights)"))
    return values, _population_shares(weights, values.size, labels), labels


def _group_codes(groups, x, labels):
    """把分组标签转为整数编码 0..G-1；分类型（category）按类别顺序，否则按出现顺序。"""
    groups = _align(x, groups, "分组标签", "group labels")
    if isinstance(groups, pd.Series):
        groups = groups.array
    is_categorical = isinstance(groups.dtype, pd.CategoricalDtype)
    codes, uniques = pd.factorize(groups, sort=is_categorical)
    if (codes < 0).any():
        _fail("这些地区缺少分组标签", "group label missing for", labels[codes < 0])
    return codes, pd.Index(uniques, name="group")


# ---------------------------------------------------------------------------
# 相对差距
# ---------------------------------------------------------------------------


_NO_NUMERATOR = ("分子缺失", "missing numerator")
_BAD_DENOMINATOR = ("分母非正或缺失", "non-positive or missing denominator")


def ratio(a, b):
    r"""两个量之比 :math:`a / b`，例如东部人均 GDP ÷ 西部人均 GDP。

    标量返回 float；Series 按索引对齐后逐项相除。``b`` 须为正，``a`` 不可缺失。
    """
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        numerator, denominator = float(a), float(b)
        if not math.isfinite(numerator):
            _fail(*_NO_NUMERATOR)
        if not (math.isfinite(denominator) and denominator > 0):
            _fail(*_BAD_DENOMINATOR)
        return numerator / denominator
    numerator, labels = _as_values(a, "分子", "numerator")
    denominator = _floats(_align(a, b, "分母", "denominator"))
    _require(numerator, labels, "finite", _NO_NUMERATOR)
    _require(denominator, labels, "positive", _BAD_DENOMINATOR)
    result = numerator / denominator
    return pd.Series(result, index=labels) if isinstance(a, pd.Series) else result


def max_min_ratio(y) -> float:
    r"""最大最小比 :math:`\max_i y_i / \min_i y_i`（≥ 1，1 表示完全均等）。

    只看两个极端地区，对中间地区的变化不敏感；不加权。
    """
    values, _, _ = _prepare(y)
    return float(values.max() / values.min())


# ---------------------------------------------------------------------------
# 离散程度
# ---------------------------------------------------------------------------


def cv(y, weights=None) -> float:
    r"""变异系数（coefficient of variation）。

    .. math:: CV = \frac{\sqrt{\sum_i p_i (y_i - \bar y)^2}}{\bar y},
              \qquad \bar y = \sum_i p_i y_i

    不加权时 :math:`p_i = 1/n`，即总体标准差（ddof=0，不是样本标准差 ddof=1）
    除以均值；以人口为权重时 :math:`p_i` 为人口份额，:math:`\bar y` 是全国人均值，
    即 Williamson（1965）加权变异系数。
    """
    values, p, _ = _prepare(y, weights)
    mean = np.sum(p * values)
    return float(np.sqrt(np.sum(p * (values - mean) ** 2)) / mean)


def sigma(y) -> float:
    r"""对数标准差 :math:`\sigma = \sqrt{\frac1n \sum_i (\ln y_i - \overline{\ln y})^2}`。

    σ 收敛：σ 随时间下降即地区差距缩小（Barro & Sala-i-Martin 1992）。
    用总体标准差（ddof=0），不加权。
    """
    values, _, _ = _prepare(y)
    return float(np.std(np.log(values), ddof=0))


def gini(y, weights=None) -> float:
    r"""基尼系数 = 平均绝对差 ÷ (2 × 均值)，取值在 [0, 1)。

    .. math:: G = \frac{\sum_i \sum_j p_i p_j \lvert y_i - y_j \rvert}{2 \bar y},
              \qquad \bar y = \sum_i p_i y_i

    不加权时 :math:`p_i = 1/n`（Gini 1912 的经典定义）；以人口为权重时
    :math:`p_i` 为人口份额。y 可以为 0，但不能为负。
    """
    values, p, _ = _prepare(y, weights, rule="nonnegative")
    mean = np.sum(p * values)
    if mean <= 0:
        _fail("数值全为零，基尼系数无定义", "all values are zero; Gini is undefined")
    mean_abs_difference = np.sum(np.outer(p, p) * np.abs(values[:, None] - values[None, :]))
    return float(mean_abs_difference / (2 * mean))


# ---------------------------------------------------------------------------
# 泰尔指数及其分组分解
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TheilResult:
    """泰尔指数及其组间、组内分解（``total = between + within``）。

    未分组时 ``between``、``within`` 为 NaN，``groups`` 为 None。
    ``groups`` 每组一行：地区数 ``units``、人口份额 ``pop_share``、收入份额
    ``income_share``、组均值 ``mean``、组内指数 ``theil`` 及其对总体的贡献
    ``contribution``（T：s_g·T_g；L：p_g·L_g）。
    """

    total: float
    between: float
    within: float
    groups: pd.DataFrame | None = None

    @property
    def between_share(self) -> float:
        """组间差距占总差距的比重（总差距为 0 时为 NaN）。"""
        return self.between / self.total if self.total > 0 else math.nan

    def __float__(self) -> float:
        return float(self.total)


def _theil_index(s: np.ndarray, p: np.ndarray, kind: str) -> float:
    """T = Σ s ln(s/p)；L = Σ p ln(p/s)。s 为收入份额，p 为人口份额。"""
    if kind == "T":
        return float(np.sum(s * np.log(s / p)))
    return float(np.sum(p * np.log(p / s)))


def _theil(values, p, codes, kind: str):
    """计算泰尔指数；给出分组编码时同时计算组间、组内和各组明细。"""
    s = p * values / np.sum(p * values)  # 收入份额
    total = _theil_index(s, p, kind)
    if codes is None:
        return total, math.nan, math.nan, None
    n_groups = codes.max() + 1
    pop_g = np.bincount(codes, weights=p, minlength=n_groups)
    income_g = np.bincount(codes, weights=s, minlength=n_groups)
    between = _theil_index(income_g, pop_g, kind)
    theil_g = np.array(  # 组内指数：用组内的收入份额与人口份额计算
        [
            _theil_index(s[codes == g] / income_g[g], p[codes == g] / pop_g[g], kind)
            for g in range(n_groups)
        ]
    )
    contribution = (income_g if kind == "T" else pop_g) * theil_g
    within = float(np.sum(contribution))
    detail = {
        "units": np.bincount(codes, minlength=n_groups),
        "pop_share": pop_g,
        "income_share": income_g,
        "mean": np.sum(p * values) * income_g / pop_g,
        "theil": theil_g,
        "contribution": contribution,
    }
    return total, between, within, detail


def _theil_result(y, weights, groups, kind: str, with_table: bool = True) -> TheilResult:
    """检查输入、计算泰尔指数，并（可选）把各组明细整理成表。"""
    values, p, labels = _prepare(y, weights)
    codes, names = (None, None) if groups is None else _group_codes(groups, y, labels)
    total, between, within, detail = _theil(values, p, codes, kind)
    table = pd.DataFrame(detail, index=names) if detail is not None and with_table else None
    return TheilResult(total, between, within, table)


def theil_t(y, weights=None, groups=None) -> TheilResult:
    r"""泰尔 T 指数（Theil 1967），可按组分解（Shorrocks 1980）。

    .. math:: T = \sum_i s_i \ln\frac{s_i}{p_i}
              = \underbrace{\sum_g s_g \ln\frac{s_g}{p_g}}_{\text{组间}}
              + \underbrace{\sum_g s_g T_g}_{\text{组内}}

    :math:`s_i = p_i y_i / \sum_j p_j y_j` 为收入份额，:math:`p_i` 为人口份额
    （不加权时 :math:`p_i = 1/n`），:math:`s_g, p_g` 为组的合计份额，
    :math:`T_g` 为组内的 T 指数。T 对高收入地区的差距更敏感。
    """
    return _theil_result(y, weights, groups, "T")


def theil_l(y, weights=None, groups=None) -> TheilResult:
    r"""泰尔 L 指数（平均对数偏差，Theil 1967），可按组分解（Shorrocks 1980）。

    .. math:: L = \sum_i p_i \ln\frac{p_i}{s_i}
              = \underbrace{\sum_g p_g \ln\frac{p_g}{s_g}}_{\text{组间}}
              + \underbrace{\sum_g p_g L_g}_{\text{组内}}

    符号同 :func:`theil_t`。L 以人口份额加权，对低收入地区的差距更敏感。
    """
    return _theil_result(y, weights, groups, "L")


# ---------------------------------------------------------------------------
# 人均值与地区份额
# ---------------------------------------------------------------------------


def per_capita(total, pop, scale: float = 1e4):
    r"""人均值 = 总量 ÷ 人口 × scale。

    默认单位换算：GDP（亿元）÷ 人口（万人）× 10⁴ = 元/人。
    人口为零或缺失时报错并列出地区；总量缺失时结果为 NaN。
    """
    if np.ndim(total) == 0 and np.ndim(pop) == 0:
        if not (math.isfinite(float(pop)) and float(pop) > 0):
            _fail(*_ZERO_POP)
        return float(total) / float(pop) * scale
    amounts, labels = _as_values(total, "总量", "totals")
    people = _floats(_align(total, pop, "人口", "population"))
    _require(people, labels, "positive", _ZERO_POP)
    result = amounts / people * scale
    if isinstance(total, pd.Series):
        return pd.Series(result, index=labels, name="per_capita")
    return result


def regional_shares(values, groups) -> pd.Series:
    r"""各组占所给地区合计的份额：:math:`X_g / \sum_i X_i`（合计为 1）。

    例如东部、中部、西部、东北 GDP 占各省合计的比重。
    注意分母是所给地区之和，不是全国公布的总量。
    """
    amounts, labels = _as_values(values)
    _require(amounts, labels, "nonnegative")
    codes, names = _group_codes(groups, values, labels)
    totals = np.bincount(codes, weights=amounts, minlength=len(names))
    if totals.sum() <= 0:
        _fail("合计为零，份额无定义", "total is zero; shares are undefined")
    return pd.Series(totals / totals.sum(), index=names, name="share")


def regional_per_capita(gdp, pop, groups, scale: float = 1e4) -> pd.Series:
    r"""各组的人均值 :math:`\sum_{i \in g} GDP_i / \sum_{i \in g} P_i \times` scale。

    先合计再相除（不是各地区人均值的简单平均）。
    """
    amounts, labels = _as_values(gdp, "GDP", "GDP")
    _require(amounts, labels, "finite", ("GDP 缺失", "missing GDP"))
    people = _floats(_align(gdp, pop, "人口", "population"))
    _require(people, labels, "positive", _ZERO_POP)
    codes, names = _group_codes(groups, gdp, labels)
    gdp_g = np.bincount(codes, weights=amounts, minlength=len(names))
    pop_g = np.bincount(codes, weights=people, minlength=len(names))
    return pd.Series(gdp_g / pop_g * scale, index=names, name="per_capita")


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


def beta_convergence(y0, y1, years: float, weights=None, robust: bool = False) -> BetaResult:
    r"""绝对 β 收敛（Barro & Sala-i-Martin 1992）。

    对年均对数增长率做回归：

    .. math:: g_i = \frac{1}{T}\ln\frac{y_{1i}}{y_{0i}} = \alpha + \beta \ln y_{0i} + \varepsilon_i

    β < 0 表示初期越穷增长越快。隐含收敛速度与半衰期：

    .. math:: \lambda = -\frac{\ln(1 + \beta T)}{T}, \qquad t_{1/2} = \frac{\ln 2}{\lambda}

    给出 ``weights``（人口）时用加权最小二乘（WLS）。标准误默认为经典 OLS 公式，
    ``robust=True`` 时用异方差稳健的 HC1；95% 置信区间用 t 分布（自由度 n − 2）。
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
# 逐年计算（供正文图表与交互组件使用）
# ---------------------------------------------------------------------------


class MeasureInfo(NamedTuple):
    """指标说明：中文名、英文名、能否人口加权、能否分组分解。"""

    label_zh: str
    label_en: str
    supports_weights: bool
    decomposable: bool


MEASURES: dict[str, MeasureInfo] = {
    "max_min_ratio": MeasureInfo("最大最小比", "max/min ratio", False, False),
    "cv": MeasureInfo("变异系数", "coefficient of variation", True, False),
    "theil_t": MeasureInfo("泰尔指数 T", "Theil T index", True, True),
    "theil_l": MeasureInfo("泰尔指数 L", "Theil L index (mean log deviation)", True, True),
    "gini": MeasureInfo("基尼系数", "Gini coefficient", True, False),
    "sigma": MeasureInfo("对数标准差（σ 收敛）", "std. dev. of log (sigma convergence)", False, False),
}

_COMPUTE = {
    "max_min_ratio": lambda y, w, g: max_min_ratio(y),
    "cv": lambda y, w, g: cv(y, w),
    "theil_t": lambda y, w, g: _theil_result(y, w, g, "T", with_table=False),
    "theil_l": lambda y, w, g: _theil_result(y, w, g, "L", with_table=False),
    "gini": lambda y, w, g: gini(y, w),
    "sigma": lambda y, w, g: sigma(y),
}


def _check_options(frame: pd.DataFrame, measure: str, columns: dict) -> None:
    """检查指标名、所需列，以及该指标是否支持加权、分组。"""
    if measure not in MEASURES:
        valid = ", ".join(MEASURES)
        _fail(f"未知的指标“{measure}”，可选：{valid}", f"unknown measure {measure!r}, valid: {valid}")
    info = MEASURES[measure]
    if columns["weight"] is not None and not info.supports_weights:
        _fail(f"{info.label_zh}不支持人口加权", f"{info.label_en} does not support weights")
    if columns["group"] is not None and not info.decomposable:
        _fail(f"{info.label_zh}不能分组分解", f"{info.label_en} is not decomposable by group")
    absent = [c for c in columns.values() if c is not None and c not in frame.columns]
    if absent:
        _fail("数据表缺少这些列", "frame lacks columns", absent)


def disparity_by_year(
    frame: pd.DataFrame,
    measure: str,
    value: str = "gdp_pc",
    weight: str | None = None,
    group: str | None = None,
    year: str = "year",
    unit: str | None = None,
    dropna: bool = False,
) -> pd.DataFrame:
    """逐年计算差距指标。

    ``frame`` 为长表，每行一个（地区, 年份）。``unit`` 为地区代码列；不给时用
    ``frame`` 的索引作地区标签。返回以年份为索引的表，列 ``value``；泰尔指数给出
    ``group`` 时另有 ``between``、``within``、``between_share``。

    某年有缺失值（或给出 ``unit`` 时某年缺少其他年份出现过的地区），默认报错并列出
    年份与地区；``dropna=True`` 时跳过这些年份，并记录在结果的
    ``attrs["skipped"]``（{年份: [地区, ...]}）中。
    """
    columns = {"value": value, "weight": weight, "group": group, "year": year, "unit": unit}
    _check_options(frame, measure, columns)
    if unit is not None and frame.duplicated([unit, year]).any():
        duplicated = frame.loc[frame.duplicated([unit, year]), unit].unique()
        _fail("同一地区同一年份有多行", "duplicate (unit, year) rows for", duplicated)
    # 先把各列取成数组，再逐年切片（比 groupby 逐年建表快得多）
    units = (frame.index if unit is None else pd.Index(frame[unit])).to_numpy()
    needed = [c for c in (value, weight, group) if c is not None]
    missing = frame[needed].isna().any(axis=1).to_numpy()
    values = _floats(frame[value])
    weights = None if weight is None else _floats(frame[weight])
    groups = None if group is None else frame[group].array
    all_units = None if unit is None else set(units)

    year_codes, year_labels = pd.factorize(frame[year], sort=True)
    rows, skipped = {}, {}
    for k, label in enumerate(year_labels):
        here = year_codes == k
        problems = _missing_units(units[here], missing[here], all_units)
        if problems:
            if not dropna:
                _fail(f"{label} 年数据缺失", f"missing data in {label}", problems)
            skipped[label] = problems
            continue
        y = pd.Series(values[here], index=units[here])
        w = None if weights is None else weights[here]
        g = None if groups is None else groups[here]
        try:
            rows[label] = _disparity_row(_COMPUTE[measure](y, w, g), group is not None)
        except MeasureError as error:
            raise MeasureError(f"{label} 年：{error.zh}", f"year {label}: {error.en}") from None

    names = ["value", "between", "within", "between_share"] if group is not None else ["value"]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=names, dtype=float)
    out.index.name = year
    out.attrs["skipped"] = skipped
    return out


def _missing_units(units: np.ndarray, missing: np.ndarray, all_units: set | None) -> list:
    """某一年中有缺失值的地区，以及（给出全体地区时）这一年缺席的地区。"""
    problems = list(units[missing])
    if all_units is not None:
        problems += sorted(all_units.difference(units), key=str)
    return problems


def _disparity_row(result, decomposed: bool) -> dict:
    """把单年结果整理成一行：value（及组间、组内、组间占比）。"""
    if not isinstance(result, TheilResult):
        return {"value": result}
    row = {"value": result.total}
    if decomposed:
        row.update(between=result.between, within=result.within, between_share=result.between_share)
    return row


# ---------------------------------------------------------------------------
# 产出与人口的空间匹配；序列的峰值（第一、二部分理论章）
# ---------------------------------------------------------------------------


def dissimilarity(a, b) -> float:
    r"""相异指数（index of dissimilarity；Duncan & Duncan 1955）：两种分布的份额之差绝对值之和的一半。

    .. math:: D = \frac12 \sum_i \left\lvert \frac{a_i}{\sum_j a_j} - \frac{b_i}{\sum_j b_j} \right\rvert

    以 :math:`a` 为各地 GDP、:math:`b` 为各地人口时，:math:`D` 是“产出—人口不重合度”：
    为使各地人均 GDP 都等于全国平均，至少要把多大比例的 GDP（或人口）挪到别处。
    :math:`D = 0` 表示两种分布完全重合；它等于人口加权的相对平均偏差的一半，
    :math:`D = \frac12 \sum_i p_i \lvert y_i/\bar y - 1 \rvert`（:math:`p_i` 为人口份额，
    :math:`y_i` 为人均值）。两个 Series 按索引对齐；数值须非负且合计为正。
    """
    x, labels = _as_values(a, "第一种分布", "first distribution")
    y = _floats(_align(a, b, "第二种分布", "second distribution"))
    _require(x, labels, "nonnegative")
    _require(y, labels, "nonnegative")
    if x.sum() <= 0 or y.sum() <= 0:
        _fail("分布的合计为零，相异指数无定义", "a distribution sums to zero; dissimilarity is undefined")
    return float(0.5 * np.abs(x / x.sum() - y / y.sum()).sum())


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
# 分布动态与空间结构：马尔可夫链、空间马尔可夫链、Moran's I、LISA（giddy、esda、libpysal）
# 以及 Phillips–Sul 俱乐部收敛（log t 检验与聚类）。
# 这些函数仍是纯函数：邻接关系以 {代码: [邻省代码]} 的字典传入，不读任何文件。
# ---------------------------------------------------------------------------

#: 置换检验次数的允许范围（含两端）。
PERMUTATIONS_RANGE = (99, 9999)
#: 分类数的允许范围（含两端）。
CLASSES_RANGE = (2, 8)


def _check_permutations(permutations, allow_zero: bool = False) -> int:
    lo, hi = PERMUTATIONS_RANGE
    if allow_zero and isinstance(permutations, (int, np.integer)) and not isinstance(permutations, bool) \
            and permutations == 0:
        return 0
    if isinstance(permutations, bool) or not isinstance(permutations, (int, np.integer)) \
            or not lo <= permutations <= hi:
        _fail(f"置换次数应为 {lo}—{hi} 之间的整数，收到 {permutations!r}",
              f"permutations must be an integer in [{lo}, {hi}], got {permutations!r}")
    return int(permutations)


def _check_classes(k) -> int:
    lo, hi = CLASSES_RANGE
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not lo <= k <= hi:
        _fail(f"分类数应为 {lo}—{hi} 之间的整数，收到 {k!r}",
              f"number of classes must be an integer in [{lo}, {hi}], got {k!r}")
    return int(k)


def _wide(frame) -> pd.DataFrame:
    """地区 × 年份的宽表（行 = 地区，列 = 年份），不得有缺失或非正值。"""
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(np.asarray(frame, dtype=float))
    if frame.shape[0] < 2 or frame.shape[1] < 2:
        _fail("至少需要两个地区、两个年份", "need at least two units and two periods")
    values = frame.to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        rows = [str(r) for r, b in zip(frame.index, bad.any(axis=1)) if b]
        cols = [str(c) for c, b in zip(frame.columns, bad.any(axis=0)) if b]
        _fail(f"数值缺失或非正（年份：{'、'.join(cols)}）", f"missing or non-positive values (periods: {', '.join(cols)})",
              rows)
    return frame.astype(float)


def relative_levels(wide) -> pd.DataFrame:
    """相对水平：每年各地区的值除以当年各地区的简单平均（行 = 地区，列 = 年份）。

    Relative levels: each unit's value divided by the cross-section (unweighted) mean of its year.
    """
    w = _wide(wide)
    return w / w.mean(axis=0)


def fixed_cutoffs(k: int) -> np.ndarray:
    """k 类的固定分界（相对于当年平均）：以 2 为上端、逐次减半的 k−1 个点。

    k=4 时为 1/2、1、2；k=5 时为 1/4、1/2、1、2，即 Quah（1993）的分组。
    """
    k = _check_classes(k)
    return 2.0 ** np.arange(3 - k, 2)


def classify(rel, k: int, scheme: str = "quantile") -> tuple[pd.DataFrame, np.ndarray]:
    """把相对水平分成 k 类（0 = 最低）。

    ``scheme="quantile"``：按全部地区 × 年份合并后的分位数分界（各类观测数大致相等）；
    ``scheme="fixed"``：按 :func:`fixed_cutoffs` 的固定分界（k=5 时即 Quah 1993 的分组）。
    返回 ``(类别宽表, 分界)``；第 j 类为 ``cutoffs[j-1] < x <= cutoffs[j]``。
    """
    rel = _wide(rel)
    k = _check_classes(k)
    if scheme == "quantile":
        import mapclassify

        cutoffs = np.asarray(mapclassify.Quantiles(rel.to_numpy().ravel(), k=k).bins[:-1], dtype=float)
        if len(cutoffs) != k - 1:
            _fail(f"数据中不同的数值太少，分不出 {k} 类", f"too few distinct values for {k} classes")
    elif scheme == "fixed":
        cutoffs = fixed_cutoffs(k)
    else:
        _fail(f"未知的分类方法 {scheme!r}（可选：quantile、fixed）",
              f"unknown classification scheme {scheme!r} (valid: quantile, fixed)")
    ids = np.searchsorted(cutoffs, rel.to_numpy(), side="left")
    return pd.DataFrame(ids, index=rel.index, columns=rel.columns), cutoffs


@dataclass
class MarkovResult:
    """马尔可夫链的估计结果。``counts[i, j]`` 为从第 i 类到第 j 类的转移次数，``P`` 为行归一化的
    转移概率矩阵，``ergodic`` 为遍历（稳态）分布（链可约、稳态不唯一时全为 NaN），
    ``initial``、``final`` 为首末年份各类的比重。"""

    counts: np.ndarray
    P: np.ndarray
    ergodic: np.ndarray
    initial: np.ndarray
    final: np.ndarray
    k: int

    @property
    def n_transitions(self) -> int:
        return int(self.counts.sum())

    @property
    def stay(self) -> float:
        """留在原类的转移所占比重（对角线之和 ÷ 全部转移）。"""
        return float(np.trace(self.counts) / self.counts.sum())


def _empty_rows(counts: np.ndarray, cutoffs=None) -> None:
    empty = np.where(counts.sum(axis=1) == 0)[0]
    if len(empty):
        names = "、".join(f"第 {j + 1} 类" for j in empty)
        _fail(f"{names}在转移的起始年份中没有任何观测，转移概率无法估计；请减少类数或改用等频分组",
              f"class(es) {', '.join(str(j + 1) for j in empty)} have no observations in the origin periods; "
              f"use fewer classes or quantile classes")


def markov(classes, k: int) -> MarkovResult:
    """离散马尔可夫链（giddy.markov.Markov）：相邻两年之间类别的转移。

    ``classes`` 为地区 × 年份的类别宽表（0…k−1）。每一类在起始年份（除最后一年外的各年）中
    必须至少有一个观测，否则抛出 MeasureError。遍历分布取自 giddy。
    """
    from giddy.markov import Markov

    k = _check_classes(k)
    ids = np.asarray(classes, dtype=int)
    if ids.ndim != 2 or ids.shape[1] < 2:
        _fail("类别表应为地区 × 年份、至少两个年份", "classes must be units x periods with at least two periods")
    if ids.min() < 0 or ids.max() >= k:
        _fail(f"类别编号应在 0—{k - 1} 之间", f"class ids must be in 0..{k - 1}")
    counts = np.zeros((k, k))
    np.add.at(counts, (ids[:, :-1].ravel(), ids[:, 1:].ravel()), 1)
    _empty_rows(counts)
    m = Markov(ids, classes=np.arange(k), summary=False)
    P = np.asarray(m.p, dtype=float)
    ergodic = np.asarray(m.steady_state, dtype=float)
    # 可约的链（例如某一类一旦进入就不再离开）有不止一个稳态分布：遍历分布不唯一，记为 NaN。
    ergodic = ergodic.ravel() if ergodic.size == k else np.full(k, np.nan)
    first = np.bincount(ids[:, 0], minlength=k) / ids.shape[0]
    last = np.bincount(ids[:, -1], minlength=k) / ids.shape[0]
    return MarkovResult(np.asarray(m.transitions, dtype=float), P, ergodic, first, last, k)


def spatial_weights(neighbours: dict, ids) -> "object":
    """由邻接字典构造行标准化的 libpysal 权重（只保留 ``ids`` 中的地区，顺序同 ``ids``）。

    没有邻居的地区（“孤岛”）不允许出现：请先把它从 ``ids`` 中去掉。
    """
    from libpysal.weights import W

    ids = [str(i) for i in ids]
    keep = set(ids)
    unknown = keep - set(neighbours)
    if unknown:
        _fail("邻接表中没有这些地区", "units missing from the neighbour table", sorted(unknown))
    nb = {i: [j for j in neighbours[i] if j in keep] for i in ids}
    islands = [i for i, v in nb.items() if not v]
    if islands:
        _fail("这些地区没有邻居（孤岛），请先去掉或补充连接", "units without neighbours (islands)", islands)
    w = W(nb, id_order=ids, silence_warnings=True)
    w.transform = "r"
    return w


@dataclass
class MoranResult:
    """全局 Moran's I：统计量、零假设下的期望、正态近似的 z 与 p、置换检验的 p（单尾，见 esda）。"""

    I: float
    EI: float
    z_norm: float
    p_norm: float
    p_sim: float
    permutations: int


def moran(y, neighbours: dict, permutations: int = 999, seed: int = 12345) -> MoranResult:
    """全局 Moran's I（esda.Moran，行标准化权重），置换检验用固定的随机数种子。

    ``y`` 为以地区代码为索引的 Series。``permutations=0`` 表示不做置换检验（p_sim 为 NaN）。
    """
    import esda

    permutations = _check_permutations(permutations, allow_zero=True)
    y = pd.Series(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
    if y.isna().any():
        _fail("数值缺失", "missing values", list(y.index[y.isna()]))
    w = spatial_weights(neighbours, y.index)
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        mi = esda.Moran(y.to_numpy(), w, transformation="r", permutations=permutations)
    finally:
        np.random.set_state(state)
    p_sim = float(mi.p_sim) if permutations else float("nan")
    return MoranResult(float(mi.I), float(mi.EI), float(mi.z_norm), float(mi.p_norm), p_sim, permutations)


#: LISA 象限（esda 的编号 1—4）对应的中文名。
LISA_LABELS = {1: "高—高", 2: "低—高", 3: "低—低", 4: "高—低"}


def lisa(y, neighbours: dict, permutations: int = 999, seed: int = 12345, alpha: float = 0.05) -> pd.DataFrame:
    """局部 Moran's I（esda.Moran_Local）：每个地区的 Is、象限、置换 p 值与显著的聚类类型。

    返回以地区代码为索引的表：``I``、``quadrant``（1 高—高，2 低—高，3 低—低，4 高—低）、
    ``p_sim``、``cluster``（p_sim < alpha 时为象限名，否则为“不显著”）。
    """
    import esda

    permutations = _check_permutations(permutations)
    if not 0 < alpha < 1:
        _fail(f"显著性水平应在 0 与 1 之间，收到 {alpha!r}", f"alpha must be in (0, 1), got {alpha!r}")
    y = pd.Series(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
    if y.isna().any():
        _fail("数值缺失", "missing values", list(y.index[y.isna()]))
    w = spatial_weights(neighbours, y.index)
    # 统计量与象限取自 esda；置换检验见 _conditional_p（原因见该函数说明）。
    lm = esda.Moran_Local(y.to_numpy(), w, transformation="r", permutations=0)
    p_sim = _conditional_p(np.asarray(lm.z, dtype=float), w, np.asarray(lm.Is, dtype=float), permutations, seed)
    out = pd.DataFrame({"I": lm.Is, "quadrant": lm.q, "p_sim": p_sim}, index=y.index)
    out["cluster"] = [LISA_LABELS[q] if p < alpha else "不显著" for q, p in zip(out["quadrant"], out["p_sim"])]
    return out


def _conditional_p(z: np.ndarray, w, Is: np.ndarray, permutations: int, seed: int) -> np.ndarray:
    """局部 Moran's I 的条件置换检验（Anselin 1995）：固定地区 i 的值，把其余 n−1 个值随机分配给
    它的邻居，重算 I_i；p 值按 esda 的做法取折叠的单尾比例 (min(#≥, #<) + 1)/(置换次数 + 1)。

    esda 自己的实现（``esda.crand``）依赖 numba，在本书的构建环境中首次编译要两分钟以上，
    而每个笔记本都要重新编译一次；这里用 numpy 写出同一算法（n 只有 31，向量化足够快），
    tests 中与 esda 的结果对照。
    """
    rng = np.random.default_rng(seed)
    n = len(z)
    den = float((z * z).sum())
    p = np.empty(n)
    for i in range(n):
        nbrs, weights = w.neighbors[w.id_order[i]], np.asarray(w.weights[w.id_order[i]], dtype=float)
        others = np.delete(z, i)
        draws = rng.random((permutations, n - 1)).argsort(axis=1)[:, :len(nbrs)]
        lag = (others[draws] * weights).sum(axis=1)
        sims = (n - 1) * z[i] * lag / den
        larger = int((sims >= Is[i]).sum())
        larger = min(larger, permutations - larger)
        p[i] = (larger + 1) / (permutations + 1)
    return p


@dataclass
class SpatialMarkovResult:
    """空间马尔可夫链：``counts[l, i, j]``、``P[l]`` 为邻居平均水平处于第 l 类时，从第 i 类到第 j 类的
    转移次数与概率（没有观测的行为 NaN）；``ergodic[l]`` 为对应的遍历分布（无法估计时为 NaN）。
    ``lag_cutoffs`` 为空间滞后（邻居的加权平均相对水平）的分界。"""

    counts: np.ndarray
    P: np.ndarray
    ergodic: np.ndarray
    cutoffs: np.ndarray
    lag_cutoffs: np.ndarray
    k: int
    chi2: float
    chi2_p: float
    dof: int


def spatial_markov(rel, neighbours: dict, k: int, scheme: str = "quantile") -> SpatialMarkovResult:
    """空间马尔可夫链（giddy.markov.Spatial_Markov，Rey 2001）：按邻居的平均相对水平分组估计转移矩阵。

    ``rel`` 为地区 × 年份的相对水平宽表；自身的类别与 :func:`classify` 相同，空间滞后按合并后的
    分位数分成 k 类。总的类别不得有空类（同 :func:`markov`）；条件矩阵中没有观测的行记为 NaN。
    """
    from giddy.markov import Spatial_Markov

    rel = _wide(rel)
    k = _check_classes(k)
    ids, cutoffs = classify(rel, k, scheme)
    counts_all = np.zeros((k, k))
    a = ids.to_numpy()
    np.add.at(counts_all, (a[:, :-1].ravel(), a[:, 1:].ravel()), 1)
    _empty_rows(counts_all)
    w = spatial_weights(neighbours, rel.index)
    sm = Spatial_Markov(rel.to_numpy(), w, k=k, m=k, fixed=True, cutoffs=list(cutoffs),
                        fill_empty_classes=True)
    counts = np.asarray(sm.T, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = counts / counts.sum(axis=2, keepdims=True)
    ergodic = np.full((k, k), np.nan)
    for l in range(k):
        if (counts[l].sum(axis=1) > 0).all():
            ergodic[l] = _ergodic(P[l])
    return SpatialMarkovResult(counts, P, ergodic, np.asarray(cutoffs, dtype=float),
                               np.asarray(sm.lag_cutoffs, dtype=float), k,
                               float(sm.Q), float(sm.Q_p_value), int(sm.dof_hom))


def _ergodic(P: np.ndarray) -> np.ndarray:
    """转移矩阵的遍历分布：P' 属于特征值 1 的左特征向量，归一化为和为 1（不可约时唯一）。"""
    vals, vecs = np.linalg.eig(np.asarray(P, dtype=float).T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    return v / v.sum()


# ---------------------------------------------------------------------------
# Phillips–Sul（2007）log t 检验与俱乐部聚类，Phillips–Sul（2009）俱乐部合并
#
# 选择与文献的对应（章节与方法附录据此说明）：
# - 输入：检验与聚类函数本身不做滤波。章节先用 hp_trend 对每个地区的对数人均 GDP 做 HP 滤波
#   （年度数据 λ = 400，与 Phillips & Sul 2009 及 R 包 ConvergenceClubs 的示例相同），只用趋势成分。
# - 舍去比例 r = 1/3：回归只用 t = [rT]+1, …, T（[·] 为四舍五入），H_1 仍取第一期。
# - 标准误：残差的标量长期方差 × (X'X)^{-1}，长期方差用二次谱（QS）核、Andrews（1991）
#   AR(1) 插入法带宽，逐项照 ConvergenceClubs 默认选项 "FQSB" 的代码（该包说明它移植自
#   Phillips–Sul 的 GAUSS 程序）：除以 T − 1，自协方差略去最后一个残差。这一细节并非无关紧要：
#   HP 滤波后的残差很平滑，带宽往往超过样本长度，若按教科书写法用全部残差、除以 T，各阶
#   自协方差之和趋近 (Σu)²/T = 0（OLS 残差之和为零），t 值会被成倍放大。参数 ``hac`` 可换用
#   别的估计量（测试中用它按 R 包 sandwich 的 vcovHAC，即 ConvergenceClubs 的 "AQSB"，
#   复现已发表的结果）。
# ---------------------------------------------------------------------------

def hp_trend(wide, lamb: float = 400.0) -> pd.DataFrame:
    """逐行（逐个地区）做 Hodrick–Prescott 滤波，返回趋势成分（statsmodels 的 ``hpfilter``）。

    年度数据取 λ = 400，与 Phillips & Sul（2009）以及 ConvergenceClubs 的示例一致
    （季度数据的惯例是 1600）。``wide`` 为以地区为行、时期为列的宽表。
    """
    from statsmodels.tsa.filters.hp_filter import hpfilter

    frame = wide if isinstance(wide, pd.DataFrame) else pd.DataFrame(np.asarray(wide, dtype=float))
    if not np.isfinite(frame.to_numpy(dtype=float)).all():
        _fail("HP 滤波的输入不能有缺失值", "HP filter input must not contain missing values")
    return frame.apply(lambda row: pd.Series(hpfilter(row.to_numpy(dtype=float), lamb=lamb)[1],
                                             index=frame.columns), axis=1)


#: log t 检验的单尾 5% 临界值（Phillips & Sul 2007）。
LOG_T_CRITICAL = -1.65


def _qs_long_run_variance(u: np.ndarray) -> float:
    """残差的长期方差：二次谱（QS）核，带宽按 Andrews（1991）的 AR(1) 插入法选取。

    写法照 Phillips–Sul 的 GAUSS 程序（ConvergenceClubs 中的移植 ``ps_andrews_hac``）：AR(1) 系数
    不含截距；方差与各阶自协方差都除以 T − 1，自协方差只用前 T − 1 个残差。
    """
    u = np.asarray(u, dtype=float)
    n = len(u)
    rho = float(np.dot(u[:-1], u[1:]) / np.dot(u[:-1], u[:-1]))
    bandwidth = 1.3221 * (4 * rho ** 2 / (1 - rho) ** 4 * n) ** 0.2
    m = n - 1
    lrv = float(np.dot(u, u) / m)
    if bandwidth <= 0:
        return lrv
    v = u[:m]
    for j in range(1, m):
        a = 6 * np.pi * (j / bandwidth) / 5
        kernel = 3 / a ** 2 * (np.sin(a) / a - np.cos(a))
        lrv += 2 * kernel * float(np.dot(v[:m - j], v[j:]) / m)
    return lrv


def _ps_slope_variance(X: np.ndarray, resid: np.ndarray) -> float:
    """Phillips–Sul 的做法：斜率方差 = 残差的 QS 长期方差 × (X'X)^{-1} 的对应元素。"""
    return _qs_long_run_variance(resid) * float(np.linalg.inv(X.T @ X)[1, 1])


@dataclass
class LogTResult:
    """log t 回归 log(H_1/H_t) − 2 log(log t) = a + b log t 的结果（b 即 Phillips–Sul 的 b = 2α）。"""

    b: float
    se: float
    t: float
    n_units: int
    periods: int

    @property
    def converges(self) -> bool:
        return self.t > LOG_T_CRITICAL


def log_t_test(logy, trim: float = 1 / 3, hac=None) -> LogTResult:
    """Phillips–Sul（2007）的 log t 收敛检验。

    ``logy``：地区 × 时期的数组或宽表（通常是去除周期成分后的对数人均收入，须为正）。
    相对转移路径 :math:`h_{it} = x_{it} / \\bar x_t`，横截面离散 :math:`H_t = N^{-1}\\sum_i (h_{it}-1)^2`；
    舍去前 ``trim`` 比例的时期（t = [rT]+1, …, T，[·] 为四舍五入）后做回归
    :math:`\\log(H_1/H_t) - 2\\log\\log t = a + b\\log t + u_t`。
    斜率的方差默认为残差的 QS 核长期方差（Andrews 1991 的 AR(1) 插入法带宽）乘以
    :math:`(X'X)^{-1}` 的对应元素；``hac`` 可传入别的函数 ``hac(X, resid) -> 方差``。
    t 值小于 −1.65 时在 5% 水平上拒绝“全体收敛”。
    """
    x = np.asarray(logy, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        _fail("log t 检验需要至少两个地区的面板", "the log t test needs a panel of at least two units")
    if not np.isfinite(x).all() or (x <= 0).any():
        _fail("log t 检验的数值须为正且不缺失（请用对数人均收入，且单位使其为正）",
              "log t test values must be positive and finite")
    if not 0 < trim < 1:
        _fail(f"舍去比例应在 0 与 1 之间，收到 {trim!r}", f"trim must be in (0, 1), got {trim!r}")
    T = x.shape[1]
    start = int(round(T * trim)) + 1  # 与 R 的 round 相同：恰为 .5 时取偶数
    if T - start + 1 < 3:
        _fail(f"时期太短：{T} 期舍去 {start - 1} 期后不足 3 期", f"too few periods: {T} periods, {start - 1} trimmed")
    h = x / x.mean(axis=0)
    H = ((h - 1) ** 2).mean(axis=0)
    if (H <= 0).any():
        _fail("某些时期各地区完全相同（H_t = 0），无法检验", "H_t = 0 in some period")
    t = np.arange(start, T + 1)
    lhs = np.log(H[0] / H[t - 1]) - 2 * np.log(np.log(t))
    X = np.column_stack([np.ones(len(t)), np.log(t)])
    coef = np.linalg.solve(X.T @ X, X.T @ lhs)
    resid = lhs - X @ coef
    se = float(np.sqrt((hac or _ps_slope_variance)(X, resid)))
    return LogTResult(float(coef[1]), se, float(coef[1] / se), x.shape[0], len(t))


@dataclass
class ClubResult:
    """俱乐部聚类的结果：``clubs`` 为各俱乐部的成员（按最后一期从高到低），``tests`` 为各俱乐部的
    log t 检验，``divergent`` 为不属于任何俱乐部的地区，``overall`` 为全体的 log t 检验。
    合并之后 ``merged_from`` 记下每个新俱乐部由原来的哪几个俱乐部（编号从 1 起）组成，
    ``merge_tests`` 按顺序记下每一次合并检验：``(原俱乐部编号的元组, LogTResult)``；
    未合并时两者都是 ``None``。"""

    clubs: list
    tests: list
    divergent: list
    overall: LogTResult
    merged_from: list | None = None
    merge_tests: list | None = None

    def membership(self) -> pd.Series:
        """地区 → 俱乐部编号（1 起；发散的地区为 0）。"""
        out = {u: i + 1 for i, club in enumerate(self.clubs) for u in club}
        out.update({u: 0 for u in self.divergent})
        return pd.Series(out, name="club")


def _core_group(x: np.ndarray, trim: float, hac=None):
    """第 2 步：按最后一期排序后，找到第一对 t > −1.65 的相邻地区，再逐个加入，直到 t ≤ −1.65 为止；
    在这些都通过检验的规模中取 t 最大者（Phillips & Sul 2007：k* = argmax t_k，min t_k > −1.65）。"""
    n = x.shape[0]
    for i in range(n - 1):
        t_pair = log_t_test(x[[i, i + 1]], trim, hac).t
        if t_pair > LOG_T_CRITICAL:
            best, best_t = [i, i + 1], t_pair
            for j in range(i + 2, n):
                tj = log_t_test(x[i:j + 1], trim, hac).t
                if tj <= LOG_T_CRITICAL:
                    break
                if tj > best_t:
                    best, best_t = list(range(i, j + 1)), tj
            return best
    return None


def club_convergence(logy, trim: float = 1 / 3, cstar: float = 0.0, cstar_step: float | None = 0.1,
                     hac=None) -> ClubResult:
    """Phillips–Sul（2007, 2009）的俱乐部聚类算法。

    1. 按最后一期从高到低排序；
    2. 形成核心组（见 :func:`_core_group`）；找不到任何一对收敛的地区时，余下的全部判为发散；
    3. 筛选：核心组之外的地区逐个加入核心组做 log t 检验，t > ``cstar`` 者入选；若入选后的俱乐部
       整体 t ≤ −1.65，把 ``cstar`` 每次提高 ``cstar_step`` 直到通过（Phillips & Sul 2007 的建议；
       提高到只剩核心组时就取核心组）。``cstar_step=None`` 时 ``cstar`` 固定不变，俱乐部整体
       不通过检验也照样保留（R 包 ConvergenceClubs 的默认做法）；
    4. 余下的地区整体做 log t 检验，t > −1.65 则自成一个俱乐部，否则对它们重复 1—3；
       只剩一个地区时判为发散。

    ``logy`` 为以地区为行、时期为列的宽表（索引为地区名或代码）；``trim`` 与 ``hac`` 见
    :func:`log_t_test`。聚类之后相邻俱乐部能否合并，见 :func:`merge_clubs`（Phillips & Sul 2009）。
    """
    frame = logy if isinstance(logy, pd.DataFrame) else pd.DataFrame(np.asarray(logy, dtype=float))
    overall = log_t_test(frame.to_numpy(dtype=float), trim, hac)
    frame = frame.iloc[np.argsort(-frame.iloc[:, -1].to_numpy(), kind="stable")]
    clubs, tests, divergent = [], [], []
    rest = frame
    while len(rest) > 0:
        x = rest.to_numpy(dtype=float)
        if len(rest) == 1:
            divergent += list(rest.index)
            break
        whole = log_t_test(x, trim, hac)
        if whole.converges:
            clubs.append(list(rest.index))
            tests.append(whole)
            break
        core = _core_group(x, trim, hac)
        if core is None:
            divergent += list(rest.index)
            break
        others = [i for i in range(len(rest)) if i not in core]
        t_add = {i: log_t_test(x[core + [i]], trim, hac).t for i in others}
        c = cstar
        while True:
            members = sorted(core + [i for i in others if t_add[i] > c])
            test = log_t_test(x[members], trim, hac)
            if cstar_step is None or test.converges or len(members) == len(core):
                break
            c += cstar_step
        if cstar_step is not None and not test.converges:  # 仅核心组（核心组本身满足 t > −1.65）
            members, test = core, log_t_test(x[core], trim, hac)
        clubs.append([rest.index[i] for i in members])
        tests.append(test)
        rest = rest.drop(index=[rest.index[i] for i in members])
    return ClubResult(clubs, tests, divergent, overall)


def merge_clubs(logy, result: ClubResult, trim: float = 1 / 3, hac=None) -> ClubResult:
    """Phillips–Sul（2009）的俱乐部合并：聚类得到的俱乐部可能被分得过细（筛选门槛 c* 越高越细），
    于是检验相邻俱乐部能否合并。

    从第 1 个俱乐部起，把它与下一个俱乐部合在一起做 log t 检验：t > −1.65 则合并，再与下一个
    俱乐部合在一起检验，如此继续；一旦 t ≤ −1.65，已合并的部分就是一个新俱乐部，从未能并入的那个
    俱乐部重新开始。发散的地区不参与合并。``logy`` 须与聚类时用的是同一张宽表。
    """
    frame = logy if isinstance(logy, pd.DataFrame) else pd.DataFrame(np.asarray(logy, dtype=float))

    def test_of(units):
        return log_t_test(frame.loc[units].to_numpy(dtype=float), trim, hac)

    clubs, tests, origin, attempts = [], [], [], []
    i, n = 0, len(result.clubs)
    while i < n:
        units, parts, test = list(result.clubs[i]), [i + 1], result.tests[i]
        k = i + 1
        while k < n:
            candidate = test_of(units + list(result.clubs[k]))
            attempts.append((tuple(parts + [k + 1]), candidate))
            if not candidate.converges:
                break
            units, test = units + list(result.clubs[k]), candidate
            parts.append(k + 1)
            k += 1
        clubs.append(units)
        tests.append(test)
        origin.append(parts)
        i = k
    return ClubResult(clubs, tests, list(result.divergent), result.overall, origin, attempts)
