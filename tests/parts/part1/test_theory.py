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


@pytest.mark.parametrize("vintage", ["compendium", "current"])
def test_axis_summary_above_pop_per_group(vintage):
    """每一组单独判断 GDP 比重是否高于人口比重：与逐年比较的结果一致（首次高于、此后一直高于的年份）。"""
    df = theory.axis_shares(vintage)
    summary = theory.axis_summary(vintage)
    for g, _ in theory.AXIS_GROUPS:
        d = df[df["group"] == g].sort_values("year")
        above = [int(y) for y, a, b in zip(d["year"], d["gdp_share"], d["pop_share"]) if a > b]
        x = summary[g]
        assert x["gdp_above_pop_every_year"] == (len(above) == len(d))
        assert x["first_above"] == (above[0] if above else None)
        years = [int(y) for y in d["year"]]
        if x["above_from"] is not None:
            assert all(y in above for y in years if y >= x["above_from"])
            assert x["above_from"] == years[0] or (x["above_from"] - 1) not in above
        else:
            assert years[-1] not in above


def test_yreb_gdp_share_below_pop_share_until_it_crosses():
    """长江经济带（省级近似）的 GDP 比重在汇编口径中没有一年高于人口比重，在现行数据中要到首年之后才超过：
    “T”字型合计高于人口比重，不等于每条轴线都高于。"""
    c, n = theory.axis_summary("compendium"), theory.axis_summary("current")
    assert c["coast"]["gdp_above_pop_every_year"] and n["coast"]["gdp_above_pop_every_year"]
    assert c["t"]["gdp_above_pop_every_year"] and n["t"]["gdp_above_pop_every_year"]
    assert c["yreb"]["first_above"] is None and c["yreb"]["ratio_max"] < 1
    assert n["yreb"]["first"] < n["yreb"]["first_above"] == n["yreb"]["above_from"]
    text = theory.above_pop_zh(n["yreb"])
    assert text.startswith(f"直到 {n['yreb']['first_above']} 年才超过人口比重")
    assert theory.axis_prediction_zh([c, n]).startswith("分开看，只有沿海一轴")


def test_above_pop_and_prediction_wording():
    base = {"gdp_above_pop_every_year": False, "first_above": None, "above_from": None}
    assert theory.above_pop_zh({**base, "gdp_above_pop_every_year": True, "first_above": 2000,
                                "above_from": 2000}) == "每一年都高于人口比重"
    assert theory.above_pop_zh(base) == "没有一年高于人口比重"
    assert theory.above_pop_zh({**base, "first_above": 2010, "above_from": 2010}).startswith("直到 2010 年才超过")
    assert theory.above_pop_zh({**base, "first_above": 2001, "above_from": 2010}).startswith("只在部分年份")
    yes, no = {"gdp_above_pop_every_year": True}, {"gdp_above_pop_every_year": False}
    assert theory.axis_prediction_zh([{"coast": yes, "yreb": yes, "t": yes}]).startswith("两条轴线分开看也都")
    assert theory.axis_prediction_zh([{"coast": yes, "yreb": no, "t": yes}]).startswith("分开看，只有沿海一轴")
    assert theory.axis_prediction_zh([{"coast": no, "yreb": no, "t": no}]).startswith("分开看，两条轴线都没有")


def test_change_and_margin_wording():
    assert theory.change_zh(0.50, 0.52, "50%", "52%") == "从 50% 上升到 52%"
    assert theory.change_zh(0.52, 0.50, "52%", "50%") == "从 52% 下降到 50%"
    assert theory.change_zh(0.500, 0.503, "50.0%", "50.3%").startswith("基本持平（")
    assert theory.margin_zh(1.07, "1.07").startswith("但高出不多")
    assert theory.margin_zh(theory.SMALL_MARGIN + 0.1, "x").startswith("而且高出较多")


def test_near_peak_years_keeps_ties_only():
    s = pd.Series([0.60, 0.6148, 0.6129, 0.615276, 0.615320, 0.6113], index=range(2001, 2007))
    assert theory._near_peak_years(s) == [2004, 2005]
    assert theory._near_peak_years(pd.Series([0.1, 0.3, 0.2], index=[1, 2, 3])) == [2]
    # 汇编口径中沿海地带的最高点：列出的每一年与最大值的差都小于容差，且包含最大值所在年份
    x = theory.axis_summary("compendium")["coast"]
    share = theory.axis_shares("compendium").query("group == 'coast'").set_index("year")["gdp_share"]
    assert x["gdp_peak"].year in x["gdp_near_peak_years"]
    assert all(share.max() - share[y] < theory.NEAR_PEAK_TOL for y in x["gdp_near_peak_years"])


def test_hu_line_spreadsheet_shows_verification_in_words():
    """习题让读者在电子表格中找“只见于二手资料”的行：读者版的核对状态一列写的是中文，而不是代码。"""
    from quyu import datafiles
    text = datafiles.reader_table("hu_line.csv", data.data_dir()).decode("utf-8-sig")
    hu = data.hu_line()
    assert text.count("只见于二手资料") == int((hu["verification"] == "secondary_copy").sum())
    assert ",核对状态," in text.splitlines()[1] + ","
