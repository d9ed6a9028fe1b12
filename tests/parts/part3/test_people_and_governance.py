"""第三部分“以人民为中心与统分结合”一章（quyu.parts.part3.people_and_governance）：计算与独立计算（直接用 data 与 measures）逐一核对；组件的好选择给出与库函数相同的数字，坏选择给出中文提示。"""
from __future__ import annotations

import re

from conftest import REL, charts, combos, latest_year, messages

import numpy as np
import pandas as pd
import pytest

from quyu import analysis, data, measures, widgets
from quyu.parts.part3 import people_and_governance

CJK = re.compile(r"[\u4e00-\u9fff]")


def _assert_chinese_message(views):
    msgs = messages(views)
    assert msgs, views
    for m in msgs:
        assert CJK.search(m), m
        assert " / " not in m  # 只显示中文部分
        assert "Traceback" not in m


@pytest.fixture(scope="module")
def all_widgets():
    return {"income": people_and_governance.income_widget(), "theil": people_and_governance.theil_widget()}


def test_param_combinations_are_small(all_widgets):
    for name, w in all_widgets.items():
        assert 0 < len(combos(w)) <= 300, name


def test_every_combination_gives_views_or_chinese_message(all_widgets):
    for name, w in all_widgets.items():
        for combo in combos(w):
            views = w.computed(**combo)
            assert views, (name, combo)
            for m in messages(views):
                assert CJK.search(m) and " / " not in m, (name, combo, m)


def test_static_page_payload(all_widgets):
    for w in all_widgets.values():
        html = w.static_html()
        assert 'class="quyu-widget-data"' in html
        assert w.print_png()[:4] == b"\x89PNG"


# ---------------------------------------------------------------- (a) 收入与产出

def test_income_widget_numbers(all_widgets):
    w = all_widgets["income"]
    expected = people_and_governance.income_vs_output("gini", True)
    chart = charts(w.views(measure="gini", weighted=True, mark=None))[0]
    assert chart["x"] == list(expected.index)
    got = {s["id"]: s["y"] for s in chart["series"]}
    assert got["income"] == pytest.approx(list(expected["income"]), rel=REL)
    assert got["output"] == pytest.approx(list(expected["output"]), rel=REL)


def test_income_widget_index_scale(all_widgets):
    chart = charts(all_widgets["income"].views(scale="index", mark=None))[0]
    for s in chart["series"]:
        assert s["y"][0] == pytest.approx(100)
    base = people_and_governance.income_vs_output("cv", False)
    assert chart["series"][0]["y"][-1] == pytest.approx(base["income"].iloc[-1] / base["income"].iloc[0] * 100, rel=REL)


def test_income_widget_readout(all_widgets):
    views = all_widgets["income"].views(mark=2020)
    readouts = [v for v in views if v["type"] == "stats" and any("2020 年" in a for a, _ in v["items"])]
    assert readouts


@pytest.mark.parametrize("measure", ["max_min_ratio", "sigma"])
def test_income_widget_bad_weighting(all_widgets, measure):
    views = all_widgets["income"].views(measure=measure, weighted=True)
    _assert_chinese_message(views)
    assert "加权" in messages(views)[0]


def test_income_widget_bad_scale():
    _assert_chinese_message(people_and_governance.income_widget().computed(measure="cv", weighted=False, scale="log"))


# ---------------------------------------------------------------- (b) 泰尔分解

@pytest.mark.parametrize("scheme,vintage", [("region4", "current"), ("yrd", "census2018"),
                                            ("region3_1986", "compendium"), ("gba_proxy", "first_release")])
def test_theil_widget_numbers(all_widgets, scheme, vintage):
    views = all_widgets["theil"].views(scheme=scheme, vintage=vintage)
    expected = analysis.disparity(vintage, "theil_t", weighted=True, scheme=scheme)
    share, parts = charts(views)
    assert share["x"] == list(expected.index)
    # 组件把占比存到 3 位小数、泰尔指数存到 6 位小数（减小网页体积），比较时容许相应的舍入误差。
    assert share["series"][0]["y"] == pytest.approx(list(expected["between_share"] * 100), abs=5e-4 + 1e-9)
    got = {s["id"]: s["y"] for s in parts["series"]}
    assert got["between"] == pytest.approx(list(expected["between"]), abs=5e-7 + 1e-12)
    assert got["within"] == pytest.approx(list(expected["within"]), abs=5e-7 + 1e-12)


def test_theil_widget_unweighted_l(all_widgets):
    views = all_widgets["theil"].views(measure="theil_l", weighted=False, scheme="region3_wd2000")
    expected = analysis.disparity("current", "theil_l", weighted=False, scheme="region3_wd2000")
    assert charts(views)[0]["series"][0]["y"] == pytest.approx(list(expected["between_share"] * 100), abs=5e-4 + 1e-9)


