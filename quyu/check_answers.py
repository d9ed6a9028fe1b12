"""自查练习的标准答案：每道题一个从 data/ 计算答案的函数（不手写任何数字）。

各函数与对应练习的参考解答做同样的计算；``quyu.check`` 只保存结果的散列。
（按章划分的代码；包重组后可移入 ``quyu/parts/``。）
"""
from __future__ import annotations

from .check import Spec


def _p2_3_1():
    from . import data

    p = data.panel("census2018", years=[2012])
    g = p.groupby("region4")
    share = g["gdp"].sum() / p["gdp"].sum()
    pc = g["gdp"].sum() / g["pop_mean"].sum()
    return [share["central"], share["west"], pc["east"] / pc["central"], pc["east"] / pc["west"]]


def _p2_3_2():
    from . import data

    p = data.panel("census2018", years=[2012])
    m = p.groupby("region4")["gdp_pc"].mean()
    return [m["east"] / m["west"]]


def _p1_2():
    from . import analysis

    return [analysis.disparity("compendium", "theil_t", True, scheme=s).loc[1998, "between_share"]
            for s in ("region3_1986", "region3_wd2000", "region4")]


def _p1_c2():
    from . import analysis

    return [analysis.disparity("yearbook", "theil_t", True, scheme="region3_wd2000").loc[y, "between_share"]
            for y in (2003, 2012)]


def _p3_7():
    from . import data, measures

    rd = data.indicator("rd_intramural_exp")
    v = rd[rd["year"] == 2023]["value"]
    return [measures.gini(v / v.sum())]


def _p4_1():
    from . import measures

    lam = measures.convergence_speed(-0.015, 20)
    lo, hi = measures.convergence_speed(-0.005, 20), measures.convergence_speed(-0.025, 20)
    return [100 * lam, measures.half_life(lam), 100 * lo, 100 * hi]


def _p1_1():
    from . import analysis, measures

    p = analysis.panel("compendium")
    p = p[~p["code"].isin(["11", "12", "31"])]
    cv = measures.disparity_by_year(p[["code", "year", "gdp_pc"]], "cv", unit="code", dropna=True)["value"]
    return [cv.loc[y] for y in (1978, 1990, 1998)]


def _p2_2_2():
    from . import analysis

    d = analysis.disparity("census2018", "theil_t", weighted=True, scheme="yreb")
    return [100 * d.loc[y, "between_share"] for y in (2012, 2022)]


def _p3_2():
    import pandas as pd

    from . import data, measures

    # 与 parts.part3.urban_rural_ratio / annual_rate 同样的计算（框架模块不导入部分模块）
    df = pd.DataFrame({"urban": data.national("disp_income_pc_urban"),
                       "rural": data.national("income_pc_rural_net_to2012_disp_from2013")}).dropna()
    ratio = measures.ratio(df["urban"], df["rural"])

    def rate(a, b):
        return 100 * ((ratio.loc[b] / ratio.loc[a]) ** (1 / (b - a)) - 1)

    return [rate(2009, 2012), rate(2013, 2016), rate(2009, 2016)]


def _p4_6():
    import math

    # 情景路径 R_t = R_0·exp(d·(t − t0))（parts.part4.scenario_path 的公式）
    r0, d, t0 = 1.65, -0.8 / 100, 2024
    return [r0 * math.exp(d * (2035 - t0)), r0 * math.exp(d * (2050 - t0)),
            100 * math.log(1.40 / r0) / (2035 - t0)]


REGISTRY = [
    (Spec("ex-p2-3-1", ("中部 GDP 比重（小数）", "西部 GDP 比重（小数）", "东部÷中部人均 GDP", "东部÷西部人均 GDP"),
          (3, 3, 2, 2), "2012 年，四经普修订数据"), _p2_3_1),
    (Spec("ex-p2-3-2", ("东部÷西部（各省人均 GDP 的简单平均之比）",), (2,), "2012 年，四经普修订数据"), _p2_3_2),
    (Spec("ex-p1-2", ("三大地带（1986）组间比重（小数）", "西部大开发口径三分法组间比重（小数）", "四大区域组间比重（小数）"),
          (3, 3, 3), "1998 年，汇编口径，人口加权泰尔指数 T"), _p1_2),
    (Spec("ex-p1-c2", ("2003 年组间比重（小数）", "2012 年组间比重（小数）"), (3, 3),
          "西部大开发口径三分法，年鉴口径（四经普前），人口加权泰尔指数 T"), _p1_c2),
    (Spec("ex-p3-7", ("2023 年各省 R&D 经费份额的基尼系数",), (3,), "不加权"), _p3_7),
    (Spec("ex-p4-1", ("收敛速度 λ（每年，%）", "半衰期（年）", "λ 区间下端（%）", "λ 区间上端（%）"),
          (2, 1, 2, 2), "按题面给出的 β、T 与 β 的 95% 区间计算"), _p4_1),
    (Spec("ex-p1-1", ("1978 年变异系数", "1990 年变异系数", "1998 年变异系数"), (3, 3, 3),
          "去掉京津沪，汇编口径，不加权"), _p1_1),
    (Spec("ex-p2-2-2", ("2012 年组间占比（%）", "2022 年组间占比（%）"), (2, 2),
          "长江经济带与其他地区，四经普修订，人口加权泰尔指数 T"), _p2_2_2),
    (Spec("ex-p3-2", ("2009—2012 年年均变化率（%）", "2013—2016 年年均变化率（%）", "2009—2016 年年均变化率（%）"),
          (2, 2, 2), "全国城乡收入比"), _p3_2),
    (Spec("ex-p4-6", ("2035 年比值", "2050 年比值", "东部减西部的年增长率之差（百分点，为负）"), (3, 3, 2),
          "按题面给出的起点与差距计算"), _p4_6),
]
