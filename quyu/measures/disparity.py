"""区域差距的度量：相对差距、离散程度、泰尔指数与基尼系数（含分组分解）、人均值与份额、逐年计算、相异指数。"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._checks import (_ZERO_POP, MeasureError, _align, _as_values, _fail, _floats, _group_codes, _prepare,
                      _require)

__all__ = [
    "TheilResult",
    "MeasureInfo",
    "MEASURES",
    "ratio",
    "max_min_ratio",
    "cv",
    "sigma",
    "gini",
    "theil_t",
    "theil_l",
    "per_capita",
    "regional_shares",
    "regional_per_capita",
    "disparity_by_year",
    "dissimilarity",
]


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
# 产出与人口的空间匹配（第二部分理论章）
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
