"""第二部分理论章（book/part2/theory.md）的计算与组件。

检验“人是否追随产出”：各省 GDP 份额与人口份额的差别、二者的相异指数
（产出—人口不重合度，:func:`quyu.measures.dissimilarity`），以及城市群的份额。
人口一律用人均 GDP 的分母（年均常住人口），使份额之比正好是相对人均 GDP。
所有计算只在一个数据版本内部进行。

另有克鲁格曼核心—边缘模型的数值解（模型本身在框架包 :mod:`quyu.models.core_periphery`）：
突破点与维持点、战斧图的数据、以及让读者改动贸易自由度、支出份额与替代弹性的组件。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, fmt, measures, plots, widgets
from ...models import core_periphery as cp
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


# ---------------------------------------------------------------- 克鲁格曼核心—边缘模型

#: 正文与战斧图的默认参数：制造品支出份额 μ 与替代弹性 σ。
CP_MU, CP_SIGMA = 0.4, 5.0
#: 组件的选项：贸易自由度 φ、μ、σ（σ = 2 与 μ = 0.5 的组合不满足无黑洞条件，用来演示提示）。
CP_PHIS = (0.05, 0.08, 0.12, 0.2, 0.3, 0.5, 0.8)
CP_MUS = (0.2, 0.3, 0.4, 0.5)
CP_SIGMAS = (2.0, 3.0, 4.0, 5.0, 8.0)
#: 组件图的横轴：地区 1 的制造业工人份额 λ（百分数，整数）。
CP_LAMBDA_PCT = tuple(range(0, 101, 5))
#: 均衡类型的中文名（战斧图的图例与 CSV）。
CP_KIND_ZH = {"symmetric": "对称分布", "core": "核心—边缘", "interior": "内部均衡"}
#: 战斧图横轴的右端：更大的 φ 上只有核心—边缘格局，图中不再有变化（CSV 仍含全部 φ）。
CP_FIG_XMAX = 0.3
#: 模型组件与战斧图 CSV 的说明（数值来自模型，不来自统计数据）。
CP_NOTE = ("数值是克鲁格曼核心—边缘模型（按 Fujita、Krugman 与 Venables 1999 的标准化）的数值解，"
           "由本书的程序计算，不是统计数据。")


@data.cached
def cp_points(mu: float = CP_MU, sigma: float = CP_SIGMA) -> dict:
    """突破点与维持点：闭式解与只用短期均衡数值解求出的值，以及对应的运输成本 T。"""
    phi_b, phi_s = cp.break_point(mu, sigma), cp.sustain_point(mu, sigma)
    return {"mu": mu, "sigma": sigma, "rho": float(cp.rho(sigma)),
            "phi_B": phi_b, "phi_S": phi_s,
            "phi_B_numeric": cp.break_point_numeric(mu, sigma), "phi_S_numeric": cp.sustain_point_numeric(mu, sigma),
            "T_B": float(cp.trade_cost(phi_b, sigma)), "T_S": float(cp.trade_cost(phi_s, sigma))}


def cp_agreement_exponent(mu: float = CP_MU, sigma: float = CP_SIGMA) -> int:
    """闭式解与数值解求出的两个临界点之差的上界 10^-k 中的 k：差 < 10^-k（k 取最大的这样的整数）。"""
    p = cp_points(mu, sigma)
    diff = max(abs(p["phi_B"] - p["phi_B_numeric"]), abs(p["phi_S"] - p["phi_S_numeric"]))
    if diff == 0:
        raise ValueError("closed form and numerics agree exactly; the bound 10^-k is undefined")
    return int(np.floor(-np.log10(diff)))


@data.cached
def cp_tomahawk(mu: float = CP_MU, sigma: float = CP_SIGMA, n: int = 99) -> pd.DataFrame:
    """战斧图的数据（每行一个均衡点）：均衡类型、所在的一支、φ、T、λ、是否稳定。

    稳定与否全部由短期均衡的数值解判断（:func:`quyu.models.core_periphery.tomahawk`）；
    内部均衡在 φ_S 与 φ_B 之间加密取点；两个临界点上另加各支的端点。"""
    pts = cp_points(mu, sigma)
    phi_s, phi_b = pts["phi_S"], pts["phi_B"]
    grid = np.linspace(0.01, 0.99, n)
    grid = grid[(np.abs(grid - phi_s) > 1e-6) & (np.abs(grid - phi_b) > 1e-6)]   # 临界点本身另行加入
    t = cp.tomahawk(mu, sigma, grid)
    rows = []
    for k, phi in enumerate(grid):
        rows.append(("symmetric", "对称", phi, 0.5, bool(t["symmetric_stable"][k])))
        if t["core"][k]:
            rows += [("core", "上", phi, 1.0, True), ("core", "下", phi, 0.0, True)]
    inner = np.linspace(phi_s, phi_b, 42)[1:-1]
    lam = cp.interior_equilibrium(inner, mu, sigma)
    for phi, x in zip(inner, lam):
        if np.isfinite(x):
            rows += [("interior", "上", phi, float(x), False), ("interior", "下", phi, float(1 - x), False)]
    # 两个临界点上的端点（各支的极限，使图中的线段相连）：φ_S 处核心—边缘开始可以维持，内部均衡从 λ = 1（0）
    # 出发；φ_B 处对称均衡由稳定变为不稳定，内部均衡汇于 λ = 1/2
    rows += [("core", "上", phi_s, 1.0, True), ("core", "下", phi_s, 0.0, True),
             ("interior", "上", phi_s, 1.0, False), ("interior", "下", phi_s, 0.0, False),
             ("interior", "上", phi_b, 0.5, False), ("interior", "下", phi_b, 0.5, False),
             ("symmetric", "对称", phi_b, 0.5, True), ("symmetric", "对称", phi_b, 0.5, False)]
    df = pd.DataFrame(rows, columns=["kind", "branch", "phi", "lam", "stable"])
    df["T"] = cp.trade_cost(df["phi"].to_numpy(), sigma)
    return df.sort_values(["kind", "branch", "phi", "stable"]).reset_index(drop=True)


def cp_tomahawk_csv(df: pd.DataFrame) -> pd.DataFrame:
    """战斧图的 CSV（中文列名）。"""
    return pd.DataFrame({"均衡": df["kind"].map(CP_KIND_ZH) + "（" + df["branch"] + "）",
                         "贸易自由度 φ": df["phi"].round(6), "运输成本 T": df["T"].round(6),
                         "地区 1 的制造业份额 λ": df["lam"].round(6),
                         "稳定性": np.where(df["stable"], "稳定", "不稳定")})


@data.cached
def cp_grid() -> pd.DataFrame:
    """组件的全部参数组合（满足无黑洞条件的）一次算好，每个组合一行：λ 网格上的实际工资差（列 ``g0``、
    ``g5``……，列名是 λ 的百分数）、对称均衡处的斜率、核心—边缘能否维持、内部均衡，以及突破点与维持点。
    短期均衡对全部组合同时求解（数组广播）。"""
    combos = [(f, m, s) for f in CP_PHIS for m in CP_MUS for s in CP_SIGMAS if cp.rho(s) > m]
    phi, mu, sigma = (np.array(v) for v in zip(*combos))
    lam = np.array(CP_LAMBDA_PCT) / 100
    df = pd.DataFrame({"phi": phi, "mu": mu, "sigma": sigma})
    gap = cp.short_run(lam[None, :], phi[:, None], mu[:, None], sigma[:, None]).gap
    for j, pct in enumerate(CP_LAMBDA_PCT):
        df[f"g{pct}"] = gap[:, j]
    df["slope"] = cp.symmetric_slope(phi, mu, sigma)
    df["core"] = cp.core_ratio(phi, mu, sigma) <= 1
    df["interior"] = cp.interior_equilibrium(phi, mu, sigma)
    points = {(m, s): (cp.break_point(m, s), cp.sustain_point(m, s)) for m, s in set(zip(mu, sigma))}
    df["phi_B"] = [points[(m, s)][0] for m, s in zip(mu, sigma)]
    df["phi_S"] = [points[(m, s)][1] for m, s in zip(mu, sigma)]
    return df


def cp_case(phi: float, mu: float, sigma: float) -> dict:
    """组件的一组参数（取自 :func:`cp_grid`）：λ 网格上的实际工资差、全部长期均衡、突破点与维持点。"""
    cp.check_no_black_hole(mu, sigma)
    g = cp_grid()
    r = g[(g["phi"] == phi) & (g["mu"] == mu) & (g["sigma"] == sigma)].iloc[0]
    eq = [{"lam": 0.5, "kind": "symmetric", "stable": bool(r["slope"] < 0)}]
    if np.isfinite(r["interior"]):
        eq += [{"lam": float(r["interior"]), "kind": "interior", "stable": False},
               {"lam": float(1 - r["interior"]), "kind": "interior", "stable": False}]
    if r["core"]:
        eq += [{"lam": 1.0, "kind": "core", "stable": True}, {"lam": 0.0, "kind": "core", "stable": True}]
    return {"gap": [float(r[f"g{p}"]) for p in CP_LAMBDA_PCT], "equilibria": sorted(eq, key=lambda e: e["lam"]),
            "phi_B": float(r["phi_B"]), "phi_S": float(r["phi_S"]), "T": float(cp.trade_cost(phi, sigma))}


def cp_verdict(equilibria: list[dict]) -> str:
    """按长期均衡的稳定性（数值解）选出的一句话。"""
    sym = next(e for e in equilibria if e["kind"] == "symmetric")["stable"]
    core = any(e["kind"] == "core" for e in equilibria)
    if sym and not core:
        return "只有对称分布是稳定的长期均衡：运输成本高，两地区各自供应本地市场，制造业各占一半。"
    if sym and core:
        return ("对称分布与核心—边缘格局都是稳定的长期均衡，两者之间的内部均衡不稳定："
                "经济停在哪一种格局，取决于工人原来怎样分布（历史）。")
    if core:
        return "对称分布不稳定：一点点扰动就会使制造业集中到一个地区，核心—边缘格局是唯一稳定的长期均衡。"
    return "在所给的 λ 网格上，对称分布不稳定而核心—边缘格局也不能维持。"


def _equilibria_text(equilibria: list[dict]) -> str:
    parts = []
    for stable in (True, False):
        lams = sorted({round(e["lam"], 2) for e in equilibria if e["stable"] is stable})
        if lams:
            parts.append("、".join(fmt.num(x, 2) for x in lams) + ("（稳定）" if stable else "（不稳定）"))
    return "；".join(parts)


def cp_widget(phi: float = 0.12, mu: float = CP_MU, sigma: float = CP_SIGMA) -> widgets.BookWidget:
    """核心—边缘模型：选贸易自由度 φ、支出份额 μ 与替代弹性 σ，看实际工资差随 λ 的变化和长期均衡。"""

    def compute(phi, mu, sigma):
        c = cp_case(phi, mu, sigma)
        items = [("贸易自由度 φ（运输成本 T）", f"{fmt.num(phi, 2)}（T = {fmt.num(c['T'], 2)}）"),
                 ("突破点 φ（运输成本 T）", f"{fmt.num(c['phi_B'], 3)}（T = {fmt.num(cp.trade_cost(c['phi_B'], sigma), 2)}）"),
                 ("维持点 φ（运输成本 T）", f"{fmt.num(c['phi_S'], 3)}（T = {fmt.num(cp.trade_cost(c['phi_S'], sigma), 2)}）"),
                 ("长期均衡的 λ", _equilibria_text(c["equilibria"]))]
        chart = widgets.chart(
            "两地区实际工资之差 ω1 − ω2", CP_LAMBDA_PCT,
            [{"id": "gap", "label": "ω1 − ω2", "y": c["gap"], "color": plots.COLORS["east"]},
             {"id": "zero", "label": "零（实际工资相等）", "y": [0.0] * len(CP_LAMBDA_PCT),
              "color": plots.COLORS["other"], "dash": True}],
            ylabel="ω1 − ω2", digits=4, xlabel="地区 1 的制造业工人份额 λ（%）",
            note="差为正时工人迁入地区 1，为负时迁出；线与零相交处是长期均衡")
        return [widgets.stats(items), widgets.message(cp_verdict(c["equilibria"]), "info"), chart]

    controls = [
        widgets.Control("phi", "贸易自由度 φ", tuple((fmt.num(v, 2), v) for v in CP_PHIS), phi),
        widgets.Control("mu", "制造品支出份额 μ", tuple((fmt.num(v, 1), v) for v in CP_MUS), mu),
        widgets.Control("sigma", "替代弹性 σ", tuple((fmt.num(v, 0), v) for v in CP_SIGMAS), sigma),
    ]
    gaps = [widgets.Gap(lambda p: float(cp.rho(p["sigma"])) <= p["mu"],
                        "不满足无黑洞条件（ρ ≤ μ）：没有突破点与维持点")]
    return widgets.BookWidget("核心—边缘模型：运输成本与集聚", controls, compute, gaps=gaps, csv_note=CP_NOTE,
                              description="选择贸易自由度 φ（越大运输成本越低）、制造品支出份额 μ 和替代弹性 σ："
                                          "图中是两地区实际工资之差随地区 1 的制造业工人份额 λ 的变化，"
                                          "上方给出突破点、维持点和此时的全部长期均衡。")
