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
    from .parts import part4

    lam = part4.speed(-0.015, 20)
    lo, hi = part4.speed(-0.005, 20), part4.speed(-0.025, 20)
    return [100 * lam, part4.half_life(lam), 100 * lo, 100 * hi]


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
]
