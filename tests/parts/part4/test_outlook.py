"""第四部分“面向 2035 年的区域协调”一章（quyu.parts.part4.outlook）：情景路径手算、起点比值、错误输入，
情景推演组件（用好的和坏的选择驱动组件的视图），以及新安江流域横向生态补偿的案例。

组件的构造函数 ``scenario_widget`` 在本章的模块中，章节只调用它，并用 ``literalinclude`` 展示其源码。
案例的数字与对数据文件的独立读取对照；事实表的来源与核实状态完整；缺年份的版本给出中文错误。
"""
from __future__ import annotations

import math
import re

import matplotlib
import pytest

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from conftest import REL, combos, latest_year, messages  # noqa: E402
from quyu import analysis, data, fmt  # noqa: E402
from quyu.parts.part4 import outlook  # noqa: E402
from quyu.parts.part4.outlook import OutlookError  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def _kinds(views):
    return [v["type"] for v in views]


@pytest.fixture(scope="module")
def ch2():
    return {"SCENARIO": outlook.scenario_widget()}


# ---------------------------------------------------------------- 情景推演工具

def test_scenario_default_matches_hand_computed_paths(ch2):
    w = ch2["SCENARIO"]
    views = w.views()
    assert _kinds(views) == ["table", "chart"]
    start = outlook.starting_ratios("current")
    t0, r_ec, r_ew = start["year"], start["east_central"], start["east_west"]
    rows = {r[0]: r[1:] for r in views[0]["rows"]}
    # 默认：东−中、东−西都为 −0.5 个百分点
    assert rows["2035 年"][0] == fmt.num(r_ec * math.exp(-0.005 * (2035 - t0)), 2)
    assert rows["2050 年"][2] == fmt.num(r_ew * math.exp(-0.005 * (2050 - t0)), 2)
    lam = outlook.estimate("current", 2012, t0).speed
    assert rows["2050 年"][1] == fmt.num(math.exp(math.log(r_ec) * math.exp(-lam * (2050 - t0))), 2)
    chart = views[1]
    assert chart["x"][0] == t0 and chart["x"][-1] == 2050
    assert "示意，不是预测" in chart["note"]
    ec = chart["series"][0]["y"]
    assert ec[2035 - t0] == pytest.approx(r_ec * math.exp(-0.005 * (2035 - t0)), rel=REL)


@pytest.mark.parametrize("choice", [
    dict(gap_ec=0.0, gap_ew=0.0),
    dict(gap_ec=1.0, gap_ew=-1.5, source="a"),
    dict(gap_ec=-1.0, gap_ew=-1.0, source="bw"),
])
def test_scenario_good_choices(ch2, choice):
    views = ch2["SCENARIO"].views(**choice)
    assert _kinds(views) == ["table", "chart"]
    start = outlook.starting_ratios("current")
    ec = views[1]["series"][0]["y"]
    assert ec[-1] == pytest.approx(start["east_central"] * math.exp(choice["gap_ec"] / 100 * (2050 - start["year"])), rel=REL)


def test_scenario_reversal_is_flagged(ch2):
    views = ch2["SCENARIO"].views(gap_ec=-3.0, gap_ew=-3.0)
    info = messages(views, "info")
    assert len(info) == 2 and all("超过东部" in t for t in info)


@pytest.mark.parametrize("choice,expected", [
    (dict(gap_ec=6.0), "超出合理范围"),
    (dict(gap_ew=-7.5), "超出合理范围"),
    (dict(gap_ec=float("nan")), "超出合理范围"),
    (dict(gap_ec="很多"), "应为数字"),
    (dict(source="no_such_speed"), "未知的收敛速度来源"),
])
def test_scenario_bad_choices_give_chinese_message(ch2, choice, expected):
    views = ch2["SCENARIO"].views(**choice)
    assert _kinds(views) == ["message"]
    assert views[0]["level"] == "error"
    assert expected in views[0]["text"]


def test_scenario_precomputes_all_combinations(ch2):
    w = ch2["SCENARIO"]
    assert len(combos(w)) <= 300
    payload = w.payload()
    assert len(payload["results"]) == len(combos(w))
    assert not any(v["type"] == "message" and v["level"] == "error" for v in payload["views"])


def test_scenario_exercise_is_faster_than_convergence_path_for_both_regions():
    """习题 ex-p4-10 的示范设定（东−中 −0.5、东−西 −0.8 个百分点）到 2050 年比收敛速度路径收敛得更多。"""
    s = outlook.starting_ratios("current")
    lam = outlook.estimate("current", 2012, s["year"]).speed
    for key, gap in (("east_central", -0.5), ("east_west", -0.8)):
        scen = outlook.scenario_path(s[key], gap, s["year"], 2050).loc[2050]
        conv = outlook.convergence_path(s[key], lam, s["year"], 2050).loc[2050]
        assert scen < conv - 0.005, (key, scen, conv)


