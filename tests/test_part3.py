"""第三部分的交互组件：好的选择给出与库函数相同的数字，坏的选择给出中文提示。"""
from __future__ import annotations

import itertools
import re

import pytest

from quyu import analysis, themes, widgets

CJK = re.compile(r"[\u4e00-\u9fff]")


def _charts(views):
    return [v for v in views if v["type"] == "chart"]


def _messages(views):
    return [v for v in views if v["type"] == "message"]


def _assert_chinese_message(views):
    msgs = _messages(views)
    assert msgs, views
    for m in msgs:
        assert CJK.search(m["text"]), m["text"]
        assert " / " not in m["text"]  # 只显示中文部分
        assert "Traceback" not in m["text"]


def _combos(widget):
    return list(itertools.product(*[[v for _, v in c.options] for c in widget.params]))


@pytest.fixture(scope="module")
def all_widgets():
    return {"income": themes.income_widget(), "theil": themes.theil_widget(),
            "pairing": themes.pairing_widget(), "innovation": themes.innovation_widget()}


def test_param_combinations_are_small(all_widgets):
    for name, w in all_widgets.items():
        assert 0 < len(_combos(w)) <= 300, name


def test_every_combination_gives_views_or_chinese_message(all_widgets):
    for name, w in all_widgets.items():
        for combo in _combos(w):
            views = w.computed(**dict(zip([c.name for c in w.params], combo)))
            assert views, (name, combo)
            for m in _messages(views):
                assert CJK.search(m["text"]) and " / " not in m["text"], (name, combo, m)


def test_static_page_payload(all_widgets):
    for w in all_widgets.values():
        html = w.static_html()
        assert 'class="quyu-widget-data"' in html
        assert w.print_png()[:4] == b"\x89PNG"


# ---------------------------------------------------------------- (a) 收入与产出

def test_income_widget_numbers(all_widgets):
    w = all_widgets["income"]
    expected = themes.income_vs_output("gini", True)
    chart = _charts(w.views(measure="gini", weighted=True, mark=None))[0]
    assert chart["x"] == list(expected.index)
    got = {s["id"]: s["y"] for s in chart["series"]}
    assert got["income"] == pytest.approx(list(expected["income"]))
    assert got["output"] == pytest.approx(list(expected["output"]))


def test_income_widget_index_scale(all_widgets):
    chart = _charts(all_widgets["income"].views(scale="index", mark=None))[0]
    for s in chart["series"]:
        assert s["y"][0] == pytest.approx(100)
    base = themes.income_vs_output("cv", False)
    assert chart["series"][0]["y"][-1] == pytest.approx(base["income"].iloc[-1] / base["income"].iloc[0] * 100)


def test_income_widget_readout(all_widgets):
    views = all_widgets["income"].views(mark=2020)
    readouts = [v for v in views if v["type"] == "stats" and any("2020 年" in a for a, _ in v["items"])]
    assert readouts


@pytest.mark.parametrize("measure", ["max_min_ratio", "sigma"])
def test_income_widget_bad_weighting(all_widgets, measure):
    views = all_widgets["income"].views(measure=measure, weighted=True)
    _assert_chinese_message(views)
    assert "加权" in _messages(views)[0]["text"]


def test_income_widget_bad_scale():
    _assert_chinese_message(themes.income_widget().computed(measure="cv", weighted=False, scale="log"))


# ---------------------------------------------------------------- (b) 泰尔分解

@pytest.mark.parametrize("scheme,vintage", [("region4", "current"), ("yrd", "census2018"),
                                            ("region3_1986", "compendium"), ("gba_proxy", "first_release")])
def test_theil_widget_numbers(all_widgets, scheme, vintage):
    views = all_widgets["theil"].views(scheme=scheme, vintage=vintage)
    expected = analysis.disparity(vintage, "theil_t", weighted=True, scheme=scheme)
    share, parts = _charts(views)
    assert share["x"] == list(expected.index)
    # 组件把占比存到 3 位小数、泰尔指数存到 6 位小数（减小网页体积），比较时容许相应的舍入误差。
    assert share["series"][0]["y"] == pytest.approx(list(expected["between_share"] * 100), abs=5e-4 + 1e-9)
    got = {s["id"]: s["y"] for s in parts["series"]}
    assert got["between"] == pytest.approx(list(expected["between"]), abs=5e-7 + 1e-12)
    assert got["within"] == pytest.approx(list(expected["within"]), abs=5e-7 + 1e-12)


