"""第一部分“走向区域协调（1999—2012）”一章：数据或代码一变、正文的结论随之改变时，这里应当失败。

这里重算决定结论的数字（2003 年的转折、2012 年的变异系数、版本断点、东部份额的峰值），
以及本章模块 ``quyu.parts.part1.coordination`` 中西部大开发的事件研究与它的组件。
"""
from __future__ import annotations

import pytest

from quyu import analysis, data, fmt


def series(vintage, measure, weighted=False, scheme=None, col="value"):
    return analysis.disparity(vintage, measure, weighted, scheme)[col]


# ---------------------------------------------------------------- 第 2 章：1999—2012 年

def test_turning_point_2003_in_compendium_and_yearbook():
    for v, lo, hi in (("compendium", 1990, 2008), ("yearbook", 2001, 2012)):
        for w in (False, True):
            assert int(series(v, "cv", w).loc[lo:hi].idxmax()) == 2003
    assert int(series("compendium", "max_min_ratio").loc[1990:2008].idxmax()) == 2004
    # census2018、current 的最大值落在序列首年：不能据此判断转折
    assert int(series("census2018", "cv").idxmax()) == 2005
    assert int(series("current", "cv").loc[:2012].idxmax()) == 2006


def test_cv_2012_and_decline_in_every_measure():
    assert fmt.ratio(series("yearbook", "cv")[2012], 3) == "0.448"
    assert fmt.ratio(series("current", "cv")[2012], 3) == "0.458"
    for m, w in [("max_min_ratio", False), ("cv", False), ("cv", True), ("theil_t", False),
                 ("theil_t", True), ("sigma", False), ("gini", True)]:
        yb, c18 = series("yearbook", m, w), series("census2018", m, w)
        assert yb[2012] < yb[2003] and c18[2012] < c18[2005], (m, w)


def test_vintage_break_is_population_only():
    c = data.panel("compendium", years=range(2000, 2009)).set_index(["code", "year"])
    y = data.panel("yearbook", years=range(2000, 2009)).set_index(["code", "year"])
    assert (c["gdp"] - y["gdp"]).abs().max() < 1e-9
    gap = series("compendium", "cv") / series("yearbook", "cv") - 1
    assert fmt.pct(gap[2001], 0) == "13%"
    assert fmt.pct(gap[2008], 0) == "26%"
    # 上海：汇编人口比常住人口少约三分之一
    assert c.loc[("31", 2008), "pop"] / y.loc[("31", 2008), "pop"] - 1 == pytest.approx(-0.35, abs=0.005)


def test_yearbook_has_no_2000_mean_population():
    d = analysis.disparity("yearbook", "cv")
    assert 2000 in d.attrs["skipped"] and d.index.min() == 2001


def test_east_share_peak_and_census_revision():
    sc = analysis.regional("compendium", "region4")["share"]
    assert int(sc["east"].idxmax()) == 2006
    s18 = analysis.regional("census2018", "region4")["share"]
    af = data.article_figures().set_index("figure_id")["value"]
    assert round(s18.loc[2012, "central"] * 100, 1) == af["share_gdp_central_2012"]
    assert round(s18.loc[2012, "west"] * 100, 1) == af["share_gdp_west_2012"]


# ---------------------------------------------------------------- 西部大开发的事件研究

def test_event_study_design_comes_from_the_data():
    from quyu.parts.part1 import coordination as c

    assert c.treat_year() == 2000
    assert c.window() == (1990, 2008)
    g = c.groups()
    assert set(g.loc[g["treated"], "name"]) >= {"内蒙古", "广西", "重庆", "西藏"} and g["treated"].sum() == 12
    p = c.panel("all")
    assert len(p) == 31 * 19 and p["y"].notna().all()
    assert sorted(c.panel("central")["code"].unique()) == sorted(
        list(g.loc[g["treated"], "code"]) + list(g.loc[g["region4"] == "central", "code"]))
    assert not set(c.panel("no_northeast")["code"]) & {"21", "22", "23"}