# ---------------------------------------------------------------- 情景路径：手算

def test_scenario_path_by_hand():
    p = outlook.scenario_path(1.6, -1.0, 2024, 2050)
    assert list(p.index) == list(range(2024, 2051))
    assert p.loc[2024] == pytest.approx(1.6)
    assert p.loc[2035] == pytest.approx(1.6 * math.exp(-0.01 * 11))
    assert p.loc[2050] == pytest.approx(1.6 * math.exp(-0.26))
    # 逐年递推：每年乘以 e^d
    r = 1.6
    for year in range(2025, 2051):
        r *= math.exp(-0.01)
        assert p.loc[year] == pytest.approx(r)


def test_scenario_zero_gap_is_flat_and_positive_gap_widens():
    assert np.allclose(outlook.scenario_path(1.5, 0.0, 2024, 2035).values, 1.5)
    up = outlook.scenario_path(1.5, 0.5, 2024, 2035)
    assert up.is_monotonic_increasing and up.loc[2035] == pytest.approx(1.5 * math.exp(0.055))


def test_convergence_path_by_hand():
    lam = 0.02
    p = outlook.convergence_path(1.6, lam, 2024, 2050)
    assert p.loc[2024] == pytest.approx(1.6)
    assert p.loc[2035] == pytest.approx(math.exp(math.log(1.6) * math.exp(-0.02 * 11)))
    # 半衰期：ln R 在 ln2/λ 年后减半
    q = outlook.convergence_path(1.6, math.log(2) / 10, 2020, 2030)
    assert math.log(q.loc[2030]) == pytest.approx(math.log(1.6) / 2)
    # λ = 0：不变；λ < 0：发散
    assert np.allclose(outlook.convergence_path(1.6, 0.0, 2024, 2030).values, 1.6)
    assert outlook.convergence_path(1.6, -0.01, 2024, 2030).is_monotonic_increasing


def test_implied_gap_is_slope_of_convergence_path():
    lam, r0 = 0.01, 1.57
    d = outlook.implied_gap(r0, lam)
    assert d == pytest.approx(-lam * math.log(r0) * 100)
    p = outlook.convergence_path(r0, lam, 2024, 2025)
    # 一年的对数变化 ≈ 起点的瞬时差距（λ 小时误差很小）
    assert math.log(p.loc[2025] / p.loc[2024]) * 100 == pytest.approx(d, rel=0.01)


def test_starting_ratios_match_regional_aggregates():
    s = outlook.starting_ratios("current")
    pc = analysis.regional("current")["per_capita"].loc[s["year"]]
    assert s["year"] == latest_year()
    assert s["east_central"] == pytest.approx(pc["east"] / pc["central"])
    assert s["east_west"] == pytest.approx(pc["east"] / pc["west"])


# ---------------------------------------------------------------- 错误输入：中文信息

@pytest.mark.parametrize("gap", [5.5, -6, float("nan"), float("inf"), "abc", None])
def test_bad_gap(gap):
    with pytest.raises(OutlookError, match="增长率之差|百分点"):
        outlook.scenario_path(1.5, gap, 2024, 2035)


@pytest.mark.parametrize("ratio0", [0, -1.2, float("nan"), "x"])
def test_bad_ratio(ratio0):
    with pytest.raises(OutlookError, match="比值"):
        outlook.scenario_path(ratio0, -0.5, 2024, 2035)


@pytest.mark.parametrize("start,end,what", [(2024, 2024, "晚于"), (2024, 2020, "晚于"), (2024, 2101, "太远"),
                                            (2024.5, 2035, "整数")])
def test_bad_years(start, end, what):
    with pytest.raises(OutlookError, match=what):
        outlook.scenario_path(1.5, -0.5, start, end)
    with pytest.raises(OutlookError, match=what):
        outlook.convergence_path(1.5, 0.01, start, end)


@pytest.mark.parametrize("lam", [0.5, -0.3, float("nan"), "fast"])
def test_bad_speed(lam):
    with pytest.raises(OutlookError, match="收敛速度"):
        outlook.convergence_path(1.5, lam, 2024, 2035)


def test_implied_gap_rejects_bad_ratio():
    with pytest.raises(OutlookError, match="比值"):
        outlook.implied_gap(0, 0.01)


def _csv(name):
    return pd.read_csv(data.data_dir() / name, dtype={"code": str, "province_code": str})


# ---------------------------------------------------------------- 新安江

@pytest.fixture(scope="module")
def xaj():
    return outlook.xinanjiang_case("current")