def test_theil_widget_unweighted_l(all_widgets):
    views = all_widgets["theil"].views(measure="theil_l", weighted=False, scheme="region3_wd2000")
    expected = analysis.disparity("current", "theil_l", weighted=False, scheme="region3_wd2000")
    assert _charts(views)[0]["series"][0]["y"] == pytest.approx(list(expected["between_share"] * 100), abs=5e-4 + 1e-9)


def test_theil_widget_bad_choices():
    w = themes.theil_widget()
    _assert_chinese_message(w.computed(scheme="no_such_scheme", vintage="current", measure="theil_t", weighted=True))
    _assert_chinese_message(w.computed(scheme="region4", vintage="1999", measure="theil_t", weighted=True))
    _assert_chinese_message(w.computed(scheme="region4", vintage="current", measure="gini", weighted=True))
    with pytest.raises(widgets.WidgetError):
        w.views(colour="red")


# ---------------------------------------------------------------- (c) 结对浏览器

@pytest.mark.parametrize("pair,vintage", [("福建—宁夏", "current"), ("上海—西藏", "yearbook"),
                                          ("广东—贵州", "compendium"), ("北京—河北", "census2018")])
def test_pairing_widget_numbers(all_widgets, pair, vintage):
    views = all_widgets["pairing"].views(pair=pair, vintage=vintage)
    helper, receiver = pair.split("—")
    expected = themes.pair_ratio(helper, receiver, vintage)
    chart = _charts(views)[0]
    assert chart["x"] == list(expected.index)
    assert chart["series"][0]["y"] == pytest.approx(list(expected))
    table = [v for v in views if v["type"] == "table"][0]
    assert len(table["rows"]) == themes.pair_list().loc[pair, "rows"]


def test_pairing_widget_marks_unconfirmed(all_widgets):
    w = all_widgets["pairing"]
    labels = dict((v, lab) for lab, v in w.controls[0].options)
    pl = themes.pair_list()
    marked = pl.index[pl["unconfirmed"] > 0]
    assert len(marked) > 0
    for pair in pl.index:
        assert ("未核实" in labels[pair]) == (pair in marked)
    table = [v for v in w.views(pair=marked[0]) if v["type"] == "table"][0]
    assert any("未经核实" in cell for row in table["rows"] for cell in row)
    # 2016 年名单已与原文核对：该方案没有未经核实的行
    pa = themes.pairings()
    assert not (pa.loc[pa["scheme"] == "东西部扶贫协作(2016-12调整)", "status"] == "未经核实").any()


def test_pairing_widget_bad_choices():
    w = themes.pairing_widget()
    _assert_chinese_message(w.computed(pair="福建—火星", vintage="current"))
    _assert_chinese_message(w.computed(pair="福建—宁夏", vintage="nope"))


# ---------------------------------------------------------------- (d) 战略区创新

@pytest.mark.parametrize("area", themes.INNOVATION_AREAS)
def test_innovation_widget_numbers(all_widgets, area):
    w = all_widgets["innovation"]
    share = _charts(w.views(area=area, quantity="share"))[0]
    got = {s["id"]: dict(zip(share["x"], s["y"])) for s in share["series"]}
    rd = themes.area_share(area, "rd")
    assert got["rd"][2015] == pytest.approx(rd[2015] * 100)
    assert got["rd"][2008] is None  # R&D 从 2010 年起才有数据
    rel = _charts(w.views(area=area, quantity="relative"))[0]
    got = {s["id"]: dict(zip(rel["x"], s["y"])) for s in rel["series"]}
    assert got["gdp"][2020] == pytest.approx(themes.area_relative_per_capita(area, "gdp")[2020])
    plan_year = int(themes.plan_dates().loc[area, "year"])
    assert any(e["x"] == plan_year and "规划纲要" in e["label"] for e in share["events"])


def test_innovation_widget_bad_choices():
    w = themes.innovation_widget()
    _assert_chinese_message(w.computed(area="hainan", quantity="share"))
    _assert_chinese_message(w.computed(area="jjj", quantity="growth"))
