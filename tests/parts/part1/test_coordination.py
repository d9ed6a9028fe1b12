"""第一部分“走向区域协调（1999—2012）”一章：数据或代码一变、正文的结论随之改变时，这里应当失败。

这一章只用框架（``analysis``、``gap_widgets``），没有自己的模块；这里重算决定结论的数字
（2003 年的转折、2012 年的变异系数、版本断点、东部份额的峰值）。
"""
from __future__ import annotations

import pytest

from quyu import analysis, data, fmt


def series(vintage, measure, weighted=False, scheme=None, col="value"):
    return analysis.disparity(vintage, measure, weighted, scheme)[col]


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
