"""第三部分“协同创新与对口帮扶”一章（quyu.parts.part3.innovation_and_assistance）：计算与独立计算（直接用 data 与 measures）逐一核对；组件的好选择给出与库函数相同的数字，坏选择给出中文提示。"""
from __future__ import annotations

import math
import re

from conftest import REL, charts, combos, messages

import pytest

from quyu import data, measures
from quyu.parts.part3 import innovation_and_assistance

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
    return {"pairing": innovation_and_assistance.pairing_widget(),
            "innovation": innovation_and_assistance.innovation_widget()}


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


# ---------------------------------------------------------------- (c) 结对浏览器

@pytest.mark.parametrize("pair,vintage", [("福建—宁夏", "current"), ("上海—西藏", "yearbook"),
                                          ("广东—贵州", "compendium"), ("北京—河北", "census2018")])
def test_pairing_widget_numbers(all_widgets, pair, vintage):
    views = all_widgets["pairing"].views(pair=pair, vintage=vintage)
    helper, receiver = pair.split("—")
    expected = innovation_and_assistance.pair_ratio(helper, receiver, vintage)
    chart = charts(views)[0]
    assert chart["x"] == list(expected.index)
    assert chart["series"][0]["y"] == pytest.approx(list(expected), rel=REL)
    table = [v for v in views if v["type"] == "table"][0]
    assert len(table["rows"]) == innovation_and_assistance.pair_list().loc[pair, "rows"]


def test_pairing_widget_marks_unconfirmed(all_widgets):
    w = all_widgets["pairing"]
    labels = dict((v, lab) for lab, v in w.controls[0].options)
    pl = innovation_and_assistance.pair_list()
    marked = pl.index[pl["unconfirmed"] > 0]
    assert len(marked) > 0
    for pair in pl.index:
        assert ("未核实" in labels[pair]) == (pair in marked)
    table = [v for v in w.views(pair=marked[0]) if v["type"] == "table"][0]
    assert any("未经核实" in cell for row in table["rows"] for cell in row)
    # 2016 年名单已与官方公布的全文核对：该方案没有未经核实的行
    pa = innovation_and_assistance.pairings()
    assert not (pa.loc[pa["scheme"] == "东西部扶贫协作(2016-12调整)", "status"] == "未经核实").any()


def test_pairing_widget_bad_choices():
    w = innovation_and_assistance.pairing_widget()
    _assert_chinese_message(w.computed(pair="福建—火星", vintage="current"))
    _assert_chinese_message(w.computed(pair="福建—宁夏", vintage="nope"))


# ---------------------------------------------------------------- (d) 战略区创新

@pytest.mark.parametrize("area", innovation_and_assistance.INNOVATION_AREAS)
def test_innovation_widget_numbers(all_widgets, area):
    w = all_widgets["innovation"]
    share = charts(w.views(area=area, quantity="share"))[0]
    got = {s["id"]: dict(zip(share["x"], s["y"])) for s in share["series"]}
    rd = innovation_and_assistance.area_share(area, "rd")
    assert got["rd"][2015] == pytest.approx(rd[2015] * 100, rel=REL)
    assert got["rd"][2008] is None  # R&D 从 2010 年起才有数据
    rel = charts(w.views(area=area, quantity="relative"))[0]
    got = {s["id"]: dict(zip(rel["x"], s["y"])) for s in rel["series"]}
    assert got["gdp"][2020] == pytest.approx(innovation_and_assistance.area_relative_per_capita(area, "gdp")[2020], rel=REL)
    plan_year = int(innovation_and_assistance.plan_dates().loc[area, "year"])
    assert any(e["x"] == plan_year and "规划纲要" in e["label"] for e in share["events"])


def test_innovation_widget_bad_choices():
    w = innovation_and_assistance.innovation_widget()
    _assert_chinese_message(w.computed(area="hainan", quantity="share"))
    _assert_chinese_message(w.computed(area="jjj", quantity="growth"))


def test_plan_dates():
    pdates = innovation_and_assistance.plan_dates()
    assert list(pdates.index) == list(innovation_and_assistance.INNOVATION_AREAS)
    assert pdates.loc["jjj", "year"] == 2015
    assert pdates.loc["gba_proxy", "year"] == 2019
    assert pdates.loc["yrd", "date"] == "2019-12-01"
    assert pdates.loc["chengyu", "year"] == 2021


def _indicator_by_code(name, year):
    x = data.indicator(name)
    return x[x["year"] == year].set_index("code")["value"]


