"""第一部分理论章（quyu.parts.part1.theory）：峰值的度量与威廉姆森倒 U 的组件。

数值对照独立的计算（逐项手算、另一种等价公式），不与代码自身比较；年份从 data/vintages.csv 推出。
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from quyu import analysis, data, measures, widgets
from quyu.parts.part1 import theory


# ---------------------------------------------------------------- 峰值


# ---------------------------------------------------------------- 第一部分：威廉姆森

def test_williamson_table_matches_direct_argmax():
    table = theory.williamson_table()
    assert len(table) == len(theory.WILLIAMSON_MEASURES)
    for k, (m, w, _) in enumerate(theory.WILLIAMSON_MEASURES):
        for v in theory.SERIES_VINTAGES:
            s = analysis.disparity(v, m, w)["value"]
            col = [c for c in table.columns if c.startswith(theory.VINTAGE_ZH[v] + "（")][0]
            assert table.loc[k, col].startswith(str(int(s.idxmax())))


def test_williamson_yearbook_has_interior_peak():
    """年鉴口径覆盖峰值两侧：每种度量的最大值都不在端点。"""
    for m, w, _ in theory.WILLIAMSON_MEASURES:
        pk = theory.peak_row("yearbook", m, w)
        years = data.vintage_info("yearbook")["years"]
        assert pk.interior and min(years) < pk.year < max(years)


def test_williamson_widget_all_options_and_messages():
    w = theory.williamson_widget()
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
    r = theory.growth_on_level("current", a, b)
    p = analysis.panel("current").pivot(index="code", columns="year", values="gdp_pc")
    x, g = np.log(p[a]), np.log(p[b] / p[a]) / (b - a)
    assert r["r"] == pytest.approx(np.corrcoef(x, g)[0, 1])
    assert r["slope"] == pytest.approx(np.polyfit(x, g, 1)[0])


def test_province_share_sums_to_one():
    total = sum(theory.province_share(c, "yearbook")["share"] for c in data.provinces()["code"])
    assert np.allclose(total.dropna(), 1.0)


def test_disparity_without_nothing_is_the_full_series():
    from quyu import analysis
    full = analysis.disparity("compendium", "cv", True)["value"]
    same = theory.disparity_without((), "compendium", "cv", True)
    pd.testing.assert_series_equal(same, full, check_names=False)


def test_williamson_without_municipalities_drops_them():
    res = theory.williamson_without()
    assert res["codes"] == theory.INDUSTRIAL_MUNICIPALITIES
    assert res["n_first"] + res["n_interior"] <= len(theory.WILLIAMSON_MEASURES)
    # 1978 年这三个直辖市的人均值远高于平均，去掉它们，加权变异系数应当明显变小
    from quyu import analysis
    full = analysis.disparity("compendium", "cv", True)["value"]
    assert res["wcv"].loc[1978] < full.loc[1978]


# ---------------------------------------------------------------- 点—轴系统与胡焕庸线

def _members(scheme: str, group: str) -> set:
    rs = data.scheme(scheme)
    return set(rs[rs == group].index)


@pytest.mark.parametrize("vintage", ["compendium", "current"])
def test_axis_shares_match_direct_sums(vintage):
    """份额与直接从区域方案表取成员、逐年求和的结果一致（另一条计算路径），并集不重复计算沪苏浙。"""
    coast, yreb = _members("region3_1986", "east"), _members("yreb", "yreb")
    assert len(coast | yreb) == len(coast) + len(yreb) - len(coast & yreb)
    p = analysis.panel(vintage)
    df = theory.axis_shares(vintage)
    for year in (int(df["year"].min()), int(df["year"].max())):
        py = p[p["year"] == year].set_index("code")
        for g, members in (("coast", coast), ("yreb", yreb), ("yreb_inland", yreb - coast), ("t", coast | yreb)):
            row = df[(df["group"] == g) & (df["year"] == year)].iloc[0]
            assert row["n"] == len(members)
            assert row["gdp_share"] == pytest.approx(py.loc[sorted(members), "gdp"].sum() / py["gdp"].sum(), rel=1e-12)
            assert row["pop_share"] == pytest.approx(py.loc[sorted(members), "pop"].sum() / py["pop"].sum(), rel=1e-12)
    # 不变量：并集 = 沿海 + 长江经济带 − 重叠部分；内陆部分 = 长江经济带 − 重叠部分
    w = df.pivot(index="year", columns="group", values="gdp_share")
    overlap = w["coast"] + w["yreb"] - w["t"]
    assert (overlap > 0).all()
    assert np.allclose(w["yreb"] - w["yreb_inland"], overlap)


def test_axis_shares_one_vintage_and_no_partial_totals():
    """每个版本只用自己的年份；比重都在 (0, 1) 之内。"""
    for v in ("compendium", "current"):
        df = theory.axis_shares(v)
        years = set(data.vintage_info(v)["years"])
        assert set(df["year"]) <= years
        assert df[["gdp_share", "pop_share"]].gt(0).all().all() and df[["gdp_share", "pop_share"]].lt(1).all().all()


def test_direction_zh():
    assert theory.direction_zh(0.50, 0.52) == "上升"
    assert theory.direction_zh(0.52, 0.50) == "下降"
    assert theory.direction_zh(0.500, 0.503) == "基本持平"


def test_hu_line_published_figures():
    """胡焕庸线两侧的数字照文献：1935 年为东南 36% 面积、96% 人口；同一年份同一指标两侧相加为 100%。"""
    hu = data.hu_line()
    for (year, measure), d in hu.groupby(["data_year", "measure"]):
        assert set(d["side"]) == {"southeast", "northwest"}
        assert d["value"].sum() == pytest.approx(100)
    se = hu[(hu["side"] == "southeast")].set_index(["data_year", "measure"])["value"]
    assert se[(1933, "population_share")] == 96 and se[(1933, "area_share")] == 36
    assert se[(2020, "population_share")] == 93.5
    # 1935 年原文未见：这几行只能标为未核实
    assert (hu.loc[hu["data_year"] == 1933, "verification"] == "secondary_copy").all()
    sources = set(data.sources()["source_id"])
    assert set(hu["source_id"]) <= sources
