"""第一部分“走向区域协调（1999—2012）”一章：数据或代码一变、正文的结论随之改变时，这里应当失败。

这里重算决定结论的数字（2003 年的转折、2012 年的变异系数、版本断点、东部份额的峰值），
以及本章模块 ``quyu.parts.part1.coordination`` 中西部大开发的事件研究与它的组件。
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


# ---------------------------------------------------------------- 西部大开发的事件研究

def test_event_study_design_comes_from_the_data():
    from quyu.parts.part1 import coordination as c

    assert c.treat_year() == 2000
    assert c.window() == (1990, 2008)
    g = c.groups()
    assert set(g.loc[g["treated"], "name"]) >= {"内蒙古", "广西", "重庆", "西藏"} and g["treated"].sum() == 12
    p = c.panel("all")
    assert len(p) == 31 * 19 and p["y"].notna().all()
    assert sorted(c.panel("central")["code"].unique()) == sorted(
        list(g.loc[g["treated"], "code"]) + list(g.loc[g["region4"] == "central", "code"]))
    assert not set(c.panel("no_northeast")["code"]) & {"21", "22", "23"}


def test_event_study_numbers_and_verdicts():
    from quyu.parts.part1 import coordination as c

    es = c.west_event_study("all")
    assert es.lead_f == pytest.approx(2.549, abs=1e-3) and es.lead_df == (9, 30)
    assert es.lead_p == pytest.approx(0.0262, abs=1e-4)
    assert 0.08 < es.boot_p < 0.13          # 自助法：蒙特卡罗误差之内
    assert c.verdict_kind(es) == "mixed" and "不一致" in c.pretrend_verdict(es)
    post = c.post_summary(es)
    assert post["n_cover0"] == post["n_post"] == 9
    assert (round(post["last"], 3), round(post["last_low"], 3), round(post["last_high"], 3)) == (0.081, -0.056, 0.218)
    central, no_ne = c.west_event_study("central"), c.west_event_study("no_northeast")
    assert central.lead_p == pytest.approx(0.135, abs=1e-3) and c.verdict_kind(central) == "none"
    assert no_ne.lead_p == pytest.approx(0.0058, abs=1e-4) and no_ne.boot_p < 0.05
    assert c.verdict_kind(no_ne) == "reject"
    # 同一种子，同一结果（缓存之外重新计算）
    again = c.measures.event_study(c.panel("all"), "y", "code", "year", "treated", 2000, n_boot=es.n_boot,
                                   seed=c.SEED)
    assert again.boot_p == es.boot_p


def test_event_widget_callbacks_and_bad_choice():
    from quyu.parts.part1 import coordination as c

    w = c.event_widget()
    box = w.ipywidget()
    box.inputs["comparison"].value = "northeast"
    assert "对照组只有 3 个省份" in box.output.value and "请换一个对照组" in box.output.value
    box.inputs["comparison"].value = "central"
    html = box.output.value
    assert "只用中部六省" in html and "12 / 6" in html
    views = w.views(comparison="no_northeast")
    cards = dict(views[0]["items"])
    assert cards["判断"] == c.pretrend_verdict(c.west_event_study("no_northeast"))
    chart = views[1]
    coef = dict(zip(chart["x"], chart["series"][0]["y"]))
    assert coef[1999] == 0 and coef[2008] == pytest.approx(0.069, abs=5e-4)