@pytest.mark.parametrize("area", innovation_and_assistance.INNOVATION_AREAS)
def test_area_share_and_relative_per_capita(area):
    members = data.scheme(area)[data.scheme(area) == area].index
    rd = _indicator_by_code("rd_intramural_exp", 2018)
    assert innovation_and_assistance.area_share(area, "rd")[2018] == pytest.approx(rd[members].sum() / rd.sum())
    pat = _indicator_by_code("patents_granted_domestic_invention", 2023)
    assert innovation_and_assistance.area_share(area, "patents")[2023] == pytest.approx(pat[members].sum() / pat.sum())
    p = data.panel("current", years=[2015]).set_index("code")
    rest = p.index.difference(members)
    expected = (p.loc[members, "gdp"].sum() / p.loc[members, "pop_mean"].sum()) / (
        p.loc[rest, "gdp"].sum() / p.loc[rest, "pop_mean"].sum())
    assert innovation_and_assistance.area_relative_per_capita(area, "gdp")[2015] == pytest.approx(expected)


def test_innovation_bad_choices():
    with pytest.raises(ValueError, match="未知的战略区"):
        innovation_and_assistance.area_share("xyz", "rd")
    with pytest.raises(ValueError, match="未知的指标"):
        innovation_and_assistance.area_share("jjj", "xyz")


def test_concentration_is_gini_of_shares():
    rd = _indicator_by_code("rd_intramural_exp", 2023)
    assert innovation_and_assistance.concentration("rd")[2023] == pytest.approx(measures.gini((rd / rd.sum()).to_numpy()))
    g = innovation_and_assistance.concentration("gdp")
    p = data.panel("current", years=[2012])
    assert g[2012] == pytest.approx(measures.gini(p["gdp"].to_numpy()))


def test_rd_intensity_pairs_vintages():
    assert innovation_and_assistance.rd_vintage(2012) == "yearbook"
    assert innovation_and_assistance.rd_vintage(2021) == "first_release"
    with pytest.raises(ValueError, match="配对"):
        innovation_and_assistance.rd_vintage(2020)
    s = innovation_and_assistance.rd_intensity(2012)
    p = data.panel("yearbook", years=[2012]).set_index("code")
    rd = _indicator_by_code("rd_intramural_exp", 2012) / 1e4
    members = data.scheme("jjj")[data.scheme("jjj") == "jjj"].index
    assert s["jjj"] == pytest.approx(rd[members].sum() / p.loc[members, "gdp"].sum())
    assert s["all31"] == pytest.approx(rd.sum() / p["gdp"].sum())


def test_plan_window_change():
    ch = innovation_and_assistance.plan_window_change("jjj", "rd")
    s = innovation_and_assistance.area_share("jjj", "rd")
    assert ch["before"] == pytest.approx((s[2015] - s[2010]) / 5)
    assert ch["after"] == pytest.approx((s[2023] - s[2015]) / 8)


def test_pairings_and_status():
    pa = innovation_and_assistance.pairings()
    assert len(pa) == len(data.paired_assistance())
    assert pa["helper_code"].notna().all() and pa["receiver_code"].notna().all()
    unconfirmed = data.paired_assistance()["source"].str.contains("[UNCONFIRMED", regex=False)
    assert (pa["status"] == "未经核实").sum() == unconfirmed.sum()


def test_list_changes():
    ch = innovation_and_assistance.list_changes()
    assert ("福建", "宁夏") in ch["kept"]
    assert not set(ch["added"]) & set(ch["kept"])
    with pytest.raises(ValueError):
        innovation_and_assistance.list_changes("不存在的方案")


def test_pair_ratio_matches_panel():
    r = innovation_and_assistance.pair_ratio("福建", "宁夏", "current")
    p = data.panel("current", years=[2020]).set_index("code")
    assert r[2020] == pytest.approx(p.loc["35", "gdp_pc"] / p.loc["64", "gdp_pc"])
    with pytest.raises(ValueError, match="未知的省份"):
        innovation_and_assistance.pair_ratio("福建", "火星")
    with pytest.raises(ValueError, match="同一个省份"):
        innovation_and_assistance.pair_ratio("福建", "福建")


def test_pair_summary():
    ps = innovation_and_assistance.pair_summary()
    assert len(ps) == (data.paired_assistance()["scheme"] == "东西部协作(2021—)").sum()
    assert ps.loc["广东—贵州", 2024] == pytest.approx(innovation_and_assistance.pair_ratio("广东", "贵州")[2024])
    assert not math.isnan(ps.loc["北京—内蒙古", 2012])
