"""第四部分“收敛与区域格局的变化”“面向 2035 年的区域协调”两章共用的计算：收敛期限的换算、β 收敛的取样与估计，以及本部分的错误类。

出错时抛出 :class:`OutlookError`（中英文说明分别在 ``zh``、``en`` 属性中）。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, measures, widgets
from ...errors import BookError

#: β 收敛估计所需的最短时期（年）：更短的时期里，年度波动压过长期趋势。
MIN_SPAN = 5


class OutlookError(BookError):
    """输入超出合理范围或数据不足（中英文说明：``error.zh``、``error.en``）。"""


# ---------------------------------------------------------------- 收敛期限（纯函数）

def speed(beta: float, years: float) -> float:
    """由 β 与时期长度 T 求收敛速度 λ（公式见 ``measures.convergence_speed``）；1 + βT ≤ 0 时为 NaN。"""
    if not (np.isfinite(years) and years > 0):
        raise OutlookError(f"时期长度应为正数（现为 {years}）", f"period length must be positive (got {years})")
    return measures.convergence_speed(beta, years)


#: 半衰期 ln2/λ（年）；λ ≤ 0 时为 inf。与 ``measures.half_life`` 是同一个函数。
half_life = measures.half_life


def speed_interval(result: measures.BetaResult) -> tuple[float, float]:
    """λ 的 95% 区间：把 β 的置信区间两端代入 λ(β)（λ 随 β 单调递减，故两端对调）。"""
    return speed(result.ci_high, result.years), speed(result.ci_low, result.years)


# ---------------------------------------------------------------- 取样与估计（读 data/）

def convergence_sample(vintage: str, start: int, end: int, pop_basis: str = "mean") -> pd.DataFrame:
    """同一数据版本中期初、期末的人均 GDP：index 为省代码，列 name, region4, y0, y1, w0。

    ``w0`` 为期初人口（与人均值的分母同一口径）。缺数据时报错，并指出缺哪些省。
    """
    start, end = int(start), int(end)
    if end <= start:
        raise OutlookError(f"结束年份（{end}）应晚于起始年份（{start}）", f"end year {end} must be after start year {start}")
    if end - start < MIN_SPAN:
        raise OutlookError(f"时期太短（{end - start} 年）：β 收敛要看长期增长，至少需要 {MIN_SPAN} 年",
                           f"period too short ({end - start} years); at least {MIN_SPAN} years needed")
    if vintage not in data.VINTAGES:
        raise OutlookError(f"未知的数据版本 {vintage!r}；可选：{'、'.join(data.VINTAGES)}",
                           f"unknown vintage {vintage!r}; valid: {', '.join(data.VINTAGES)}")
    years = data.vintage_info(vintage)["years"]
    for y in (start, end):
        if y not in years:
            raise OutlookError(f"{widgets.vintage_label(vintage)}版本没有 {y} 年的数据（只有 {years[0]}—{years[-1]} 年）；"
                               "一次估计只能用一个数据版本",
                               f"vintage {vintage} has no year {y} (only {years[0]}-{years[-1]})")
    p = analysis.panel(vintage, pop_basis=pop_basis).set_index(["year", "code"])
    a, b = p.loc[start], p.loc[end]
    missing = a.index[a["gdp_pc"].isna()].union(b.index[b["gdp_pc"].isna()])
    if len(missing):
        who = "、".join(a.loc[missing, "name"])
        hint = (f"{widgets.vintage_label('yearbook')}没有 1999 年人口，2000 年的平均人口因而缺失；请改用年末人口，或从 2001 年起"
                if vintage == "yearbook" and start == 2000 and pop_basis == "mean" else "请换一个年份或人口口径")
        raise OutlookError(f"{widgets.vintage_label(vintage)}版本 {start} 或 {end} 年的人均 GDP 缺失（{who}）：{hint}",
                           f"per-capita GDP missing in vintage {vintage}, {start} or {end}")
    wcol = analysis.WEIGHT_COLUMN if pop_basis == "mean" else "pop"
    return pd.DataFrame({"name": a["name"], "region4": a["region4"], "y0": a["gdp_pc"],
                         "y1": b["gdp_pc"], "w0": a[wcol]})


def estimate(vintage: str, start: int, end: int, weighted: bool = False, pop_basis: str = "mean",
             robust: bool = True) -> measures.BetaResult:
    """一个时期的绝对 β 收敛（``measures.beta_convergence``，HC1 标准误、t 分布）；加权时以期初人口为权重。"""
    s = convergence_sample(vintage, start, end, pop_basis)
    return measures.beta_convergence(s["y0"], s["y1"], end - start,
                                     weights=s["w0"] if weighted else None, robust=robust)
