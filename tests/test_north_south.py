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

def test_trend_uses_the_book_convention():
    """趋势用 quyu.measures.trend（小样本修正的 HAC、t 区间）作用于对数值；点估计与 polyfit 相同。"""
    from quyu import measures
    s = ns.series("current").loc[ERA:, "ratio_weighted"]
    t = ns.trend(s)
    slope = np.polyfit(np.asarray(s.index, float), np.log(s.to_numpy()), 1)[0]
    assert t["slope"] == pytest.approx(slope, rel=1e-8)
    ref = measures.trend(np.log(s))
    assert (t["lo"], t["hi"]) == pytest.approx((ref.ci_low, ref.ci_high))
    assert t["verdict"] == {1: "up", -1: "down", 0: "unclear"}[ref.direction]
    assert t["lo"] < t["slope"] < t["hi"]


def test_trend_reference_interval_2012_2024():
    """议题给出的参考区间：2012—2024 年约 [+0.37%, +1.46%]（最新年份不是 2024 时跳过）。"""
    if ERA != 2012 or LAST != 2024:
        pytest.skip("reference years changed")
    t = ns.trend(ns.series("current").loc[ERA:LAST, "ratio_weighted"])
    assert round(t["lo"] * 100, 2) == 0.37 and round(t["hi"] * 100, 2) == 1.46


def test_trend_verdict_follows_the_interval():
    flat = pd.Series([1.0, 1.01, 0.99, 1.0, 1.01, 0.99, 1.0], index=range(2000, 2007))
    assert ns.trend(flat)["verdict"] == "unclear"
    up = pd.Series(np.exp(0.02 * np.arange(8)), index=range(2000, 2008))
    assert ns.trend(up)["verdict"] == "up"


@pytest.mark.parametrize("start,step,reading,word", [
    (1.1, 0.02, "widening", "扩大"),      # 南方领先，比值上升：差距扩大
    (0.7, 0.02, "narrowing", "缩小"),     # 北方领先，比值上升：差距缩小（南方追赶）
    (1.3, -0.02, "narrowing", "缩小"),    # 南方领先，比值下降：差距缩小
    (0.95, 0.02, "crossed", "易位"),      # 跨过 1
])
def test_gap_reading_depends_on_side_of_one(start, step, reading, word):
    v = pd.Series(start * np.exp(step * np.arange(8)), index=range(2000, 2008))
    t = ns.trend(v)
    assert ns.gap_reading(t) == reading
    sentence = ns.trend_sentence(t, "比值")
    assert word in sentence and ("上升" in sentence) == (step > 0)


def test_compendium_ratio_rises_but_crosses_one():
    """汇编口径上比值上升，但中间年份跨过 1：组件不能说“差距扩大”。"""
    v = ns.series("compendium")["ratio_weighted"]
    t = ns.trend(v)
    sentence = ns.trend_sentence(t, "南北人均比")
    assert "扩大" not in sentence.replace("不能笼统地说差距扩大或缩小", "")
    assert v.min() < 1 < v.max() and ns.gap_reading(t) == "crossed"
    assert "1" in ns.crossing_phrase(v)


def test_after_peak_on_current_ratio():
    s = ns.series("current")
    a = ns.after_peak(s["ratio_weighted"], ERA)
    assert a["year"] == int(s.loc[ERA:, "ratio_weighted"].idxmax())
    assert a["change"] == pytest.approx(s.loc[LAST, "ratio_weighted"] - a["value"])
    phrase = ns.after_peak_phrase(a, "比值", 3)
    if a["at_end"]:
        assert "仍是" in phrase
    elif a["post"] is not None and a["post"]["verdict"] == "unclear":
        assert "既不能说继续扩大" in phrase


def test_ns_within_region4_part_is_nonnegative_and_inside_within4():
    s = ns.series("current")
    for y in (ERA, LAST):
        part = s.loc[y, "between_ns_in_r4"]
        assert 0 <= part <= s.loc[y, "within4"]
        assert part == pytest.approx(s.loc[y, "between_cells"] - s.loc[y, "between4"])
    if ERA == 2012 and LAST == 2024:   # 审读给出的参考数字
        assert round(s.loc[ERA, "between_ns_in_r4"], 4) == 0.0051
        assert round(s.loc[LAST, "between_ns_in_r4"], 4) == 0.0070


def test_north_share_drop_adds_up():
    t = ns.north_share_drop("current", ns.MAIN_SPLIT, ERA, LAST)
    s = ns.series("current")
    assert t["change"].sum() == pytest.approx(s.loc[LAST, "gdp_share_north"] - s.loc[ERA, "gdp_share_north"])
    phrase = ns.north_drop_phrase(t)
    assert ("降幅最大" in phrase) == (t["change"].idxmin() == "northeast")


def test_northeast_phrase_is_not_causal():
    r = ns.northeast_check()
    phrase = ns.northeast_phrase(r)
    assert "归" not in phrase and "去掉东北后" in phrase
    assert r["share_ne"] == pytest.approx(1 - r["d_excl"] / r["d_full"])


