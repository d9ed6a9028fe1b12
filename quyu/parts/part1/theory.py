"""第一部分理论章（book/part1/theory.md）的计算与组件。

- 威廉姆森倒 U：各度量 × 加权 × 数据版本的峰值年份，以及不用 1978—1992 年时峰值是否改变；
- 循环累积因果：期初人均 GDP 与其后增长率的关系（分时段、分版本）；
- 梯度推移：东部与中部、东部与西部人均 GDP 之比各自何时见顶；
- 增长极案例：广东占各省 GDP 合计的比重与相对人均 GDP；
- 点—轴系统：沿海地带、长江经济带及“T”字型合计占 31 省 GDP 与人口的比重。

所有计算只在一个数据版本内部进行，版本之间只并列、不拼接。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, measures, plots, widgets
from .._shared import SERIES_VINTAGES, VINTAGE_ZH, second_source_year, vintage_zh

#: 威廉姆森检验使用的度量：(代码, 是否人口加权, 中文名)。
WILLIAMSON_MEASURES = (
    ("cv", False, "变异系数（不加权）"),
    ("cv", True, "加权变异系数（威廉姆森系数）"),
    ("gini", False, "基尼系数（不加权）"),
    ("gini", True, "基尼系数（人口加权）"),
    ("theil_t", False, "泰尔指数 T（不加权）"),
    ("theil_t", True, "泰尔指数 T（人口加权）"),
)

#: 改革开放以后最初的一段只有汇编口径；检验结论对这段历史是否敏感时，从另有来源的第一年起算（取自数据）。
POST_COMPENDIUM_ONLY = second_source_year()


def peak_row(vintage: str, measure: str, weighted: bool, start: int | None = None) -> measures.PeakResult:
    """某版本、某度量的最大值所在年份（可限定起始年）。"""
    s = analysis.disparity(vintage, measure, weighted)["value"]
    return measures.peak(s, start=start)


def _peak_text(pk: measures.PeakResult) -> str:
    if pk.interior:
        return str(pk.year)
    where = "首年" if pk.year == pk.first else "末年"
    return f"{pk.year}（序列{where}，不是拐点）"


def williamson_table(vintages=SERIES_VINTAGES) -> pd.DataFrame:
    """每种度量一行：各版本（汇编口径另列“1993 年起”）的最大值年份；落在端点时注明不是拐点。"""
    rows = []
    for m, w, label in WILLIAMSON_MEASURES:
        row = {"度量": label}
        for v in vintages:
            info = data.vintage_info(v)
            span = f"{min(info['years'])}—{max(info['years'])}"
            row[f"{VINTAGE_ZH[v]}（{span}）"] = _peak_text(peak_row(v, m, w))
            if v == "compendium":
                row[f"{VINTAGE_ZH[v]}，{POST_COMPENDIUM_ONLY} 年起"] = _peak_text(
                    peak_row(v, m, w, POST_COMPENDIUM_ONLY))
        rows.append(row)
    return pd.DataFrame(rows)


def williamson_summary() -> dict:
    """正文要用的汇总数字：各版本有内部峰值的度量个数、峰值年份的众数等。"""
    out = {"n_measures": len(WILLIAMSON_MEASURES)}
    for v in SERIES_VINTAGES:
        peaks = [peak_row(v, m, w) for m, w, _ in WILLIAMSON_MEASURES]
        interior = [p.year for p in peaks if p.interior]
        out[v] = {"n_interior": len(interior), "years": sorted(set(interior)),
                  "n_first": sum(1 for p in peaks if not p.interior and p.year == p.first)}
    late = [peak_row("compendium", m, w, POST_COMPENDIUM_ONLY) for m, w, _ in WILLIAMSON_MEASURES]
    out["compendium_1993"] = {"n_interior": sum(p.interior for p in late),
                              "years": sorted({p.year for p in late if p.interior})}
    return out


#: 1978 年人均 GDP 最高、工业比重最大的三个直辖市（北京、天津、上海）：计划价格下工业品价高、农产品价低，
#: 它们的名义产出相对偏高。稳健性检验把它们去掉，看“最大值落在 1978 年”是否只是这三个单位造成的。
INDUSTRIAL_MUNICIPALITIES = ("11", "12", "31")


def disparity_without(codes, vintage: str, measure: str, weighted: bool) -> pd.Series:
    """去掉 ``codes`` 中的省级单位后，逐年的省际人均 GDP 差距（index 为年份）。"""
    p = analysis.panel(vintage)
    p = p[~p["code"].isin(list(codes))]
    weight = analysis.WEIGHT_COLUMN if weighted else None
    cols = ["code", "year", "gdp_pc"] + ([weight] if weight else [])
    return measures.disparity_by_year(p[cols], measure, value="gdp_pc", weight=weight,
                                      unit="code", dropna=True)["value"]


def williamson_without(codes=INDUSTRIAL_MUNICIPALITIES, vintage: str = "compendium") -> dict:
    """去掉 ``codes`` 以后，:data:`WILLIAMSON_MEASURES` 各度量的最大值位置：
    落在首年的个数、落在序列内部的个数与年份，以及加权变异系数的序列。"""
    peaks = [measures.peak(disparity_without(codes, vintage, m, w)) for m, w, _ in WILLIAMSON_MEASURES]
    return {"codes": tuple(codes),
            "n_first": sum(1 for pk in peaks if not pk.interior and pk.year == pk.first),
            "n_interior": sum(pk.interior for pk in peaks),
            "years": sorted({pk.year for pk in peaks if pk.interior}),
            "wcv": disparity_without(codes, vintage, "cv", True)}


def williamson_widget(measure: str = "cv", weighted: bool = True, vintage: str = "compendium",
                      start: int = 0) -> widgets.BookWidget:
    """威廉姆森倒 U 的检验：度量 × 加权 × 数据版本 × 计算时段；读出最大值年份及其是否为拐点。"""
    measure_opts = (("变异系数", "cv"), ("基尼系数", "gini"), ("泰尔指数 T", "theil_t"))

    events, bands = plots.chart_events(), plots.stage_bands()

    def compute(measure, weighted, vintage, start):
        s = analysis.disparity(vintage, measure, weighted)["value"]
        lo = int(s.index.min())
        if start and start > int(s.index.max()):
            raise widgets.WidgetError(f"{vintage_zh(vintage)}没有 {start} 年以后的数据，请换一个时段。")
        s = s.loc[max(lo, start or lo):]
        pk = measures.peak(s)
        trough = int(s.idxmin())
        label = measures.MEASURES[measure].label_zh + ("（人口加权）" if weighted else "（不加权）")
        verdict = ("最大值落在时段内部，是一个拐点" if pk.interior else
                   "最大值落在时段的端点，不能据此判断拐点")
        cards = widgets.stats([("最大值年份", str(pk.year)), ("最大值", f"{pk.value:.3f}"),
                               ("最小值年份", str(trough)), ("判断", verdict)],
                              note=f"数据版本：{vintage_zh(vintage)}；计算时段：{pk.first}—{pk.last} 年")
        chart = widgets.chart(f"省际人均 GDP 差距：{label}", list(s.index),
                              [{"id": "v", "label": label, "y": list(s),
                                "color": plots.COLORS["ink"]}],
                              ylabel=measures.MEASURES[measure].label_zh, digits=3,
                              events=events, bands=bands,
                              note=f"数据版本：{vintage_zh(vintage)}（不与其他版本拼接）")
        return [cards, chart]

    controls = [
        widgets.Control("measure", "度量", measure_opts, measure),
        widgets.Control("weighted", "加权", (("不加权（每省一票）", False), ("按人口加权", True)), bool(weighted)),
        widgets.Control("vintage", "数据版本", tuple((VINTAGE_ZH[v], v) for v in SERIES_VINTAGES), vintage),
        widgets.Control("start", "计算时段", (("该版本的全部年份", 0),
                                           (f"{POST_COMPENDIUM_ONLY} 年以后", POST_COMPENDIUM_ONLY)), start),
    ]
    return widgets.BookWidget("威廉姆森倒 U：差距在哪一年见顶", controls, compute,
                              description="选择度量、加权方式、数据版本和计算时段，读出差距最大的年份，"
                                          "并判断它是不是一个真正的拐点。")


def complete_span(vintage: str) -> tuple[int, int]:
    """一个版本中 31 省人均 GDP 都有数值的首年与末年（取自数据；如年鉴口径缺 1999 年末人口，首年是 2001 年）。"""
    p = analysis.panel(vintage)
    full = p.groupby("year")["gdp_pc"].apply(lambda s: bool(s.notna().all()))
    years = full.index[full]
    return int(years.min()), int(years.max())


def growth_on_level(vintage: str, start: int, end: int, exclude=()) -> dict:
    """期初人均 GDP（对数）与其后年均名义增长率的横截面关系：斜率、相关系数、p 值、省份数。

    斜率为正：富省增长更快（循环累积、回流效应占上风）；为负：穷省增长更快（扩散效应占上风）。
    用名义值：同一时段内各省共用一个价格水平变化的假定下，斜率的符号不受影响。
    ``exclude``：不参加回归的省份代码（如 :data:`INDUSTRIAL_MUNICIPALITIES`，稳健性检验用）。
    """
    p = analysis.panel(vintage)
    p = p[~p["code"].isin(list(exclude))].set_index(["code", "year"])["gdp_pc"]
    y0, y1 = p.xs(start, level="year"), p.xs(end, level="year")
    ok = y0.notna() & y1.notna()
    x = np.log(y0[ok])
    g = np.log(y1[ok] / y0[ok]) / (end - start)
    from scipy import stats as _stats  # 按需导入（导入较慢）

    fit = _stats.linregress(x, g)
    return {"slope": float(fit.slope), "r": float(fit.rvalue), "p": float(fit.pvalue), "n": int(ok.sum())}


#: 循环累积因果检验的时段：(版本, 起, 止)。汇编口径的分段点取其差距的最低点与最高点。
GROWTH_PERIODS = (("compendium", 1978, 1990), ("compendium", 1990, 2003), ("compendium", 2003, 2008),
                  ("yearbook", 2003, 2012), ("current", 2006, 2014), ("current", 2014, None))


def growth_table() -> pd.DataFrame:
    """各时段的期初水平—增长关系（供正文表格）。"""
    rows = []
    for v, a, b in GROWTH_PERIODS:
        b = b or max(data.vintage_info(v)["years"])
        r = growth_on_level(v, a, b)
        rows.append({"vintage": v, "start": a, "end": b, **r})
    return pd.DataFrame(rows)


def growth_without_municipalities(codes=INDUSTRIAL_MUNICIPALITIES) -> pd.DataFrame:
    """稳健性：去掉 1978 年人均 GDP 最高、只有城市人口的三个直辖市，汇编口径各时段的期初水平—增长关系。

    这同时去掉了计划价格对三市 1978 年名义产出的抬高，以及“纯城市单元与有农村人口的省份”
    之间的构成差别：两者在这里分不开。"""
    rows = []
    for v, a, b in GROWTH_PERIODS:
        if v != "compendium":
            continue
        rows.append({"vintage": v, "start": a, "end": b, **growth_on_level(v, a, b, exclude=codes)})
    return pd.DataFrame(rows)


def significance_zh(p: float, alpha: float = 0.05) -> str:
    """按 p 值给出的中文判断：显著 / 不显著（α 默认 0.05）。"""
    level = f"{alpha:.0%}"
    return f"在 {level} 的水平上显著" if p < alpha else f"在 {level} 的水平上不显著"


def belt_ratios(vintage: str = "compendium") -> pd.DataFrame:
    """“七五”计划三大地带的人均 GDP 之比：东部 ÷ 中部、东部 ÷ 西部（ΣGDP/Σ人口）。"""
    pc = analysis.regional(vintage, "region3_1986")["per_capita"]
    return pd.DataFrame({"east_central": pc["east"] / pc["central"], "east_west": pc["east"] / pc["west"]})


def province_share(code: str, vintage: str = "compendium") -> pd.DataFrame:
    """某省占 31 省 GDP 合计的比重，以及它的人均 GDP 与 31 省人均（ΣGDP/Σ人口）之比。"""
    p = analysis.panel(vintage)
    tot = p.groupby("year")[["gdp", "pop_mean"]].sum(min_count=31)
    me = p[p["code"] == code].set_index("year")
    share = me["gdp"] / tot["gdp"]
    rel = me["gdp_pc"] / (tot["gdp"] * 1e4 / tot["pop_mean"])
    return pd.DataFrame({"share": share, "relative_pc": rel})


#: 点—轴系统的两条一级轴线在省级数据中的近似：沿海 = “七五”计划的东部（沿海）地带，沿江 = 长江经济带
#: 的 11 个省市；两者在上海、江苏、浙江重叠，“T”字型合计按省份取并集（每个省只算一次）。
AXIS_GROUPS = (("coast", "沿海地带"), ("yreb", "长江经济带"), ("yreb_inland", "长江经济带中的内陆省份"),
               ("t", "“T”字型合计"))


def axis_masks(p: pd.DataFrame) -> dict:
    """面板 ``p`` 中属于沿海地带、长江经济带、长江经济带中不属沿海地带的省份及二者并集的行
    （区域方案取自 data/region_schemes.csv）。"""
    coast = p["region3_1986"] == "east"
    yreb = p["yreb"] == "yreb"
    return {"coast": coast, "yreb": yreb, "yreb_inland": yreb & ~coast, "t": coast | yreb}


def axis_shares(vintage: str) -> pd.DataFrame:
    """沿海地带、长江经济带和“T”字型合计占 31 省 GDP 与年末常住人口合计的比重（一个数据版本内部）。

    返回长表：year, group, n（省份数）, gdp_share, pop_share, ratio（GDP 比重 ÷ 人口比重，即该组人均 GDP
    相对于 31 省的倍数）。任何一个成员或 31 省中任何一省缺数的年份，该组比重为缺失，不用部分省份凑合计。"""
    p = analysis.panel(vintage)
    tot = p.groupby("year")[["gdp", "pop"]].sum(min_count=31)
    out = []
    for g, m in axis_masks(p).items():
        n = int(p.loc[m, "code"].nunique())
        s = p[m].groupby("year")[["gdp", "pop"]].sum(min_count=n)
        d = pd.DataFrame({"year": tot.index, "group": g, "n": n,
                          "gdp_share": (s["gdp"] / tot["gdp"]).values,
                          "pop_share": (s["pop"] / tot["pop"]).values})
        out.append(d)
    df = pd.concat(out, ignore_index=True)
    df["ratio"] = df["gdp_share"] / df["pop_share"]
    return df.dropna(subset=["gdp_share", "pop_share"]).reset_index(drop=True)


#: 判断“最高点”时视为并列的差距：GDP 比重相差不到半个显示精度（正文保留一位小数的百分比，即 0.05 个百分点）。
NEAR_PEAK_TOL = 0.0005

#: “T”字型合计的人均 GDP 不到 31 省的这一倍数时，称它的 GDP 比重比人口比重“高出不多”。
SMALL_MARGIN = 1.2


def _near_peak_years(s: pd.Series, tol: float = NEAR_PEAK_TOL) -> list[int]:
    """最大值所在年份前后、与最大值相差不到 ``tol`` 的连续年份（含最大值所在年份）。"""
    s = s.sort_index()
    top = float(s.max())
    years = [int(y) for y in s.index]
    i = years.index(int(s.idxmax()))
    lo = hi = i
    while lo > 0 and top - float(s.iloc[lo - 1]) < tol:
        lo -= 1
    while hi < len(years) - 1 and top - float(s.iloc[hi + 1]) < tol:
        hi += 1
    return years[lo:hi + 1]


def axis_summary(vintage: str) -> dict:
    """正文要用的判断：每组首末年份的比重、GDP 比重是否每年都高于人口比重（及首次高于、此后一直高于的年份）、
    比重是升是降、GDP 比重的最高年份（及与它几乎相同的相邻年份）和最低年份。"""
    df = axis_shares(vintage)
    out = {}
    for g, _ in AXIS_GROUPS:
        d = df[df["group"] == g].set_index("year").sort_index()
        pk = measures.peak(d["gdp_share"])
        above = d["gdp_share"] > d["pop_share"]
        years = [int(y) for y in d.index]
        first_above = next((y for y, a in zip(years, above) if a), None)
        # 此后每年都高于人口比重的第一年：从末年往回数，一直高于的最早一年
        above_from = None
        for y, a in zip(reversed(years), reversed(list(above))):
            if not a:
                break
            above_from = y
        out[g] = {"first": int(d.index.min()), "last": int(d.index.max()), "n": int(d["n"].iloc[0]),
                  "gdp_first": float(d["gdp_share"].iloc[0]), "gdp_last": float(d["gdp_share"].iloc[-1]),
                  "pop_first": float(d["pop_share"].iloc[0]), "pop_last": float(d["pop_share"].iloc[-1]),
                  "ratio_first": float(d["ratio"].iloc[0]), "ratio_last": float(d["ratio"].iloc[-1]),
                  "ratio_min": float(d["ratio"].min()), "ratio_max": float(d["ratio"].max()),
                  "gdp_above_pop_every_year": bool(above.all()),
                  "first_above": first_above, "above_from": above_from,
                  "gdp_peak": pk, "gdp_near_peak_years": _near_peak_years(d["gdp_share"]),
                  "gdp_min_year": int(d["gdp_share"].idxmin())}
    return out


def above_pop_zh(x: dict) -> str:
    """一组省份在一个版本中 GDP 比重与人口比重的关系（:func:`axis_summary` 中一组的结果）。"""
    if x["gdp_above_pop_every_year"]:
        return "每一年都高于人口比重"
    if x["first_above"] is None:
        return "没有一年高于人口比重"
    if x["above_from"] == x["first_above"]:
        return f"直到 {x['first_above']} 年才超过人口比重，此后每年都高于人口比重"
    return f"只在部分年份高于人口比重（最早是 {x['first_above']} 年）"


def axis_prediction_zh(summaries) -> str:
    """“轴线所在省份的 GDP 比重高于人口比重”这一推论分开看两条轴线时是否成立（``summaries``：各版本的
    :func:`axis_summary`）。"""
    holds = {g: all(s[g]["gdp_above_pop_every_year"] for s in summaries) for g in ("coast", "yreb", "t")}
    if holds["coast"] and holds["yreb"]:
        return "两条轴线分开看也都满足这一推论"
    if holds["t"] and holds["coast"]:
        return "分开看，只有沿海一轴在每一年都满足这一推论；“T”字型合计也满足，靠的是沿海地带"
    if holds["t"] and holds["yreb"]:
        return "分开看，只有沿江一轴在每一年都满足这一推论；“T”字型合计也满足，靠的是长江经济带"
    return "分开看，两条轴线都没有在每一年都满足这一推论"


def margin_zh(ratio: float, ratio_text: str) -> str:
    """“T”字型合计的 GDP 比重比人口比重高出多少的说法（``ratio``：人均 GDP 相对于 31 省的倍数）。"""
    if ratio < 1:
        return f"它的人均 GDP 只有 31 省的 {ratio_text} 倍"
    if ratio < SMALL_MARGIN:
        return f"但高出不多：它的人均 GDP 只是 31 省的 {ratio_text} 倍"
    return f"而且高出较多：它的人均 GDP 是 31 省的 {ratio_text} 倍"


def change_zh(first: float, last: float, first_text: str, last_text: str, tol: float = 0.005) -> str:
    """“从 A 上升到 B”“从 A 下降到 B”或“基本持平（首末两年分别为 A 和 B）”（方向按 :func:`direction_zh`）。"""
    d = direction_zh(first, last, tol)
    if d == "基本持平":
        return f"基本持平（首末两年分别为 {first_text} 和 {last_text}）"
    return f"从 {first_text} {d}到 {last_text}"


def direction_zh(first: float, last: float, tol: float = 0.005) -> str:
    """首末两个比重的变化方向：相差不到 ``tol``（默认 0.5 个百分点）时称“基本持平”。"""
    if abs(last - first) < tol:
        return "基本持平"
    return "上升" if last > first else "下降"
