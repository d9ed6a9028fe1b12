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


REGISTRY = [
    (Spec("ex-p2-3-1", ("中部 GDP 比重（小数）", "西部 GDP 比重（小数）", "东部÷中部人均 GDP", "东部÷西部人均 GDP"),
          (3, 3, 2, 2), "2012 年，四经普修订数据"), _p2_3_1),
    (Spec("ex-p2-3-2", ("东部÷西部（各省人均 GDP 的简单平均之比）",), (2,), "2012 年，四经普修订数据"), _p2_3_2),
]
