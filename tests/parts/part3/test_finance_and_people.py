"""第三部分“预算与人民”一章（quyu.parts.part3.finance_and_people）：数据对照来源表、独立重算、不变量、组件回调。"""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from quyu import data, measures
from quyu.parts.part3 import finance_and_people as pp

CJK = re.compile(r"[\u4e00-\u9fff]")


def _value(indicator, source_id, code, year):
    df = data.people(indicator, source_id)
    return float(df[(df["code"] == code) & (df["year"] == year)]["value"].iloc[0])


# ---------------------------------------------------------------- data against the source tables

@pytest.mark.parametrize("indicator,source_id,code,year,expected", [
    # 北京、上海 2023 年地方一般公共预算收入：两市政府公布的 6,181.1 与 8,312.5 亿元
    ("fiscal_revenue_local", pp.REV, "11", 2023, 6181.10),
    ("fiscal_revenue_local", pp.REV, "31", 2023, 8312.50),
    # 北京 2023 年居民人均消费支出（北京市公布数 47,586 元）
    ("consumption_pc_all", pp.CONS, "11", 2023, 47586),
    # 浙江 2012 年城镇居民人均可支配收入（《浙江统计年鉴2013》表 5-1：34,550 元）
    ("disp_income_pc_urban_oldsurvey", pp.URBAN_OLD, "33", 2012, 34550),
    # 上海 2022 年支出：两个发布的唯一差别（9393.00 与 9393.16）
    ("fiscal_expenditure_local", pp.EXP_NBS, "31", 2022, 9393.00),
    ("fiscal_expenditure_local", pp.EXP_LONG, "31", 2022, 9393.16),
])
def test_values_match_source_tables(indicator, source_id, code, year, expected):
    assert _value(indicator, source_id, code, year) == pytest.approx(expected, abs=1e-9)


def test_two_expenditure_releases_agree_except_shanghai_2022():
    a = data.people("fiscal_expenditure_local", pp.EXP_NBS).set_index(["code", "year"])["value"]
    b = data.people("fiscal_expenditure_local", pp.EXP_LONG).set_index(["code", "year"])["value"]
    both = a.to_frame("a").join(b.rename("b"), how="inner")
    differ = both[(both["a"] - both["b"]).abs() > 1e-9]
    assert len(both) == 31 * len(pp.fiscal_years())
    assert list(differ.index) == [("31", 2022)]


def test_people_refuses_to_mix_expenditure_releases():
    with pytest.raises(data.DataError, match="不能混用"):
        data.people("fiscal_expenditure_local")


def test_people_year_without_data_is_a_chinese_error():
    with pytest.raises(data.DataError, match="没有 2016 年"):
        data.people("disp_income_pc_urban_oldsurvey", pp.URBAN_OLD, years=2016)


def test_every_series_complete_31_provinces():
    for r in data.people_sources().itertuples():
        df = data.people(r.indicator, r.source_id)
        counts = df.groupby("year")["code"].nunique()
        assert (counts == 31).all(), (r.indicator, r.source_id)


def test_sources_registered():
    ids = set(data.sources()["source_id"])
    assert set(data.people_sources()["source_id"]) <= ids


# ---------------------------------------------------------------- invariants and independent computation

def test_fiscal_identities():
    f = pp.fiscal_panel()
    assert np.allclose(f["gap_pc"], f["exp_pc"] - f["rev_pc"])
    assert np.allclose(f["exp_pc"], f["exp"] * 1e8 / (f["pop_mean"] * 1e4))
    assert ((f["own_share"] > 0) & (f["own_share"] <= 1)).all()  # 没有一个省收入超过支出


def test_region_table_totals():
    year = pp.fiscal_years()[-1]
    f = pp.fiscal_panel()
    f = f[f["year"] == year]
    reg = pp.region_fiscal(year)
    assert reg["provinces"].iloc[:4].sum() == 31
    total = reg.loc["31 省合计"]
    assert total["exp_pc"] == pytest.approx(f["exp"].sum() * 1e4 / f["pop_mean"].sum())
    for r in reg.index[:4]:  # 区域人均值落在其成员省份之间
        members = f[f["region4"].map(pp.region_zh()) == r]
        assert members["gap_pc"].min() <= reg.loc[r, "gap_pc"] <= members["gap_pc"].max()


def test_gap_slope_equals_numpy_least_squares():
    year = pp.fiscal_years()[-1]
    f = pp.fiscal_panel()
    f = f[f["year"] == year]
    slope = np.polyfit(f["gdp_pc"] / 1e4, f["gap_pc"], 1)[0]
    s = pp.gap_slope(year)
    assert s["slope"] == pytest.approx(slope)
    assert s["lo"] < s["slope"] < s["hi"]
    w = pp.gap_slope(year, weighted=True)
    wslope = np.polyfit(f["gdp_pc"] / 1e4, f["gap_pc"], 1, w=np.sqrt(f["pop_mean"]))[0]
    assert w["slope"] == pytest.approx(wslope)


def test_pooled_slope_equals_within_year_regression():
    f = pp.fiscal_panel()
    x = f["gdp_pc"] / 1e4 - (f["gdp_pc"] / 1e4).groupby(f["year"]).transform("mean")
    y = f["gap_pc"] - f["gap_pc"].groupby(f["year"]).transform("mean")
    assert pp.gap_slope(None)["slope"] == pytest.approx(float((x * y).sum() / (x * x).sum()))


def test_elasticity_equals_within_year_regression():
    f = pp.fiscal_panel()
    lx, ly = np.log(f["rev_pc"]), np.log(f["exp_pc"])
    x = lx - lx.groupby(f["year"]).transform("mean")
    y = ly - ly.groupby(f["year"]).transform("mean")
    e = pp.own_revenue_elasticity()
    assert e["elasticity"] == pytest.approx(float((x * y).sum() / (x * x).sum()))
    assert e["lo"] < e["elasticity"] < e["hi"]


