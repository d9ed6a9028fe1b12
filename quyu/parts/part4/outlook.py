"""第四部分“面向 2035 年的区域协调”一章（``book/part4/outlook.md``）的计算与组件：区域人均比的起点、情景推演与
按收敛速度推出的路径、情景推演组件，以及新安江流域横向生态补偿的案例。

- 纯函数：``scenario_path``、``convergence_path``、``implied_gap``、``check_gap``；
- 取数函数（只读 ``data`` / ``analysis``，一次只用一个数据版本）：``starting_ratios``、``speed_sources``。

情景推演的约定：东部与中部（或西部）人均 GDP 年增长率之差 ``gap_pp``（百分点）按对数增长率理解，
于是人均比 :math:`R_t = R_0 \\exp(d\\,(t-t_0))`，:math:`d = gap\\_pp / 100`。这是示意，不是预测。
出错时抛出 :class:`OutlookError`（中英文说明分别在 ``zh``、``en`` 属性中）。与“收敛与区域格局的变化”一章共用的估计
（``estimate``、``speed_interval``）在 ``_shared`` 中，本章的读者从这里调用它们。
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import analysis, data, fmt, plots, widgets
from ._shared import (GAP_LIMIT, LAST_YEAR, SPEED_LIMIT, OutlookError, check_gap, convergence_path, estimate, horizons,
                      implied_gap, scenario_path, speed_interval, starting_ratios)

__all__ = [
    "OutlookError", "GAP_LIMIT", "LAST_YEAR", "horizons", "estimate", "speed_interval", "starting_ratios", "check_gap",
    "scenario_path", "convergence_path", "implied_gap", "GAP_GRID", "speed_sources", "scenario_views",
    "scenario_widget", "EX_P4_6", "EX_P4_7_GAP", "ex_p4_7_speed", "XAJ_START", "xinanjiang_rounds", "xinanjiang_case",
    "xinanjiang_table",
]

# ---------------------------------------------------------------- 组件（正文与测试共用）

#: 习题 ex-p4-6 题面给定的假设（年份、东部与西部人均比、东部减西部的年增长率之差、目标比值）：只写在这里，
#: 题面、参考解答与自查答案都从这里取；终点年份取自 :func:`horizons`。
EX_P4_6 = {"year": 2024, "ratio": 1.65, "gap_pp": -0.8, "target": 1.40}
#: 习题 ex-p4-7 题面给定的固定差距（百分点）；起点为本章的起点（现行版本最新一年），终点为第一个终点年份。
EX_P4_7_GAP = -0.5


def ex_p4_7_speed(ratio0: float, start_year: int, end_year: int, gap_pp: float = EX_P4_7_GAP) -> float:
    """使收敛路径在 ``end_year`` 与固定差距 ``gap_pp`` 的情景给出同一人均比的收敛速度 λ（习题 ex-p4-7 第（2）问）。"""
    n = end_year - start_year
    return -math.log(1 + gap_pp / 100 * n / math.log(ratio0)) / n


#: 情景推演工具中“增长率之差”的可选值（百分点）。
GAP_GRID = tuple(round(-3.0 + 0.5 * k, 1) for k in range(9))  # −3.0 … +1.0


def speed_sources() -> dict[str, tuple[str, float]]:
    """情景推演中可对照的收敛速度：键 → (说明, λ)。

    ``b``：新时代起点—最新年份，现行版本，不加权；``bw``：同期人口加权；``a``：年鉴口径首年—新时代起点，年末人口，不加权。
    """
    return dict(_speed_sources())


@data.cached
def _start() -> tuple[int, float, float]:
    s = starting_ratios("current")
    return s["year"], s["east_central"], s["east_west"]


@data.cached
def _speed_sources() -> tuple:
    cur, yb = widgets.vintage_label("current"), widgets.vintage_label("yearbook")
    t0 = _start()[0]
    era = data.stage_start("new_era")  # 新时代阶段的起点（data/stages.csv）
    y0 = data.vintage_info("yearbook")["years"][0]
    return tuple({
        "b": (f"{era}—{t0}，{cur}，不加权", estimate("current", era, t0).speed),
        "bw": (f"{era}—{t0}，{cur}，人口加权", estimate("current", era, t0, weighted=True).speed),
        "a": (f"{y0}—{era}，{yb}，不加权", estimate("yearbook", y0, era, pop_basis="yearend").speed),
    }.items())


def scenario_views(gap_ec: float = -0.5, gap_ew: float = -0.5, source: str = "b") -> list[dict]:
    """情景推演工具的计算：东部减中部、东部减西部的人均增长率之差（百分点）所给出的人均比路径，
    与按估计的收敛速度得出的路径并列；起点为现行版本最新一年。"""
    sources = speed_sources()
    if source not in sources:
        raise OutlookError(f"未知的收敛速度来源 {source!r}；可选：{'、'.join(sources)}",
                           f"unknown speed source {source!r}; valid: {', '.join(sources)}")
    label, lam = sources[source]
    t0, r_ec, r_ew = _start()
    h1, h2 = horizons()  # 两个终点年份（data/history_facts.csv）
    ec = scenario_path(r_ec, check_gap(gap_ec, "东部与中部的增长率之差"), t0, h2)
    ew = scenario_path(r_ew, check_gap(gap_ew, "东部与西部的增长率之差"), t0, h2)
    cec = convergence_path(r_ec, lam, t0, h2)
    cew = convergence_path(r_ew, lam, t0, h2)
    # 图注只随收敛速度的来源变化（所设的增长率之差见控件与表），使网页中重复的文字尽量少。
    note = (f"示意，不是预测。起点：{t0} 年，{widgets.vintage_label('current')}；实线：所设的增长率之差；"
            f"虚线：收敛速度 λ = {fmt.pct(lam, 2)}（{label}）。")
    chart = widgets.chart(
        "东部与中部、西部人均 GDP 之比", ec.index,
        [{"id": "ec", "label": "东÷中（情景）", "y": list(ec.values), "color": plots.COLORS["central"]},
         {"id": "ew", "label": "东÷西（情景）", "y": list(ew.values), "color": plots.COLORS["west"]},
         {"id": "cec", "label": "东÷中（按收敛速度）", "y": list(cec.values), "color": plots.COLORS["central"],
          "dash": True},
         {"id": "cew", "label": "东÷西（按收敛速度）", "y": list(cew.values), "color": plots.COLORS["west"],
          "dash": True}],
        ylabel="人均 GDP 之比", digits=2, note=note,
        events=plots.chart_events(), bands=plots.stage_bands())
    rows = [[f"{y} 年", fmt.num(ec.loc[y], 2), fmt.num(cec.loc[y], 2), fmt.num(ew.loc[y], 2), fmt.num(cew.loc[y], 2)]
            for y in (t0, h1, h2)]
    tab = widgets.table("推演结果（示意，不是预测）",
                        ["年份", "东÷中 情景", "东÷中 收敛速度", "东÷西 情景", "东÷西 收敛速度"], rows)
    views = [tab]
    for name, path in (("中部", ec), ("西部", ew)):
        below = path[path < 1]
        if len(below):
            views.append(widgets.message(
                f"在这一设定下，{name}人均 GDP 将在 {int(below.index[0])} 年超过东部：这意味着几十年来的排序反转，"
                "请想一想需要什么条件才可能发生。", level="info"))
    return views + [chart]


def scenario_widget():
    """情景推演工具：东−中 × 东−西的增长率之差 × 对照的收敛速度（第四部分第二章）。"""
    gaps = [(fmt.num(g, 1, signed=True), g) for g in GAP_GRID]
    h1, h2 = horizons()
    controls = [
        widgets.choice("gap_ec", "东部减中部人均增长率（百分点）", gaps, -0.5),
        widgets.choice("gap_ew", "东部减西部人均增长率（百分点）", gaps, -0.5),
        widgets.choice("source", "对照的收敛速度", [(v[0], k) for k, v in speed_sources().items()], "b"),
    ]
    return widgets.BookWidget(
        f"情景推演：{h1} 年与 {h2} 年的区域人均比（示意，不是预测）", controls, scenario_views,
        description=f"设定东部与中部、西部的人均增长率之差，查看人均比到 {h1} 年、{h2} 年的路径，"
                    "并与按收敛速度推出的路径对照。")


# ---------------------------------------------------------------- 案例：新安江流域横向生态补偿

#: 新安江案例中的上游与下游：省代码、城市 6 位代码。
XAJ_UP, XAJ_DOWN = "34", "33"
XAJ_UP_CITY, XAJ_DOWN_CITY = "341000", "330100"
#: 试点启动之年（财政部、环境保护部 2011 年 3 月启动试点；第一轮资金从 2012 年起算）。
XAJ_START = 2011
#: 画在图上的各轮年份（来自 case_xinanjiang.csv 的 years 列）。
XAJ_ROUNDS = ("第一轮", "第二轮", "第三轮", "样板区")


def _xaj_value(facts: pd.DataFrame, fact_id: str) -> float:
    return float(facts.loc[fact_id, "value"])


def xinanjiang_rounds() -> pd.DataFrame:
    """各轮的起止年份：由事实表的 ``years`` 列得出（第二轮由逐年的三行合成）。"""
    f = data.case_xinanjiang()
    rows = []
    for stage in XAJ_ROUNDS:
        ys = f.loc[f["stage_zh"] == stage, "years"].dropna().astype(str)
        bounds = [int(p) for y in ys for p in y.split("-")]
        rows.append({"stage_zh": stage, "start": min(bounds), "end": max(bounds)})
    return pd.DataFrame(rows).set_index("stage_zh")


def xinanjiang_case(vintage: str = "current") -> dict:
    """新安江案例用到的全部数字。

    - 资金（亿元/年）：第一轮的总额与构成、安徽每年最多可得的外来资金（中央 + 浙江），
      以及它相对于黄山市人口（六普，按 2020 年区划调整）的人均数；
    - 人口：黄山市与杭州市两次普查的常住人口及其变化，黄山占安徽（同一来源各地级单位之和）的份额；
    - 省级：安徽 ÷ 浙江人均 GDP 之比（一个数据版本），试点前后对数比值的年均变化（百分点）。
    前后比较只是描述：它不能把补偿的作用与同时发生的其他变化分开。"""
    f = data.case_xinanjiang().set_index("fact_id")
    out: dict = {"facts": f}
    # 资金
    out["r1_total"] = _xaj_value(f, "XAJ07")
    out["r1_central"] = _xaj_value(f, "XAJ08")
    out["r1_zj"] = _xaj_value(f, "XAJ09")
    out["r1_ah"] = _xaj_value(f, "XAJ10")
    out["r1_stake"] = _xaj_value(f, "XAJ11")
    if not math.isclose(out["r1_central"] + out["r1_zj"] + out["r1_ah"], out["r1_total"]):
        raise OutlookError("新安江第一轮资金的构成与总额不符，请检查 case_xinanjiang.csv",
                           "round-1 parts do not add up to the total in case_xinanjiang.csv")
    out["r1_inflow_max"] = out["r1_central"] + out["r1_stake"]
    out["r2_central"] = [_xaj_value(f, k) for k in ("XAJ12", "XAJ13", "XAJ14")]
    out["r3_each"] = _xaj_value(f, "XAJ15")
    out["r4_total"] = _xaj_value(f, "XAJ18")
    out["r4_each"] = (_xaj_value(f, "XAJ19"), _xaj_value(f, "XAJ20"))
    out["area"] = (_xaj_value(f, "XAJ21"), _xaj_value(f, "XAJ22"))
    out["unverified"] = int((f["verification"] == "secondary_copy").sum())
    out["n_facts"] = len(f)
    # 人口（同一来源：两次普查，2010 年按 2020 年区划调整）
    c = data.cities()
    c = c[c["source_id"] == "LEIII_CENSUS_V1"]
    p10 = c[c["indicator"] == "pop_resident_census_2010_boundary_adj"].set_index("code")
    p20 = c[c["indicator"] == "pop_resident_census"].set_index("code")
    for key, code in (("up", XAJ_UP_CITY), ("down", XAJ_DOWN_CITY)):
        a, b = float(p10.loc[code, "value"]), float(p20.loc[code, "value"])
        out[f"pop10_{key}"], out[f"pop20_{key}"], out[f"pop_chg_{key}"] = a, b, b / a - 1
    prov20 = p20[p20["province_code"] == XAJ_UP + "0000"]
    out["up_share_prov"] = out["pop20_up"] / float(prov20["value"].sum())
    out["up_n_units"] = len(prov20)
    out["inflow_per_head"] = out["r1_inflow_max"] * 1e8 / out["pop10_up"]
    # 城市 GDP：两市各有哪些年份（不同来源单位不同），有没有共同年份
    g = data.cities("gdp_current")
    years = {key: sorted(int(y) for y in g.loc[g["code"] == code, "year"])
             for key, code in (("up", XAJ_UP_CITY), ("down", XAJ_DOWN_CITY))}
    out["gdp_years_up"], out["gdp_years_down"] = years["up"], years["down"]
    out["gdp_years_common"] = sorted(set(years["up"]) & set(years["down"]))
    # 上游城市最早一年的 GDP（城市统计年鉴口径，万元 → 亿元）：资金的量级
    gu = g[(g["code"] == XAJ_UP_CITY) & (g["unit"] == "10k_yuan")].sort_values("year")
    if gu.empty:
        raise OutlookError("城市数据中没有黄山市以万元计的地区生产总值", "no Huangshan GDP in 10k yuan")
    out["gdp_year_up"] = int(gu["year"].iloc[0])
    out["gdp_up"] = float(gu["value"].iloc[0]) / 1e4
    out["inflow_share_gdp"] = out["r1_inflow_max"] / out["gdp_up"]
    # 省级：安徽 ÷ 浙江人均 GDP
    pn = data.panel(vintage)
    w = pn.pivot(index="year", columns="code", values="gdp_pc")[[XAJ_UP, XAJ_DOWN]].dropna()
    ratio = w[XAJ_UP] / w[XAJ_DOWN]
    out["ratio"] = ratio
    y0, y1 = int(ratio.index.min()), int(ratio.index.max())
    if not y0 < XAJ_START < y1:
        raise OutlookError(f"{vintage} 版本的人均 GDP 没有覆盖 {XAJ_START} 年前后，无法比较",
                           f"vintage {vintage} does not span {XAJ_START}")
    out["years"] = (y0, y1)
    out["ratio_first"], out["ratio_start"], out["ratio_last"] = ratio.loc[y0], ratio.loc[XAJ_START], ratio.loc[y1]
    lr = np.log(ratio)
    out["trend_before"] = (lr.loc[XAJ_START] - lr.loc[y0]) / (XAJ_START - y0) * 100
    out["trend_after"] = (lr.loc[y1] - lr.loc[XAJ_START]) / (y1 - XAJ_START) * 100
    return out


#: 前三轮每年出资的事实行（出资方 → 事实编号）；样板区只有总额与每方的上下限，不在其内。
XAJ_FUNDING_ROWS = {"central": ("XAJ08", "XAJ12", "XAJ13", "XAJ14", "XAJ17"),
                    "zj": ("XAJ09", "XAJ27", "XAJ15"),
                    "ah": ("XAJ10", "XAJ28", "XAJ16")}


def xinanjiang_funding() -> pd.DataFrame:
    """前三轮逐年的出资（亿元）：中央、浙江、安徽、合计，以及浙江那一份（唯一跨省流动的钱）占合计的比例。

    每一行事实按 ``years`` 列展开到它适用的每一年；同一出资方同一年出现两次、或某年缺一方时报错。"""
    f = data.case_xinanjiang().set_index("fact_id")
    cells: dict[tuple[int, str], float] = {}
    stage: dict[int, str] = {}
    for party, ids in XAJ_FUNDING_ROWS.items():
        for fid in ids:
            a, _, b = str(f.loc[fid, "years"]).partition("-")
            for year in range(int(a), int(b or a) + 1):
                if (year, party) in cells:
                    raise OutlookError(f"新安江事实表中 {year} 年 {party} 的出资出现两次（{fid}）",
                                       f"two funding rows for {party} in {year} ({fid})")
                cells[(year, party)] = _xaj_value(f, fid)
                stage[year] = f.loc[fid, "stage_zh"]
    out = pd.DataFrame({party: {y: v for (y, pp), v in cells.items() if pp == party} for party in XAJ_FUNDING_ROWS})
    out = out.sort_index()
    if out.isna().any().any():
        raise OutlookError("新安江事实表中有的年份缺少某一方的出资", "a year lacks one party's funding")
    out.insert(0, "stage_zh", [stage[y] for y in out.index])
    out["total"] = out[list(XAJ_FUNDING_ROWS)].sum(axis=1)
    out["zj_share"] = out["zj"] / out["total"]
    out.index.name = "year"
    return out


#: 事实表中各来源在读者表格中的写法（报道者与日期；出处细节见数据说明附录）。
XAJ_SOURCE_ZH = {
    "CNS_20110328_XAJ": "中新社 2011-03-28",
    "ZHANGJIA_2015_XAJ": "张燕、贾若祥（2015）",
    "MSZK_2014_XAJ": "《民生周刊》2014",
    "ZJRB_20240929_XAJ": "《浙江日报》2024-09-29",
    "MWRDRC_2024_XAJ": "李肇桀、陈博、梁宁（2024）",
    "RMRB_20181105_XAJ": "《人民日报》2018-11-05",
    "XINHUA_20230605_XAJ": "新华社 2023-06-05",
    "PEOPLE_20230606_XAJ": "人民网 2023-06-06",
    "ZAOL_20140506_XAJ": "中安在线 2014-05-06",
    "SINA_20171027_XAJ": "新浪新闻转载 2017-10-27",
    "XINHUA_20181102_XAJ": "新华社 2018-11-02",
}
XAJ_UNIT_ZH = {"100m_yuan": " 亿元", "10k_km2": " 万平方公里", "years": " 年"}
XAJ_CHECK_ZH = {"publisher_page": "报纸自己的版面", "secondary_copy": "未核实（仅见转载）"}


def xinanjiang_table() -> pd.DataFrame:
    """读者看的事实表：阶段、日期、适用年份、事项、数值、出资方、出处、核实状态（每行一条事实）。"""
    f = data.case_xinanjiang()
    missing = sorted(set(f["source_id"]) - set(XAJ_SOURCE_ZH))
    if missing:
        raise OutlookError(f"新安江事实表中有未登记中文出处的来源：{missing}",
                           f"sources without a Chinese label: {missing}")

    def _value(r):
        if pd.isna(r["value"]):
            return "—"
        return fmt.num(r["value"], 2 if r["unit"] == "10k_km2" else 0) + XAJ_UNIT_ZH[r["unit"]]

    def _text(v, dash="-"):
        return "" if pd.isna(v) else str(v).replace("-", dash)

    return pd.DataFrame({
        "阶段": f["stage_zh"], "日期": f["date"].map(_text), "适用年份": f["years"].map(lambda v: _text(v, "—")),
        "事项": f["item_zh"], "数值": f.apply(_value, axis=1), "出资方": f["party_zh"].fillna(""),
        "出处": f["source_id"].map(XAJ_SOURCE_ZH), "核实": f["verification"].map(XAJ_CHECK_ZH)})
