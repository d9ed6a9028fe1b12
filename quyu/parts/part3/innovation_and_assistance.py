"""第三部分“协同创新与对口帮扶”一章（``book/part3/innovation_and_assistance.md``）的计算与组件：
战略区的创新份额与集中度、对口帮扶结对的人均 GDP 之比。

计算函数只用 ``data``、``measures``、``analysis``；文件末尾是本章的组件（``*_views`` 计算，
``*_widget`` 构造），供正文和测试共用。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, fmt, measures, plots, widgets
from ._shared import _error, annual_rate

#: 协同创新论讨论的四个战略区（按规划纲要的时间顺序），值为区域方案名。
INNOVATION_AREAS = ("jjj", "gba_proxy", "yrd", "chengyu")

#: 各战略区规划纲要在 policy_events.csv 中的书名号关键词。
PLAN_TITLES = {
    "jjj": "《京津冀协同发展规划纲要》",
    "gba_proxy": "《粤港澳大湾区发展规划纲要》",
    "yrd": "《长江三角洲区域一体化发展规划纲要》",
    "chengyu": "《成渝地区双城经济圈建设规划纲要》",
}

#: 战略区在 strategy_membership.csv 中的名称（用于读取“全域/部分”）。
STRATEGY_NAMES = {
    "jjj": "京津冀协同发展",
    "gba_proxy": "粤港澳大湾区建设",
    "yrd": "长江三角洲区域一体化发展",
    "chengyu": "成渝地区双城经济圈建设",
}

#: 创新比较用的指标：名称 → (中文名, 单位说明)。
INNOVATION_INDICATORS = {
    "gdp": ("地区生产总值", "现行版本（五经普后）"),
    "rd": ("R&D 经费内部支出", "《中国科技统计年鉴》各版"),
    "patents": ("国内发明专利授权量", "《中国科技统计年鉴》各版"),
}


# ---------------------------------------------------------------- 协同创新论

def plan_dates() -> pd.DataFrame:
    """四个战略区规划纲要的日期（取自 policy_events.csv；有“印发”的一行优先）。"""
    ev = data.events()
    rows = []
    for area in INNOVATION_AREAS:
        hit = ev[ev["event_zh"].str.contains(PLAN_TITLES[area], regex=False)]
        issued = hit[hit["event_zh"].str.contains("印发", regex=False)]
        r = (issued if len(issued) else hit).iloc[0]
        rows.append({"area": area, "plan": PLAN_TITLES[area], "date": str(r["date"]),
                     "year": int(r["year"]), "event_zh": r["event_zh"]})
    return pd.DataFrame(rows).set_index("area")


def area_coverage(area: str) -> pd.DataFrame:
    """一个战略区的省级成员及覆盖范围（whole = 全域，part = 部分），来自 strategy_membership.csv。"""
    m = data.strategy_membership()
    return m.loc[m["strategy_zh"] == STRATEGY_NAMES[area], ["province", "coverage", "note"]].reset_index(drop=True)


@data.cached
def _innovation_long() -> pd.DataFrame:
    """各省 GDP（现行版本，亿元）、年均人口（现行版本，万人）、R&D 经费（万元）与发明专利（件）。"""
    p = analysis.panel("current")[["code", "year", "gdp", "pop_mean"]]
    rd = data.indicator("rd_intramural_exp")[["code", "year", "value"]].rename(columns={"value": "rd"})
    pat = data.indicator("patents_granted_domestic_invention")[["code", "year", "value"]].rename(
        columns={"value": "patents"})
    return p.merge(rd, on=["code", "year"], how="left").merge(pat, on=["code", "year"], how="left")


def _check_indicator(indicator: str) -> None:
    if indicator not in INNOVATION_INDICATORS:
        valid = ", ".join(INNOVATION_INDICATORS)
        raise _error(f"未知的指标“{indicator}”，可选：{valid}", f"unknown indicator {indicator!r}; valid: {valid}")


def _check_area(area: str) -> None:
    if area not in INNOVATION_AREAS:
        valid = ", ".join(INNOVATION_AREAS)
        raise _error(f"未知的战略区“{area}”，可选：{valid}", f"unknown area {area!r}; valid: {valid}")


def _complete_years(indicator: str) -> pd.DataFrame:
    df = _innovation_long()
    df = df[df[indicator].notna()]
    counts = df.groupby("year")["code"].transform("size")
    return df[counts == 31]


@data.cached
def area_share(area: str, indicator: str) -> pd.Series:
    """战略区占 31 省合计的份额（按年份）；分母是该指标自己的 31 省之和。"""
    _check_area(area)
    _check_indicator(indicator)
    df = _complete_years(indicator)
    groups = df["code"].map(data.scheme(area))
    out = {}
    for year, block in df.groupby("year"):
        shares = measures.regional_shares(block.set_index("code")[indicator], groups[block.index].to_numpy())
        out[year] = shares.get(area, 0.0)
    return pd.Series(out, name=f"{area}_{indicator}_share").rename_axis("year")


@data.cached
def area_relative_per_capita(area: str, indicator: str) -> pd.Series:
    """战略区人均值 ÷ 其余省份人均值（按年份；人口为现行版本的年均人口）。"""
    _check_area(area)
    _check_indicator(indicator)
    df = _complete_years(indicator)
    df = df[df["pop_mean"].notna()]
    groups = df["code"].map(data.scheme(area))
    out = {}
    for year, block in df.groupby("year"):
        if len(block) < 31:
            continue
        b = block.set_index("code")
        pc = measures.regional_per_capita(b[indicator], b["pop_mean"], groups[block.index].to_numpy())
        out[year] = measures.ratio(pc[area], pc["other"])
    return pd.Series(out, name=f"{area}_{indicator}_relative").rename_axis("year")


def concentration(indicator: str) -> pd.Series:
    """各省份额的基尼系数（不加权；= 省级总量的基尼系数），衡量该指标在省际的集中程度。

    ``indicator`` 还可以是 ``pop_mean``（人口本身的集中程度，作为参照）。
    """
    if indicator != "pop_mean":
        _check_indicator(indicator)
    df = _complete_years(indicator)
    return df.groupby("year")[indicator].apply(lambda v: measures.gini(v.to_numpy())).rename(
        f"gini_{indicator}")


def plan_window_change(area: str, indicator: str) -> dict:
    """份额在规划纲要年份之前与之后的年均变化（比例/年）：``before`` = 首年→规划年，``after`` = 规划年→末年。"""
    s = area_share(area, indicator)
    year = int(plan_dates().loc[area, "year"])
    first, last = int(s.index[0]), int(s.index[-1])
    if not first < year < last:
        raise _error(f"规划年份 {year} 不在数据年份 {first}—{last} 之内", f"plan year {year} outside {first}-{last}")
    return {"plan_year": year, "first": first, "last": last,
            "before": (s[year] - s[first]) / (year - first),
            "after": (s[last] - s[year]) / (last - year)}


def rd_years() -> list[int]:
    """R&D 经费有数值的年份（《中国科技统计年鉴》各版，取自数据）。"""
    return data.years_of(data.indicator("rd_intramural_exp"))


def intensity_years() -> list[int]:
    """研发强度表的年份（都取自数据）：新时代起点、年鉴口径中最后一个有 R&D 的年份，以及首次发布中有 R&D 的各年。"""
    rd = set(rd_years())
    yearbook = max(rd & set(data.vintage_info("yearbook")["years"]))
    first = rd & set(data.vintage_info("first_release")["years"])
    return sorted({data.stage_start("new_era"), yearbook} | first)


def rd_vintage(year: int) -> str:
    """与某年 R&D 配对的 GDP 版本：首次发布有的年份用首次发布，其余 R&D 年份用年鉴口径（年份都取自数据）。"""
    if year in data.vintage_info("first_release")["years"]:
        return "first_release"
    rd_years = set(data.indicator("rd_intramural_exp")["year"])
    if year in data.vintage_info("yearbook")["years"] and year in rd_years:
        return "yearbook"
    valid = sorted(rd_years & (set(data.vintage_info("first_release")["years"])
                               | set(data.vintage_info("yearbook")["years"])))
    raise _error(f"{year} 年没有可与 R&D 配对的年鉴口径或首次发布 GDP（可选 {fmt.year_span(valid)}）",
                 f"no yearbook/first-release GDP to pair with R&D in {year}")


def rd_intensity(year: int) -> pd.Series:
    """四个战略区、其余省份与 31 省合计的 R&D 强度（R&D ÷ GDP），GDP 用 :func:`rd_vintage` 的版本。"""
    vintage = rd_vintage(year)
    p = data.panel(vintage, years=[year]).set_index("code")
    rd = data.indicator("rd_intramural_exp")
    rd = rd[rd["year"] == year].set_index("code")["value"] / 1e4  # 万元 → 亿元
    out = {}
    for area in INNOVATION_AREAS:
        inside = data.scheme(area) == area
        members = inside[inside].index
        out[area] = measures.ratio(rd[members].sum(), p.loc[members, "gdp"].sum())
    out["all31"] = measures.ratio(rd.sum(), p["gdp"].sum())
    s = pd.Series(out, name=year)
    s.attrs["vintage"] = vintage
    return s


# ---------------------------------------------------------------- 对口帮扶论

def _status(source: str) -> str:
    text = str(source)
    if "[UNCONFIRMED" in text:
        return "未经核实"
    if "[continuation confirmed" in text:
        return "延续关系已核实，当年名单未读到"
    return "有出处"


@data.cached
def pairings() -> pd.DataFrame:
    """paired_assistance.csv 的每一行，加上双方省代码与核实状态（中文）。"""
    pa = data.paired_assistance()
    codes = data.provinces().set_index("name_zh_short")["code"]
    pa = pa.assign(helper_code=pa["helper_province"].map(codes),
                   receiver_code=pa["receiving_province"].map(codes),
                   status=pa["source"].map(_status))
    pa["years_unsure"] = pa["note"].fillna("").str.contains("year not confirmed") | pa["since"].isna()
    return pa


@data.cached
def pair_list() -> pd.DataFrame:
    """不重复的（帮扶方, 受援方）对，附该对出现过的方案与是否有未核实的行。"""
    pa = pairings()
    rows = []
    for (h, r), g in pa.groupby(["helper_province", "receiving_province"], sort=False):
        rows.append({"pair": f"{h}—{r}", "helper": h, "receiver": r,
                     "helper_code": g["helper_code"].iloc[0], "receiver_code": g["receiver_code"].iloc[0],
                     "schemes": "；".join(g["scheme"]), "rows": len(g),
                     "unconfirmed": int((g["status"] == "未经核实").sum())})
    return pd.DataFrame(rows).set_index("pair")


def list_changes(old: str = "东西部扶贫协作(2016-12调整)", new: str = "东西部协作(2021—)") -> dict:
    """两份结对名单的差别：``dropped``（旧有新无）、``added``（新有旧无）、``kept``。"""
    pa = pairings()
    pairs = {s: set(zip(g["helper_province"], g["receiving_province"])) for s, g in pa.groupby("scheme")}
    for s in (old, new):
        if s not in pairs:
            raise _error(f"没有名为“{s}”的结对方案", f"no pairing scheme {s!r}")
    a, b = pairs[old], pairs[new]
    order = lambda xs: sorted(xs, key=lambda t: (t[0], t[1]))  # noqa: E731
    return {"dropped": order(a - b), "added": order(b - a), "kept": order(a & b)}


@data.cached
def pair_ratio(helper: str, receiver: str, vintage: str = "current") -> pd.Series:
    """帮扶方人均 GDP ÷ 受援方人均 GDP（按年份，同一数据版本；缺人口的年份跳过）。"""
    codes = data.provinces().set_index("name_zh_short")["code"]
    for who in (helper, receiver):
        if who not in codes:
            raise _error(f"未知的省份“{who}”", f"unknown province {who!r}")
    if helper == receiver:
        raise _error("帮扶方与受援方是同一个省份", "helper and receiver are the same province")
    p = analysis.panel(vintage)
    pc = p.pivot(index="year", columns="code", values="gdp_pc")[[codes[helper], codes[receiver]]].dropna()
    if pc.empty:
        raise _error(f"{widgets.vintage_label(vintage)}版本中没有两省都有人均 GDP 的年份", f"no common years in {vintage}")
    return measures.ratio(pc[codes[helper]], pc[codes[receiver]]).rename(f"{helper}/{receiver}")


def pair_summary(scheme: str = "东西部协作(2021—)", years=None,
                 vintage: str = "current") -> pd.DataFrame:
    """某一份结对名单中每一对在给定年份的人均 GDP 之比（帮扶方 ÷ 受援方），附核实状态。

    ``years`` 默认：新时代起点（data/stages.csv）、两次调整结对名单之年（2016、2021）与所选版本的最新年份。"""
    if years is None:
        years = (data.stage_start("new_era"), 2016, 2021, data.latest_year(vintage))
    pa = pairings()
    rows = pa[pa["scheme"] == scheme]
    if rows.empty:
        raise _error(f"没有名为“{scheme}”的结对方案", f"no pairing scheme {scheme!r}")
    out = []
    for r in rows.itertuples():
        ratio = pair_ratio(r.helper_province, r.receiving_province, vintage)
        item = {"pair": f"{r.helper_province}—{r.receiving_province}", "status": r.status}
        item.update({y: ratio.get(y, np.nan) for y in years})
        out.append(item)
    return pd.DataFrame(out).set_index("pair")


# ---------------------------------------------------------------- 组件（正文与测试共用）

def innovation_views(area: str = "jjj", quantity: str = "share") -> list[dict]:
    """组件 (d) 的计算：某战略区的 GDP、R&D、发明专利份额，或其人均值相对其余省份的倍数。"""
    _check_area(area)
    if quantity not in ("share", "relative"):
        raise _error("只能看“份额”或“人均倍数”", "quantity must be share or relative")
    func = area_share if quantity == "share" else area_relative_per_capita
    parts = {ind: func(area, ind) for ind in INNOVATION_INDICATORS}
    years = sorted(set().union(*[set(s.index) for s in parts.values()]))
    factor = 100 if quantity == "share" else 1
    rd0, rd1 = rd_years()[0], rd_years()[-1]
    series = [{"id": ind, "label": INNOVATION_INDICATORS[ind][0],
               "y": [parts[ind].get(y, np.nan) * factor for y in years]} for ind in INNOVATION_INDICATORS]
    plan = plan_dates().loc[area]
    events = plots.chart_events() + [{"x": int(plan["year"]), "label": plan["plan"].strip("《》")}]
    name = data.scheme(area, labels=True)[data.scheme(area) == area].iloc[0]
    title = f"{name}：占 31 省合计的份额" if quantity == "share" else f"{name}：人均值 ÷ 其余省份人均值"
    chart = widgets.chart(title, years, series, ylabel="%" if quantity == "share" else "倍",
                          unit="%" if quantity == "share" else "", digits=1 if quantity == "share" else 2,
                          events=events, bands=plots.stage_bands(),
                          note=f"R&D、专利：《中国科技统计年鉴》（数据年份 {rd0}—{rd1}）；GDP、人口：{widgets.vintage_label('current')}")
    last = {ind: parts[ind].dropna() for ind in parts}
    items = [(f"{INNOVATION_INDICATORS[ind][0]}（{s.index[-1]} 年）",
              fmt.pct(s.iloc[-1]) if quantity == "share" else fmt.times(s.iloc[-1], 2))
             for ind, s in last.items()]
    items.append(("规划纲要", f"{plan['plan']}（{plan['date']}）"))
    return [widgets.stats(items), chart]


def innovation_widget():
    """组件 (d)：四个战略区的创新份额与人均倍数。"""
    labels = {a: data.scheme(a, labels=True)[data.scheme(a) == a].iloc[0] for a in INNOVATION_AREAS}
    controls = [
        widgets.choice("area", "战略区", [(labels[a], a) for a in INNOVATION_AREAS], "jjj"),
        widgets.choice("quantity", "看什么", [("占全国份额", "share"), ("人均值相对其余省份", "relative")], "share"),
    ]
    return widgets.BookWidget("战略区的产出与创新", controls, innovation_views,
                              description="粤港澳大湾区只能用广东全省代表，成渝地区用四川、重庆两省市全域代表。")


def pairing_views(pair: str = "福建—宁夏", vintage: str = "current") -> list[dict]:
    """组件 (c) 的计算：一对帮扶关系的人均 GDP 之比，以及该对在结对表中的记录。"""
    pl = pair_list()
    if pair not in pl.index:
        raise _error(f"结对表中没有“{pair}”", f"pair {pair!r} is not in the table")
    row = pl.loc[pair]
    r = pair_ratio(row["helper"], row["receiver"], vintage)
    pa = pairings()
    rec = pa[(pa["helper_province"] == row["helper"]) & (pa["receiving_province"] == row["receiver"])]
    events = plots.chart_events() + [
        {"x": int(y), "label": f"结对：{s}"} for s, y in zip(rec["scheme"], rec["since"]) if pd.notna(y)]
    chart = widgets.chart(f"{row['helper']}人均 GDP ÷ {row['receiver']}人均 GDP", list(r.index),
                          [{"id": "ratio", "label": pair, "y": list(r)}], ylabel="倍", digits=2,
                          events=events, bands=plots.stage_bands(), note=widgets.vintage_label(vintage))
    table = widgets.table("结对表中的记录", ["方案", "起", "止", "核实状态"],
                          [[s, fmt.num(a) if pd.notna(a) else "未载", fmt.num(b) if pd.notna(b) else "—", st]
                           for s, a, b, st in zip(rec["scheme"], rec["since"], rec["until"], rec["status"])],
                          note="“未经核实”：未能读到原始名单或文件的结对关系；比值的变化不能归因于结对帮扶。")
    stats = widgets.stats([(f"{r.index[0]} 年", fmt.times(r.iloc[0], 2)),
                           (f"{r.index[-1]} 年", fmt.times(r.iloc[-1], 2)),
                           ("年均变化", fmt.pct(annual_rate(r), 2, signed=True))])
    return [stats, chart, table]


def pairing_widget():
    """组件 (c)：结对浏览器（选一对，看人均 GDP 之比的路径）。"""
    pl = pair_list()
    controls = [
        widgets.choice("pair", "结对", [(p + ("（含未核实记录）" if pl.loc[p, "unconfirmed"] else ""), p)
                                        for p in pl.index], "福建—宁夏"),
        widgets.choice("vintage", "数据版本",
                       widgets.vintage_options(("current", "census2018", "yearbook", "compendium")), "current"),
    ]
    return widgets.BookWidget("对口帮扶结对：人均 GDP 之比", controls, pairing_views,
                              description="比值越接近 1，受援方与帮扶方的人均产出越接近。"
                                          f"{widgets.vintage_label('compendium')}中部分省份的人口是户籍人口。")
