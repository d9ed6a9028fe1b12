"""第四部分（趋势与展望，``book/part4/``）的计算与组件：收敛期限、收敛估计的取样，以及情景推演。

- 纯函数：``speed``、``half_life``、``speed_interval``、``half_life_interval``、
  ``scenario_path``、``convergence_path``、``implied_gap``、``check_gap``。
- 取数函数（只读 ``data`` / ``analysis``，一次只用一个数据版本）：
  ``convergence_sample``、``estimate``、``sigma_path``、``real_growth_sample``、``starting_ratios``。

情景推演的约定：东部与中部（或西部）人均 GDP 年增长率之差 ``gap_pp``（百分点）按对数增长率理解，
于是人均比 :math:`R_t = R_0 \\exp(d\\,(t-t_0))`，:math:`d = gap\\_pp / 100`。这是示意，不是预测。
出错时抛出 :class:`OutlookError`（中英文说明分别在 ``zh``、``en`` 属性中）。
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import analysis, data, fmt, measures, plots, widgets
from ..errors import BookError

__all__ = [
    "OutlookError", "MIN_SPAN", "GAP_LIMIT", "LAST_YEAR", "speed", "half_life", "speed_interval",
    "half_life_interval", "convergence_sample", "estimate", "sigma_path", "real_growth_sample",
    "starting_ratios", "check_gap", "scenario_path", "convergence_path", "implied_gap",
    "GAP_GRID", "half_life_text", "estimator_views", "estimator_widget", "speed_sources", "scenario_views", "scenario_widget",
]

#: β 收敛估计所需的最短时期（年）：更短的时期里，年度波动压过长期趋势。
MIN_SPAN = 5
#: 情景中地区人均增长率之差的合理范围（±百分点）。2006—2012 年东西部之差约 4.4 个百分点，是有数据以来最大。
GAP_LIMIT = 5.0
#: 推演的最远年份。
LAST_YEAR = 2100
#: 收敛速度的合理范围（每年，绝对值）。
SPEED_LIMIT = 0.2


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


def half_life_interval(result: measures.BetaResult) -> tuple[float, float]:
    """半衰期的 95% 区间（短端, 长端）；λ 的下端 ≤ 0 时长端为 inf（不能排除不收敛）。"""
    lo, hi = speed_interval(result)
    return half_life(hi), half_life(lo)


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
             robust: bool = False) -> measures.BetaResult:
    """一个时期的绝对 β 收敛（``measures.beta_convergence``）；加权时以期初人口为权重。"""
    s = convergence_sample(vintage, start, end, pop_basis)
    return measures.beta_convergence(s["y0"], s["y1"], end - start,
                                     weights=s["w0"] if weighted else None, robust=robust)


def sigma_path(vintage: str, start: int, end: int, pop_basis: str = "mean") -> pd.Series:
    """σ 收敛：各年人均 GDP 对数标准差（同一版本，缺数据的年份不计）。"""
    d = analysis.disparity(vintage, "sigma", pop_basis=pop_basis)["value"]
    return d.loc[(d.index >= start) & (d.index <= end)]


def real_growth_sample(start: int = 2015, end: int = 2024) -> pd.DataFrame:
    """实际增长核对（现行版本）：期初名义人均 GDP 与名义、实际人均 GDP 年均对数增长率。

    实际 GDP 增长由“地区生产总值指数（上年 = 100）”连乘得到（该指数只有 2016—2024 年，
    所以最早从 2015 年算起）；人均化时减去同一版本年平均人口的对数增长。
    列：name, y0, g_nominal, g_real, deflator（年均隐含价格上涨，对数）。
    """
    if not (2015 <= start < end <= 2024):
        raise OutlookError("地区生产总值指数只有 2016—2024 年，实际增长只能在 2015—2024 年之间计算",
                           "the GDP index covers 2016-2024 only: real growth between 2015 and 2024")
    if end - start < MIN_SPAN:
        raise OutlookError(f"时期太短（{end - start} 年）：至少需要 {MIN_SPAN} 年",
                           f"period too short ({end - start} years); at least {MIN_SPAN} years needed")
    idx = data.indicator("gdp_index_prev_year_100")
    idx = idx[(idx["year"] > start) & (idx["year"] <= end)]
    log_real = np.log(idx["value"] / 100).groupby(idx["code"]).sum()
    s = convergence_sample("current", start, end)
    p = analysis.panel("current").set_index(["year", "code"])
    log_pop = np.log(p.loc[end, "pop_mean"] / p.loc[start, "pop_mean"])
    T = end - start
    out = pd.DataFrame({"name": s["name"], "y0": s["y0"],
                        "g_nominal": np.log(s["y1"] / s["y0"]) / T,
                        "g_real": (log_real.reindex(s.index) - log_pop.reindex(s.index)) / T})
    out["deflator"] = out["g_nominal"] - out["g_real"]
    return out


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


# ---------------------------------------------------------------- 组件（正文与测试共用）

#: 情景推演工具中“增长率之差”的可选值（百分点）。
GAP_GRID = tuple(round(-3.0 + 0.5 * k, 1) for k in range(9))  # −3.0 … +1.0


def half_life_text(x: float) -> str:
    """半衰期（年）的文字：整数年，无穷大写作“∞”。"""
    return "∞" if math.isinf(x) else fmt.num(x, 0)


def estimator_views(vintage: str = "current", start: int = 2012, end: int = 2024, weighted: bool = False,
                    basis: str = "mean") -> list[dict]:
    """收敛估计器的计算：一个时期、一个数据版本、一种加权与人口口径 → β、λ、半衰期及其区间，外加同期的 σ。"""
    r = estimate(vintage, start, end, weighted=weighted, pop_basis=basis)
    s_lo, s_hi = speed_interval(r)
    h_lo, h_hi = half_life_interval(r)
    items = [
        ("β", fmt.num(r.beta, 4)),
        ("标准误", fmt.num(r.se_beta, 4)),
        ("β 的 95% 区间", f"[{fmt.num(r.ci_low, 4)}, {fmt.num(r.ci_high, 4)}]"),
        ("收敛速度 λ（每年）", fmt.pct(r.speed, 2)),
        ("λ 的 95% 区间", f"[{fmt.pct(s_lo, 2)}, {fmt.pct(s_hi, 2)}]"),
        ("半衰期（年）", half_life_text(r.half_life)),
        ("半衰期区间（年）", f"{half_life_text(h_lo)}—{half_life_text(h_hi)}"),
        ("R²", fmt.num(r.r2, 2)),
        ("省份数", str(r.n)),
    ]
    verdict = ("β 的 95% 区间不含 0：这一时期存在统计上显著的绝对 β 收敛。" if r.ci_high < 0 else
               "β 的 95% 区间包含 0：不能排除不收敛，半衰期的上端为无穷大。" if r.ci_low < 0 else
               "β 的 95% 区间全部大于等于 0：这一时期没有绝对 β 收敛。")
    sig = sigma_path(vintage, start, end, pop_basis=basis)
    chart = widgets.chart(f"σ 收敛：人均 GDP 对数标准差（{widgets.vintage_label(vintage)}）", sig.index,
                          [{"id": "sigma", "label": "对数标准差", "y": list(sig.values)}],
                          ylabel="对数标准差", digits=3,
                          events=plots.chart_events(), bands=plots.stage_bands())
    return [widgets.stats(items), widgets.message(verdict, level="info"), chart]


def estimator_widget():
    """收敛估计器：时期 × 数据版本 × 加权 × 人口口径（第四部分第一章）。"""
    controls = [
        widgets.choice("vintage", "数据版本", widgets.vintage_options(("current", "census2018", "yearbook")),
                       "current"),
        widgets.choice("start", "起始年", [2000, 2001, 2006, 2012, 2017], 2012),
        widgets.choice("end", "结束年", [2012, 2017, 2020, 2022, 2024], 2024),
        widgets.choice("weighted", "加权", [("不加权", False), ("期初人口加权", True)], False),
        widgets.choice("basis", "人均 GDP 的人口分母", [("年平均人口", "mean"), ("年末人口", "yearend")], "mean"),
    ]
    gaps = [
        widgets.Gap(lambda p: p["end"] - p["start"] < MIN_SPAN, f"时期短于 {MIN_SPAN} 年，或结束年份不晚于起始年份"),
        widgets.Gap(lambda p: not {p["start"], p["end"]} <= set(data.vintage_info(p["vintage"])["years"]),
                    "起始或结束年份不在所选数据版本之内"),
        widgets.Gap({"vintage": "yearbook", "start": 2000, "basis": "mean"},
                    "该版本没有 1999 年人口，2000 年的年平均人口因而缺失"),
    ]
    return widgets.BookWidget(
        "收敛估计器：绝对 β 收敛与 σ 收敛", controls, estimator_views, gaps=gaps,
        description="选择时期、数据版本、加权方式和人口口径；时期太短、年份不在所选版本之内或数据缺失时给出提示。")


def speed_sources() -> dict[str, tuple[str, float]]:
    """情景推演中可对照的收敛速度：键 → (说明, λ)。

    ``b``：2012—最新年份，现行版本，不加权；``bw``：同期人口加权；``a``：2000—2012 年，年鉴口径（年末人口），不加权。
    """
    return dict(_speed_sources())


@data.cached
def _start() -> tuple[int, float, float]:
    s = starting_ratios("current")
    return s["year"], s["east_central"], s["east_west"]


@data.cached
def _speed_sources() -> tuple:
    cur, yb = widgets.vintage_label("current"), widgets.vintage_label("yearbook")
    t0 = _start()[0]
    return tuple({
        "b": (f"2012—{t0}，{cur}，不加权", estimate("current", 2012, t0).speed),
        "bw": (f"2012—{t0}，{cur}，人口加权", estimate("current", 2012, t0, weighted=True).speed),
        "a": (f"2000—2012，{yb}，不加权", estimate("yearbook", 2000, 2012, pop_basis="yearend").speed),
    }.items())


def scenario_views(gap_ec: float = -0.5, gap_ew: float = -0.5, source: str = "b") -> list[dict]:
    """情景推演工具的计算：东部减中部、东部减西部的人均增长率之差（百分点）所给出的人均比路径，
    与按估计的收敛速度得出的路径并列；起点为现行版本最新一年。"""
    sources = speed_sources()
    if source not in sources:
        raise OutlookError(f"未知的收敛速度来源 {source!r}；可选：{'、'.join(sources)}",
                           f"unknown speed source {source!r}; valid: {', '.join(sources)}")
    label, lam = sources[source]
    t0, r_ec, r_ew = _start()
    ec = scenario_path(r_ec, check_gap(gap_ec, "东部与中部的增长率之差"), t0, 2050)
    ew = scenario_path(r_ew, check_gap(gap_ew, "东部与西部的增长率之差"), t0, 2050)
    cec = convergence_path(r_ec, lam, t0, 2050)
    cew = convergence_path(r_ew, lam, t0, 2050)
    # 图注只随收敛速度的来源变化（所设的增长率之差见控件与表），使网页中重复的文字尽量少。
    note = (f"示意，不是预测。起点：{t0} 年，{widgets.vintage_label('current')}；实线：所设的增长率之差；"
            f"虚线：收敛速度 λ = {fmt.pct(lam, 2)}（{label}）。")
    chart = widgets.chart(
        "东部与中部、西部人均 GDP 之比", ec.index,
        [{"id": "ec", "label": "东÷中（情景）", "y": list(ec.values), "color": plots.COLORS["central"]},
         {"id": "ew", "label": "东÷西（情景）", "y": list(ew.values), "color": plots.COLORS["west"]},
         {"id": "cec", "label": "东÷中（按收敛速度）", "y": list(cec.values), "color": plots.COLORS["central"],
          "dash": True},
         {"id": "cew", "label": "东÷西（按收敛速度）", "y": list(cew.values), "color": plots.COLORS["west"],
          "dash": True}],
        ylabel="人均 GDP 之比", digits=2, note=note,
        events=plots.chart_events(), bands=plots.stage_bands())
    rows = [[f"{y} 年", fmt.num(ec.loc[y], 2), fmt.num(cec.loc[y], 2), fmt.num(ew.loc[y], 2), fmt.num(cew.loc[y], 2)]
            for y in (t0, 2035, 2050)]
    tab = widgets.table("推演结果（示意，不是预测）",
                        ["年份", "东÷中 情景", "东÷中 收敛速度", "东÷西 情景", "东÷西 收敛速度"], rows)
    views = [tab]
    for name, path in (("中部", ec), ("西部", ew)):
        below = path[path < 1]
        if len(below):
            views.append(widgets.message(
                f"在这一设定下，{name}人均 GDP 将在 {int(below.index[0])} 年超过东部：这意味着几十年来的排序反转，"
                "请想一想需要什么条件才可能发生。", level="info"))
    return views + [chart]


def scenario_widget():
    """情景推演工具：东−中 × 东−西的增长率之差 × 对照的收敛速度（第四部分第二章）。"""
    gaps = [(fmt.num(g, 1, signed=True), g) for g in GAP_GRID]
    controls = [
        widgets.choice("gap_ec", "东部减中部人均增长率（百分点）", gaps, -0.5),
        widgets.choice("gap_ew", "东部减西部人均增长率（百分点）", gaps, -0.5),
        widgets.choice("source", "对照的收敛速度", [(v[0], k) for k, v in speed_sources().items()], "b"),
    ]
    return widgets.BookWidget(
        "情景推演：2035 年与 2050 年的区域人均比（示意，不是预测）", controls, scenario_views,
        description="设定东部与中部、西部的人均增长率之差，查看人均比到 2035 年、2050 年的路径，"
                    "并与按收敛速度推出的路径对照。")


# ---------------------------------------------------------------- 案例：新安江流域横向生态补偿

#: 新安江案例中的上游与下游：省代码、城市 6 位代码。
XAJ_UP, XAJ_DOWN = "34", "33"
XAJ_UP_CITY, XAJ_DOWN_CITY = "341000", "330100"
#: 试点启动之年（财政部、环境保护部 2011 年 3 月启动试点；第一轮资金从 2012 年起算）。
XAJ_START = 2011
#: 画在图上的各轮年份（来自 case_xinanjiang.csv 的 years 列）。
XAJ_ROUNDS = ("第一轮", "第二轮", "第三轮", "样板区")


def _xaj_value(facts: pd.DataFrame, fact_id: str) -> float:
    return float(facts.loc[fact_id, "value"])


def xinanjiang_rounds() -> pd.DataFrame:
    """各轮的起止年份：由事实表的 ``years`` 列得出（第二轮由逐年的三行合成）。"""
    f = data.case_xinanjiang()
    rows = []
    for stage in XAJ_ROUNDS:
        ys = f.loc[f["stage_zh"] == stage, "years"].dropna().astype(str)
        bounds = [int(p) for y in ys for p in y.split("-")]
        rows.append({"stage_zh": stage, "start": min(bounds), "end": max(bounds)})
    return pd.DataFrame(rows).set_index("stage_zh")


def xinanjiang_case(vintage: str = "current") -> dict:
    """新安江案例用到的全部数字。

    - 资金（亿元/年）：第一轮的总额与构成、安徽每年最多可得的外来资金（中央 + 浙江），
      以及它相对于黄山市人口（六普，按 2020 年区划调整）的人均数；
    - 人口：黄山市与杭州市两次普查的常住人口及其变化，黄山占安徽（同一来源各地级单位之和）的份额；
    - 省级：安徽 ÷ 浙江人均 GDP 之比（一个数据版本），试点前后对数比值的年均变化（百分点）。
    前后比较只是描述：它不能把补偿的作用与同时发生的其他变化分开。"""
    f = data.case_xinanjiang().set_index("fact_id")
    out: dict = {"facts": f}
    # 资金
    out["r1_total"] = _xaj_value(f, "XAJ07")
    out["r1_central"] = _xaj_value(f, "XAJ08")
    out["r1_zj"] = _xaj_value(f, "XAJ09")
    out["r1_ah"] = _xaj_value(f, "XAJ10")
    out["r1_stake"] = _xaj_value(f, "XAJ11")
    if not math.isclose(out["r1_central"] + out["r1_zj"] + out["r1_ah"], out["r1_total"]):
        raise OutlookError("新安江第一轮资金的构成与总额不符，请检查 case_xinanjiang.csv",
                           "round-1 parts do not add up to the total in case_xinanjiang.csv")
    out["r1_inflow_max"] = out["r1_central"] + out["r1_stake"]
    out["r2_central"] = [_xaj_value(f, k) for k in ("XAJ12", "XAJ13", "XAJ14")]
    out["r3_each"] = _xaj_value(f, "XAJ15")
    out["r4_total"] = _xaj_value(f, "XAJ18")
    out["r4_each"] = (_xaj_value(f, "XAJ19"), _xaj_value(f, "XAJ20"))
    out["area"] = (_xaj_value(f, "XAJ21"), _xaj_value(f, "XAJ22"))
    out["unverified"] = int((f["verification"] == "secondary_copy").sum())
    out["n_facts"] = len(f)
    # 人口（同一来源：两次普查，2010 年按 2020 年区划调整）
    c = data.cities()
    c = c[c["source_id"] == "LEIII_CENSUS_V1"]
    p10 = c[c["indicator"] == "pop_resident_census_2010_boundary_adj"].set_index("code")
    p20 = c[c["indicator"] == "pop_resident_census"].set_index("code")
    for key, code in (("up", XAJ_UP_CITY), ("down", XAJ_DOWN_CITY)):
        a, b = float(p10.loc[code, "value"]), float(p20.loc[code, "value"])
        out[f"pop10_{key}"], out[f"pop20_{key}"], out[f"pop_chg_{key}"] = a, b, b / a - 1
    prov20 = p20[p20["province_code"] == XAJ_UP + "0000"]
    out["up_share_prov"] = out["pop20_up"] / float(prov20["value"].sum())
    out["up_n_units"] = len(prov20)
    out["inflow_per_head"] = out["r1_inflow_max"] * 1e8 / out["pop10_up"]
    # 城市 GDP：两市各有哪些年份（不同来源单位不同），有没有共同年份
    g = data.cities("gdp_current")
    years = {key: sorted(int(y) for y in g.loc[g["code"] == code, "year"])
             for key, code in (("up", XAJ_UP_CITY), ("down", XAJ_DOWN_CITY))}
    out["gdp_years_up"], out["gdp_years_down"] = years["up"], years["down"]
    out["gdp_years_common"] = sorted(set(years["up"]) & set(years["down"]))
    # 上游城市最早一年的 GDP（城市统计年鉴口径，万元 → 亿元）：资金的量级
    gu = g[(g["code"] == XAJ_UP_CITY) & (g["unit"] == "10k_yuan")].sort_values("year")
    if gu.empty:
        raise OutlookError("城市数据中没有黄山市以万元计的地区生产总值", "no Huangshan GDP in 10k yuan")
    out["gdp_year_up"] = int(gu["year"].iloc[0])
    out["gdp_up"] = float(gu["value"].iloc[0]) / 1e4
    out["inflow_share_gdp"] = out["r1_inflow_max"] / out["gdp_up"]
    # 省级：安徽 ÷ 浙江人均 GDP
    pn = data.panel(vintage)
    w = pn.pivot(index="year", columns="code", values="gdp_pc")[[XAJ_UP, XAJ_DOWN]].dropna()
    ratio = w[XAJ_UP] / w[XAJ_DOWN]
    out["ratio"] = ratio
    y0, y1 = int(ratio.index.min()), int(ratio.index.max())
    if not y0 < XAJ_START < y1:
        raise OutlookError(f"{vintage} 版本的人均 GDP 没有覆盖 {XAJ_START} 年前后，无法比较",
                           f"vintage {vintage} does not span {XAJ_START}")
    out["years"] = (y0, y1)
    out["ratio_first"], out["ratio_start"], out["ratio_last"] = ratio.loc[y0], ratio.loc[XAJ_START], ratio.loc[y1]
    lr = np.log(ratio)
    out["trend_before"] = (lr.loc[XAJ_START] - lr.loc[y0]) / (XAJ_START - y0) * 100
    out["trend_after"] = (lr.loc[y1] - lr.loc[XAJ_START]) / (y1 - XAJ_START) * 100
    return out


#: 事实表中各来源在读者表格中的写法（报道者与日期；出处细节见数据说明附录）。
XAJ_SOURCE_ZH = {
    "CNS_20110328_XAJ": "中新社 2011-03-28",
    "ZHANGJIA_2015_XAJ": "张燕、贾若祥（2015）",
    "MSZK_2014_XAJ": "《民生周刊》2014",
    "ZJRB_20240929_XAJ": "《浙江日报》2024-09-29",
    "MWRDRC_2024_XAJ": "李肇桀、陈博、梁宁（2024）",
    "RMRB_20181105_XAJ": "《人民日报》2018-11-05",
    "XINHUA_20230605_XAJ": "新华社 2023-06-05",
    "PEOPLE_20230606_XAJ": "人民网 2023-06-06",
}
XAJ_UNIT_ZH = {"100m_yuan": " 亿元", "10k_km2": " 万平方公里", "years": " 年"}
XAJ_CHECK_ZH = {"publisher_page": "报纸自己的版面", "secondary_copy": "未核实（仅见转载）"}


def xinanjiang_table() -> pd.DataFrame:
    """读者看的事实表：阶段、日期、适用年份、事项、数值、出资方、出处、核实状态（每行一条事实）。"""
    f = data.case_xinanjiang()
    missing = sorted(set(f["source_id"]) - set(XAJ_SOURCE_ZH))
    if missing:
        raise OutlookError(f"新安江事实表中有未登记中文出处的来源：{missing}",
                           f"sources without a Chinese label: {missing}")

    def _value(r):
        if pd.isna(r["value"]):
            return "—"
        return fmt.num(r["value"], 2 if r["unit"] == "10k_km2" else 0) + XAJ_UNIT_ZH[r["unit"]]

    def _text(v, dash="-"):
        return "" if pd.isna(v) else str(v).replace("-", dash)

    return pd.DataFrame({
        "阶段": f["stage_zh"], "日期": f["date"].map(_text), "适用年份": f["years"].map(lambda v: _text(v, "—")),
        "事项": f["item_zh"], "数值": f.apply(_value, axis=1), "出资方": f["party_zh"].fillna(""),
        "出处": f["source_id"].map(XAJ_SOURCE_ZH), "核实": f["verification"].map(XAJ_CHECK_ZH)})
