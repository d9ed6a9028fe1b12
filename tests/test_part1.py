"""第一部分（book/part1）的数字与组件：数据或代码一变、正文的结论随之改变时，这里应当失败。

正文中的数字都由章节里的代码算出并 glue 进文字；这里用同样的库函数重算几个决定结论的数字
（转折年份、1978 与 2012 年的变异系数、泰尔分解的组间比重、版本断点），并驱动章节中使用的
交互组件，确认组件给出的数值与 ``analysis.disparity`` 一致。
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import num, stats

from quyu import analysis, data, fmt, gap_widgets

ROOT = Path(__file__).resolve().parent.parent
PART1 = ROOT / "book" / "part1"

# 章节中组件的可选范围（与 book/part1/*.md 中的调用一致）
VINTS = ["compendium", "yearbook", "census2018", "current"]
SCHEMES = ["region3_1986", "region4", "region3_wd2000"]
MEASURES = ["max_min_ratio", "cv", "theil_t", "sigma", "gini"]


def series(vintage, measure, weighted=False, scheme=None, col="value"):
    return analysis.disparity(vintage, measure, weighted, scheme)[col]


def same(got, expected):
    """组件的网页数据只保留几位有效数字（见 widgets.round_sig），所以按相对误差 1e-4 比较。"""
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == pytest.approx(float(e), rel=1e-4)


# ---------------------------------------------------------------- 第 1 章：1978—1998 年

def test_disparity_1978_and_trough_1990():
    cv = series("compendium", "cv")
    assert fmt.ratio(cv[1978], 3) == "0.955"
    assert fmt.ratio(cv[1990], 3) == "0.600"
    assert fmt.ratio(cv[1998], 3) == "0.721"
    # 七种度量中五种在 1990 年见底；最大最小比 1989 年；人口加权基尼系数 1983 年
    troughs = {
        (m, w): int(series("compendium", m, w).loc[1978:1998].idxmin())
        for m, w in [("max_min_ratio", False), ("cv", False), ("cv", True), ("theil_t", False),
                     ("theil_t", True), ("sigma", False), ("gini", True)]
    }
    assert sum(t == 1990 for t in troughs.values()) == 5
    assert troughs[("max_min_ratio", False)] == 1989
    assert troughs[("gini", True)] == 1983


def test_only_weighted_gini_ends_above_1978():
    above = [(m, w) for m, w in [("max_min_ratio", False), ("cv", False), ("cv", True),
                                 ("theil_t", False), ("theil_t", True), ("sigma", False), ("gini", True)]
             if series("compendium", m, w)[1998] > series("compendium", m, w)[1978]]
    assert above == [("gini", True)]


def test_between_belt_component_rises_from_1979():
    d = analysis.disparity("compendium", "theil_t", True, "region3_1986")
    assert int(d["between"].loc[1978:1998].idxmin()) == 1979
    assert fmt.pct(d.loc[1978, "between_share"], 0) == "18%"
    assert fmt.pct(d.loc[1998, "between_share"], 0) == "54%"
    # 组内部分在 80 年代下降
    assert d.loc[1990, "within"] < d.loc[1978, "within"] / 2


def test_1978_regional_gdp_matches_nbs_report():
    p = data.panel("compendium", years=[1978])
    g = p.groupby("region4")["gdp"].sum()
    facts = data.history_facts().set_index("fact_id")["value"].astype(str)
    for group, fid in (("east", "H17"), ("central", "H18"), ("west", "H19"), ("northeast", "H20")):
        assert g[group] == pytest.approx(float(facts[fid]), rel=0.01)


def test_article_history_figures_unchanged():
    af = data.article_figures().set_index("figure_id")["value"]
    assert af["hist_coastal_industry_share"] == 70
    assert af["hist_fyp1_central_west_investment_share"] == 75
    facts = data.history_facts().set_index("fact_id")["value"].astype(str)
    assert float(facts["H01"]) == pytest.approx(30.92)  # 由此推算其余地区 69.08%


# ---------------------------------------------------------------- 第 2 章：1999—2012 年

def test_turning_point_2003_in_compendium_and_yearbook():
    for v, lo, hi in (("compendium", 1990, 2008), ("yearbook", 2001, 2012)):
        for w in (False, True):
            assert int(series(v, "cv", w).loc[lo:hi].idxmax()) == 2003
    assert int(series("compendium", "max_min_ratio").loc[1990:2008].idxmax()) == 2004
    # census2018、current 的最大值落在序列首年：不能据此判断转折
    assert int(series("census2018", "cv").idxmax()) == 2005
    assert int(series("current", "cv").loc[:2012].idxmax()) == 2006


def test_cv_2012_and_decline_in_every_measure():
    assert fmt.ratio(series("yearbook", "cv")[2012], 3) == "0.448"
    assert fmt.ratio(series("current", "cv")[2012], 3) == "0.458"
    for m, w in [("max_min_ratio", False), ("cv", False), ("cv", True), ("theil_t", False),
                 ("theil_t", True), ("sigma", False), ("gini", True)]:
        yb, c18 = series("yearbook", m, w), series("census2018", m, w)
        assert yb[2012] < yb[2003] and c18[2012] < c18[2005], (m, w)


def test_vintage_break_is_population_only():
    c = data.panel("compendium", years=range(2000, 2009)).set_index(["code", "year"])
    y = data.panel("yearbook", years=range(2000, 2009)).set_index(["code", "year"])
    assert (c["gdp"] - y["gdp"]).abs().max() < 1e-9
    gap = series("compendium", "cv") / series("yearbook", "cv") - 1
    assert fmt.pct(gap[2001], 0) == "13%"
    assert fmt.pct(gap[2008], 0) == "26%"
    # 上海：汇编人口比常住人口少约三分之一
    assert c.loc[("31", 2008), "pop"] / y.loc[("31", 2008), "pop"] - 1 == pytest.approx(-0.35, abs=0.005)


def test_yearbook_has_no_2000_mean_population():
    d = analysis.disparity("yearbook", "cv")
    assert 2000 in d.attrs["skipped"] and d.index.min() == 2001


def test_east_share_peak_and_census_revision():
    sc = analysis.regional("compendium", "region4")["share"]
    assert int(sc["east"].idxmax()) == 2006
    s18 = analysis.regional("census2018", "region4")["share"]
    af = data.article_figures().set_index("figure_id")["value"]
    assert round(s18.loc[2012, "central"] * 100, 1) == af["share_gdp_central_2012"]
    assert round(s18.loc[2012, "west"] * 100, 1) == af["share_gdp_west_2012"]


# ---------------------------------------------------------------- 组件

def make_widget(**kw):
    base = dict(measure="theil_t", weighted=True, scheme="region3_1986", vintage="compendium",
                start=1978, end=1998, mark=1990, vintages=VINTS, schemes=SCHEMES, measures=MEASURES)
    base.update(kw)
    return gap_widgets.disparity(**base)


def chart_of(views):
    charts = [v for v in views if v["type"] == "chart"]
    assert len(charts) == 1
    return charts[0]


@pytest.mark.parametrize("measure,weighted,scheme,vintage", [
    ("theil_t", True, "region3_1986", "compendium"),
    ("theil_t", False, "region4", "yearbook"),
    ("cv", True, "region4", "compendium"),
    ("cv", False, "region4", "census2018"),
    ("gini", True, "region4", "current"),
])
def test_widget_numbers_equal_analysis(measure, weighted, scheme, vintage):
    w = make_widget()
    views = w.views(measure=measure, weighted=weighted, scheme=scheme, vintage=vintage,
                    start=1978, end=2024, mark=None)
    chart = chart_of(views)
    decomposable = measure == "theil_t"
    d = analysis.disparity(vintage, measure, weighted, scheme if decomposable else None)
    assert chart["x"] == [int(y) for y in d.index]
    got = {s["id"]: s["y"] for s in chart["series"]}
    same(got["total"], d["value"])
    if decomposable:
        same(got["between"], d["between"])
        same(got["within"], d["within"])


def test_widget_readout_reproduces_chapter_numbers():
    # 第 1 章：默认视图，1990 年读数
    views = make_widget().views()
    d = analysis.disparity("compendium", "theil_t", True, "region3_1986")
    items = dict(views[0]["items"])
    assert items["泰尔指数 T（人口加权）（1990 年）"] == fmt.ratio(d.loc[1990, "value"], 3)
    assert items["组间（区域之间）（1990 年）"] == fmt.ratio(d.loc[1990, "between"], 3)
    assert items["组内（区域内部）（1990 年）"] == fmt.ratio(d.loc[1990, "within"], 3)
    # 第 2 章：yearbook、四大板块，2003 年读数
    w2 = make_widget(scheme="region4", vintage="yearbook", start=1999, end=2012, mark=2003)
    d2 = analysis.disparity("yearbook", "theil_t", True, "region4")
    items2 = dict(w2.views()[0]["items"])
    assert items2["泰尔指数 T（人口加权）（2003 年）"] == fmt.ratio(d2.loc[2003, "value"], 3)
    # 变异系数 1978 年读数与正文 glue 的格式一致
    cv = analysis.disparity("compendium", "cv", False)["value"]
    items3 = dict(make_widget().views(measure="cv", weighted=False, mark=1978)[0]["items"])
    assert items3["变异系数（1978 年）"] == fmt.ratio(cv[1978], 3)


def test_widget_messages_instead_of_errors():
    w = make_widget()
    # 最大最小比没有加权版本：提示信息 + 不加权的结果
    views = w.views(measure="max_min_ratio", weighted=True, mark=None)
    assert views[0]["type"] == "message" and "不加权" in views[0]["text"]
    mm = analysis.disparity("compendium", "max_min_ratio")["value"]
    same(chart_of(views)["series"][0]["y"], mm.loc[1978:1998])
    # 读数年份不在该版本的年份内
    views = w.views(vintage="yearbook", start=1978, end=2024, mark=1985)
    assert views[0]["type"] == "message" and "1985" in views[0]["text"]


def test_widget_precompute_is_small():
    assert len(make_widget().payload()["results"]) <= 300


# ---------------------------------------------------------------- 章节文件本身

def test_part1_glue_keys_defined_unique_and_prefixed():
    defined, used = [], set()
    for md in sorted(PART1.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        defined += re.findall(r'glue\(\s*f?"([^"]+)"', text)
        used |= set(re.findall(r"\{glue:(?:text|md)\}`([^`]+)`", text))
    literal = [k for k in defined if "{" not in k]
    # 以变量开头的 f-string 键（如 f"{key}_{y}"）在别处拼出前缀，这里只查字面前缀
    assert all(k.startswith("p1_") for k in defined if not k.startswith("{"))
    assert len(literal) == len(set(literal)), "duplicate glue key"
    # 由 f-string 生成的键：把模式转成正则再匹配
    patterns = [re.compile("^" + re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(k)) + "$") for k in defined if "{" in k]
    missing = [k for k in used if k not in literal and not any(p.match(k) for p in patterns)]
    assert missing == []


def test_regional_widget_matches_analysis():
    w = gap_widgets.regional(vintage="yearbook", scheme="region4", quantity="share", year_a=2008, year_b=2012,
                         vintages=["compendium", "yearbook", "census2018"])
    sy = analysis.regional("yearbook", "region4")["share"]
    chart = chart_of(w.views())
    got = {s["id"]: s["y"] for s in chart["series"]}
    for g in ("east", "central", "west", "northeast"):
        same(got[g], sy[g] * 100)
    rows = {r[0]: r for r in w.views()[0]["rows"]}
    assert rows["东北地区"][1] == fmt.pct(sy.loc[2008, "northeast"], 1)
    assert rows["东北地区"][2] == fmt.pct(sy.loc[2012, "northeast"], 1)


# ---------------------------------------------------------------- 组件 disparity、regional：与库函数对照（原 test_widgets.py）

@pytest.mark.parametrize("measure, weighted", [("cv", False), ("cv", True), ("gini", True), ("theil_t", False)])
def test_disparity_readout_equals_library(measure, weighted):
    w = gap_widgets.disparity(vintage="current", measure=measure, weighted=weighted, mark=2020)
    items = list(stats(w.views()).values())
    d = analysis.disparity("current", measure, weighted, "region4" if measure.startswith("theil") else None)
    assert num(items[0]) == pytest.approx(d.loc[2020, "value"], abs=0.0005)
    if measure.startswith("theil"):
        assert num(items[1]) == pytest.approx(d.loc[2020, "between"], abs=0.0005)


def test_disparity_unweightable_measure_says_so():
    views = gap_widgets.disparity().views(measure="max_min_ratio", weighted=True)
    assert views[0]["type"] == "message" and "没有人口加权" in views[0]["text"]


def test_disparity_bad_range():
    views = gap_widgets.disparity().views(start=2020, end=2010)
    assert [v["type"] for v in views] == ["message"] and "晚于" in views[0]["text"]


def test_regional_table_equals_library():
    w = gap_widgets.regional(vintage="census2018", quantity="share", year_a=2012, year_b=2021)
    tab = next(v for v in w.views() if v["type"] == "table")
    r = analysis.regional("census2018")
    row = {r_[0]: r_ for r_ in tab["rows"]}["中部地区"]
    assert num(row[1]) == pytest.approx(100 * r.loc[2012, ("share", "central")], abs=0.05)
    assert num(row[2]) == pytest.approx(100 * r.loc[2021, ("share", "central")], abs=0.05)