def test_xinanjiang_facts_cite_known_sources_with_chinese_labels():
    f = data.case_xinanjiang()
    assert set(f["source_id"]) <= set(data.sources()["source_id"])
    assert set(f["source_id"]) <= set(outlook.XAJ_SOURCE_ZH)
    assert set(f["verification"]) <= set(outlook.XAJ_CHECK_ZH)
    table = outlook.xinanjiang_table()
    assert len(table) == len(f)
    # 只见转载的事实在读者表格中标为“未核实”
    assert (table["核实"].str.startswith("未核实") == (f["verification"] == "secondary_copy")).all()


def test_round_one_parts_add_up_and_inflow(xaj):
    f = _csv("case_xinanjiang.csv").set_index("fact_id")["value"]
    assert f["XAJ08"] + f["XAJ09"] + f["XAJ10"] == f["XAJ07"]
    assert xaj["r1_inflow_max"] == f["XAJ08"] + f["XAJ11"]
    pop = _csv("cities.csv").query("code == '341000' and indicator == 'pop_resident_census_2010_boundary_adj'")
    assert xaj["inflow_per_head"] == pytest.approx(xaj["r1_inflow_max"] * 1e8 / float(pop["value"].iloc[0]))


def test_rounds_are_ordered_and_disjoint():
    r = outlook.xinanjiang_rounds()
    assert (r["start"] <= r["end"]).all()
    assert (r["start"].iloc[1:].values > r["end"].iloc[:-1].values).all()
    assert r.loc["第一轮", "start"] == outlook.XAJ_START + 1


def test_ratio_and_trends_recomputed_from_the_panel(xaj):
    p = data.panel("current")
    w = p.pivot(index="year", columns="code", values="gdp_pc")
    ratio = (w["34"] / w["33"]).dropna()
    pd.testing.assert_series_equal(xaj["ratio"], ratio, check_names=False)
    y0, y1 = int(ratio.index.min()), int(ratio.index.max())
    before = math.log(ratio[outlook.XAJ_START] / ratio[y0]) / (outlook.XAJ_START - y0) * 100
    after = math.log(ratio[y1] / ratio[outlook.XAJ_START]) / (y1 - outlook.XAJ_START) * 100
    assert xaj["trend_before"] == pytest.approx(before)
    assert xaj["trend_after"] == pytest.approx(after)


def test_upstream_share_of_province_from_the_census(xaj):
    c = _csv("cities.csv")
    c = c[(c["source_id"] == "LEIII_CENSUS_V1") & (c["indicator"] == "pop_resident_census")]
    ah = c[c["province_code"] == "340000"]
    assert len(ah) == 16  # 安徽 16 个地级市
    hs = float(ah.loc[ah["code"] == "341000", "value"].iloc[0])
    assert xaj["up_share_prov"] == pytest.approx(hs / ah["value"].sum())
    assert 0 < xaj["up_share_prov"] < 0.05


def test_city_gdp_has_no_common_year(xaj):
    # 正文说“两市没有一个共同的年份”：若以后补上数据，这句话必须跟着改
    assert xaj["gdp_years_common"] == []
    assert xaj["gdp_year_up"] in xaj["gdp_years_up"]


def test_vintage_without_years_before_the_pilot_is_refused():
    with pytest.raises(OutlookError) as e:
        outlook.xinanjiang_case("first_release")
    assert "无法比较" in e.value.zh


def test_xinanjiang_funding_by_year_matches_the_fact_rows():
    f = _csv("case_xinanjiang.csv").set_index("fact_id")["value"]
    fund = outlook.xinanjiang_funding()
    assert list(fund.index) == list(range(2012, 2021))
    r1, r2, r3 = (fund[fund["stage_zh"] == s] for s in ("第一轮", "第二轮", "第三轮"))
    assert (r1["total"] == f["XAJ07"]).all()
    assert list(r2["central"]) == [f["XAJ12"], f["XAJ13"], f["XAJ14"]]
    # 报道给出的第二轮三年合计（21 亿元）= 中央 4 + 3 + 2 加两省每年各 2
    assert r2["total"].sum() == 21
    assert (r2["zj"] == f["XAJ27"]).all() and (r2["ah"] == f["XAJ28"]).all()
    assert (r3["central"] == 0).all() and (r3["zj"] == f["XAJ15"]).all()
    # 正文的解读：两省出资在中央资金仍在的第二轮就已提高；第三轮每年总额低于第一轮
    assert r2["zj"].iloc[0] > r1["zj"].iloc[0] and (r2["central"] > 0).all()
    assert r3["total"].iloc[0] < r1["total"].iloc[0]
    assert fund["zj_share"].between(0, 1).all()
