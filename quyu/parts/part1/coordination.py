"""第一部分“走向区域协调（1999—2012）”一章（book/part1/coordination.md）的计算与组件：
西部大开发的事件研究。

- 处理组：西部大开发覆盖的省级单位（区域方案“西部大开发口径三大地带”的西部，data/region_schemes.csv）；
- 对照组：其余省份，或其中一部分（:data:`COMPARISONS`，分组取自四大板块方案）；
- 结果变量：人均 GDP 的自然对数，只用汇编口径一个数据版本；
- 处理年份：国务院西部地区开发领导小组成立、战略进入实施阶段的那一年（data/policy_events.csv），
  参照期为其前一年（事件时间 −1）；
- 时段：从处理年份之前、汇编人口最近一次按人口普查重新定基的年份（data/population_breaks.csv）起，
  到汇编口径的最后一年（data/vintages.csv）止。

估计与推断都在框架的 :mod:`quyu.measures.event` 中；这里只组织数据、选择对照组、写出读者看到的判断。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import data, measures, plots, widgets

#: 结果变量所用的数据版本（只用这一个，不与其他版本拼接）。
VINTAGE = "compendium"
#: 处理组：这一区域方案中的这一组。
TREAT_SCHEME, TREAT_GROUP = "region3_wd2000", "west"
#: 处理年份取自这一政策事件（国务院成立西部地区开发领导小组，战略进入实施阶段）。
TREAT_EVENT = "西部地区开发领导小组"
#: 参照期：事件时间 −1（处理前一年）。
REF = -1
#: 检验水平。
ALPHA = 0.05
#: 野聚类自助法的抽样次数与随机数种子（固定，结果可以重现）。
N_BOOT = measures.DEFAULT_BOOT
SEED = 20000113
#: 对照组的一侧至少要有这么多个省份，聚类推断才报告（本书的约定，见 :func:`check_comparison`）。
MIN_SIDE = 6

#: 不在处理组的省份中、经国务院批准也享受西部大开发相关政策的自治州（cities.csv 中的名称）。
#: 名单据长江云·松滋对政策适用范围的概述（见 book/bib/part1.bib 的 p1_cjyun_wd_scope），未与国务院通知原文核对。
PARTIAL_PREFECTURES = ("湘西土家族苗族自治州", "恩施土家族苗族自治州", "延边朝鲜族自治州")

#: 对照组的选择：键 → (中文名, 四大板块中保留为对照的组；None 为西部以外的全部省份)。
COMPARISONS = {
    "all": ("其余全部省份", None),
    "central": ("只用中部六省", ("central",)),
    "no_northeast": ("剔除东北三省", ("east", "central")),
    "northeast": ("只用东北三省", ("northeast",)),
}


def treat_year() -> int:
    """西部大开发进入实施阶段的年份（data/policy_events.csv）。"""
    ev = data.events()
    rows = ev[ev["event_zh"].str.contains(TREAT_EVENT, regex=False)]
    if len(rows) != 1:
        raise data.DataError(f"政策事件表中应当恰有一条“{TREAT_EVENT}”", f"expected one event {TREAT_EVENT!r}")
    return int(rows["year"].iloc[0])


def window() -> tuple[int, int]:
    """样本时段：处理年份之前汇编人口最近一次按普查重新定基的年份，到汇编口径的最后一年。"""
    t0 = treat_year()
    br = data.population_breaks(VINTAGE)
    steps = br.loc[br["year_to"] < t0, "year_to"]
    return int(steps.max()), int(max(data.vintage_info(VINTAGE)["years"]))


def comparison_label(comparison: str) -> str:
    return COMPARISONS[comparison][0]


def groups() -> pd.DataFrame:
    """每个省一行：code、name（简称）、treated（是否属于处理组）、region4（四大板块）。"""
    prov = data.provinces().set_index("code")
    out = pd.DataFrame({"treated": data.scheme(TREAT_SCHEME) == TREAT_GROUP, "region4": data.scheme("region4")})
    out["name"] = out.index.map(prov["name_zh_short"])
    return out.rename_axis("code").reset_index()


def check_comparison(comparison: str) -> list[str]:
    """对照组的省份代码；不合适的选择给出中文说明。

    只有三个对照省份时，每个事件时间的系数都只由三个省的平均走势决定，聚类稳健的标准误与野聚类自助法在
    处理组或对照组的聚类很少时都不可靠（MacKinnon & Webb 2018 讨论了处理组聚类很少的情形）；
    本书约定一侧至少 :data:`MIN_SIDE` 个省份才报告。"""
    if comparison not in COMPARISONS:
        raise widgets.WidgetError(f"没有“{comparison}”这种对照组。", f"unknown comparison {comparison!r}")
    g = groups()
    keep = COMPARISONS[comparison][1]
    ctrl = g[~g["treated"] & (g["region4"].isin(keep) if keep else True)]
    if len(ctrl) < MIN_SIDE:
        names = "、".join(ctrl["name"])
        raise widgets.WidgetError(
            f"对照组只有 {len(ctrl)} 个省份（{names}）：每一年的对照走势只由这几个省决定，"
            f"按省聚类的标准误和野聚类自助法在对照组这么小时都不可靠。本书约定对照组至少 {MIN_SIDE} 个省份，"
            "请换一个对照组。",
            f"only {len(ctrl)} control provinces; at least {MIN_SIDE} are required for clustered inference")
    return list(ctrl["code"])


def population_steps() -> pd.DataFrame:
    """汇编人口在样本时段内（起点之后）按普查或抽样调查重新定基的跳变，每个省份—年份一行。

    列：code、name、year_to（新基数的第一年）、change_pct（那一年的人口变化，%）、typical_pct（该省通常的
    年变化，%）、treated，以及 ``factor`` = (1 + change) / (1 + typical)：超出该省通常增长的那部分，
    视为口径跳变（data/population_breaks.csv）。"""
    lo, hi = window()
    br = data.population_breaks(VINTAGE)
    br = br[(br["year_to"] > lo) & (br["year_to"] <= hi)].copy()
    br["factor"] = (1 + br["change_pct"] / 100) / (1 + br["typical_pct"] / 100)
    br["treated"] = br["code"].map(groups().set_index("code")["treated"]).astype(bool)
    return br[["code", "name", "year_to", "change_pct", "typical_pct", "factor", "treated"]].reset_index(drop=True)


def panel(comparison: str = "all", backcast: bool = False) -> pd.DataFrame:
    """事件研究用的长表：code、name、year、y（人均 GDP 的自然对数）、treated。

    ``backcast=True``：把 :func:`population_steps` 的每一次跳变按同一比例回推到此前各年的年末人口
    （新基数之前的年份乘以 ``factor``），再按本书的做法（上年末与本年末的平均）重算人均 GDP。
    这是一种敏感性分析：假定跳变全部来自口径，而非那一年人口真的多变了这么多。"""
    ctrl = check_comparison(comparison)
    lo, hi = window()
    p = data.panel(VINTAGE, years=range(lo, hi + 1))
    g = groups().set_index("code")
    p = p[p["code"].isin(list(g.index[g["treated"]]) + ctrl)].copy()
    p["treated"] = p["code"].map(g["treated"]).astype(bool)
    if backcast:
        pop, prev = p["pop"].copy(), 2 * p["pop_mean"] - p["pop"]      # 本年末与上年末人口
        for r in population_steps().itertuples():
            mine = p["code"] == r.code
            pop[mine & (p["year"] < r.year_to)] *= r.factor
            prev[mine & (p["year"] <= r.year_to)] *= r.factor
        p["gdp_pc"] = p["gdp"] * 1e4 / ((pop + prev) / 2)
    p["y"] = np.log(p["gdp_pc"])
    return p[["code", "name", "year", "y", "treated"]].reset_index(drop=True)


@data.cached
def west_event_study(comparison: str = "all", n_boot: int = N_BOOT, seed: int = SEED, backcast: bool = False,
                     ref: int = REF) -> measures.EventStudy:
    """西部大开发的事件研究（汇编口径，对数人均 GDP；按省聚类；前导项的 F 检验与野聚类自助法）。

    ``backcast``：人口的定基跳变回推之后重估（见 :func:`panel`）；``ref``：参照期（事件时间，默认 −1）。"""
    return measures.event_study(panel(comparison, backcast), "y", "code", "year", "treated", treat_year(), ref=ref,
                                n_boot=n_boot, seed=seed)


@data.cached
def leave_one_out(comparison: str = "all") -> pd.DataFrame:
    """逐一去掉一个省份重估（不做自助法）：每个省份一行，code、name、treated、coef、ci_low、ci_high
    （最后一年的系数与 95% 置信区间）、lead_p（前导项 F 检验的 p 值），按 coef 从小到大排列。"""
    p = panel(comparison)
    rows = []
    for code, sub in p.groupby("code"):
        res = measures.event_study(p[p["code"] != code], "y", "code", "year", "treated", treat_year(), ref=REF,
                                   n_boot=0)
        last = res.coefs.iloc[-1]
        rows.append({"code": code, "name": sub["name"].iloc[0], "treated": bool(sub["treated"].iloc[0]),
                     "coef": float(last["coef"]), "ci_low": float(last["ci_low"]),
                     "ci_high": float(last["ci_high"]), "lead_p": res.lead_p})
    return pd.DataFrame(rows).sort_values("coef").reset_index(drop=True)


def pretrend_verdict(res: measures.EventStudy, alpha: float = ALPHA) -> str:
    """处理前趋势的判断：由聚类 F 检验与野聚类自助法两个 p 值共同选出措辞。"""
    f_rej, b_rej = res.lead_p < alpha, res.boot_p is not None and res.boot_p < alpha
    level = f"{alpha:.0%}"
    if f_rej and b_rej:
        return f"两种检验都在 {level} 的水平上拒绝“处理前各年系数全为零”：处理前的趋势不平行"
    if f_rej:
        return (f"常规的聚类 F 检验在 {level} 的水平上拒绝“处理前各年系数全为零”，"
                "而野聚类自助法不拒绝：证据不一致，平行趋势既不能当作成立，也不能断定不成立")
    if b_rej:
        return (f"野聚类自助法在 {level} 的水平上拒绝“处理前各年系数全为零”，常规的聚类 F 检验不拒绝："
                "证据不一致")
    return (f"两种检验在 {level} 的水平上都不拒绝“处理前各年系数全为零”；"
            "这只说明数据没有否定平行趋势，并不证明它成立")


def post_summary(res: measures.EventStudy, alpha: float = ALPHA) -> dict:
    """处理后（事件时间 ≥ 0）各年：置信区间含 0 的个数、总数，以及最后一年的系数与区间。"""
    post = res.coefs[res.coefs.index >= 0]
    covers = ((post["ci_low"] <= 0) & (post["ci_high"] >= 0))
    last = post.iloc[-1]
    return {"n_post": len(post), "n_cover0": int(covers.sum()), "last_year": int(last["time"]),
            "last": float(last["coef"]), "last_low": float(last["ci_low"]), "last_high": float(last["ci_high"]),
            "last_p": float(last["p"])}


def coef_table(res: measures.EventStudy) -> pd.DataFrame:
    """图与下载用的系数表（中文列名）。"""
    c = res.coefs
    return pd.DataFrame({"年份": c["time"].astype(int), "事件时间": c.index.astype(int),
                         "系数（对数差）": c["coef"], "聚类标准误": c["se"],
                         "95% 置信区间下限": c["ci_low"], "95% 置信区间上限": c["ci_high"]}).reset_index(drop=True)


def plot(res: measures.EventStudy, ax, title: str = ""):
    """事件研究图：系数与 95% 置信区间，参照期标为 0，处理年份前画一条竖线。"""
    c = res.coefs
    x = c["time"].astype(int).to_numpy()
    lead = c.index < REF
    ax.axhline(0, color=plots.COLORS["ink"], lw=0.8)
    ax.axvline(res.event_time - 0.5, color="#888", ls=":", lw=1)
    for mask, color, label in ((lead, plots.COLORS["accent"], "处理前（前导项）"),
                               (c.index >= 0, plots.COLORS["west"], "处理后")):
        ax.errorbar(x[mask], c["coef"][mask], yerr=[c["coef"][mask] - c["ci_low"][mask],
                                                      c["ci_high"][mask] - c["coef"][mask]],
                    fmt="o", ms=4, color=color, capsize=2, lw=1.2, label=label)
    ax.plot([res.event_time + REF], [0], marker="D", color=plots.COLORS["ink"], ls="none", label="参照年（规定为 0）")
    ax.set_xlabel("年份")
    ax.set_ylabel("相对参照年的差别（对数差）")
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center")
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax._quyu_data = coef_table(res)   # 图的 CSV 下载：系数与置信区间
    return ax


def event_widget(comparison: str = "all") -> widgets.BookWidget:
    """选择对照组，重做西部大开发的事件研究：系数与 95% 置信区间、前导项的两种检验及其判断。"""
    def compute(comparison):
        res = west_event_study(comparison)
        c = res.coefs
        years = [int(v) for v in c["time"]]
        chart = widgets.chart(
            f"西部大开发的事件研究（对照组：{comparison_label(comparison)}）", years,
            [{"id": "coef", "label": "系数", "y": list(c["coef"]), "color": plots.COLORS["west"]},
             {"id": "lo", "label": "95% 置信区间下限", "y": list(c["ci_low"]), "color": "#888", "dash": True},
             {"id": "hi", "label": "95% 置信区间上限", "y": list(c["ci_high"]), "color": "#888", "dash": True}],
            ylabel="相对参照年的差别（对数差）", digits=3,
            note=f"汇编口径，人均 GDP 取对数；参照年 {res.event_time + REF} 年；标准误按省聚类")
        post = post_summary(res)
        cards = widgets.stats(
            [("处理组 / 对照组省份", f"{res.n_treated} / {res.n_control}"),
             (f"前导项联合 F 检验（自由度 {res.lead_df[0]} 和 {res.lead_df[1]}）",
              f"F = {res.lead_f:.2f}，p = {res.lead_p:.3f}"),
             (f"野聚类自助法 p 值（{res.n_boot} 次）", f"{res.boot_p:.3f}"),
             (f"{post['last_year']} 年的系数", f"{post['last']:.3f}［{post['last_low']:.3f}，{post['last_high']:.3f}］"),
             ("判断", pretrend_verdict(res))])
        return [cards, chart]

    controls = [widgets.Control("comparison", "对照组", tuple((v[0], k) for k, v in COMPARISONS.items()),
                                comparison)]
    return widgets.BookWidget(
        "西部大开发的事件研究：换一个对照组", controls, compute,
        description="选择对照组，看处理前的趋势检验和处理后的系数怎样随之改变。",
        gaps=[widgets.Gap({"comparison": "northeast"}, "对照组只有东北三省，少于本书约定的下限")])


def verdict_kind(res: measures.EventStudy, alpha: float = ALPHA) -> str:
    """两种检验的组合：``reject``（都拒绝）、``none``（都不拒绝）、``mixed``（一拒一不拒）。"""
    f_rej, b_rej = res.lead_p < alpha, res.boot_p is not None and res.boot_p < alpha
    return "reject" if f_rej and b_rej else ("none" if not (f_rej or b_rej) else "mixed")
