"""第四部分“南北差距”一章的计算：秦岭—淮河南北划分下的份额、人均比与泰尔分解，驱动因素的检验，以及交互组件。

划分来自 ``data/north_south.csv``（两种写法），GDP 与人口来自省级面板，每次计算只用一个数据版本。
泰尔指数用全书的 :func:`quyu.measures.theil_t`（Theil 1967 的 T 指数，Shorrocks 1980 的分组分解）。
推断：比值的趋势用对数比值对年份的 OLS 回归，标准误取 Newey–West（HAC）；南北两组省份的增长率之差
用置换检验（scipy）。结论句由区间或 p 值选出。
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps

from ... import data, fmt, measures, plots, widgets
from ...errors import BookError

#: 主方案与备选方案（north_south.csv 的 split）。
MAIN_SPLIT = "qinling_huaihe"
#: 组件与正文中逐一计算的数据版本（初步核算版本只有零散几年，不画时间序列）。
SERIES_VINTAGES = ("current", "census2018", "yearbook", "compendium")
#: 南北两侧在读者面前的名称。
SIDE_ZH = {"north": "北方", "south": "南方"}
#: 置换检验的重抽次数与随机种子（结果可重现）。
N_PERMUTATIONS = 9999
SEED = 20251205
#: 显著性水平。
ALPHA = 0.05


class NorthSouthError(BookError):
    """南北差距的计算无法进行（中英文说明：``error.zh``、``error.en``）。"""


def split_label(split: str) -> str:
    """划分的中文名称（north_south.csv 的 split_zh）。"""
    s = data.north_south_splits().set_index("split")
    if split not in s.index:
        raise NorthSouthError(f"未知的南北划分：{split}", f"unknown split {split!r}")
    return s.loc[split, "split_zh"]


def split_source(split: str) -> str:
    """划分的来源编号（north_south.csv 的 source_id）。"""
    return data.north_south_splits().set_index("split").loc[split, "source_id"]


def side_members(split: str = MAIN_SPLIT, side: str = "north") -> list[str]:
    """一侧的省份简称（按省代码排序）。"""
    s = data.north_south(split)
    names = data.provinces().set_index("code")["name_zh_short"]
    return [names[c] for c in sorted(s.index[s == side])]


def differing(split_a: str, split_b: str) -> list[str]:
    """两种划分归属不同的省份简称。"""
    a, b = data.north_south(split_a), data.north_south(split_b)
    names = data.provinces().set_index("code")["name_zh_short"]
    return [names[c] for c in sorted(a.index) if a[c] != b[c]]


def straddlers(split: str = MAIN_SPLIT) -> pd.DataFrame:
    """跨线或在线西端以外的省份（north_south.csv 中 note 非空的行）：省份、本书归入、说明。"""
    t = data.north_south_table()
    t = t[(t["split"] == split) & (t["note"].fillna("") != "")]
    names = data.provinces().set_index("code")["name_zh_short"]
    return pd.DataFrame({"省份": t["code"].map(names).to_numpy(), "本书归入": t["side"].map(SIDE_ZH).to_numpy(),
                         "说明": t["note"].to_numpy()})


# ---------------------------------------------------------------- 面板与逐年度量

def side_panel(vintage: str = "current", split: str = MAIN_SPLIT, basis: str = "mean") -> pd.DataFrame:
    """一个数据版本的省级面板加上南北一侧（side）与人均值的人口分母（w），只保留 31 省数据齐全的年份。"""
    p = data.panel(vintage, pop_basis=basis).copy()
    p["side"] = p["code"].map(data.north_south(split))
    p["w"] = p["pop_mean"] if basis == "mean" else p["pop"]
    ok = p.groupby("year").apply(lambda b: bool(b[["gdp", "w", "gdp_pc"]].notna().all().all()), include_groups=False)
    years = [int(y) for y, good in ok.items() if good]
    if not years:
        raise NorthSouthError(f"{widgets.vintage_label(vintage)}没有 31 省数据齐全的年份",
                              f"vintage {vintage} has no complete year")
    return p[p["year"].isin(years)].reset_index(drop=True)


def complete_years(vintage: str = "current", basis: str = "mean") -> list[int]:
    """一个数据版本中 31 省 GDP 与人口都齐全的年份（由数据决定）。"""
    return sorted(side_panel(vintage, MAIN_SPLIT, basis)["year"].unique().tolist())


def year_measures(b: pd.DataFrame) -> dict:
    """一年的南北度量（b 为 :func:`side_panel` 中的一年，可以已去掉若干省）。

    份额：北方占 GDP 合计与人口合计的比重；人均比（南 ÷ 北）：加权 = 一侧 GDP 合计 ÷ 一侧人口合计，
    不加权 = 一侧各省人均 GDP 的简单平均之比；泰尔 T（人口加权）：按南北、按四大区域、按南北 × 四大区域分解。
    """
    g = b.groupby("side")["gdp"].sum()
    w = b.groupby("side")["w"].sum()
    pc = g * 1e4 / w
    unw = b.groupby("side")["gdp_pc"].mean()
    y = b["gdp_pc"].to_numpy()
    pop = b["w"].to_numpy()
    t_ns = measures.theil_t(y, pop, b["side"].to_numpy())
    t_4 = measures.theil_t(y, pop, b["region4"].to_numpy())
    cells = (b["side"] + "|" + b["region4"]).to_numpy()
    t_c = measures.theil_t(y, pop, cells)
    u_ns = measures.theil_t(y, None, b["side"].to_numpy())
    return {
        "gdp_share_north": g["north"] / g.sum(),
        "pop_share_north": w["north"] / w.sum(),
        "ratio_weighted": pc["south"] / pc["north"],
        "ratio_unweighted": unw["south"] / unw["north"],
        "theil": t_ns.total,
        "between_ns": t_ns.between,
        "within_ns": t_ns.within,
        "between4": t_4.between,
        "within4": t_4.within,
        "between_cells": t_c.between,
        "between_r4_in_ns": t_c.between - t_ns.between,
        "within_cells": t_c.within,
        "theil_unweighted": u_ns.total,
        "between_ns_unweighted": u_ns.between,
        "within_ns_unweighted": u_ns.within,
    }


@data.cached
def series(vintage: str = "current", split: str = MAIN_SPLIT, basis: str = "mean",
           exclude: tuple = ()) -> pd.DataFrame:
    """逐年的南北度量（列见 :func:`year_measures`），index 为年份；``exclude`` 为去掉的省代码。"""
    p = side_panel(vintage, split, basis)
    if exclude:
        p = p[~p["code"].isin(exclude)]
    rows = {int(y): year_measures(b) for y, b in p.groupby("year")}
    out = pd.DataFrame.from_dict(rows, orient="index").sort_index()
    out.index.name = "year"
    out.attrs.update(vintage=vintage, split=split, basis=basis)
    return out


def northeast_codes() -> tuple:
    """东北三省的代码（region4 == northeast）。"""
    s = data.scheme("region4")
    return tuple(sorted(s.index[s == "northeast"]))


# ---------------------------------------------------------------- 推断

def trend(values: pd.Series) -> dict:
    """ln(值) 对年份的 OLS 斜率（每年的对数变化）及 95% 区间（Newey–West 标准误）与结论。

    滞后阶数取 ⌊4(T/100)^{2/9}⌋（至少 1）。斜率的区间不含 0 时判为“扩大”或“缩小”，否则“不能确定方向”。
    年度序列自相关强、年数少，区间只是粗略的刻画；它检验的是趋势，不是原因。
    """
    v = values.dropna()
    if len(v) < 5:
        raise NorthSouthError("年份太少（少于 5 年），不能估计趋势", "fewer than 5 years")
    x = sm.add_constant(np.asarray(v.index, dtype=float))
    lags = max(1, int(math.floor(4 * (len(v) / 100) ** (2 / 9))))
    fit = sm.OLS(np.log(v.to_numpy()), x).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    lo, hi = fit.conf_int(ALPHA)[1]
    slope = float(fit.params[1])
    verdict = "up" if lo > 0 else "down" if hi < 0 else "unclear"
    return {"slope": slope, "lo": float(lo), "hi": float(hi), "n": len(v), "lags": lags, "verdict": verdict,
            "start": int(v.index[0]), "end": int(v.index[-1])}


def permutation_diff(north: np.ndarray, south: np.ndarray) -> dict:
    """南方组均值减北方组均值，及其双侧置换检验 p 值（scipy.stats.permutation_test）。"""
    north, south = np.asarray(north, float), np.asarray(south, float)
    res = sps.permutation_test((south, north), lambda a, b: np.mean(a) - np.mean(b), permutation_type="independent",
                               n_resamples=N_PERMUTATIONS, alternative="two-sided", random_state=SEED)
    welch = sps.ttest_ind(south, north, equal_var=False)
    ci = welch.confidence_interval(1 - ALPHA)
    return {"diff": float(np.mean(south) - np.mean(north)), "p": float(res.pvalue),
            "ci_lo": float(ci.low), "ci_hi": float(ci.high), "n_north": len(north), "n_south": len(south),
            "significant": bool(res.pvalue < ALPHA)}


def population_growth(vintage: str = "current", split: str = MAIN_SPLIT, start: int | None = None,
                      end: int | None = None) -> dict:
    """年末常住人口的年均增长率（各省），南北两组比较；另给两侧合计的年均增长率。"""
    p = data.panel(vintage)
    start = data.stage_start("new_era") if start is None else int(start)
    end = data.latest_year(vintage) if end is None else int(end)
    a = p[p["year"] == start].set_index("code")["pop"]
    b = p[p["year"] == end].set_index("code")["pop"]
    if a.isna().any() or b.isna().any():
        raise NorthSouthError(f"{start} 或 {end} 年有省份缺人口", f"population missing in {start} or {end}")
    n = end - start
    g = (b / a) ** (1 / n) - 1
    side = data.north_south(split)
    test = permutation_diff(g[side[g.index] == "north"].to_numpy(), g[side[g.index] == "south"].to_numpy())
    tot = {s: (b[side[b.index] == s].sum() / a[side[a.index] == s].sum()) ** (1 / n) - 1 for s in ("north", "south")}
    return {**test, "start": start, "end": end, "agg_north": tot["north"], "agg_south": tot["south"],
            "by_province": g}


def income_check(split: str = MAIN_SPLIT) -> dict:
    """全体居民人均可支配收入（住户调查）的南北之比（各侧各省的简单平均之比）与各省年均增长率的南北比较。"""
    inc = data.indicator("disp_income_pc_all", data.series_source("income"))
    years = sorted(inc["year"].unique())
    y0, y1 = int(years[0]), int(years[-1])
    side = data.north_south(split)
    wide = inc.pivot(index="code", columns="year", values="value")
    if wide[[y0, y1]].isna().any().any():
        raise NorthSouthError("可支配收入有省份缺失", "income missing")
    ratio = {y: wide.loc[side[side == "south"].index, y].mean() / wide.loc[side[side == "north"].index, y].mean()
             for y in (y0, y1)}
    g = (wide[y1] / wide[y0]) ** (1 / (y1 - y0)) - 1
    test = permutation_diff(g[side[g.index] == "north"].to_numpy(), g[side[g.index] == "south"].to_numpy())
    return {**test, "start": y0, "end": y1, "ratio0": ratio[y0], "ratio1": ratio[y1]}


def gdp_growth_check(vintage: str = "current", split: str = MAIN_SPLIT, start: int | None = None,
                     end: int | None = None) -> dict:
    """各省人均 GDP（年平均人口）的年均名义增长率，南北两组比较（置换检验）。"""
    p = data.panel(vintage)
    start = data.stage_start("new_era") if start is None else int(start)
    end = data.latest_year(vintage) if end is None else int(end)
    a = p[p["year"] == start].set_index("code")["gdp_pc"]
    b = p[p["year"] == end].set_index("code")["gdp_pc"]
    g = (b / a) ** (1 / (end - start)) - 1
    side = data.north_south(split)
    return {**permutation_diff(g[side[g.index] == "north"].to_numpy(), g[side[g.index] == "south"].to_numpy()),
            "start": start, "end": end}


def northeast_check(vintage: str = "current", split: str = MAIN_SPLIT, start: int | None = None,
                    end: int | None = None) -> dict:
    """去掉东北三省后南北人均比（加权）的变化，与全部省份的变化比较。"""
    full = series(vintage, split)
    excl = series(vintage, split, exclude=northeast_codes())
    start = data.stage_start("new_era") if start is None else int(start)
    end = int(full.index[-1]) if end is None else int(end)
    d_full = full.loc[end, "ratio_weighted"] - full.loc[start, "ratio_weighted"]
    d_excl = excl.loc[end, "ratio_weighted"] - excl.loc[start, "ratio_weighted"]
    return {"start": start, "end": end, "full0": full.loc[start, "ratio_weighted"],
            "full1": full.loc[end, "ratio_weighted"], "excl0": excl.loc[start, "ratio_weighted"],
            "excl1": excl.loc[end, "ratio_weighted"], "d_full": d_full, "d_excl": d_excl,
            "share_ne": 1 - d_excl / d_full if d_full != 0 else math.nan,
            "trend_excl": trend(excl.loc[start:end, "ratio_weighted"])}


# ---------------------------------------------------------------- 结论句（由区间或 p 值选出）

def trend_sentence(t: dict, what: str) -> str:
    """趋势的结论句：斜率区间在 0 以上为扩大，在 0 以下为缩小，跨 0 为不能确定。"""
    span = f"{t['start']}—{t['end']} 年"
    band = f"每年 {fmt.pct(t['slope'], 2, signed=True)}，95% 区间 [{fmt.pct(t['lo'], 2, signed=True)}, {fmt.pct(t['hi'], 2, signed=True)}]"
    if t["verdict"] == "up":
        return f"{span}{what}的对数趋势为{band}，区间整体在 0 以上：这一时期{what}在统计上显著地扩大。"
    if t["verdict"] == "down":
        return f"{span}{what}的对数趋势为{band}，区间整体在 0 以下：这一时期{what}在统计上显著地缩小。"
    return f"{span}{what}的对数趋势为{band}，区间跨过 0：不能确定{what}的方向。"


def diff_sentence(r: dict, what: str, digits: int = 2) -> str:
    """两组增长率之差的结论句（置换检验 p 值与 Welch 区间）。"""
    d = f"南方比北方平均每年{'高' if r['diff'] > 0 else '低'} {fmt.num(abs(r['diff']) * 100, digits)} 个百分点"
    ci = f"95% 区间 [{fmt.num(r['ci_lo'] * 100, digits, signed=True)}, {fmt.num(r['ci_hi'] * 100, digits, signed=True)}] 个百分点"
    p = f"置换检验 p = {fmt.num(r['p'], 3)}"
    if r["significant"]:
        return f"{what}：{d}（{ci}；{p}），在 5% 水平上显著。"
    return f"{what}：{d}（{ci}；{p}），在 5% 水平上不显著，不能说两组不同。"


# ---------------------------------------------------------------- 交互组件

MEASURES = (("北方的 GDP 与人口份额", "share"), ("人均 GDP 之比（南 ÷ 北）", "ratio"), ("泰尔指数的分解", "theil"))


def explorer_views(split: str = MAIN_SPLIT, measure: str = "share", vintage: str = "current",
                   weighted: bool = True) -> list[dict]:
    """南北差距浏览器的计算：一种划分、一种度量、一个数据版本、加权与否 → 数字卡片与时间序列图。"""
    if measure == "share" and not weighted:
        raise NorthSouthError("份额是合计之比，没有“不加权”的版本；请选择“人口加权”",
                              "shares have no unweighted version")
    s = series(vintage, split)
    years = list(s.index)
    y0, y1 = years[0], years[-1]
    vl = widgets.vintage_label(vintage)
    if measure == "share":
        lines = [{"id": "gdp", "label": "北方 GDP 份额", "y": list(s["gdp_share_north"] * 100)},
                 {"id": "pop", "label": "北方人口份额", "y": list(s["pop_share_north"] * 100), "dash": True}]
        items = [(f"北方 GDP 份额（{y0} 年）", fmt.pct(s.loc[y0, "gdp_share_north"], 1)),
                 (f"北方 GDP 份额（{y1} 年）", fmt.pct(s.loc[y1, "gdp_share_north"], 1)),
                 (f"北方人口份额（{y1} 年）", fmt.pct(s.loc[y1, "pop_share_north"], 1))]
        chart = widgets.chart(f"北方占全国的份额（{vl}）", years, lines, ylabel="%", unit="%", digits=1,
                              events=plots.chart_events(), bands=plots.stage_bands())
        return [widgets.stats(items), chart]
    if measure == "ratio":
        col = "ratio_weighted" if weighted else "ratio_unweighted"
        how = "一侧合计之比" if weighted else "各省简单平均之比"
        lines = [{"id": "ratio", "label": f"南 ÷ 北（{how}）", "y": list(s[col])}]
        items = [(f"{y0} 年", fmt.num(s.loc[y0, col], 3)), (f"{y1} 年", fmt.num(s.loc[y1, col], 3))]
        views = [widgets.stats(items)]
        if len(s) >= 5:
            views.append(widgets.message(trend_sentence(trend(s[col]), "南北人均比"), level="info"))
        views.append(widgets.chart(f"人均 GDP 之比，南 ÷ 北（{vl}，{how}）", years, lines, ylabel="比值", digits=3,
                                   events=plots.chart_events(), bands=plots.stage_bands()))
        return views
    if weighted:
        lines = [{"id": "bns", "label": "南北之间", "y": list(s["between_ns"])},
                 {"id": "b4", "label": "四大区域之间", "y": list(s["between4"])},
                 {"id": "w4", "label": "四大区域内部", "y": list(s["within4"]), "dash": True}]
        items = [(f"泰尔 T（{y1} 年）", fmt.num(s.loc[y1, "theil"], 4)),
                 (f"南北之间（{y1} 年）", fmt.num(s.loc[y1, "between_ns"], 4)),
                 (f"四大区域内部（{y1} 年）", fmt.num(s.loc[y1, "within4"], 4))]
    else:
        lines = [{"id": "bns", "label": "南北之间", "y": list(s["between_ns_unweighted"])},
                 {"id": "wns", "label": "南北内部", "y": list(s["within_ns_unweighted"]), "dash": True}]
        items = [(f"泰尔 T，不加权（{y1} 年）", fmt.num(s.loc[y1, "theil_unweighted"], 4)),
                 (f"南北之间（{y1} 年）", fmt.num(s.loc[y1, "between_ns_unweighted"], 4))]
    chart = widgets.chart(f"泰尔 T 指数的分解（{vl}，{'人口加权' if weighted else '不加权'}）", years, lines,
                          ylabel="泰尔 T", digits=4, events=plots.chart_events(), bands=plots.stage_bands())
    return [widgets.stats(items), chart]


def explorer_widget():
    """南北差距浏览器：划分 × 度量 × 数据版本 × 加权。"""
    controls = [
        widgets.choice("split", "南北划分", [(split_label(s), s) for s in data.north_south_splits()["split"]],
                       MAIN_SPLIT),
        widgets.choice("measure", "度量", MEASURES, "share"),
        widgets.choice("vintage", "数据版本", widgets.vintage_options(SERIES_VINTAGES), "current"),
        widgets.choice("weighted", "加权", [("人口加权", True), ("不加权（各省同权）", False)], True),
    ]
    gaps = [widgets.Gap({"measure": "share", "weighted": False}, "份额是合计之比，没有不加权的版本")]
    return widgets.BookWidget(
        "南北差距浏览器", controls, explorer_views, gaps=gaps,
        description="选择南北划分、度量、数据版本和加权方式；各版本分开计算，不拼接。")
