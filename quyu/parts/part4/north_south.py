"""第四部分“南北差距”一章的计算：秦岭—淮河南北划分下的份额、人均比与泰尔分解，驱动因素的检验，以及交互组件。

划分来自 ``data/north_south.csv``（两种写法），GDP 与人口来自省级面板，每次计算只用一个数据版本。
泰尔指数用全书的 :func:`quyu.measures.theil_t`（Theil 1967 的 T 指数，Shorrocks 1980 的分组分解）。
推断：比值的趋势用全书的 :func:`quyu.measures.trend`（对数比值对年份的 OLS，Newey–West 标准误含小样本修正，
区间用 t 分布）；南北两组省份的增长率之差用置换检验（scipy），并与 Welch 区间对照。结论句由区间或 p 值选出。
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
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
    ``between_ns_in_r4`` 为四大区域内部的南北之间部分（南北 × 四大区域格子之间减四大区域之间），是
    ``within4`` 的一部分。
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
        "between_ns_in_r4": t_c.between - t_4.between,
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
    """ln(值) 对年份的线性趋势：全书约定的 :func:`quyu.measures.trend`（Newey–West 标准误含小样本修正，
    区间用自由度 n − 2 的 t 分布），再加上序列水平的最小值与最大值（判断比值是否跨过 1）。

    斜率的区间整体在 0 以上为 ``up``，整体在 0 以下为 ``down``，跨 0 为 ``unclear``。
    年度序列自相关强、年数少，区间只是粗略的刻画；它检验的是趋势，不是原因。
    """
    v = values.dropna()
    if len(v) < 5:
        raise NorthSouthError("年份太少（少于 5 年），不能估计趋势", "fewer than 5 years")
    if not (v > 0).all():
        raise NorthSouthError("取对数的序列必须为正", "values must be positive")
    r = measures.trend(np.log(v))
    verdict = {1: "up", -1: "down", 0: "unclear"}[r.direction]
    return {"slope": r.slope, "lo": r.ci_low, "hi": r.ci_high, "n": r.n, "lags": r.maxlags, "verdict": verdict,
            "start": r.first, "end": r.last, "min": float(v.min()), "max": float(v.max())}


def gap_reading(t: dict) -> str | None:
    """南 ÷ 北的比值趋势对“南北差距”意味着什么：``widening``、``narrowing``、``crossed``（比值跨过 1）或 None（方向不明）。

    比值始终大于 1 时南方领先，比值上升是差距扩大；始终小于 1 时北方领先，比值上升是差距缩小；
    跨过 1 时两侧的高低易位，不能笼统地说扩大或缩小。
    """
    if t["verdict"] == "unclear":
        return None
    if t["min"] <= 1 <= t["max"]:
        return "crossed"
    south_ahead = t["min"] > 1
    return "widening" if (t["verdict"] == "up") == south_ahead else "narrowing"


def after_peak(values: pd.Series, start: int | None = None) -> dict:
    """序列在 ``start`` 以后的最高点（:func:`quyu.measures.peak`）、最新一年相对最高点的变化，
    以及最高点以后的趋势（至少 5 年时才估计，否则为 None）。"""
    v = values.dropna()
    if start is not None:
        v = v.loc[start:]
    pk = measures.peak(v)
    last = int(v.index[-1])
    post = v.loc[pk.year:]
    return {"year": pk.year, "value": pk.value, "last_year": last, "last": float(v.iloc[-1]),
            "start_value": float(v.iloc[0]), "change": float(v.iloc[-1]) - pk.value,
            "at_end": pk.year == last, "post": trend(post) if len(post) >= 5 else None}


def after_peak_phrase(a: dict, what: str, digits: int) -> str:
    """最高点以后的走势（结论由 :func:`after_peak` 的结果选出）。"""
    if a["at_end"]:
        return f"{what}到最新的 {a['last_year']} 年仍是这一时期的最高点（{fmt.num(a['value'], digits)}）"
    head = (f"{what}在 {a['year']} 年达到最高的 {fmt.num(a['value'], digits)}，{a['last_year']} 年为 "
            f"{fmt.num(a['last'], digits)}（{fmt.num(a['change'], digits, signed=True)}）")
    post = a["post"]
    if post is None:
        return f"{head}；最高点以后的年份太少，不检验方向"
    if post["verdict"] == "down":
        return f"{head}；最高点以后的对数趋势区间整体在 0 以下，这几年在统计上显著地回落"
    if post["verdict"] == "up":
        return f"{head}；最高点以后的对数趋势区间整体在 0 以上，回落只是短暂的"
    return (f"{head}；最高点以后的对数趋势区间跨过 0（{fmt.pct(post['lo'], 2, signed=True)} 到 "
            f"{fmt.pct(post['hi'], 2, signed=True)}），这几年既不能说继续扩大，也不能说在回落")


def permutation_diff(north: np.ndarray, south: np.ndarray) -> dict:
    """南方组均值减北方组均值，及其双侧置换检验 p 值（scipy.stats.permutation_test）与 Welch 区间。

    两种方法各给一个判断：置换检验 p < 5%，Welch 95% 区间不含 0。``verdict`` 为 ``significant``（两者都显著）、
    ``not``（两者都不显著）或 ``mixed``（两者不一致，结论句会如实写出）。
    """
    north, south = np.asarray(north, float), np.asarray(south, float)
    res = sps.permutation_test((south, north), lambda a, b: np.mean(a) - np.mean(b), permutation_type="independent",
                               n_resamples=N_PERMUTATIONS, alternative="two-sided", random_state=SEED)
    welch = sps.ttest_ind(south, north, equal_var=False)
    ci = welch.confidence_interval(1 - ALPHA)
    perm_sig = bool(res.pvalue < ALPHA)
    welch_sig = bool(ci.low > 0 or ci.high < 0)
    verdict = "significant" if perm_sig and welch_sig else "not" if not (perm_sig or welch_sig) else "mixed"
    return {"diff": float(np.mean(south) - np.mean(north)), "p": float(res.pvalue),
            "ci_lo": float(ci.low), "ci_hi": float(ci.high), "n_north": len(north), "n_south": len(south),
            "perm_significant": perm_sig, "welch_significant": welch_sig, "verdict": verdict,
            "significant": verdict == "significant"}


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


def _ratio_and_growth(frame: pd.DataFrame, split: str, what: str) -> dict:
    """一个分省长表（code, year, value；只含一个来源）首末年的南北之比（各侧各省简单平均之比）
    与各省年均增长率的南北比较（置换检验）。"""
    if frame["source_id"].nunique() != 1:
        raise NorthSouthError(f"{what}混用了多个来源", f"{what}: several sources mixed")
    years = sorted(frame["year"].unique())
    y0, y1 = int(years[0]), int(years[-1])
    side = data.north_south(split)
    wide = frame.pivot(index="code", columns="year", values="value")
    if wide[[y0, y1]].isna().any().any():
        raise NorthSouthError(f"{what}有省份缺失", f"{what}: province missing")
    north, south = side[side == "north"].index, side[side == "south"].index
    ratio = {y: wide.loc[south, y].mean() / wide.loc[north, y].mean() for y in (y0, y1)}
    g = (wide[y1] / wide[y0]) ** (1 / (y1 - y0)) - 1
    test = permutation_diff(g[side[g.index] == "north"].to_numpy(), g[side[g.index] == "south"].to_numpy())
    return {**test, "start": y0, "end": y1, "n_years": len(years), "ratio0": ratio[y0], "ratio1": ratio[y1],
            "source_id": frame["source_id"].iloc[0]}


def income_check(split: str = MAIN_SPLIT) -> dict:
    """全体居民人均可支配收入（住户调查）的南北之比（各侧各省的简单平均之比）与各省年均增长率的南北比较。"""
    inc = data.indicator("disp_income_pc_all", data.series_source("income"))
    return _ratio_and_growth(inc, split, "可支配收入")


def consumption_check(split: str = MAIN_SPLIT) -> dict:
    """全体居民人均消费支出（住户调查，登记序列 consumption 的一个发布）的南北之比与各省年均增长率的南北比较。"""
    con = data.people("consumption_pc_all", data.series_source("consumption"))
    return _ratio_and_growth(con, split, "人均消费支出")


def fiscal_check(split: str = MAIN_SPLIT) -> dict:
    """财政自给率（地方一般公共预算收入 ÷ 支出）：两侧合计的首末年水平，及各省自给率变化的南北比较。

    收入与支出取登记序列 fiscal_revenue 与 fiscal_expenditure_nbs：二者是国家统计局数据库同一次导出的
    两个指标，年份相同；支出的汇编长序列是另一个发布，这里不用，以免混用。
    """
    rev = data.people("fiscal_revenue_local", data.series_source("fiscal_revenue"))
    exp = data.people("fiscal_expenditure_local", data.series_source("fiscal_expenditure_nbs"))
    years = sorted(set(rev["year"]) & set(exp["year"]))
    if len(years) < 2:
        raise NorthSouthError("财政收入与支出的共同年份不足两年", "fewer than two common fiscal years")
    y0, y1 = int(years[0]), int(years[-1])
    r = rev.pivot(index="code", columns="year", values="value")[[y0, y1]]
    e = exp.pivot(index="code", columns="year", values="value")[[y0, y1]]
    if r.isna().any().any() or e.isna().any().any():
        raise NorthSouthError("财政收支有省份缺失", "fiscal data missing")
    side = data.north_south(split)
    agg = {s: {y: r.loc[side[side == s].index, y].sum() / e.loc[side[side == s].index, y].sum() for y in (y0, y1)}
           for s in ("north", "south")}
    ss = r / e
    d = ss[y1] - ss[y0]
    test = permutation_diff(d[side[d.index] == "north"].to_numpy(), d[side[d.index] == "south"].to_numpy())
    return {**test, "start": y0, "end": y1, "n_years": len(years),
            "north0": agg["north"][y0], "north1": agg["north"][y1],
            "south0": agg["south"][y0], "south1": agg["south"][y1], "by_province": ss}


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
    """去掉东北三省后南北人均比（加权）的变化，与全部省份的变化比较。

    ``share_ne`` = 1 − 去掉东北后的升幅 ÷ 全部省份的升幅：去掉东北后升幅小了多少（比例），是一种算术上的对照，
    不是东北“造成”了多少。
    """
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


def northeast_phrase(r: dict) -> str:
    """去掉东北后升幅的变化（由 :func:`northeast_check` 的数字选出措辞）。"""
    if not r["d_full"] > 0:
        return "全部省份计算时人均比没有上升，谈不上升幅的比较"
    if r["d_excl"] < r["d_full"]:
        return f"去掉东北后，人均比的升幅小约 {fmt.pct(r['share_ne'], 0)}"
    return f"去掉东北后，人均比的升幅反而大约 {fmt.pct(-r['share_ne'], 0)}"


def north_share_drop(vintage: str = "current", split: str = MAIN_SPLIT, start: int | None = None,
                     end: int | None = None) -> pd.DataFrame:
    """北方 GDP 份额的变化按四大区域拆开：北方在各板块中的省份占全国 GDP 的份额（首末年）及其变化。

    index 为 region4 的代码，列 name（中文名）、share0、share1、change（比例之差，负为下降）；
    各行之和等于北方份额的变化。
    """
    p = side_panel(vintage, split)
    start = data.stage_start("new_era") if start is None else int(start)
    end = int(p["year"].max()) if end is None else int(end)
    names = dict(zip(data.scheme("region4"), data.scheme("region4", labels=True)))
    out = {}
    for y in (start, end):
        b = p[p["year"] == y]
        out[y] = b[b["side"] == "north"].groupby("region4")["gdp"].sum() / b["gdp"].sum()
    t = pd.DataFrame({"share0": out[start], "share1": out[end]})
    t["change"] = t["share1"] - t["share0"]
    t.insert(0, "name", t.index.map(names))
    t.attrs.update(start=start, end=end)
    return t.sort_values("change")


# ---------------------------------------------------------------- 结论句（由区间或 p 值选出）

def trend_sentence(t: dict, what: str) -> str:
    """南 ÷ 北比值趋势的结论句：先由斜率区间判断比值上升、下降或方向不明，再由比值是否始终在 1 的
    同一侧（:func:`gap_reading`）判断这对南北差距意味着扩大、缩小，还是两侧易位。"""
    span = f"{t['start']}—{t['end']} 年"
    band = (f"每年 {fmt.pct(t['slope'], 2, signed=True)}，95% 区间 [{fmt.pct(t['lo'], 2, signed=True)}, "
            f"{fmt.pct(t['hi'], 2, signed=True)}]")
    head = f"{span}{what}的对数趋势为{band}"
    if t["verdict"] == "unclear":
        return f"{head}，区间跨过 0：不能确定{what}是上升还是下降。"
    move = "上升" if t["verdict"] == "up" else "下降"
    core = f"{head}，区间整体在 0 {'以上' if t['verdict'] == 'up' else '以下'}：这一时期{what}在统计上显著地{move}"
    reading = gap_reading(t)
    if reading == "crossed":
        return (f"{core}；但比值在这一时期跨过了 1（最低 {fmt.num(t['min'], 3)}，最高 {fmt.num(t['max'], 3)}），"
                "南北人均的高低发生过易位，不能笼统地说差距扩大或缩小。")
    if t["min"] > 1:
        return f"{core}；比值始终大于 1（南方人均高于北方），所以这意味着南北差距{'扩大' if reading == 'widening' else '缩小'}。"
    return (f"{core}；比值始终小于 1（南方人均低于北方），所以这意味着"
            f"{'南方在追赶、南北差距缩小' if reading == 'narrowing' else '北方的领先扩大'}。")


def diff_sentence(r: dict, what: str, digits: int = 2, per_year: bool = True) -> str:
    """两组之差的结论句：置换检验 p 值与 Welch 区间各给一个判断，两者一致时下结论，不一致时如实说明。

    ``per_year`` 为真时差是年均增长率之差（“平均每年高……个百分点”），否则是比例之差（“平均高……个百分点”）。
    """
    every = "平均每年" if per_year else "平均"
    d = f"南方比北方{every}{'高' if r['diff'] > 0 else '低'} {fmt.num(abs(r['diff']) * 100, digits)} 个百分点"
    ci = f"Welch 95% 区间 [{fmt.num(r['ci_lo'] * 100, digits, signed=True)}, {fmt.num(r['ci_hi'] * 100, digits, signed=True)}] 个百分点"
    p = f"置换检验 p = {fmt.num(r['p'], 3)}"
    if r["verdict"] == "significant":
        return f"{what}：{d}（{ci}；{p}），两种检验都在 5% 水平上显著。"
    if r["verdict"] == "not":
        return f"{what}：{d}（{ci}；{p}），两种检验都不显著，不能说两组不同。"
    which = "置换检验显著而 Welch 区间含 0" if r["perm_significant"] else "Welch 区间不含 0 而置换检验不显著"
    return f"{what}：{d}（{ci}；{p}），{which}，两种检验不一致，证据处在边缘，本章不下结论。"


def same_direction(r: dict, gdp: dict) -> str:
    """一项增长率之差与人均 GDP 增长率之差是否同向（只在两者都显著时才说同向或反向）。"""
    if r["verdict"] != "significant" or gdp["verdict"] != "significant":
        return "unclear"
    return "same" if (r["diff"] > 0) == (gdp["diff"] > 0) else "opposite"


def fiscal_sentence(f: dict) -> str:
    """财政自给率两侧合计水平的描述句（比较哪一侧更高、首末年各自怎样变化，由数字选出）。"""
    hi0 = "南方" if f["south0"] > f["north0"] else "北方"
    hi1 = "南方" if f["south1"] > f["north1"] else "北方"
    lv = (f"{f['start']} 年北方合计的财政自给率为 {fmt.pct(f['north0'], 1)}，南方为 {fmt.pct(f['south0'], 1)}；"
          f"{f['end']} 年分别为 {fmt.pct(f['north1'], 1)} 和 {fmt.pct(f['south1'], 1)}")
    same = "两年都是" + hi1 + "较高" if hi0 == hi1 else f"较高的一侧由{hi0}变为{hi1}"
    return f"{lv}，{same}。"


def consumption_reading(con: dict, gdp: dict) -> str:
    """消费一段的结论（由消费与人均 GDP 两项检验选出）。"""
    return {
        "same": "在这几年里，消费的南北分化与人均 GDP 的分化同向，而且两项差别都能被检验出来",
        "opposite": "在这几年里，消费的南北差别与人均 GDP 的分化方向相反",
        "unclear": "消费与人均 GDP 两项检验没有同时显著，不能说二者的南北分化同向",
    }[same_direction(con, gdp)]


def fiscal_reading(fis: dict) -> str:
    """财政自给率一段的结论（由自给率变化的两种检验选出）。"""
    if fis["verdict"] == "significant":
        return f"南方省份自给率的变化{'高' if fis['diff'] > 0 else '低'}于北方省份，这一差别可以检出"
    if fis["verdict"] == "not":
        return "两侧省份自给率的变化没有可以检出的差别，这几年的收支数据不支持“南北财政自给能力在分化”的说法"
    return "两种检验不一致，自给率变化的南北差别只能算边缘证据"


def drivers_summary(gdp: dict, others: dict[str, dict]) -> str:
    """小结中的一句：哪些增长率之差与人均 GDP 的分化同向（都显著且符号相同），哪些不能这样说。"""
    same = [k for k, r in others.items() if same_direction(r, gdp) == "same"]
    rest = [k for k in others if k not in same]
    parts = []
    if same:
        parts.append("、".join(same) + "的增长率之差与人均 GDP 的分化同向")
    if rest:
        parts.append("、".join(rest) + "不能这样说")
    return "；".join(parts)


GAP_ZH = {"widening": "南北差距扩大", "narrowing": "南北差距缩小", "crossed": "南北人均的高低发生过易位"}


def era_summary(t: dict, a: dict) -> str:
    """一句话概括一段时期的南北人均比：趋势的判断（:func:`gap_reading`）加上最高点以后的走势。"""
    reading = gap_reading(t)
    span = f"{t['start']}—{t['end']} 年"
    if reading is None:
        head = f"{span}南北人均比的方向不能确定"
    else:
        head = f"{span}南北人均比在统计上显著地{'上升' if t['verdict'] == 'up' else '下降'}，{GAP_ZH[reading]}"
    return f"{head}；{after_peak_phrase(a, '比值', 3)}"


def gap_state(t: dict, a: dict) -> str:
    """“南北互济”面对的差距处在什么状态（由趋势与最高点以后的走势选出的名词短语）。"""
    reading = gap_reading(t)
    if reading != "widening":
        return "一个方向并不确定的差距" if reading is None else f"一个{GAP_ZH[reading]}的格局"
    if a["at_end"]:
        return "一个新时代以来显著扩大、到最新一年仍在扩大的差距"
    post = a["post"]
    if post is not None and post["verdict"] == "down":
        return "一个新时代以来显著扩大、近几年有所回落的差距"
    return "一个新时代以来显著扩大、近几年停在高位的差距"


def crossing_phrase(v: pd.Series) -> str:
    """一条南 ÷ 北比值序列相对 1 的位置：始终低于 1、始终高于 1，或在哪些年份不低于 1。"""
    v = v.dropna()
    if (v < 1).all():
        return "整个时期比值都小于 1：南方人均一直低于北方，比值上升表示南方在追赶"
    if (v > 1).all():
        return "整个时期比值都大于 1：南方人均一直高于北方"
    above = v[v >= 1]
    return (f"比值在 {fmt.year_span(int(above.index[0]), int(above.index[-1]))}有 {len(above)} 年不低于 1"
            f"（最高 {fmt.num(above.max(), 3)}，{int(above.idxmax())} 年），其余年份低于 1：在这一口径上，"
            "南北人均的高低发生过易位，起止两年的比较掩盖了中间的起伏")


def north_drop_phrase(t: pd.DataFrame) -> str:
    """北方 GDP 份额的变化按四大区域拆开后的描述（:func:`north_share_drop` 的结果；措辞由数字选出）。"""
    total = t["change"].sum()
    if not total < 0:
        return f"北方 GDP 份额没有下降（变化 {fmt.pp(total, 2, signed=True)}）"
    ne = t.loc["northeast"]
    biggest = t["change"].idxmin() == "northeast"
    head = (f"北方 GDP 份额共下降 {fmt.pp(-total, 2)}，其中东北三省下降 {fmt.pp(-ne['change'], 2)}"
            f"（约占 {fmt.pct(ne['change'] / total, 0)}）{'，是降幅最大的一块' if biggest else ''}")
    others = t.drop(index="northeast")
    down = [f"位于{r['name']}的北方省份 {fmt.pp(-r['change'], 2)}" for _, r in others.iterrows() if r["change"] < 0]
    up = [f"位于{r['name']}的北方省份反而上升 {fmt.pp(r['change'], 2)}" for _, r in others.iterrows() if r["change"] > 0]
    parts = [head]
    if down:
        parts.append("其余降幅来自" + "、".join(down))
    if up:
        parts.append("；".join(up))
    return "；".join(parts)


def industry_phrases(have_industry: bool) -> tuple[str, str]:
    """产业结构一段与小结中的一条：数据包有无分省产业结构指标时的两种写法。"""
    if have_industry:
        return ("数据包中有产业结构的指标，可以进一步检验。", "产业结构这一常见解释可以用数据包中的指标进一步检验。")
    return ("本书的数据包没有分省的产业结构（三次产业增加值）指标，所以不检验产业结构这一常被提到的因素。",
            "本书数据没有产业结构指标，不能检验产业结构这一常见解释。")


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
