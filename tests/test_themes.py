"""quyu.themes 的计算与独立计算（直接用 data 与 measures）逐一核对。"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from quyu import analysis, data, measures, themes


def _income_frame():
    p = data.panel("current")
    inc = data.indicator("disp_income_pc_all")[["code", "year", "value"]]
    return p.merge(inc, on=["code", "year"])


@pytest.mark.parametrize("measure,weighted", [("cv", False), ("cv", True), ("gini", True), ("theil_t", False)])
def test_income_vs_output_matches_direct(measure, weighted):
    got = themes.income_vs_output(measure, weighted)
    df = _income_frame()
    assert list(got.index) == list(range(2016, 2025))
    for year in (2016, 2020, 2024):
        b = df[df["year"] == year]
        w = b["pop_mean"] if weighted else None
        fn = {"cv": measures.cv, "gini": measures.gini, "theil_t": lambda y, w: measures.theil_t(y, w).total}[measure]
        assert got.loc[year, "income"] == pytest.approx(fn(b["value"].to_numpy(), None if w is None else w.to_numpy()))
        assert got.loc[year, "output"] == pytest.approx(fn(b["gdp_pc"].to_numpy(), None if w is None else w.to_numpy()))


def test_income_weights_rejected_for_unweightable_measure():
    with pytest.raises(ValueError, match="不支持人口加权"):
        themes.income_vs_output("max_min_ratio", weighted=True)


def test_annual_rate():
    s = pd.Series([100.0, 121.0], index=[2010, 2012])
    assert themes.annual_rate(s) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        themes.annual_rate(pd.Series([1.0], index=[2010]))


def test_urban_rural_ratio_and_break():
    ur = themes.urban_rural_ratio()
    urban = data.national("disp_income_pc_urban")
    rural = data.national("income_pc_rural_net_to2012_disp_from2013")
    assert ur.loc[1978, "ratio"] == pytest.approx(urban[1978] / rural[1978])
    assert ur.loc[2016, "ratio"] == pytest.approx(urban[2016] / rural[2016])
    assert set(ur.loc[:2012, "basis"]) == {"net"}
    assert set(ur.loc[2013:, "basis"]) == {"disposable"}


def test_coordination_subindices():
    ci = themes.coordination_subindices()
    assert (ci["kind"] == "sub").sum() == 5
    composite = ci[(ci["kind"] == "composite") & (ci["year"] == 2020)]["value"].iloc[0]
    af = data.article_figures().set_index("figure_id")
    assert composite == pytest.approx(af.loc["coordination_index_2020", "value"])
    assert ci["label"].notna().all()


@pytest.mark.parametrize("scheme", ["region4", "jjj", "yrd"])
def test_theil_between_share_matches_measures(scheme):
    d = themes.theil_by_scheme("current", "theil_t", True, scheme)
    p = data.panel("current", years=[2024]).set_index("code")
    res = measures.theil_t(p["gdp_pc"], p["pop_mean"], p[scheme])
    assert d.loc[2024, "between_share"] == pytest.approx(res.between_share)
    assert d.loc[2024, "value"] == pytest.approx(res.between + res.within)


def test_theil_rejects_non_decomposable_measure():
    with pytest.raises(ValueError, match="泰尔"):
        themes.theil_by_scheme("current", "cv", True, "region4")


def test_theil_scheme_table():
    tab = themes.theil_scheme_table([2012, 2024])
    assert len(tab) == len(data.schemes())
    assert tab.loc["region4", "groups"] == 4 and tab.loc["jjj", "groups"] == 2
    assert tab.loc["yrd", 2024] == pytest.approx(
        analysis.disparity("current", "theil_t", True, "yrd").loc[2024, "between_share"])


def test_random_between_shares_reproducible_and_bounded():
    a = themes.random_between_shares(2024, draws=50, seed=1)
    b = themes.random_between_shares(2024, draws=50, seed=1)
    assert np.array_equal(a, b)
    assert ((a >= 0) & (a <= 1)).all()
    actual = analysis.disparity("current", "theil_t", True, "region4").loc[2024, "between_share"]
    assert a.mean() < actual


def test_relative_to_average():
    rel = themes.relative_to_average(2024)
    p = data.panel("current", years=[2024]).set_index("code")
    avg = p["gdp"].sum() * 1e4 / p["pop_mean"].sum()
    assert rel["11"] == pytest.approx(p.loc["11", "gdp_pc"] / avg)


def test_plan_dates():
    pdates = themes.plan_dates()
    assert list(pdates.index) == list(themes.INNOVATION_AREAS)
    assert pdates.loc["jjj", "year"] == 2015
    assert pdates.loc["gba_proxy", "year"] == 2019
    assert pdates.loc["yrd", "date"] == "2019-12-01"
    assert pdates.loc["chengyu", "year"] == 2021


def _indicator_by_code(name, year):
    x = data.indicator(name)
    return x[x["year"] == year].set_index("code")["value"]


@pytest.mark.parametrize("area", themes.INNOVATION_AREAS)
def test_area_share_and_relative_per_capita(area):
    members = data.scheme(area)[data.scheme(area) == area].index
    rd = _indicator_by_code("rd_intramural_exp", 2018)
    assert themes.area_share(area, "rd")[2018] == pytest.approx(rd[members].sum() / rd.sum())
    pat = _indicator_by_code("patents_granted_domestic_invention", 2023)
    assert themes.area_share(area, "patents")[2023] == pytest.approx(pat[members].sum() / pat.sum())
    p = data.panel("current", years=[2015]).set_index("code")
    rest = p.index.difference(members)
    expected = (p.loc[members, "gdp"].sum() / p.loc[members, "pop_mean"].sum()) / (
        p.loc[rest, "gdp"].sum() / p.loc[rest, "pop_mean"].sum())
    assert themes.area_relative_per_capita(area, "gdp")[2015] == pytest.approx(expected)


def test_innovation_bad_choices():
    with pytest.raises(ValueError, match="未知的战略区"):
        themes.area_share("xyz", "rd")
    with pytest.raises(ValueError, match="未知的指标"):
        themes.area_share("jjj", "xyz")


def test_concentration_is_gini_of_shares():
    rd = _indicator_by_code("rd_intramural_exp", 2023)
    assert themes.concentration("rd")[2023] == pytest.approx(measures.gini((rd / rd.sum()).to_numpy()))
    g = themes.concentration("gdp")
    p = data.panel("current", years=[2012])
    assert g[2012] == pytest.approx(measures.gini(p["gdp"].to_numpy()))


def test_rd_intensity_pairs_vintages():
    assert themes.rd_vintage(2012) == "yearbook"
    assert themes.rd_vintage(2021) == "first_release"
    with pytest.raises(ValueError, match="配对"):
        themes.rd_vintage(2020)
    s = themes.rd_intensity(2012)
    p = data.panel("yearbook", years=[2012]).set_index("code")
    rd = _indicator_by_code("rd_intramural_exp", 2012) / 1e4
    members = data.scheme("jjj")[data.scheme("jjj") == "jjj"].index
    assert s["jjj"] == pytest.approx(rd[members].sum() / p.loc[members, "gdp"].sum())
    assert s["all31"] == pytest.approx(rd.sum() / p["gdp"].sum())


def test_plan_window_change():
    ch = themes.plan_window_change("jjj", "rd")
    s = themes.area_share("jjj", "rd")
    assert ch["before"] == pytest.approx((s[2015] - s[2010]) / 5)
    assert ch["after"] == pytest.approx((s[2023] - s[2015]) / 8)


def test_pairings_and_status():
    pa = themes.pairings()
    assert len(pa) == len(data.paired_assistance())
    assert pa["helper_code"].notna().all() and pa["receiver_code"].notna().all()
    unconfirmed = data.paired_assistance()["source"].str.contains("[UNCONFIRMED", regex=False)
    assert (pa["status"] == "未经核实").sum() == unconfirmed.sum()


def test_list_changes():
    ch = themes.list_changes()
    assert ("福建", "宁夏") in ch["kept"]
    assert not set(ch["added"]) & set(ch["kept"])
    with pytest.raises(ValueError):
        themes.list_changes("不存在的方案")


def test_pair_ratio_matches_panel():
    r = themes.pair_ratio("福建", "宁夏", "current")
    p = data.panel("current", years=[2020]).set_index("code")
    assert r[2020] == pytest.approx(p.loc["35", "gdp_pc"] / p.loc["64", "gdp_pc"])
    with pytest.raises(ValueError, match="未知的省份"):
        themes.pair_ratio("福建", "火星")
    with pytest.raises(ValueError, match="同一个省份"):
        themes.pair_ratio("福建", "福建")


def test_pair_summary():
    ps = themes.pair_summary()
    assert len(ps) == (data.paired_assistance()["scheme"] == "东西部协作(2021—)").sum()
    assert ps.loc["广东—贵州", 2024] == pytest.approx(themes.pair_ratio("广东", "贵州")[2024])
    assert not math.isnan(ps.loc["北京—内蒙古", 2012])
