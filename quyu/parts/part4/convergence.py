"""第四部分“收敛与区域格局的变化”一章（``book/part4/convergence.md``）的计算与组件：β 收敛与 σ 收敛、收敛期限
（速度、半衰期及其区间）、实际增长的核对，以及收敛估计器组件。

估计本身（``estimate``、``convergence_sample``、``speed``、``speed_interval``）与“面向 2035 年的区域协调”一章共用，
在 ``_shared`` 中；本章的读者从这里调用它们。
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import analysis, data, fmt, measures, plots, widgets
from ._shared import (MIN_SPAN, PERMUTATIONS, SEED, OutlookError, convergence_sample, estimate, half_life, speed,
                      speed_interval)

__all__ = [
    "OutlookError", "MIN_SPAN", "speed", "half_life", "speed_interval", "half_life_interval",
    "convergence_sample", "estimate", "sigma_path", "real_growth_sample", "half_life_text", "estimator_views",
    "estimator_widget", "beta_ci_reading_zh", "sigma_trend", "trend_text_zh", "beta_sign_zh", "sigma_beta_story_zh",
    "sigma_summary_zh", "nominal_real_reading_zh", "nominal_real_summary_zh",
    "spatial_beta", "island_codes", "spatial_speeds", "spatial_table", "resid_moran_reading_zh", "lm_reading_zh",
    "spatial_param_reading_zh", "spatial_beta_reading_zh", "hainan_robust_zh", "effects_reading_zh",
    "lag_beta_size_zh", "interval_zh", "spatial_summary_zh",
]


def half_life_interval(result: measures.BetaResult) -> tuple[float, float]:
    """半衰期的 95% 区间（短端, 长端）；λ 的下端 ≤ 0 时长端为 inf（不能排除不收敛）。"""
    lo, hi = speed_interval(result)
    return half_life(hi), half_life(lo)


def sigma_path(vintage: str, start: int, end: int, pop_basis: str = "mean") -> pd.Series:
    """σ 收敛：各年人均 GDP 对数标准差（同一版本，缺数据的年份不计）。"""
    d = analysis.disparity(vintage, "sigma", pop_basis=pop_basis)["value"]
    return d.loc[(d.index >= start) & (d.index <= end)]


def _gdp_index_years() -> list[int]:
    """地区生产总值指数（上年 = 100）有数据的年份（序列登记中的 ``gdp_index``）。"""
    return data.series_years("gdp_index")


def real_growth_sample(start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """实际增长核对（现行版本）：期初名义人均 GDP 与名义、实际人均 GDP 年均对数增长率。

    实际 GDP 增长由“地区生产总值指数（上年 = 100）”连乘得到（指数首年的前一年是最早的起点，
    默认即从那一年算到指数的最后一年）；人均化时减去同一版本年平均人口的对数增长。
    列：name, y0, g_nominal, g_real, deflator（年均隐含价格上涨，对数）。
    """
    iy = _gdp_index_years()
    first, last = iy[0] - 1, iy[-1]
    start = first if start is None else start
    end = last if end is None else end
    if not (first <= start < end <= last):
        span = fmt.year_span(iy[0], iy[-1])
        raise OutlookError(f"地区生产总值指数只有 {span}，实际增长只能在 {first}—{last} 年之间计算",
                           f"the GDP index covers {iy[0]}-{iy[-1]} only: real growth between {first} and {last}")
    if end - start < MIN_SPAN:
        raise OutlookError(f"时期太短（{end - start} 年）：至少需要 {MIN_SPAN} 年",
                           f"period too short ({end - start} years); at least {MIN_SPAN} years needed")
    reg = data.series_registry().set_index("series").loc["gdp_index"]
    idx = data.indicator(reg["indicator"], reg["source_id"])
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


# ---------------------------------------------------------------- 组件（正文与测试共用）

def half_life_text(x: float) -> str:
    """半衰期（年）的文字：整数年，无穷大写作“∞”。"""
    return "∞" if math.isinf(x) else fmt.num(x, 0)


def estimator_views(vintage: str = "current", start: int | None = None, end: int | None = None,
                    weighted: bool = False, basis: str = "mean") -> list[dict]:
    """收敛估计器的计算：一个时期、一个数据版本、一种加权与人口口径 → β、λ、半衰期及其区间，外加同期的 σ。

    默认时期：新时代阶段的起始年（data/stages.csv）到所选版本的最新年份。"""
    start = data.stage_start("new_era") if start is None else start
    end = data.latest_year(vintage) if end is None else end
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
    # 年份选项取自数据：各版本的首年（年鉴口径另加次年：首年没有年平均人口）、新时代阶段的起点与其后五年，
    # 结束年为新时代起点、其后五年，以及现行版本最新年份与其前四年、前两年。
    yb0, cur0 = data.vintage_info("yearbook")["years"][0], data.vintage_info("current")["years"][0]
    era, last = data.stage_start("new_era"), data.latest_year("current")
    controls = [
        widgets.choice("vintage", "数据版本", widgets.vintage_options(("current", "census2018", "yearbook")),
                       "current"),
        widgets.choice("start", "起始年", sorted({yb0, yb0 + 1, cur0, era, era + MIN_SPAN}), era),
        widgets.choice("end", "结束年", sorted({era, era + MIN_SPAN, last - 4, last - 2, last}), last),
        widgets.choice("weighted", "加权", [("不加权", False), ("期初人口加权", True)], False),
        widgets.choice("basis", "人均 GDP 的人口分母", [("年平均人口", "mean"), ("年末人口", "yearend")], "mean"),
    ]
    gaps = [
        widgets.Gap(lambda p: p["end"] - p["start"] < MIN_SPAN, f"时期短于 {MIN_SPAN} 年，或结束年份不晚于起始年份"),
        widgets.Gap(lambda p: not {p["start"], p["end"]} <= set(data.vintage_info(p["vintage"])["years"]),
                    "起始或结束年份不在所选数据版本之内"),
        widgets.Gap({"vintage": "yearbook", "start": yb0, "basis": "mean"},
                    f"该版本没有 {yb0 - 1} 年人口，{yb0} 年的年平均人口因而缺失"),
    ]
    return widgets.BookWidget(
        "收敛估计器：绝对 β 收敛与 σ 收敛", controls, estimator_views, gaps=gaps,
        description="选择时期、数据版本、加权方式和人口口径；时期太短、年份不在所选版本之内或数据缺失时给出提示。")


def beta_ci_reading_zh(r) -> str:
    """β 的 95% 区间与零的关系（中文，接在区间之后）：由区间两端决定，不由点估计决定。"""
    if r.ci_high < 0:
        return "整体在零以下，能在 5% 水平上排除“不收敛”"
    if r.ci_low > 0:
        return "整体在零以上，能在 5% 水平上排除“收敛”，穷省增长更慢"
    return "跨过了零，不能在 5% 水平上排除“不再收敛”"


# ---------------------------------------------------------------- 判断句：由区间决定（正文粘贴）

def _side(lo: float, hi: float) -> int:
    """区间整体在零以下为 −1，整体在零以上为 +1，跨过零为 0。"""
    return -1 if hi < 0 else 1 if lo > 0 else 0


def sigma_trend(series: pd.Series, start: int | None = None, end: int | None = None) -> measures.TrendResult:
    """σ 收敛的检验：σ_t 对年份的线性趋势，Newey–West（HAC）95% 区间（``measures.trend``）。"""
    return measures.trend(series, start, end)


#: 做趋势检验所需的最少年份（更短的时段只描述，不检验：几个点上的 Newey–West 区间不可靠）。
MIN_TREND_YEARS = 6


def start_year_sensitivity(series: pd.Series, start: int, end: int,
                           min_years: int = MIN_TREND_YEARS) -> dict[int, measures.TrendResult]:
    """σ 趋势对起始年份的敏感性：从 ``start`` 起逐年后移起点（至少留 ``min_years`` 个年份），各做一次检验。"""
    return {y: sigma_trend(series, y, end) for y in range(start, end - min_years + 2)}


def sensitivity_text_zh(sens: dict[int, measures.TrendResult]) -> str:
    """起始年份敏感性的一句话：多少个起点的区间整体在零以下，哪些起点跨过了零。"""
    weak = [y for y, t in sens.items() if t.direction != -1]
    if not weak:
        return f"把起点在 {fmt.year_span(min(sens), max(sens))}之间逐年后移，下降趋势都可以分辨"
    return (f"但这一结论对起点敏感：把起点在 {fmt.year_span(min(sens), max(sens))}之间逐年后移，"
            f"{len(sens)} 个起点中有 {len(weak)} 个（{'、'.join(str(y) for y in weak)} 年）的区间跨过了零")


def trend_text_zh(t: measures.TrendResult) -> str:
    """“平均每年变化 b（95% 区间 [lo, hi]），区间……”：σ 趋势的数值与判断，判断只由区间决定。"""
    reading = {-1: "区间整体在零以下，σ 的下降在 5% 水平上可以分辨",
               1: "区间整体在零以上，σ 的上升在 5% 水平上可以分辨",
               0: "区间跨过了零，数据与“σ 没有趋势”相容"}[t.direction]
    return (f"平均每年变化 {fmt.num(t.slope, 4, signed=True)}（95% 区间 [{fmt.num(t.ci_low, 4)}, "
            f"{fmt.num(t.ci_high, 4)}]），{reading}")


def beta_sign_zh(r) -> str:
    """β 的区间指向哪里（不带“不再”，用于任一时期）：收敛、不显示收敛或发散。"""
    return {-1: "区间整体在零以下，显示收敛", 1: "区间整体在零以上，显示发散",
            0: "区间跨过了零，不显示收敛"}[_side(r.ci_low, r.ci_high)]


def _beta_short(r) -> str:
    return {-1: "β 的区间整体在零以下", 1: "β 的区间整体在零以上", 0: "β 的区间跨过了零"}[_side(r.ci_low, r.ci_high)]


def _sigma_short(t: measures.TrendResult) -> str:
    return {-1: "σ 的下降趋势可以分辨", 1: "σ 的上升趋势可以分辨", 0: "σ 没有可分辨的趋势"}[t.direction]


def beta_sigma_short_zh(beta, trend: measures.TrendResult) -> str:
    """一个时期 β 区间与 σ 趋势各自的判断，并列成一句（由区间选出）。"""
    return f"{_beta_short(beta)}，{_sigma_short(trend)}"


def sigma_beta_story_zh(beta_a, beta_b, trend_a: measures.TrendResult, trend_b: measures.TrendResult,
                        robust_b: bool = True) -> str:
    """前后两个时期 β 与 σ 的合读：各自的区间说了什么、两者是否一致、收敛是否放慢（相关，不是因果）。
    ``robust_b``：新时代 σ 的下降趋势是否对起始年份稳健（:func:`start_year_sensitivity`）。"""
    def period(label, b, t):
        sb, ss = _side(b.ci_low, b.ci_high), t.direction
        agree = ("两者一致" if sb == ss else "两者方向相反" if sb * ss < 0 else
                 "σ 的结论比 β 更强" if sb == 0 else "β 的结论比 σ 更强")
        return f"{label}{_beta_short(b)}，{_sigma_short(t)}，{agree}"

    parts = [period("新时代以前，", beta_a, trend_a), period("新时代，", beta_b, trend_b)]
    slower = beta_b.speed < beta_a.speed and abs(trend_b.slope) < abs(trend_a.slope)
    if slower and trend_a.slope < 0 and trend_b.slope < 0:
        tail = (f"按点估计，新时代 β 隐含的收敛速度只有前一时期的 {fmt.pct(beta_b.speed / beta_a.speed, 0)}，"
                f"σ 的年均降幅只有前一时期的 {fmt.pct(trend_b.slope / trend_a.slope, 0)}：两种度量都显示收敛明显放慢")
        if _side(beta_b.ci_low, beta_b.ci_high) == 0 and trend_b.direction == -1:
            tail += ("；但 σ 仍在可分辨地下降，所以数据支持“缓慢收敛”，而不支持“停滞”" if robust_b else
                     "；σ 按全时段的趋势仍在可分辨地下降，但换一个起始年份区间就可能跨过零，"
                     "所以数据与“缓慢收敛”相容，与“停滞”不太相符，却不足以排除它")
        elif _side(beta_b.ci_low, beta_b.ci_high) == 0 and trend_b.direction == 0:
            tail += "，而且两者都不能在 5% 水平上排除停滞"
    else:
        tail = "两种度量对新时代收敛是否放慢给出的信号并不相同，需要分开解读"
    return "；".join(parts) + "。" + tail


def sigma_summary_zh(trend_a: measures.TrendResult, trend_b: measures.TrendResult) -> str:
    """小结里的一句：σ 的两段趋势与前面 β 的结论是否相合。"""
    if trend_a.direction == -1 and trend_b.direction == -1:
        core = ("σ 的线性趋势在两个时期都可分辨地向下，但新时代的年均降幅小得多"
                if abs(trend_b.slope) < abs(trend_a.slope) else "σ 的线性趋势在两个时期都可分辨地向下")
    elif trend_a.direction == -1 and trend_b.direction == 0:
        core = "σ 在前一时期可分辨地下降，新时代的趋势区间跨过了零"
    else:
        core = (f"σ 的线性趋势：前一时期{_sigma_short(trend_a).removeprefix('σ ')}，"
                f"新时代{_sigma_short(trend_b).removeprefix('σ ')}")
    slopes = f"（年均变化分别为 {fmt.num(trend_a.slope, 4, signed=True)} 和 {fmt.num(trend_b.slope, 4, signed=True)}）"
    return core + slopes


def nominal_real_reading_zh(nom, real) -> str:
    """名义与实际增长的 β：点估计是否落在对方的区间内、两个区间各自与零的关系、哪个区间更窄。"""
    inside = nom.ci_low <= real.beta <= nom.ci_high and real.ci_low <= nom.beta <= real.ci_high
    overlap = nom.ci_low <= real.ci_high and real.ci_low <= nom.ci_high
    first = ("两个点估计都落在对方的区间之内：省际价格差异没有明显改变这一时期的斜率" if inside else
             "两个区间有重叠，但点估计相差较大：省际价格差异对斜率有一定影响，区间又不足以把它和抽样误差分开" if overlap
             else "两个区间互不重叠：省际价格差异明显改变了这一时期的斜率")
    sides = _side(nom.ci_low, nom.ci_high), _side(real.ci_low, real.ci_high)
    if sides == (0, 0):
        second = "两个区间都跨过了零，这一时期本身的收敛在 5% 水平上并不显著，无论名义还是实际"
    elif sides == (-1, -1):
        second = "两个区间都整体在零以下，无论名义还是实际，这一时期的收敛在 5% 水平上都成立"
    elif sides[1] == -1 and sides[0] == 0:
        second = "名义回归的区间跨过了零，实际回归的区间却整体在零以下：扣除价格后，收敛在 5% 水平上可以分辨"
    elif sides[0] == -1 and sides[1] == 0:
        second = "名义回归的区间整体在零以下，实际回归的区间却跨过了零：名义数据显示的收敛，一部分与价格涨幅的差异相关"
    else:
        second = "至少一个区间整体在零以上，这一时期谈不上收敛"
    narrower = "实际" if real.ci_high - real.ci_low < nom.ci_high - nom.ci_low else "名义"
    return f"{first}；{second}。{narrower}回归的区间更窄"


def nominal_real_summary_zh(nom, real) -> str:
    """小结里的一句：名义与实际 β 的比较。"""
    inside = nom.ci_low <= real.beta <= nom.ci_high and real.ci_low <= nom.beta <= real.ci_high
    head = "省际价格差异没有明显改变收敛回归的斜率" if inside else "省际价格差异改变了收敛回归的斜率"
    sides = _side(nom.ci_low, nom.ci_high), _side(real.ci_low, real.ci_high)
    tail = {(0, -1): "，而且扣除价格后收敛在 5% 水平上可以分辨", (-1, 0): "，而且扣除价格后收敛不再显著",
            (0, 0): "，名义和实际回归的收敛都不显著", (-1, -1): "，名义和实际回归的收敛都显著"}.get(sides, "")
    return head + tail


# ---------------------------------------------------------------- 空间 β 收敛（正文、习题与测试共用）

#: 空间诊断与空间模型的检验水平。
ALPHA = 0.05
#: 显著、但 p 值在这个数与 ALPHA 之间时，判断句注明“紧贴界限”（似然比检验 p = 0.055 的另一面）。
BORDERLINE = 0.04


def island_codes() -> list[str]:
    """不含海南—广东惯例连接时没有邻省的省份代码（取自相邻关系表，不写在代码里）。"""
    return sorted(c for c, v in data.neighbours(False).items() if not v)


@data.cached
def spatial_beta(hainan_link: bool = True, vintage: str = "current", start: int | None = None,
                 end: int | None = None, pop_basis: str = "mean") -> measures.SpatialRegResult:
    """空间 β 收敛：与 :func:`estimate` 同一个样本（默认新时代起点到所选版本最新年份、年平均人口），
    年均对数增长率对期初人均 GDP 的对数作 OLS、空间滞后与空间误差模型（``measures.spatial_regression``）。

    权重为行标准化的省际相邻权重（同分布动态一章的莫兰指数）；``hainan_link=False`` 时海南没有邻省，
    不参与估计（30 个省份）。残差莫兰指数的置换检验次数与种子与那一章相同。"""
    start = data.stage_start("new_era") if start is None else start
    end = data.latest_year(vintage) if end is None else end
    s = convergence_sample(vintage, start, end, pop_basis)
    nb = data.neighbours(hainan_link)
    keep = [c for c in s.index if nb[c]]
    s = s.loc[keep]
    g = np.log(s["y1"] / s["y0"]) / (end - start)
    x = np.log(s["y0"]).rename("ln_y0")
    return measures.spatial_regression(g, x, nb, permutations=PERMUTATIONS, seed=SEED)


def spatial_speeds(res: measures.SpatialRegResult, years: int) -> dict[str, float]:
    """各模型 β 隐含的收敛速度（每年）：OLS、空间滞后模型的系数、空间误差模型，以及滞后模型的总效应。"""
    return {"ols": speed(res.ols.coef["ln_y0"], years), "lag": speed(res.lag.coef["ln_y0"], years),
            "error": speed(res.error.coef["ln_y0"], years), "lag_total": speed(res.effects.total["ln_y0"], years)}


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else fmt.num(p, 3)


def spatial_table(res: measures.SpatialRegResult, years: int) -> pd.DataFrame:
    """三个模型并列的中文表：β（标准误）、β 的 p 值、隐含收敛速度（滞后模型按总效应：它的 β 是邻省增长给定时的作用，
    不能直接换算成速度）、空间参数（标准误，Wald p）、
    与 OLS 相比的似然比检验、对数似然与 AIC（同一列，PDF 中九列放不下）。"""
    sp = spatial_speeds(res, years)
    rows = []
    for key, label, par in (("ols", "普通最小二乘", ""), ("lag", "空间滞后模型", "ρ"), ("error", "空间误差模型", "θ")):
        f = getattr(res, key)
        rows.append({
            "模型": label,
            "β（标准误）": f"{fmt.num(f.coef['ln_y0'], 4)}（{fmt.num(f.se['ln_y0'], 4)}）",
            "β 的 p 值": _p(f.p["ln_y0"]),
            "隐含收敛速度": fmt.pct(sp["lag_total" if key == "lag" else key], 2) + ("（按总效应）" if key == "lag" else ""),
            "空间参数（标准误）": "—" if not par else f"{par} = {fmt.num(f.spatial, 3)}（{fmt.num(f.spatial_se, 3)}）",
            "空间参数的 Wald p 值": "—" if not par else _p(f.spatial_p),
            "对普通最小二乘的似然比检验": "—" if not par else f"{fmt.num(f.lr, 2)}（p = {_p(f.lr_p)}）",
            "对数似然（AIC）": f"{fmt.num(f.logll, 2)}（{fmt.num(f.aic, 2)}）",
        })
    return pd.DataFrame(rows)


def resid_moran_reading_zh(m: measures.MoranResult, n: int) -> str:
    """OLS 残差莫兰指数的判断（由置换检验的 p 值决定）；``n`` 为参与估计的省份数。"""
    if m.p_sim < ALPHA and m.I > m.EI:
        return ("在 5% 水平上显著为正：相邻省份偏离回归线的方向相似，"
                f"普通最小二乘把 {n} 个省份当作互相独立的观测，这个假定不成立")
    if m.p_sim < ALPHA:
        return "在 5% 水平上显著为负：相邻省份偏离回归线的方向相反，观测之间并不独立"
    return "在 5% 水平上与“残差没有空间自相关”相容，数据不要求改用空间模型"


def lm_reading_zh(lm: dict) -> str:
    """按 Anselin 的决策规则读 LM 检验：先看两个普通形式，都显著时再看稳健形式（选择由 p 值决定）。"""
    lag, err = lm["lag"].p < ALPHA, lm["error"].p < ALPHA
    rlag, rerr = lm["robust_lag"].p < ALPHA, lm["robust_error"].p < ALPHA
    if not lag and not err:
        return "两个普通形式都不显著，数据不要求空间模型"
    if lag != err:
        name, other = ("空间滞后", "空间误差") if lag else ("空间误差", "空间滞后")
        p_sig = lm["lag"].p if lag else lm["error"].p
        edge = "（p 值紧贴 5% 的界限，这一步本身就处在临界状态）" if p_sig >= BORDERLINE else ""
        head = f"只有 LM {name}检验在 5% 水平上显著{edge}，按决策规则应选{name}模型"
        if not rlag and not rerr:
            return (head + f"；但两个稳健形式都不显著，说明数据只能告诉我们残差中有空间依赖，"
                    f"却分不清它来自{name}还是{other}，选择带有任意性")
        return head + "，稳健形式也支持这一选择" if (rlag if lag else rerr) else head
    if rlag != rerr:
        name = "空间滞后" if rlag else "空间误差"
        return f"两个普通形式都显著，稳健形式中只有{name}显著，按决策规则应选{name}模型"
    if rlag and rerr:
        return "普通形式与稳健形式都显著，两种依赖可能同时存在，需要更一般的模型"
    return "两个普通形式都显著，而两个稳健形式都不显著：数据分不清依赖来自滞后还是误差"


def spatial_param_reading_zh(f: measures.SpatialFit) -> str:
    """空间参数的两种检验（Wald 与似然比）是否一致（由两个 p 值决定）。"""
    wald, lr = f.spatial_p < ALPHA, f.lr_p < ALPHA
    if wald and lr:
        return "Wald 检验与似然比检验都在 5% 水平上显著"
    if wald:
        return "Wald 检验在 5% 水平上显著，似然比检验却不显著，两种渐近检验在小样本中给出不同的答案，证据处在临界状态"
    if lr:
        return "似然比检验在 5% 水平上显著，Wald 检验却不显著，证据处在临界状态"
    return "Wald 检验与似然比检验都不显著"


def spatial_beta_reading_zh(res: measures.SpatialRegResult) -> str:
    """三个模型中 β 是否显著为负（由各自的 p 值与符号决定）。"""
    labels = {"ols": "普通最小二乘", "lag": "空间滞后模型", "error": "空间误差模型"}
    sig = {k: getattr(res, k).p["ln_y0"] < ALPHA and getattr(res, k).coef["ln_y0"] < 0 for k in labels}
    if all(sig.values()):
        return "三个模型中 β 都在 5% 水平上显著为负"
    if not any(sig.values()):
        return "三个模型中 β 都不能在 5% 水平上与零区分"
    yes = "、".join(labels[k] for k, v in sig.items() if v)
    no = "、".join(labels[k] for k, v in sig.items() if not v)
    return f"β 在{yes}中在 5% 水平上显著为负，在{no}中不显著"


def _pattern(res: measures.SpatialRegResult) -> tuple:
    return (res.moran_resid.p_sim < ALPHA, res.lm["lag"].p < ALPHA, res.lm["error"].p < ALPHA,
            res.lm["robust_lag"].p < ALPHA, res.lm["robust_error"].p < ALPHA,
            res.lag.spatial_p < ALPHA, res.lag.lr_p < ALPHA, res.error.spatial_p < ALPHA, res.error.lr_p < ALPHA,
            *(getattr(res, k).p["ln_y0"] < ALPHA for k in ("ols", "lag", "error")))


def hainan_robust_zh(with_link: measures.SpatialRegResult, without: measures.SpatialRegResult) -> str:
    """含与不含海南连接两种设定下，各项检验在 5% 水平上的判断是否相同。"""
    a, b = _pattern(with_link), _pattern(without)
    if a == b:
        return "各项检验在 5% 水平上的判断与含海南连接时完全相同"
    names = ["残差莫兰指数", "LM 滞后检验", "LM 误差检验", "稳健 LM 滞后检验", "稳健 LM 误差检验",
             "ρ 的 Wald 检验", "滞后模型的似然比检验", "θ 的 Wald 检验", "误差模型的似然比检验",
             "OLS 的 β", "滞后模型的 β", "误差模型的 β"]
    changed = "、".join(n for n, x, y in zip(names, a, b) if x != y)
    return f"但{changed}在 5% 水平上的判断与含海南连接时不同，结论对这条连接敏感"


def effects_reading_zh(res: measures.SpatialRegResult) -> str:
    """滞后模型的三种效应能否与零区分（由模拟的 95% 区间决定；不比较点估计的大小）。"""
    e = res.effects
    has0 = {k: e.lo.loc["ln_y0", k] <= 0 <= e.hi.loc["ln_y0", k] for k in ("direct", "indirect", "total")}
    if has0["total"]:
        head = "总效应的 95% 区间包含 0"
        if not has0["direct"]:
            head += "，直接效应的区间不包含 0"
        return (head + f"：{res.n} 个省份的数据分辨不出总效应是否为零，"
                "它比普通最小二乘的 β 大还是小、有多少作用经由邻省传导，也都无从判断")
    if has0["indirect"]:
        return ("总效应的 95% 区间不包含 0，间接效应的区间包含 0：期初水平的总体作用可以分辨，"
                "但其中经由邻省传导的那一部分分辨不出来")
    return "总效应与间接效应的 95% 区间都不包含 0：期初水平的作用有一部分经由邻省之间的相互影响传导"


def lag_beta_size_zh(res: measures.SpatialRegResult) -> str:
    """滞后模型的 β 与普通最小二乘的 β 相比（只描述点估计的大小）。"""
    return "较小" if abs(res.lag.coef["ln_y0"]) < abs(res.ols.coef["ln_y0"]) else "并不更小"


def interval_zh(lo: float, hi: float, digits: int = 4) -> str:
    """区间的中文写法：[下限, 上限]。"""
    return f"[{fmt.num(lo, digits)}, {fmt.num(hi, digits)}]"


def spatial_summary_zh(res: measures.SpatialRegResult, speeds: dict) -> str:
    """空间 β 收敛的合读（两句）：收敛是否因模型而变，残差相关是否可分辨、来自哪一种依赖（都由检验决定）。"""
    labels = ("ols", "lag", "error")
    sig = [getattr(res, k).p["ln_y0"] < ALPHA and getattr(res, k).coef["ln_y0"] < 0 for k in labels]
    comparable = [v for k, v in speeds.items() if k != "lag"]   # 滞后模型的 β 是邻省增长给定时的作用，不可比
    rng = f"每年 {fmt.pct(min(comparable), 2)}—{fmt.pct(max(comparable), 2)}"
    if not any(sig):
        first = f"考虑空间依赖之后，省际收敛仍然缓慢而不确定：几种算法隐含的速度在{rng}之间，三个模型的 β 都不能在 5% 水平上与零区分"
    elif all(sig):
        first = f"考虑空间依赖之后，省际收敛在三个模型中都在 5% 水平上显著，隐含的速度在{rng}之间"
    else:
        first = f"考虑空间依赖之后，隐含的速度在{rng}之间，但收敛是否显著取决于用哪一个模型"
    if res.moran_resid.p_sim >= ALPHA:
        return first + "。残差的空间相关不显著，普通回归的结论不需要修改"
    lm = res.lm
    if lm["lag"].p >= ALPHA and lm["error"].p >= ALPHA:
        second = "残差的莫兰指数显著，LM 检验却都不显著，两种诊断的信号并不一致"
    elif lm["robust_lag"].p >= ALPHA and lm["robust_error"].p >= ALPHA:
        second = (f"残差中的空间相关可以分辨，它提醒我们普通回归的标准误偏于乐观；但这种相关究竟来自增长的溢出"
                  f"（滞后模型）还是共同的冲击（误差模型），{res.n} 个省份的数据分辨不出来")
    else:
        second = f"残差中的空间相关可以分辨，LM 检验的结论是：{lm_reading_zh(lm)}"
    return first + "。" + second
