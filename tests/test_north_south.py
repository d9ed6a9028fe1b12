"""第四部分“南北差距”一章（book/part4/north_south.md，quyu/parts/part4/north_south.py）。

- 划分表的完整性：每种划分 31 省各一次，主方案北方 15 省；
- 数值与独立计算比较：份额、人均比用 numpy 从面板直接算；人口加权的泰尔 T 用公式逐项算；
  不加权的泰尔 T 及其分解与 PySAL ``inequality.theil.TheilD`` 比较；
- 不变式：两侧份额相加为 1，各种分解的各部分相加等于总差距；
- 议题 25 给出的参考数字（现行版本，新时代起点年与最新年）；
- 组件：默认视图、所有组合只有已声明的缺口出错、ipywidget 回调重新计算。
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from inequality.theil import TheilD

from quyu import data, fmt
from quyu.parts.part4 import north_south as ns

ERA = data.stage_start("new_era")
LAST = data.latest_year("current")


# ---------------------------------------------------------------- 划分表

def test_every_split_has_31_provinces_each_once():
    t = data.north_south_table()
    codes = set(data.provinces()["code"])
    for split, part in t.groupby("split"):
        assert len(part) == 31, split
        assert part["code"].is_unique, split
        assert set(part["code"]) == codes, split
        assert set(part["side"]) == {"north", "south"}, split
        assert set(part["source_id"]) <= set(data.sources()["source_id"]), split


def test_main_split_is_the_15_province_north():
    north = set(ns.side_members(ns.MAIN_SPLIT, "north"))
    assert north == {"北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "山东", "河南",
                     "陕西", "甘肃", "青海", "宁夏", "新疆"}
    assert len(ns.side_members(ns.MAIN_SPLIT, "south")) == 16


def test_alternative_split_differs_only_in_xizang():
    splits = list(data.north_south_splits()["split"])
    assert splits[0] == ns.MAIN_SPLIT and len(splits) >= 2
    assert ns.differing(splits[0], splits[1]) == ["西藏"]


def test_unknown_split_is_a_chinese_error():
    with pytest.raises(ValueError, match="南北划分"):
        data.north_south("no_such_split")


# ---------------------------------------------------------------- 独立计算

def _year(vintage, year, split=ns.MAIN_SPLIT):
    p = data.panel(vintage)
    b = p[p["year"] == year].copy()
    b["side"] = b["code"].map(data.north_south(split))
    return b


def _theil_t(y, w):
    s = w * y / np.sum(w * y)
    p = w / np.sum(w)
    return float(np.sum(s * np.log(s / p)))


@pytest.mark.parametrize("vintage", ns.SERIES_VINTAGES)
def test_shares_and_ratios_match_direct_computation(vintage):
    s = ns.series(vintage)
    for year in (int(s.index[0]), int(s.index[-1])):
        b = _year(vintage, year)
        n, so = b[b["side"] == "north"], b[b["side"] == "south"]
        share = n["gdp"].sum() / b["gdp"].sum()
        ratio = (so["gdp"].sum() / so["pop_mean"].sum()) / (n["gdp"].sum() / n["pop_mean"].sum())
        unw = so["gdp_pc"].mean() / n["gdp_pc"].mean()
        assert s.loc[year, "gdp_share_north"] == pytest.approx(share, rel=1e-12)
        assert s.loc[year, "ratio_weighted"] == pytest.approx(ratio, rel=1e-12)
        assert s.loc[year, "ratio_unweighted"] == pytest.approx(unw, rel=1e-12)
        south_share = so["gdp"].sum() / b["gdp"].sum()
        assert share + south_share == pytest.approx(1.0)
        assert 0 < s.loc[year, "pop_share_north"] < 1


@pytest.mark.parametrize("year", [ERA, LAST])
def test_weighted_theil_decomposition_by_formula(year):
    s = ns.series("current")
    b = _year("current", year)
    y, w = b["gdp_pc"].to_numpy(), b["pop_mean"].to_numpy()
    total = _theil_t(y, w)
    assert s.loc[year, "theil"] == pytest.approx(total, rel=1e-10)
    # 组间：把每组内的人均值都换成组平均后的泰尔指数
    for col, groups in (("between_ns", b["side"]), ("between4", b["region4"])):
        gm = b.assign(g=groups).groupby("g").apply(lambda d: d["gdp"].sum() * 1e4 / d["pop_mean"].sum(),
                                                    include_groups=False)
        between = _theil_t(groups.map(gm).to_numpy(), w)
        assert s.loc[year, col] == pytest.approx(between, rel=1e-8)
    # 三种分解各自相加等于总差距；交叉分解的中间一层非负
    assert s.loc[year, "between_ns"] + s.loc[year, "within_ns"] == pytest.approx(total, rel=1e-10)
    assert s.loc[year, "between4"] + s.loc[year, "within4"] == pytest.approx(total, rel=1e-10)
    assert (s.loc[year, "between_ns"] + s.loc[year, "between_r4_in_ns"] + s.loc[year, "within_cells"]
            == pytest.approx(total, rel=1e-10))
    assert s.loc[year, "between_r4_in_ns"] >= 0


@pytest.mark.parametrize("year", [ERA, LAST])
def test_unweighted_theil_matches_pysal(year):
    s = ns.series("current")
    b = _year("current", year)
    y = b["gdp_pc"].to_numpy()
    codes = (b["side"] == "north").astype(int).to_numpy()
    d = TheilD(y, codes)
    assert s.loc[year, "theil_unweighted"] == pytest.approx(float(np.asarray(d.T).ravel()[0]), rel=1e-10)
    assert s.loc[year, "between_ns_unweighted"] == pytest.approx(float(np.asarray(d.bg).ravel()[0]), rel=1e-10)
    assert s.loc[year, "within_ns_unweighted"] == pytest.approx(float(np.asarray(d.wg).ravel()[0]), rel=1e-10)


def test_issue_reference_figures_on_current_vintage():
    """议题 25 给出的现行版本参考数字（北方 GDP 份额约 39%→35%，人均比约 1.11→1.24，四大区域内部 0.0291→0.0359）。"""
    s = ns.series("current")
    assert round(s.loc[ERA, "gdp_share_north"], 2) == 0.39
    assert round(s.loc[LAST, "gdp_share_north"], 2) == 0.35
    assert round(s.loc[ERA, "ratio_weighted"], 2) == 1.11
    assert round(s.loc[LAST, "ratio_weighted"], 2) == 1.24
    assert round(s.loc[ERA, "within4"], 4) == 0.0291
    assert round(s.loc[LAST, "within4"], 4) == 0.0359


def test_vintages_are_not_spliced():
    """每个版本只用自己的来源；汇编口径的年份不超出它自己的范围。"""
    for v in ns.SERIES_VINTAGES:
        s = ns.series(v)
        assert set(s.index) <= set(data.vintage_info(v)["years"])
    assert ns.series("compendium").index.max() <= data.vintage_info("compendium")["years"][-1]


def test_excluding_northeast_removes_three_provinces():
    ne = ns.northeast_codes()
    assert [data.provinces().set_index("code").loc[c, "name_zh_short"] for c in ne] == ["辽宁", "吉林", "黑龙江"]
    b = _year("current", LAST)
    b = b[~b["code"].isin(ne)]
    n, so = b[b["side"] == "north"], b[b["side"] == "south"]
    ratio = (so["gdp"].sum() / so["pop_mean"].sum()) / (n["gdp"].sum() / n["pop_mean"].sum())
    assert ns.series("current", exclude=ne).loc[LAST, "ratio_weighted"] == pytest.approx(ratio, rel=1e-12)


# ---------------------------------------------------------------- 推断

def test_trend_matches_statsmodels_ols_point_estimate():
    s = ns.series("current").loc[ERA:, "ratio_weighted"]
    t = ns.trend(s)
    slope = np.polyfit(np.asarray(s.index, float), np.log(s.to_numpy()), 1)[0]
    assert t["slope"] == pytest.approx(slope, rel=1e-8)
    assert t["lo"] < t["slope"] < t["hi"]
    sentence = ns.trend_sentence(t, "南北人均比")
    assert ("扩大" in sentence) == (t["lo"] > 0)


def test_trend_verdict_follows_the_interval():
    flat = pd.Series([1.0, 1.01, 0.99, 1.0, 1.01, 0.99, 1.0], index=range(2000, 2007))
    assert ns.trend(flat)["verdict"] == "unclear"
    up = pd.Series(np.exp(0.02 * np.arange(8)), index=range(2000, 2008))
    assert ns.trend(up)["verdict"] == "up"


def test_permutation_difference_is_mean_difference():
    r = ns.population_growth()
    g, side = r["by_province"], data.north_south(ns.MAIN_SPLIT)
    diff = g[side[g.index] == "south"].mean() - g[side[g.index] == "north"].mean()
    assert r["diff"] == pytest.approx(diff)
    assert 0 < r["p"] <= 1 and r["n_north"] + r["n_south"] == 31
    assert ("不显著" in ns.diff_sentence(r, "x")) == (r["p"] >= ns.ALPHA)


# ---------------------------------------------------------------- 组件

@pytest.fixture(scope="module")
def explorer():
    return ns.explorer_widget()


def test_explorer_default_view(explorer):
    views = explorer.views()
    assert [v["type"] for v in views] == ["stats", "chart"]
    s = ns.series("current")
    assert dict(views[0]["items"])[f"北方 GDP 份额（{LAST} 年）"] == fmt.pct(s.loc[LAST, "gdp_share_north"], 1)


def test_explorer_only_declared_gaps(explorer):
    assert explorer.undeclared_errors() == {}
    views = explorer.views(measure="share", weighted=False)
    assert [v["type"] for v in views] == ["message"] and "没有“不加权”" in views[0]["text"]


def test_explorer_theil_view_matches_series(explorer):
    views = explorer.views(measure="theil", vintage="census2018")
    s = ns.series("census2018")
    y1 = int(s.index[-1])
    assert dict(views[0]["items"])[f"四大区域内部（{y1} 年）"] == fmt.num(s.loc[y1, "within4"], 4)


def test_explorer_ipywidget_callback_recomputes(explorer):
    box = explorer.ipywidget()
    box.inputs["measure"].value = "ratio"
    html = box.output.value
    assert "南 ÷ 北" in html
    box.inputs["weighted"].value = False
    assert "没有“不加权”" not in box.output.value
    box.inputs["measure"].value = "share"
    assert "没有“不加权”" in box.output.value