def test_event_study_numbers_and_verdicts():
    from quyu.parts.part1 import coordination as c

    es = c.west_event_study("all")
    assert es.lead_f == pytest.approx(2.549, abs=1e-3) and es.lead_df == (9, 30)
    assert es.lead_p == pytest.approx(0.0262, abs=1e-4)
    assert 0.08 < es.boot_p < 0.13          # 自助法：蒙特卡罗误差之内
    assert c.verdict_kind(es) == "mixed" and "不一致" in c.pretrend_verdict(es)
    post = c.post_summary(es)
    assert post["n_cover0"] == post["n_post"] == 9
    assert (round(post["last"], 3), round(post["last_low"], 3), round(post["last_high"], 3)) == (0.081, -0.056, 0.218)
    central, no_ne = c.west_event_study("central"), c.west_event_study("no_northeast")
    assert central.lead_p == pytest.approx(0.135, abs=1e-3) and c.verdict_kind(central) == "none"
    assert no_ne.lead_p == pytest.approx(0.0058, abs=1e-4) and no_ne.boot_p < 0.05
    assert c.verdict_kind(no_ne) == "reject"
    # 同一种子，同一结果（缓存之外重新计算）
    again = c.measures.event_study(c.panel("all"), "y", "code", "year", "treated", 2000, n_boot=es.n_boot,
                                   seed=c.SEED)
    assert again.boot_p == es.boot_p


def test_event_widget_callbacks_and_bad_choice():
    from quyu.parts.part1 import coordination as c

    w = c.event_widget()
    box = w.ipywidget()
    box.inputs["comparison"].value = "northeast"
    assert "对照组只有 3 个省份" in box.output.value and "请换一个对照组" in box.output.value
    box.inputs["comparison"].value = "central"
    html = box.output.value
    assert "只用中部六省" in html and "12 / 6" in html
    assert c.west_event_study("central").lead_df == (9, 17)
    assert "前导项联合 F 检验（自由度 9 和 17）" in html
    views = w.views(comparison="no_northeast")
    cards = dict(views[0]["items"])
    assert cards["判断"] == c.pretrend_verdict(c.west_event_study("no_northeast"))
    chart = views[1]
    coef = dict(zip(chart["x"], chart["series"][0]["y"]))
    assert coef[1999] == 0 and coef[2008] == pytest.approx(0.069, abs=5e-4)


def test_population_backcast_is_recomputed_from_the_raw_records():
    """人口定基跳变回推：与直接从 province_panel 的长表重算的结果逐格相同；前导项不变，处理后的系数变小。"""
    import numpy as np

    from quyu.parts.part1 import coordination as c

    steps = c.population_steps()
    assert set(steps["name"]) == {"北京", "浙江", "江西", "广东", "广西", "四川", "贵州"}
    assert (steps["treated"] == steps["name"].isin(["广西", "四川", "贵州"])).all()
    bj = steps.set_index("name").loc["北京"]
    assert bj["factor"] == pytest.approx((1 + bj["change_pct"] / 100) / (1 + bj["typical_pct"] / 100))
    # 独立重算：长表 → 年末人口宽表 → 回推 → 上年末与本年末的平均 → ln(GDP / 平均人口)
    rec = data.panel_records()
    spec = {s["indicator"]: s["source_id"] for s in data.vintage_info("compendium")["sources"]}
    pick = lambda ind: rec[(rec["indicator"] == ind) & (rec["source_id"] == spec[ind]) & (rec["code"] != "00")]
    pop = pick("pop_yearend_total_compendium").pivot(index="code", columns="year", values="value")
    gdp = pick("gdp").pivot(index="code", columns="year", values="value")
    for r in steps.itertuples():
        pop.loc[r.code, pop.columns < r.year_to] *= r.factor
    y = np.log(gdp * 1e4 / ((pop + pop.shift(1, axis=1)) / 2))
    mine = c.panel("all", backcast=True).set_index(["code", "year"])["y"]
    ref = y.stack().reindex(mine.index)
    assert np.allclose(mine.to_numpy(), ref.to_numpy(), rtol=0, atol=1e-12)
    plain = c.panel("all").set_index(["code", "year"])["y"]
    assert (mine != plain).any()

    es, bc = c.west_event_study("all"), c.west_event_study("all", backcast=True)
    assert np.allclose(es.coefs.loc[es.leads, "coef"], bc.coefs.loc[bc.leads, "coef"], atol=1e-12)
    assert bc.lead_p == pytest.approx(es.lead_p, abs=1e-9) and bc.boot_p == es.boot_p
    shift = es.coefs.loc[0:, "coef"] - bc.coefs.loc[0:, "coef"]
    assert (shift > 0).all()                                  # 两组的跳变都使处理后的系数偏高
    assert round(bc.coefs.iloc[-1]["coef"], 3) == 0.061
    assert (round(shift.min(), 3), round(shift.max(), 3)) == (0.003, 0.020)


