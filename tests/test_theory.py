"""第一、二部分理论章：用本书数据的计算与两个组件（相异指数、峰值本身的测试在 tests/measures/）。

数值对照独立的计算（逐项手算、另一种等价公式），不与代码自身比较；年份从 data/vintages.csv 推出。
"""
from __future__ import annotations

import numpy as np
import pytest

from quyu import analysis, data, widgets
from quyu.parts import part1_theory as t1
from quyu.parts import part2_theory as t2
from quyu.parts._common import SERIES_VINTAGES, VINTAGE_ZH


# ---------------------------------------------------------------- 第一部分：威廉姆森

def test_williamson_table_matches_direct_argmax():
    table = t1.williamson_table()
    assert len(table) == len(t1.WILLIAMSON_MEASURES)
    for k, (m, w, _) in enumerate(t1.WILLIAMSON_MEASURES):
        for v in SERIES_VINTAGES:
            s = analysis.disparity(v, m, w)["value"]
            col = [c for c in table.columns if c.startswith(VINTAGE_ZH[v] + "（")][0]
            assert table.loc[k, col].startswith(str(int(s.idxmax())))


def test_williamson_yearbook_has_interior_peak():
    """年鉴口径覆盖峰值两侧：每种度量的最大值都不在端点。"""
    for m, w, _ in t1.WILLIAMSON_MEASURES:
        pk = t1.peak_row("yearbook", m, w)
        years = data.vintage_info("yearbook")["years"]
        assert pk.interior and min(years) < pk.year < max(years)


def test_williamson_widget_all_options_and_messages():
    w = t1.williamson_widget()
    for combo in [("cv", True, "compendium", 0), ("gini", False, "current", 1993), ("theil_t", True, "yearbook", 0)]:
        views = w.computed(**dict(zip(["measure", "weighted", "vintage", "start"], combo)))
        assert views[0]["type"] == "stats" and views[1]["type"] == "chart"
        shown = dict(views[0]["items"])
        s = analysis.disparity(combo[2], combo[0], combo[1])["value"]
        s = s.loc[max(int(s.index.min()), combo[3] or 0):]
        assert shown["最大值年份"] == str(int(s.idxmax()))
        assert combo[2] not in str(views)  # 读者看不到数据版本的代码名
    size = len(widgets.json.dumps(w.payload(), ensure_ascii=False).encode())
    assert size < 300_000


def test_growth_on_level_matches_numpy():
    years = data.vintage_info("current")["years"]
    a, b = min(years), max(years)
    r = t1.growth_on_level("current", a, b)
    p = analysis.panel("current").pivot(index="code", columns="year", values="gdp_pc")
    x, g = np.log(p[a]), np.log(p[b] / p[a]) / (b - a)
    assert r["r"] == pytest.approx(np.corrcoef(x, g)[0, 1])
    assert r["slope"] == pytest.approx(np.polyfit(x, g, 1)[0])


def test_province_share_sums_to_one():
    total = sum(t1.province_share(c, "yearbook")["share"] for c in data.provinces()["code"])
    assert np.allclose(total.dropna(), 1.0)


# ---------------------------------------------------------------- 第二部分：人是否追随产出

@pytest.mark.parametrize("vintage", SERIES_VINTAGES)
def test_shares_and_dissimilarity(vintage):
    s = t2.shares(vintage)
    by_year = s.groupby("year")[["gdp_share", "pop_share"]].sum()
    assert np.allclose(by_year, 1.0)
    D = t2.dissimilarity_series(vintage)
    y = int(D.index.max())
    b = s[s["year"] == y]
    assert D[y] == pytest.approx(0.5 * (b["gdp_share"] - b["pop_share"]).abs().sum())
    # 份额之比就是相对人均 GDP（同一版本的人均值除以 ΣGDP/Σ人口）
    p = analysis.panel(vintage)
    p = p[p["year"] == y].set_index("code")
    rel = p["gdp_pc"] / (p["gdp"].sum() * 1e4 / p[analysis.WEIGHT_COLUMN].sum())
    assert np.allclose(b.set_index("code")["ratio"].reindex(rel.index), rel)


def test_follow_test_rejects_missing_year():
    with pytest.raises(ValueError, match="没有 1990 年"):
        t2.follow_test("current", 1990, 2010)


def test_cluster_table_against_scheme_members():
    years = data.vintage_info("current")["years"]
    y = max(years)
    ct = t2.cluster_table("current", [y])
    s = t2.shares("current")
    members = data.scheme("yrd")
    codes = members[members == "yrd"].index
    expected = s[(s["year"] == y) & s["code"].isin(codes)]["gdp_share"].sum()
    assert ct[ct["scheme"] == "yrd"]["gdp_share"].iloc[0] == pytest.approx(expected)


def test_city_dissimilarity_finer_units_are_less_coincident():
    cd = t2.city_dissimilarity_2010()
    assert cd["n_cities"] > cd["n_provinces"] > 1
    assert cd["D_city"] >= cd["D_province"]  # 合并单元不会增大 D（三角不等式）


def test_follow_widget_readout_and_year_message():
    w = t2.follow_widget(vintage="current", code="44")
    last = max(data.vintage_info("current")["years"])
    views = w.views(year=last)
    assert views[0]["type"] == "stats"
    s = t2.shares("current")
    gd = s[(s["code"] == "44") & (s["year"] == last)]["gdp_share"].iloc[0]
    assert f"{gd * 100:.2f}" in str(views[0]["items"])
    first_comp = min(data.vintage_info("compendium")["years"])
    msg = w.views(year=first_comp)[0]
    assert msg["type"] == "message" and "不在当前数据的年份范围内" in msg["text"]
    size = len(widgets.json.dumps(w.payload(), ensure_ascii=False).encode())
    assert size < 300_000