def test_dispersion_cv_equals_direct_computation():
    d = pp.dispersion("consumption", "cv")
    year = int(d.index[-1])
    v = data.people("consumption_pc_all", pp.CONS, years=year)["value"].to_numpy(float)
    assert d.loc[year, "consumption"] == pytest.approx(v.std(ddof=0) / v.mean())
    g = data.panel(pp.VINTAGE, years=[year])["gdp_pc"].to_numpy(float)
    assert d.loc[year, "gdp"] == pytest.approx(g.std(ddof=0) / g.mean())


def test_dispersion_unit_free():
    """把支出换成元/万人（乘以常数）不改变变异系数与基尼系数。"""
    f = pp.series_frame("exp")
    year = int(f["year"].max())
    v = f[f["year"] == year]["value"]
    assert measures.cv(v * 1e4) == pytest.approx(pp.dispersion("exp", "cv").loc[year, "exp"])
    assert measures.gini(v * 3) == pytest.approx(pp.dispersion("exp", "gini").loc[year, "exp"])


def test_growth_variance_shares_equal_anova():
    df = data.indicator(*pp.GROWTH)
    g = df["value"] - 100
    total = ((g - g.mean()) ** 2).sum()
    between_years = (g.groupby(df["year"]).transform("mean") - g.mean()).pow(2).sum()
    s = pp.growth_variance_shares()
    assert s["year"] == pytest.approx(between_years / total)
    assert max(s["year"], s["province"]) <= s["both"] <= 1


def test_assisted_provinces_from_pairing_table():
    aided = pp.assisted_provinces()
    assert aided["西藏"] == "对口支援" and aided["新疆"] == "对口支援"
    assert aided["宁夏"] == "东西部协作"
    assert "福建" not in aided and "广东" not in aided


def test_pair_profile_matches_direct_ratio():
    prof = pp.pair_profile("35", "64")
    c = data.people("consumption_pc_all", pp.CONS)
    year = int(c["year"].max())
    c = c[c["year"] == year].set_index("code")["value"]
    assert prof.loc[year, "consumption"] == pytest.approx(c["64"] / c["35"])


def test_minning_aid_parts_add_up():
    aid = pp.minning_aid()
    assert sum(aid["parts"].values()) == pytest.approx(aid["total"])
    assert 0 < aid["share"] < 1


def test_urban_old_series_cannot_be_weighted():
    with pytest.raises(data.DataError, match="城镇人口"):
        pp.dispersion("urban_old", "cv", weighted=True)


# ---------------------------------------------------------------- widgets

def _assert_chinese_message(views):
    msgs = [v for v in views if v["type"] == "message"]
    assert msgs, views
    for m in msgs:
        assert CJK.search(m["text"]) and " / " not in m["text"] and "Traceback" not in m["text"]


@pytest.fixture(scope="module")
def disparity_widget():
    return pp.disparity_widget()


@pytest.fixture(scope="module")
def fiscal_widget():
    return pp.fiscal_widget()


def test_disparity_widget_default_matches_library(disparity_widget):
    chart = [v for v in disparity_widget.views() if v["type"] == "chart"][0]
    d = pp.dispersion("consumption", "cv")
    assert chart["series"][0]["y"][-1] == pytest.approx(d["consumption"].iloc[-1], rel=1e-5)
    assert chart["series"][1]["y"][-1] == pytest.approx(d["gdp"].iloc[-1], rel=1e-5)


def test_disparity_widget_bad_choices(disparity_widget):
    _assert_chinese_message(disparity_widget.views(series="urban_old", weighted=True))   # 没有城镇人口
    _assert_chinese_message(disparity_widget.views(series="urban_old", start=2016))      # 没有数据的年份
    _assert_chinese_message(disparity_widget.views(measure="sigma", weighted=True))      # 度量不能加权
    _assert_chinese_message(disparity_widget.views(start=2024, end=2016))                # 起止颠倒


def test_fiscal_widget(fiscal_widget):
    year = pp.fiscal_years()[-1]
    views = fiscal_widget.views(year=year)
    table = [v for v in views if v["type"] == "table"][0]
    assert table["rows"][-1][0] == "31 省合计"
    _assert_chinese_message(fiscal_widget.views(year=pp.fiscal_years()[0] - 1))  # 有支出、没有收入的年份


def test_widget_payloads_within_budget(disparity_widget, fiscal_widget):
    for w in (disparity_widget, fiscal_widget):
        size = len(json.dumps(w.payload(), ensure_ascii=False).encode())
        assert size < 300_000, size


def test_year_share_equals_the_r2_of_year_dummies_and_the_windows_cover_every_start():
    """方差分解的快速算法（组间平方和 / 总平方和）与 statsmodels 的 R² 相同；窗口覆盖每一个可能的起始年。"""
    from quyu import data
    from quyu.parts.part3 import finance_and_people as fp

    df = data.indicator(*fp._indicator_src("GROWTH"))
    assert fp.year_share(df["value"], df["year"]) == pytest.approx(fp.growth_variance_shares()["year"], rel=1e-9)
    win = fp.growth_variance_windows()
    years = sorted(df["year"].unique())
    assert list(win["start"]) == years[: len(years) - 3] and (win["end"] - win["start"] == 3).all()
    sub = fp.growth_variance_shares(years[:4])
    assert win.iloc[0]["year"] == pytest.approx(sub["year"])
    boot = fp.growth_variance_bootstrap(reps=49)
    assert len(boot) == 49 and ((boot >= 0) & (boot <= 1)).all()
