"""第二部分理论章（book/part2/theory.md）的计算与组件。

检验“人是否追随产出”：各省 GDP 份额与人口份额的差别、二者的相异指数
（产出—人口不重合度，:func:`quyu.measures.dissimilarity`），以及城市群的份额。
人口一律用人均 GDP 的分母（年均常住人口），使份额之比正好是相对人均 GDP。
所有计算只在一个数据版本内部进行。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, measures, plots, widgets
from .._shared import SERIES_VINTAGES, VINTAGE_ZH, vintage_zh

#: 份额使用的人口列（与人均 GDP 的分母一致）。
POP = analysis.WEIGHT_COLUMN

#: 城市群（以省级单位近似）：区域方案名。
CLUSTERS = ("jjj", "yrd", "gba_proxy", "chengyu")


@data.cached
def shares(vintage: str) -> pd.DataFrame:
    """每个 (省, 年) 一行：GDP 占 31 省合计的份额、人口份额，以及二者之比（= 相对人均 GDP）。

    某年有省份缺 GDP 或人口时，这一年整体跳过（份额要求 31 省齐全）。返回副本，调用者可以随意修改。
    """
    p = analysis.panel(vintage)[["code", "name", "year", "gdp", POP]].rename(columns={POP: "pop"})
    complete = p.groupby("year")[["gdp", "pop"]].count().min(axis=1) == 31
    p = p[p["year"].isin(complete[complete].index)].copy()
    tot = p.groupby("year")[["gdp", "pop"]].transform("sum")
    p["gdp_share"] = p["gdp"] / tot["gdp"]
    p["pop_share"] = p["pop"] / tot["pop"]
    p["ratio"] = p["gdp_share"] / p["pop_share"]
    return p.reset_index(drop=True)


@data.cached
def dissimilarity_series(vintage: str) -> pd.Series:
    """逐年的产出—人口不重合度 D（相异指数）。"""
    s = shares(vintage)
    return pd.Series({int(y): measures.dissimilarity(b.set_index("code")["gdp"], b.set_index("code")["pop"])
                      for y, b in s.groupby("year")}, name="D").sort_index()


def follow_test(vintage: str, start: int, end: int) -> dict:
    """人是否追随产出：期初相对人均 GDP（对数）与其后人口份额变化（百分点）的横截面回归。

    斜率为正且显著：期初人均产出高的省份，人口份额上升更多。另给出 GDP 份额与人口份额
    变化的相关系数，以及 D 的期初、期末值。
    """
    s = shares(vintage).set_index(["code", "year"])
    years = set(s.index.get_level_values("year"))
    for y in (start, end):
        if y not in years:
            raise data.DataError(f"{vintage_zh(vintage)}没有 {y} 年的完整数据", f"vintage {vintage} lacks year {y}")
    a, b = s.xs(start, level="year"), s.xs(end, level="year")
    d_pop = (b["pop_share"] - a["pop_share"]) * 100
    d_gdp = (b["gdp_share"] - a["gdp_share"]) * 100
    from scipy import stats as _stats  # 按需导入（导入较慢）

    fit = _stats.linregress(np.log(a["ratio"]), d_pop)
    D = dissimilarity_series(vintage)
    return {"slope": float(fit.slope), "p": float(fit.pvalue), "r": float(fit.rvalue),
            "corr_changes": float(np.corrcoef(d_gdp, d_pop)[0, 1]), "n": int(len(a)),
            "D_start": float(D[start]), "D_end": float(D[end]),
            "d_pop": d_pop, "d_gdp": d_gdp, "ratio_start": a["ratio"]}


def cluster_table(vintage: str, years) -> pd.DataFrame:
    """各城市群（以所含省级单位近似）在给定年份的 GDP 份额、人口份额与二者之比。"""
    s = shares(vintage)
    schemes = data.schemes().set_index("scheme")["scheme_zh"]
    rows = []
    for sch in CLUSTERS:
        members = data.scheme(sch)
        inside = members[members == sch].index
        label = data.scheme(sch, labels=True)[inside[0]]
        for y in years:
            b = s[(s["year"] == y) & s["code"].isin(inside)]
            if b.empty:
                raise data.DataError(f"{vintage_zh(vintage)}没有 {y} 年的数据", f"no year {y} in {vintage}")
            g, p = b["gdp_share"].sum(), b["pop_share"].sum()
            rows.append({"scheme": sch, "cluster": label, "scheme_zh": schemes[sch], "year": int(y),
                         "n_prov": len(inside), "gdp_share": g, "pop_share": p, "ratio": g / p})
    return pd.DataFrame(rows)


def city_dissimilarity_2010() -> dict:
    """2010 年地级市层面的产出—人口不重合度：同一批城市，分别按城市和按所属省份加总计算。

    GDP 为城市统计年鉴的 2010 年地区生产总值，人口为第六次人口普查常住人口（按统一的
    行政区划调整过）；只用两者都有的城市。同一批城市按省加总后再算一次 D，两者之差
    说明“空间单元越细，产出与人口越不重合”。
    """
    gdp = data.cities("gdp_current", 2010)
    gdp = gdp[gdp["unit"] == "10k_yuan"][["code", "province_code", "value"]].rename(columns={"value": "gdp"})
    pop = data.cities("pop_resident_census_2010_boundary_adj", 2010)[["code", "value"]].rename(
        columns={"value": "pop"})
    df = gdp.merge(pop, on="code").dropna()
    df = df[(df["gdp"] > 0) & (df["pop"] > 0)]
    by_city = measures.dissimilarity(df.set_index("code")["gdp"], df.set_index("code")["pop"])
    prov = df.groupby("province_code")[["gdp", "pop"]].sum()
    by_prov = measures.dissimilarity(prov["gdp"], prov["pop"])
    return {"n_cities": int(len(df)), "n_provinces": int(len(prov)), "D_city": by_city, "D_province": by_prov,
            "pop_total": float(df["pop"].sum())}


def follow_widget(vintage: str = "current", code: str = "44", year: int | None = None) -> widgets.BookWidget:
    """人是否追随产出：选数据版本与省份，看该省 GDP 份额与人口份额的走势；读数年份给出两者与 D。"""
    prov = data.provinces()
    names = dict(zip(prov["code"], prov["name_zh_short"]))
    years = sorted({y for v in SERIES_VINTAGES for y in data.vintage_info(v)["years"]})
    year = year if year is not None else max(data.vintage_info(vintage)["years"])

    events = plots.chart_events()

    def compute(vintage, code):
        s = shares(vintage)
        me = s[s["code"] == code].set_index("year")
        x = list(me.index)
        D = dissimilarity_series(vintage).reindex(x)
        note = f"数据版本：{vintage_zh(vintage)}；人口为年均常住人口（汇编口径部分省份为户籍人口）"
        share_chart = widgets.chart(
            f"{names[code]}：GDP 份额与人口份额", x,
            [{"id": "gdp", "label": "GDP 份额", "y": [v * 100 for v in me["gdp_share"]],
              "color": plots.COLORS["east"]},
             {"id": "pop", "label": "人口份额", "y": [v * 100 for v in me["pop_share"]],
              "color": plots.COLORS["west"], "dash": True}],
            ylabel="占 31 省合计（%）", unit="%", digits=2, events=events, note=note)
        d_chart = widgets.chart(
            "全国：产出—人口不重合度 D", x,
            [{"id": "D", "label": "D（相异指数）", "y": list(D),
              "color": plots.COLORS["ink"]}],
            ylabel="D", digits=3, events=events,
            note="D = ½ Σ |GDP 份额 − 人口份额|；0 表示完全重合")
        return [share_chart, d_chart]

    controls = [
        widgets.Control("vintage", "数据版本", tuple((VINTAGE_ZH[v], v) for v in SERIES_VINTAGES), vintage),
        widgets.Control("code", "省份", tuple((names[c], c) for c in prov["code"]), code),
        widgets.Control("year", "读数年份", tuple((str(y), int(y)) for y in years), int(year), "xmark"),
    ]
    return widgets.BookWidget("人是否追随产出", controls, compute,
                              description="选择数据版本和省份：上图是该省 GDP 份额与人口份额，"
                                          "下图是全国的产出—人口不重合度；读数年份不在该版本中时给出提示。")