def test_theil_widget_bad_choices():
    w = people_and_governance.theil_widget()
    _assert_chinese_message(w.computed(scheme="no_such_scheme", vintage="current", measure="theil_t", weighted=True))
    _assert_chinese_message(w.computed(scheme="region4", vintage="1999", measure="theil_t", weighted=True))
    _assert_chinese_message(w.computed(scheme="region4", vintage="current", measure="gini", weighted=True))
    with pytest.raises(widgets.WidgetError):
        w.views(colour="red")


# ---------------------------------------------------------------- 计算

def _income_frame():
    p = data.panel("current")
    inc = data.indicator("disp_income_pc_all")[["code", "year", "value"]]
    return p.merge(inc, on=["code", "year"])


@pytest.mark.parametrize("measure,weighted", [("cv", False), ("cv", True), ("gini", True), ("theil_t", False)])
def test_income_vs_output_matches_direct(measure, weighted):
    got = people_and_governance.income_vs_output(measure, weighted)
    df = _income_frame()
    last = min(int(data.indicator(people_and_governance.INCOME_INDICATOR)["year"].max()), latest_year())
    assert list(got.index) == list(range(2016, last + 1))
    for year in (2016, 2020, 2024):
        b = df[df["year"] == year]
        w = b["pop_mean"] if weighted else None
        fn = {"cv": measures.cv, "gini": measures.gini, "theil_t": lambda y, w: measures.theil_t(y, w).total}[measure]
        assert got.loc[year, "income"] == pytest.approx(fn(b["value"].to_numpy(), None if w is None else w.to_numpy()))
        assert got.loc[year, "output"] == pytest.approx(fn(b["gdp_pc"].to_numpy(), None if w is None else w.to_numpy()))


def test_income_weights_rejected_for_unweightable_measure():
    with pytest.raises(ValueError, match="不支持人口加权"):
        people_and_governance.income_vs_output("max_min_ratio", weighted=True)


def test_annual_rate():
    s = pd.Series([100.0, 121.0], index=[2010, 2012])
    assert people_and_governance.annual_rate(s) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        people_and_governance.annual_rate(pd.Series([1.0], index=[2010]))


def test_urban_rural_ratio_and_break():
    ur = people_and_governance.urban_rural_ratio()
    urban = data.national("disp_income_pc_urban")
    rural = data.national("income_pc_rural_net_to2012_disp_from2013")
    assert ur.loc[1978, "ratio"] == pytest.approx(urban[1978] / rural[1978])
    assert ur.loc[2016, "ratio"] == pytest.approx(urban[2016] / rural[2016])
    assert set(ur.loc[:2012, "basis"]) == {"net"}
    assert set(ur.loc[2013:, "basis"]) == {"disposable"}


def test_coordination_subindices():
    ci = people_and_governance.coordination_subindices()
    assert (ci["kind"] == "sub").sum() == 5
    composite = ci[(ci["kind"] == "composite") & (ci["year"] == 2020)]["value"].iloc[0]
    af = data.article_figures().set_index("figure_id")
    assert composite == pytest.approx(af.loc["coordination_index_2020", "value"])
    assert ci["label"].notna().all()


@pytest.mark.parametrize("scheme", ["region4", "jjj", "yrd"])
def test_theil_between_share_matches_measures(scheme):
    d = people_and_governance.theil_by_scheme("current", "theil_t", True, scheme)
    p = data.panel("current", years=[2024]).set_index("code")
    res = measures.theil_t(p["gdp_pc"], p["pop_mean"], p[scheme])
    assert d.loc[2024, "between_share"] == pytest.approx(res.between_share)
    assert d.loc[2024, "value"] == pytest.approx(res.between + res.within)


def test_theil_rejects_non_decomposable_measure():
    with pytest.raises(ValueError, match="泰尔"):
        people_and_governance.theil_by_scheme("current", "cv", True, "region4")


def test_theil_scheme_table():
    tab = people_and_governance.theil_scheme_table([2012, 2024])
    assert len(tab) == len(data.schemes())
    assert tab.loc["region4", "groups"] == 4 and tab.loc["jjj", "groups"] == 2
    assert tab.loc["yrd", 2024] == pytest.approx(
        analysis.disparity("current", "theil_t", True, "yrd").loc[2024, "between_share"])


def test_random_between_shares_reproducible_and_bounded():
    a = people_and_governance.random_between_shares(2024, draws=50, seed=1)
    b = people_and_governance.random_between_shares(2024, draws=50, seed=1)
    assert np.array_equal(a, b)
    assert ((a >= 0) & (a <= 1)).all()
    actual = analysis.disparity("current", "theil_t", True, "region4").loc[2024, "between_share"]
    assert a.mean() < actual


def test_relative_to_average():
    rel = people_and_governance.relative_to_average(2024)
    p = data.panel("current", years=[2024]).set_index("code")
    avg = p["gdp"].sum() * 1e4 / p["pop_mean"].sum()
    assert rel["11"] == pytest.approx(p.loc["11", "gdp_pc"] / avg)
