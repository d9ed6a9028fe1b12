"""全书共用的两个差距组件（quyu.gap_widgets）：由程序驱动，组件给出的数值与 ``analysis.disparity``、
``analysis.regional`` 一致，读数与正文的数字一致，坏的选择给出中文提示。"""
from __future__ import annotations

import pytest

from conftest import messages, num, stats

from quyu import analysis, data, fmt, gap_widgets, widgets

MSG = widgets.MESSAGES

# 章节中组件的可选范围（与 book/part1/*.md 中的调用一致）


def series(vintage, measure, weighted=False, scheme=None, col="value"):
    return analysis.disparity(vintage, measure, weighted, scheme)[col]

# 章节中组件的可选范围（与 book/part1/*.md 中的调用一致）
VINTS = ["compendium", "yearbook", "census2018", "current"]
SCHEMES = ["region3_1986", "region4", "region3_wd2000"]
MEASURES = ["max_min_ratio", "cv", "theil_t", "sigma", "gini"]


def same(got, expected):
    """组件的网页数据只保留几位有效数字（见 widgets.round_sig），所以按相对误差 1e-4 比较。"""
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == pytest.approx(float(e), rel=1e-4)


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


# ---------------------------------------------------------------- regional widget

@pytest.fixture(scope="module")
def regional_widget():
    return gap_widgets.regional(vintage="census2018", scheme="region4", quantity="share", year_a=2012, year_b=2021)


def _table(views):
    tables = [v for v in views if v["type"] == "table"]
    assert tables, views
    return {row[0]: row[1:] for row in tables[0]["rows"]}


def test_regional_shares_equal_library(regional_widget):
    t = _table(regional_widget.views())
    r = analysis.regional("census2018")
    labels = dict(zip(data.scheme("region4"), data.scheme("region4", labels=True)))
    for gid in ("east", "central", "west", "northeast"):
        row = t[labels[gid]]
        assert row[0] == fmt.pct(r.loc[2012, ("share", gid)])
        assert row[1] == fmt.pct(r.loc[2021, ("share", gid)])


def test_regional_ratio_equals_library(regional_widget):
    t = _table(regional_widget.views(quantity="ratio"))
    r = analysis.regional("census2018")["per_capita"]
    assert t["东部地区/中部地区"][0] == fmt.ratio(r.loc[2012, "east"] / r.loc[2012, "central"])
    assert t["东部地区/西部地区"][1] == fmt.ratio(r.loc[2021, "east"] / r.loc[2021, "west"])


def test_regional_first_release_2021(regional_widget):
    # first_release has no 2012: a Chinese message, not a traceback
    views = regional_widget.views(vintage="first_release")
    assert any(m.startswith("2012 年不在当前数据的年份范围内") for m in messages(views))
    views = regional_widget.views(vintage="first_release", year_a=2019, year_b=2021)
    t = _table(views)
    r = analysis.regional("first_release")
    assert t["中部地区"][1] == fmt.pct(r.loc[2021, ("share", "central")])


def test_regional_year_outside_vintage(regional_widget):
    msgs = messages(regional_widget.views(vintage="yearbook"))
    assert msgs and msgs[0].startswith("2021 年不在当前数据的年份范围内")
