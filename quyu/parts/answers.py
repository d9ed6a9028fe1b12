"""自查练习的标准答案：每道可以自查的计算题一个函数，与该题参考解答做同样的计算。

- 答案由各章模块与框架的函数从 data/ 算出，不手写任何数字（只有题面给定的参数，
  如 ex-p4-1 的 β、ex-dyn-1 的转移矩阵，才写在这里）；
- 本模块是部分层的汇总：它可以导入各章模块（``tests/test_layout.py`` 中唯一的例外），
  而框架（包括 :mod:`quyu.check`）不导入它。框架只读本模块写出的 ``quyu/answers.json``：
  其中只有按容差取整后的散列值；
- 构建本书时，本模块作为 Sphinx 扩展（``_config.yml`` 的 ``extra_extensions``）在构建开始时写出
  ``quyu/answers.json``（不进仓库），网站提供的 wheel 带上同一个文件；也可以单独运行

      python -m quyu.parts.answers            # 写出 quyu/answers.json
      python -m quyu.parts.answers PATH       # 写到别处

哪些计算题没有自查、为什么，见教师指南（book/appendix/instructors.md）。
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .. import analysis, check, data, measures
from ..check import Spec
from ..models import core_periphery
from .part1 import coordination as part1_coordination
from .part1 import theory as part1_theory
from .part2 import theory as part2_theory
from .part3 import finance_and_people, innovation_and_assistance, people_and_governance
from .part4 import convergence, dynamics, north_south, outlook, plan15

#: 习题中的“最新年份”与“新时代起点”都取自数据（data/vintages.csv、data/stages.csv），不写在代码里。
LAST = data.latest_year("current")
ERA = data.stage_start("new_era")
CUR0 = data.vintage_info("current")["years"][0]
INC0 = data.series_years("income")[0]
IDX = data.series_years("gdp_index")
#: 情景推演的两个终点年份（data/history_facts.csv）
H1, H2 = outlook.horizons()

#: (Spec, 计算答案的函数) 的列表，按书中的顺序。
ANSWERS: list[tuple[Spec, object]] = []


def answer(exercise: str, items, decimals, note: str = "", exact=()):
    """登记一道题的自查答案：``items`` 依次要给的数（名称与单位），``decimals`` 各自保留的小数位数。"""
    def register(compute):
        ANSWERS.append((Spec(exercise, tuple(items), tuple(decimals), note, tuple(exact)), compute))
        return compute
    return register


# ---------------------------------------------------------------- 第一部分

@answer("ex-p1-1", ("1978 年变异系数", "1990 年变异系数", "1998 年变异系数"), (3, 3, 3),
        "去掉京津沪，汇编口径，不加权")
def _p1_1():
    p = analysis.panel("compendium")
    p = p[~p["code"].isin(["11", "12", "31"])]
    cv = measures.disparity_by_year(p[["code", "year", "gdp_pc"]], "cv", unit="code", dropna=True)["value"]
    return [cv.loc[y] for y in (1978, 1990, 1998)]


@answer("ex-p1-2", ("三大地带（1986）组间比重（小数）", "西部大开发口径三分法组间比重（小数）", "四大区域组间比重（小数）"),
        (3, 3, 3), "1998 年，汇编口径，人口加权泰尔指数 T")
def _p1_2():
    return [analysis.disparity("compendium", "theil_t", True, scheme=s).loc[1998, "between_share"]
            for s in ("region3_1986", "region3_wd2000", "region4")]


@answer("ex-p1-3", ("不加权基尼系数的谷底年份", "人口加权基尼系数的谷底年份", "不加权变异系数的谷底年份"), (0, 0, 0),
        "1978—1998 年，汇编口径", exact=(0, 1, 2))
def _p1_3():
    return [int(analysis.disparity("compendium", m, w)["value"].loc[1978:1998].idxmin())
            for m, w in (("gini", False), ("gini", True), ("cv", False))]


@answer("ex-p1-c1", ("年鉴口径 2005 年变异系数", "年鉴口径 2008 年变异系数", "年鉴口径 2005—2008 年变化率（%）",
                     "四经普修订 2005 年变异系数", "四经普修订 2008 年变异系数", "四经普修订 2005—2008 年变化率（%）"),
        (3, 3, 1, 3, 3, 1), "不加权变异系数；变化率 = 2008 年 ÷ 2005 年 − 1")
def _p1_c1():
    out = []
    for v in ("yearbook", "census2018"):
        s = analysis.disparity(v, "cv", False)["value"]
        out += [s[2005], s[2008], 100 * (s[2008] / s[2005] - 1)]
    return out


@answer("ex-p1-c2", ("2003 年组间比重（小数）", "2012 年组间比重（小数）"), (3, 3),
        "西部大开发口径三分法，年鉴口径（四经普前），人口加权泰尔指数 T")
def _p1_c2():
    return [analysis.disparity("yearbook", "theil_t", True, scheme="region3_wd2000").loc[y, "between_share"]
            for y in (2003, 2012)]


@answer("ex-p1-c3", ("用年末人口时序列的首年", "2000 年不加权变异系数", "2012 年以前的峰值年份"), (0, 3, 0),
        "年鉴口径（四经普前），年末人口作分母", exact=(0, 2))
def _p1_c3():
    ye = analysis.disparity("yearbook", "cv", False, pop_basis="yearend")["value"]
    return [int(ye.index.min()), ye[2000], int(ye.loc[:2012].idxmax())]


@answer("ex-p1-c7", ("参照年到末年的双重差分（对数差）", "参照年到首年的双重差分（对数差）"), (3, 3),
        "汇编口径，对数人均 GDP，西部大开发省份对中部六省")
def _p1_c7():
    res = part1_coordination.west_event_study("central", n_boot=0)
    c = res.coefs.set_index("time")["coef"]
    lo, hi = part1_coordination.window()
    return [c[hi], c[lo]]


@answer("ex-t1-1", ("泰尔指数 T 不加权的最大值年份", "泰尔指数 T 人口加权的最大值年份",
                    "基尼系数不加权的最大值年份", "基尼系数人口加权的最大值年份"), (0, 0, 0, 0),
        "年鉴口径（四经普前）", exact=(0, 1, 2, 3))
def _t1_1():
    return [part1_theory.peak_row("yearbook", m, w).year for m in ("theil_t", "gini") for w in (False, True)]


@answer("ex-t1-2", ("首年的组间比重（小数）", "最新一年的组间比重（小数）"), (3, 3),
        "五经普修订（现行），“七五”三大地带，人口加权泰尔指数 T")
def _t1_2():
    d = analysis.disparity("current", "theil_t", True, scheme="region3_1986")["between_share"]
    return [d.iloc[0], d.iloc[-1]]


#: 习题 ex-t1-3 的时期：年鉴口径中 31 省人均 GDP 都有数值的首年与末年
T13 = part1_theory.complete_span("yearbook")


@answer("ex-t1-3", ("相关系数", "回归斜率"), (3, 4),
        f"年鉴口径（四经普前），{T13[0]} 年人均 GDP 的对数与 {T13[0]}—{T13[1]} 年年均增长率")
def _t1_3():
    r = part1_theory.growth_on_level("yearbook", *T13)
    return [r["r"], r["slope"]]


# ---------------------------------------------------------------- 第二部分

@answer("ex-p2-1-3", ("长江经济带 2012 年 GDP 比重（小数）", "长江经济带 2021 年 GDP 比重（小数）",
                      "黄河流域 2012 年 GDP 比重（小数）", "黄河流域 2021 年 GDP 比重（小数）"), (3, 3, 3, 3),
        "四经普修订，占 31 个省份合计")
def _p2_1_3():
    out = []
    for s in ("yreb", "yellow_river"):
        r = analysis.regional("census2018", scheme=s)
        out += r.loc[[2012, 2021], ("share", s)].tolist()
    return out


@answer("ex-p2-1-4", ("截至 2023 年的自贸试验区与国家级新区个数之和",), (0,),
        "按国务院批复日期（date_approved）的年份计", exact=(0,))
def _p2_1_4():
    ftz, nna = data.free_trade_zones(), data.national_new_areas()

    def year(s):
        return s.astype(str).str[:4].astype(int)

    return [int((year(ftz["date_approved"]) <= 2023).sum() + (year(nna["date_approved"]) <= 2023).sum())]


@answer("ex-t2-1", ("广东首年人口份额（%）", "广东末年人口份额（%）", "广东的变化（百分点）",
                    "四川首年人口份额（%）", "四川末年人口份额（%）", "四川的变化（百分点）"), (2, 2, 2, 2, 2, 2),
        "四经普修订，该版本的首年与末年")
def _t2_1():
    s = part2_theory.shares("census2018")
    out = []
    for code in ("44", "51"):
        m = s[s["code"] == code].set_index("year")["pop_share"]
        a, b = m.loc[m.index.min()], m.loc[m.index.max()]
        out += [100 * a, 100 * b, 100 * (b - a)]
    return out


@answer("ex-t2-2", ("不重合度 D（小数）", "至少要迁移的人数"), (3, 1), "按题面给出的三省 GDP 与人口计算")
def _t2_2():
    gdp, pop = pd.Series([50.0, 30, 20]), pd.Series([30.0, 30, 40])
    d = measures.dissimilarity(gdp, pop)
    return [d, d * pop.sum()]


@answer("ex-t2-6", ("突破点的贸易自由度 φ_B", "对应的运输成本 T_B"), (3, 2), "按题面给出的支出份额与替代弹性计算")
def _t2_6():
    phi = core_periphery.break_point(0.3, 4.0)
    return [phi, float(core_periphery.trade_cost(phi, 4.0))]


@answer("ex-p2-2-2", ("2012 年组间占比（%）", "2022 年组间占比（%）"), (2, 2),
        "长江经济带与其他地区，四经普修订，人口加权泰尔指数 T")
def _p2_2_2():
    d = analysis.disparity("census2018", "theil_t", weighted=True, scheme="yreb")
    return [100 * d.loc[y, "between_share"] for y in (2012, 2022)]


@answer("ex-p2-3-1", ("中部 GDP 比重（小数）", "西部 GDP 比重（小数）", "东部÷中部人均 GDP", "东部÷西部人均 GDP"),
        (3, 3, 2, 2), "2012 年，四经普修订数据")
def _p2_3_1():
    p = data.panel("census2018", years=[2012])
    g = p.groupby("region4")
    share = g["gdp"].sum() / p["gdp"].sum()
    pc = g["gdp"].sum() / g["pop_mean"].sum()
    return [share["central"], share["west"], pc["east"] / pc["central"], pc["east"] / pc["west"]]


@answer("ex-p2-3-2", ("东部÷西部（各省人均 GDP 的简单平均之比）",), (2,), "2012 年，四经普修订数据")
def _p2_3_2():
    p = data.panel("census2018", years=[2012])
    m = p.groupby("region4")["gdp_pc"].mean()
    return [m["east"] / m["west"]]


# ---------------------------------------------------------------- 第三部分

def _fiscal_last():
    f = finance_and_people.fiscal_panel()
    return f[f["year"] == finance_and_people.fiscal_years()[-1]]


@answer("ex-fp-1", ("宁夏人均省外资金（元/人）", "宁夏自有收入占比（小数）"), (0, 3), "地方财政收支数据的最新一年")
def _fp_1():
    nx = _fiscal_last().set_index("code").loc["64"]
    return [nx["gap_pc"], nx["own_share"]]


@answer("ex-fp-2", ("不加权变异系数", "人口加权变异系数", "去掉西藏后不加权", "去掉西藏后人口加权"), (3, 3, 3, 3),
        "各省人均地方支出，地方财政收支数据的最新一年")
def _fp_2():
    y = _fiscal_last()
    z = y[y["code"] != "54"]
    return [measures.cv(y["exp_pc"]), measures.cv(y["exp_pc"], y["pop_mean"]),
            measures.cv(z["exp_pc"]), measures.cv(z["exp_pc"], z["pop_mean"])]


@answer("ex-fp-3", ("对 log 人均 GDP 的斜率（元）", "95% 区间下端（元）", "95% 区间上端（元）"), (0, 0, 0),
        "第（3）问：最新一年 31 省截面，OLS，HC1 稳健标准误")
def _fp_3():
    import statsmodels.api as sm

    y = _fiscal_last()
    fit = sm.OLS(y["gap_pc"], sm.add_constant(np.log(y["gdp_pc"]))).fit(cov_type="HC1", use_t=True)
    lo, hi = fit.conf_int().loc["gdp_pc"]
    return [fit.params["gdp_pc"], lo, hi]


#: R&D 数据的最新一年（《中国科技统计年鉴》各版，取自数据）
RD_LAST = innovation_and_assistance.rd_years()[-1]


@answer("ex-p3-7", (f"{RD_LAST} 年各省 R&D 经费份额的基尼系数",), (3,), "不加权")
def _p3_7():
    rd = data.indicator("rd_intramural_exp")
    v = rd[rd["year"] == RD_LAST]["value"]
    return [measures.gini(v / v.sum())]


@answer("ex-p3-8", ("长三角 2019 年研发强度（%）", "长三角 2021 年研发强度（%）"), (2, 2),
        "R&D 经费 ÷ 与之配对的 GDP 版本")
def _p3_8():
    return [100 * innovation_and_assistance.rd_intensity(y)["yrd"] for y in (2019, 2021)]


@answer("ex-p3-9", ("1996 年福建÷宁夏人均 GDP", "2008 年福建÷宁夏人均 GDP"), (2, 2), "汇编口径")
def _p3_9():
    r = innovation_and_assistance.pair_ratio("福建", "宁夏", "compendium")
    return [r[1996], r[2008]]


@answer("ex-p3-1", (f"不加权 {INC0} 年", f"不加权 {LAST} 年", f"人口加权 {INC0} 年", f"人口加权 {LAST} 年"), (3, 3, 3, 3),
        "各省人均可支配收入的变异系数")
def _p3_1():
    out = []
    for w in (False, True):
        d = people_and_governance.income_vs_output("cv", weighted=w)["income"]
        out += [d[INC0], d[LAST]]
    return out


@answer("ex-p3-2", ("2009—2012 年年均变化率（%）", "2013—2016 年年均变化率（%）", "2009—2016 年年均变化率（%）"),
        (2, 2, 2), "全国城乡收入比")
def _p3_2():
    ur = people_and_governance.urban_rural_ratio()["ratio"]
    return [100 * people_and_governance.annual_rate(ur.loc[a:b]) for a, b in ((2009, 2012), (2013, 2016))] + \
        [100 * people_and_governance.annual_rate(ur.loc[[2009, 2016]])]


@answer("ex-p3-3", ("随机两组（与京津冀方案同样大小）的平均组间占比（%）", "随机四组（与四大板块同样大小）的平均组间占比（%）"),
        (2, 2), f"{LAST} 年，五经普修订（现行），random_between_shares 的默认抽样次数与随机数种子")
def _p3_3():
    return [100 * people_and_governance.random_between_shares(LAST, s).mean() for s in ("jjj", "region4")]


@answer("ex-p3-4", ("四经普修订（%）", "年鉴口径（四经普前）（%）", "五经普修订（现行）（%）"), (1, 1, 1),
        "2012 年，四大板块，人口加权泰尔指数 T 的组间占比")
def _p3_4():
    return [100 * people_and_governance.theil_by_scheme(v, "theil_t", True, "region4").loc[2012, "between_share"]
            for v in ("census2018", "yearbook", "current")]


# ---------------------------------------------------------------- 第四部分

@answer("ex-p4-1", ("收敛速度 λ（每年，%）", "半衰期（年）", "λ 区间下端（%）", "λ 区间上端（%）"), (2, 1, 2, 2),
        "按题面给出的 β、T 与 β 的 95% 区间计算")
def _p4_1():
    lam = convergence.speed(-0.015, 20)
    return [100 * lam, measures.half_life(lam), 100 * convergence.speed(-0.005, 20), 100 * convergence.speed(-0.025, 20)]


@answer("ex-p4-2", ("不加权 β", "不加权 β 区间下端", "不加权 β 区间上端", "加权 β", "加权 β 区间下端", "加权 β 区间上端"),
        (4, 4, 4, 4, 4, 4), f"五经普修订（现行），{ERA}—{LAST} 年，加权以期初人口为权重")
def _p4_2():
    out = []
    for w in (False, True):
        r = convergence.estimate("current", ERA, LAST, weighted=w)
        out += [r.beta, r.ci_low, r.ci_high]
    return out


@answer("ex-p4-3", ("隐含价格上涨与期初人均 GDP 对数的相关系数",), (3,), f"第（2）问，{IDX[0] - 1}—{IDX[-1]} 年")
def _p4_3():
    rg = convergence.real_growth_sample()
    return [np.corrcoef(np.log(rg["y0"]), rg["deflator"])[0, 1]]


@answer("ex-p4-5", ("东北 GDP 的年均对数增长率（%）", "东北人口的年均对数增长率（%）", "东北人均 GDP 的年均对数增长率（%）"),
        (2, 2, 2), f"第（2）问，五经普修订（现行），{ERA}—{LAST} 年，人口为年平均人口")
def _p4_5():
    p = analysis.panel("current")
    ne = p[p["region4"] == "northeast"].groupby("year")[["gdp", "pop_mean"]].sum()
    g_gdp = np.log(ne.loc[LAST, "gdp"] / ne.loc[ERA, "gdp"]) / (LAST - ERA)
    g_pop = np.log(ne.loc[LAST, "pop_mean"] / ne.loc[ERA, "pop_mean"]) / (LAST - ERA)
    return [100 * g_gdp, 100 * g_pop, 100 * (g_gdp - g_pop)]


@answer("ex-p4-8c", ("不含海南连接时普通最小二乘残差的莫兰指数", "空间滞后模型的 ρ", "空间滞后模型的总效应（小数）"),
        (3, 3, 4), f"五经普修订（现行），{ERA}—{LAST} 年，相邻权重，不含海南—广东连接")
def _p4_8c():
    r = convergence.spatial_beta(hainan_link=False)
    return [r.moran_resid.I, r.lag.spatial, r.effects.total["ln_y0"]]


@answer("ex-dyn-1", ("穷省在遍历分布中的比重（小数）", "一年后穷省的比重（小数）", "两年后穷省的比重（小数）"), (3, 3, 3),
        "按题面给出的转移矩阵与期初分布计算")
def _dyn_1():
    P = np.array([[0.9, 0.1], [0.05, 0.95]])
    vals, vecs = np.linalg.eig(P.T)
    v = np.real(vecs[:, np.argmax(np.real(vals))])
    p1 = np.array([0.6, 0.4]) @ P
    return [(v / v.sum())[0], p1[0], (p1 @ P)[0]]


@answer("ex-dyn-2", ("3 类：首年中间各类合计", "3 类：遍历分布中间各类合计", "4 类：首年中间各类合计",
                     "4 类：遍历分布中间各类合计", "5 类：首年中间各类合计", "5 类：遍历分布中间各类合计"),
        (3, 3, 3, 3, 3, 3), f"第（1）问，五经普修订（现行），{CUR0}—{LAST} 年，等频分组；比重写成小数")
def _dyn_2():
    out = []
    for k in (3, 4, 5):
        res, _ = dynamics.markov_result("current", CUR0, LAST, k, "quantile")
        out += [res.initial[1:-1].sum(), res.ergodic[1:-1].sum()]
    return out


@answer("ex-dyn-3", ("数值 1、2、3、4 时的莫兰指数", "莫兰指数的期望值", "数值 1、4、2、3 时的莫兰指数"), (3, 3, 3),
        "按题面给出的四个地区与行标准化权重计算")
def _dyn_3():
    nb = {"A": ["B"], "B": ["A", "C"], "C": ["B", "D"], "D": ["C"]}
    r1, r2 = (measures.moran(pd.Series(y, index=list("ABCD"), dtype=float), nb, permutations=99)
              for y in ([1, 2, 3, 4], [1, 4, 2, 3]))
    return [r1.I, r1.EI, r2.I]


@answer("ex-dyn-7", ("Kendall τ", "甲板块内的 τ", "乙板块内的 τ", "两板块之间的 τ"), (3, 3, 3, 3),
        "按题面给出的五个省份与两个板块计算")
def _dyn_7():
    idx = list("ABCDE")
    x, y = pd.Series([1, 2, 3, 4, 5], index=idx, dtype=float), pd.Series([2, 1, 3, 5, 4], index=idx, dtype=float)
    r = measures.regional_tau(x, y, pd.Series(list("甲甲甲乙乙"), index=idx), permutations=99)
    return [measures.kendall_tau(x, y).tau, r.matrix.loc["甲", "甲"], r.matrix.loc["乙", "乙"], r.matrix.loc["甲", "乙"]]


@answer("ex-p4-6", (f"{H1} 年比值", f"{H2} 年比值", "东部减西部的年增长率之差（百分点，为负）"), (3, 3, 2),
        "按题面给出的起点与差距计算")
def _p4_6():
    e = outlook.EX_P4_6
    path = outlook.scenario_path(e["ratio"], e["gap_pp"], e["year"], H2)
    return [path.loc[H1], path.loc[H2], 100 * math.log(e["target"] / e["ratio"]) / (H1 - e["year"])]


@answer("ex-p4-7", ("收敛速度 λ（每年，%）",), (2,), "第（2）问，东部与中部之比，本章的起点（五经普修订（现行）最新一年）")
def _p4_7():
    s = outlook.starting_ratios("current")
    return [100 * outlook.ex_p4_7_speed(s["east_central"], s["year"], H1)]


#: 习题 ex-p4p-1 所重算的表述的年份（official_claims.csv）
P4P_YEAR = plan15.claim_year(plan15.EX_CLAIMS[0])


@answer("ex-p4p-1", (f"{P4P_YEAR} 年东部与中部的人均 GDP 之比", f"{P4P_YEAR} 年东部与西部的人均 GDP 之比"), (3, 3),
        "五经普修订（现行），人均 = 区域 GDP 合计 ÷ 区域年平均人口合计")
def _p4p_1():
    return [plan15.recompute_claim(c, "current", "mean") for c in plan15.EX_CLAIMS]


@answer("ex-p4ns-1", (f"{ERA} 年北方 GDP 份额", f"{LAST} 年北方 GDP 份额", f"{ERA} 年南北人均比", f"{LAST} 年南北人均比"),
        (3, 3, 3, 3), "五经普修订（现行），秦岭—淮河主方案，人均 = 一侧 GDP 合计 ÷ 一侧年平均人口合计")
def _p4ns_1():
    s = north_south.series("current", north_south.MAIN_SPLIT)
    return [s.loc[ERA, "gdp_share_north"], s.loc[LAST, "gdp_share_north"],
            s.loc[ERA, "ratio_weighted"], s.loc[LAST, "ratio_weighted"]]


@answer("ex-p4ns-2", (f"{LAST} 年南北之间的泰尔指数占总差距的比重",), (3,), "现行版本，主方案，人口加权")
def _p4ns_2():
    s = north_south.series("current", north_south.MAIN_SPLIT)
    return [s.loc[LAST, "between_ns"] / s.loc[LAST, "theil"]]


# ---------------------------------------------------------------- 附录

@answer("ex-app-m-1", ("最大最小比", "变异系数", "基尼系数", "泰尔 L 指数"), (2, 3, 3, 4), "按题面给出的三个省计算")
def _app_m_1():
    y = [2.0, 4.0, 6.0]
    return [measures.max_min_ratio(y), measures.cv(y), measures.gini(y), measures.theil_l(y).total]


@answer("ex-app-m-3", ("丙→乙：泰尔 T 的降幅（%）", "丁→丙：泰尔 T 的降幅（%）", "丙→乙：泰尔 L 的降幅（%）",
                       "丁→丙：泰尔 L 的降幅（%）"), (1, 1, 1, 1), "降幅 = 1 − 转移后 ÷ 转移前，不加权")
def _app_m_3():
    base, mid, top = (pd.Series(v) for v in ([1.0, 2, 3, 6], [1.0, 2.4, 2.6, 6], [1.0, 2, 3.4, 5.6]))
    out = []
    for f in (measures.theil_t, measures.theil_l):
        b = f(base).total
        out += [100 * (1 - f(mid).total / b), 100 * (1 - f(top).total / b)]
    return out


# ---------------------------------------------------------------- 写出答案文件

def table() -> dict:
    """全部自查答案的散列表（quyu.check 的格式）。"""
    return check.answer_table(ANSWERS)


def write(path: Path | None = None) -> bool:
    """算出全部答案并写出答案文件（默认 quyu/answers.json）；内容未变时不重写。"""
    return check.write_answers(table(), path or check.ANSWERS_FILE)


def _inputs_fingerprint() -> str:
    """答案所依赖的输入（quyu/ 的代码与 data/ 的数据）的指纹。"""
    import hashlib

    h = hashlib.sha256()
    package = Path(check.__file__).resolve().parent
    for root in (package, data.data_dir()):
        for f in sorted(root.rglob("*")):
            if f.is_file() and f.suffix in (".py", ".csv", ".json", ".md") and f.name != check.ANSWERS_FILE.name \
                    and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode()); h.update(b"\0"); h.update(f.read_bytes())
    return h.hexdigest()


def _on_builder_inited(app) -> None:
    """输入没有变、答案文件也在时不重算（重算全部答案要十几秒）；否则重算并写出。"""
    stamp = Path(app.outdir).parent / ".quyu-answers-inputs"
    now = _inputs_fingerprint()
    if check.ANSWERS_FILE.exists() and stamp.exists() and stamp.read_text() == now:
        return
    write()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now)


def setup(app):
    """Sphinx 扩展：构建开始时写出 quyu/answers.json（随后 quyu.site 把它放进 wheel）。"""
    app.connect("builder-inited", _on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else check.ANSWERS_FILE
    write(target)
    print(f"wrote {target}")
