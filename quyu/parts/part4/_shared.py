"""第四部分几章共用的计算：收敛期限的换算、β 收敛的取样与估计，区域人均比的起点与情景推演的两种路径
（“面向 2035 年的区域协调”“从文章到“十五五”规划”两章共用），以及本部分的错误类。

出错时抛出 :class:`OutlookError`（中英文说明分别在 ``zh``、``en`` 属性中）。
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import analysis, data, measures, widgets
from ...errors import BookError

#: β 收敛估计所需的最短时期（年）：更短的时期里，年度波动压过长期趋势。
MIN_SPAN = 5
#: 空间统计中置换检验的默认次数与固定种子（构建可重复）：分布动态一章的莫兰指数与 LISA、收敛一章的残差莫兰指数共用。
PERMUTATIONS = 999
SEED = 20240601


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
        y0 = data.vintage_info("yearbook")["years"][0]  # 年鉴口径的首年：前一年没有人口，平均人口缺失
        hint = (f"{widgets.vintage_label('yearbook')}没有 {y0 - 1} 年人口，{y0} 年的平均人口因而缺失；请改用年末人口，或从 {y0 + 1} 年起"
                if vintage == "yearbook" and start == y0 and pop_basis == "mean" else "请换一个年份或人口口径")
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


# ---------------------------------------------------------------- 区域人均比与情景推演（纯函数与取数函数）

#: 情景中地区人均增长率之差的合理范围（±百分点）。2006—2012 年东西部之差约 4.4 个百分点，是有数据以来最大。
GAP_LIMIT = 5.0
#: 推演的最远年份。
LAST_YEAR = 2100
#: 收敛速度的合理范围（每年，绝对值）。
SPEED_LIMIT = 0.2


#: 情景推演的两个终点在 data/history_facts.csv 中的编号：十九大报告两个阶段的终点（2035 年基本实现社会主义现代化；
#: 本世纪中叶，本书读作 2050 年）。
HORIZON_FACTS = ("H27", "H28")


def horizons() -> tuple[int, int]:
    """情景推演的两个终点年份（取自 data/history_facts.csv，不写在代码里）。"""
    facts = data.history_facts().set_index("fact_id")
    return tuple(int(facts.loc[f, "value"]) for f in HORIZON_FACTS)


def starting_ratios(vintage: str = "current", year: int | None = None) -> dict:
    """四大区域人均 GDP（ΣGDP/Σ年平均人口）与东/中、东/西之比；默认取该版本最后一年。"""
    reg = analysis.regional(vintage, "region4")
    pc = reg["per_capita"].dropna()
    year = int(pc.index.max()) if year is None else int(year)
    if year not in pc.index:
        raise OutlookError(f"{widgets.vintage_label(vintage)}版本没有 {year} 年的区域人均 GDP",
                           f"vintage {vintage} has no regional per-capita GDP for {year}")
    row = pc.loc[year]
    return {"year": year, "vintage": vintage, "per_capita": row.to_dict(),
            "east_central": row["east"] / row["central"], "east_west": row["east"] / row["west"]}


# ---------------------------------------------------------------- 情景推演（纯函数）

def check_gap(gap_pp: float, what: str = "增长率之差") -> float:
    """检查人均增长率之差（百分点）是否在 ±GAP_LIMIT 之内，返回 float。"""
    try:
        g = float(gap_pp)
    except (TypeError, ValueError):
        raise OutlookError(f"{what}应为数字（现为 {gap_pp!r}）", f"growth gap must be a number (got {gap_pp!r})") from None
    if not np.isfinite(g) or abs(g) > GAP_LIMIT:
        raise OutlookError(f"{what} {gap_pp} 个百分点超出合理范围（±{GAP_LIMIT:g} 个百分点）："
                           "有数据以来地区之间人均增长率之差从未持续超过这一幅度",
                           f"growth gap {gap_pp} pp outside the plausible range (±{GAP_LIMIT:g} pp)")
    return g


def _check_path(ratio0: float, start_year: int, end_year: int) -> tuple[float, int, int]:
    try:
        r0 = float(ratio0)
    except (TypeError, ValueError):
        raise OutlookError(f"起点比值应为数字（现为 {ratio0!r}）", f"starting ratio must be a number (got {ratio0!r})") from None
    if not (np.isfinite(r0) and r0 > 0):
        raise OutlookError(f"起点比值应为正数（现为 {ratio0}）", f"starting ratio must be positive (got {ratio0})")
    if int(start_year) != start_year or int(end_year) != end_year:
        raise OutlookError("年份应为整数", "years must be integers")
    start_year, end_year = int(start_year), int(end_year)
    if end_year <= start_year:
        raise OutlookError(f"目标年份（{end_year}）应晚于起点年份（{start_year}）",
                           f"target year {end_year} must be after start year {start_year}")
    if end_year > LAST_YEAR:
        raise OutlookError(f"目标年份 {end_year} 太远：推演最多到 {LAST_YEAR} 年",
                           f"target year {end_year} too far: at most {LAST_YEAR}")
    return r0, start_year, end_year


def scenario_path(ratio0: float, gap_pp: float, start_year: int, end_year: int) -> pd.Series:
    """情景路径：R_t = R_0 · exp(gap_pp/100 · (t − t0))，t = t0 … end_year（index 为年份）。

    gap_pp 为东部减中部（或西部）人均 GDP 的年增长率之差（百分点，按对数增长率理解）；
    为负表示后者增长更快、比值下降。
    """
    r0, t0, t1 = _check_path(ratio0, start_year, end_year)
    d = check_gap(gap_pp) / 100
    t = np.arange(t0, t1 + 1)
    return pd.Series(r0 * np.exp(d * (t - t0)), index=pd.Index(t, name="year"), name="ratio")


def convergence_path(ratio0: float, lam: float, start_year: int, end_year: int) -> pd.Series:
    """收敛速度 λ 所隐含的路径：ln R_t = ln R_0 · exp(−λ (t − t0))（对数差距按 λ 衰减）。

    λ < 0 表示发散。这里把省际 β 收敛的速度套用到区域之间，是一个假设。
    """
    r0, t0, t1 = _check_path(ratio0, start_year, end_year)
    try:
        lam = float(lam)
    except (TypeError, ValueError):
        raise OutlookError(f"收敛速度应为数字（现为 {lam!r}）", f"speed must be a number (got {lam!r})") from None
    if not np.isfinite(lam) or abs(lam) > SPEED_LIMIT:
        raise OutlookError(f"收敛速度 {lam} 超出合理范围（每年 ±{SPEED_LIMIT:g}）",
                           f"speed {lam} outside the plausible range (±{SPEED_LIMIT:g} a year)")
    t = np.arange(t0, t1 + 1)
    return pd.Series(np.exp(math.log(r0) * np.exp(-lam * (t - t0))), index=pd.Index(t, name="year"),
                     name="ratio")


def implied_gap(ratio: float, lam: float) -> float:
    """收敛路径在比值为 R 时隐含的增长率之差（百分点）：−λ · ln R × 100。"""
    if not (np.isfinite(ratio) and ratio > 0):
        raise OutlookError(f"比值应为正数（现为 {ratio}）", f"ratio must be positive (got {ratio})")
    return -lam * math.log(ratio) * 100