def test_permutation_difference_is_mean_difference():
    r = ns.population_growth()
    g, side = r["by_province"], data.north_south(ns.MAIN_SPLIT)
    diff = g[side[g.index] == "south"].mean() - g[side[g.index] == "north"].mean()
    assert r["diff"] == pytest.approx(diff)
    assert 0 < r["p"] <= 1 and r["n_north"] + r["n_south"] == 31
    assert ("都不显著" in ns.diff_sentence(r, "x")) == (r["verdict"] == "not")


def test_diff_sentence_reports_disagreement():
    base = {"diff": 0.01, "ci_lo": -0.001, "ci_hi": 0.02, "p": 0.03}
    r = {**base, "perm_significant": True, "welch_significant": False, "verdict": "mixed", "significant": False}
    sentence = ns.diff_sentence(r, "x")
    assert "不一致" in sentence and "显著。" not in sentence
    both = {**base, "ci_lo": 0.001, "perm_significant": True, "welch_significant": True, "verdict": "significant"}
    assert "两种检验都在 5% 水平上显著" in ns.diff_sentence(both, "x")


def test_permutation_and_welch_verdicts_are_recorded():
    for r in (ns.population_growth(), ns.income_check(), ns.gdp_growth_check(), ns.consumption_check(),
              ns.fiscal_check()):
        assert r["welch_significant"] == (r["ci_lo"] > 0 or r["ci_hi"] < 0)
        assert r["perm_significant"] == (r["p"] < ns.ALPHA)
        assert r["significant"] == (r["perm_significant"] and r["welch_significant"])


# ---------------------------------------------------------------- 消费与财政

def test_consumption_ratio_by_direct_computation():
    con = data.people("consumption_pc_all", data.series_source("consumption"))
    assert con["source_id"].nunique() == 1
    r = ns.consumption_check()
    side = data.north_south(ns.MAIN_SPLIT)
    w = con.pivot(index="code", columns="year", values="value")
    for y, key in ((r["start"], "ratio0"), (r["end"], "ratio1")):
        ratio = w.loc[side[side == "south"].index, y].mean() / w.loc[side[side == "north"].index, y].mean()
        assert r[key] == pytest.approx(ratio)
    g = (w[r["end"]] / w[r["start"]]) ** (1 / (r["end"] - r["start"])) - 1
    assert r["diff"] == pytest.approx(g[side[g.index] == "south"].mean() - g[side[g.index] == "north"].mean())
    assert r["n_north"] + r["n_south"] == 31


def test_fiscal_self_sufficiency_by_direct_computation():
    rev = data.people("fiscal_revenue_local", data.series_source("fiscal_revenue"))
    exp = data.people("fiscal_expenditure_local", data.series_source("fiscal_expenditure_nbs"))
    f = ns.fiscal_check()
    side = data.north_south(ns.MAIN_SPLIT)
    for y, k in ((f["start"], "0"), (f["end"], "1")):
        for s in ("north", "south"):
            codes = set(side[side == s].index)
            rr = rev[(rev["year"] == y) & rev["code"].isin(codes)]["value"].sum()
            ee = exp[(exp["year"] == y) & exp["code"].isin(codes)]["value"].sum()
            assert f[f"{s}{k}"] == pytest.approx(rr / ee)
            assert 0 < f[f"{s}{k}"] < 1
    sentence = ns.diff_sentence(f, "自给率", per_year=False)
    assert "平均每年" not in sentence
    assert ns.fiscal_reading(f)


def test_consumption_reading_needs_both_tests():
    g = {"verdict": "significant", "diff": 0.01}
    assert ns.same_direction({"verdict": "not", "diff": 0.01}, g) == "unclear"
    assert ns.same_direction({"verdict": "significant", "diff": 0.02}, g) == "same"
    assert ns.same_direction({"verdict": "significant", "diff": -0.02}, g) == "opposite"
    assert "同向" in ns.drivers_summary(g, {"消费": {"verdict": "significant", "diff": 0.02}})


def test_industry_phrases_follow_the_data():
    a, b = ns.industry_phrases(False)
    assert "没有" in a and "不能" in b
    a, b = ns.industry_phrases(True)
    assert "没有" not in a and "不能" not in b


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


def test_explorer_ratio_view_on_compendium_does_not_say_widening(explorer):
    views = explorer.views(measure="ratio", vintage="compendium")
    msg = [v for v in views if v["type"] == "message"][0]["text"]
    assert "显著地扩大" not in msg and "上升" in msg


def test_explorer_ipywidget_callback_recomputes(explorer):
    box = explorer.ipywidget()
    box.inputs["measure"].value = "ratio"
    html = box.output.value
    assert "南 ÷ 北" in html
    box.inputs["weighted"].value = False
    assert "没有“不加权”" not in box.output.value
    box.inputs["measure"].value = "share"
    assert "没有“不加权”" in box.output.value