def test_reference_year_shift_is_a_relabelling_of_the_same_fit():
    """参照年从处理前一年改为前两年：同一个回归换一个基准，各年系数恰好都减去原来的 β(−2)。"""
    from quyu.parts.part1 import coordination as c

    es, ant = c.west_event_study("all"), c.west_event_study("all", ref=c.REF - 1)
    b2 = es.coefs.loc[-2, "coef"]
    for k in es.coefs.index:
        assert ant.coefs.loc[k, "coef"] == pytest.approx(es.coefs.loc[k, "coef"] - b2, abs=1e-10)
    assert ant.coefs.loc[-2, "coef"] == 0 and len(ant.leads) == len(es.leads) - 1
    assert ant.lead_p == pytest.approx(0.0357, abs=1e-4) and c.verdict_kind(ant) == "mixed"
    assert round(ant.coefs.iloc[-1]["coef"], 3) == 0.073


def test_leave_one_out_equals_the_difference_in_differences_without_that_province():
    """平衡面板上，最后一年的系数 = 去掉该省后两组均值变化之差；内蒙古影响最大。"""
    from quyu.parts.part1 import coordination as c

    loo = c.leave_one_out("all")
    assert len(loo) == 31 and loo["coef"].is_monotonic_increasing
    p = c.panel("all")
    lo, hi = c.window()
    t0 = c.treat_year() + c.REF
    for code in ("15", "53", "11"):
        q = p[p["code"] != code]
        m = q.groupby(["treated", "year"])["y"].mean()
        did = (m[True][hi] - m[True][t0]) - (m[False][hi] - m[False][t0])
        assert loo.set_index("code").loc[code, "coef"] == pytest.approx(did, abs=1e-10)
    assert (loo.iloc[0]["name"], round(loo.iloc[0]["coef"], 3)) == ("内蒙古", 0.037)
    assert (loo.iloc[-1]["name"], round(loo.iloc[-1]["coef"], 3)) == ("云南", 0.107)
    full = c.post_summary(c.west_event_study("all"))["last"]
    assert (loo["coef"] - full).abs().idxmax() == 0


def test_partially_treated_prefectures_sit_in_control_provinces():
    from quyu.parts.part1 import coordination as c

    cz = data.cities(indicator="pop_resident_census_2010_boundary_adj")
    g = c.groups().set_index("code")
    for pref in c.PARTIAL_PREFECTURES:
        row = cz[cz["name_zh"] == pref]
        assert len(row) == 1
        prov = str(row["province_code"].iloc[0])
        assert not g.loc[prov[:2], "treated"]
        share = row["value"].iloc[0] / cz.loc[cz["province_code"] == prov, "value"].sum()
        assert 0 < share < 0.1
    assert "更适合" not in c.pretrend_verdict(c.west_event_study("all"))
