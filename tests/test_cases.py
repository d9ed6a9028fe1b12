"""各部分案例的事实表与计算：新安江流域横向生态补偿（part4）、深汕特别合作区（part2）。

数字与对数据文件的独立读取对照；事实表的来源与核实状态完整；缺年份的版本给出中文错误。"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from quyu import data
from quyu.parts import part2, part4
from quyu.parts.part4 import OutlookError


def _csv(name):
    return pd.read_csv(data.data_dir() / name, dtype={"code": str, "province_code": str})


# ---------------------------------------------------------------- 新安江

@pytest.fixture(scope="module")
def xaj():
    return part4.xinanjiang_case("current")


def test_xinanjiang_facts_cite_known_sources_with_chinese_labels():
    f = data.case_xinanjiang()
    assert set(f["source_id"]) <= set(data.sources()["source_id"])
    assert set(f["source_id"]) <= set(part4.XAJ_SOURCE_ZH)
    assert set(f["verification"]) <= set(part4.XAJ_CHECK_ZH)
    table = part4.xinanjiang_table()
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
    r = part4.xinanjiang_rounds()
    assert (r["start"] <= r["end"]).all()
    assert (r["start"].iloc[1:].values > r["end"].iloc[:-1].values).all()
    assert r.loc["第一轮", "start"] == part4.XAJ_START + 1


def test_ratio_and_trends_recomputed_from_the_panel(xaj):
    p = data.panel("current")
    w = p.pivot(index="year", columns="code", values="gdp_pc")
    ratio = (w["34"] / w["33"]).dropna()
    pd.testing.assert_series_equal(xaj["ratio"], ratio, check_names=False)
    y0, y1 = int(ratio.index.min()), int(ratio.index.max())
    before = math.log(ratio[part4.XAJ_START] / ratio[y0]) / (part4.XAJ_START - y0) * 100
    after = math.log(ratio[y1] / ratio[part4.XAJ_START]) / (y1 - part4.XAJ_START) * 100
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
        part4.xinanjiang_case("first_release")
    assert "无法比较" in e.value.zh


# ---------------------------------------------------------------- 深汕

def test_shenshan_population_is_the_difference_of_two_official_numbers():
    s = part2.shenshan_case()
    # 深圳市统计局七普公报注释：含深汕特别合作区的 2010 年常住人口 10,423,973 人；六普公报原数 10,357,938 人
    assert s["sz_pop2010_adj"] == 10_423_973
    assert s["sz_pop2010_published"] == 10_357_938
    assert s["zone_pop2010"] == 10_423_973 - 10_357_938
    assert s["density"] == pytest.approx(s["zone_pop2010"] / s["area_km2"])


def test_shenshan_facts_are_dated_and_sourced():
    f = data.case_shenshan()
    assert set(f["source_id"]) <= set(data.sources()["source_id"])
    assert f["date"].is_monotonic_increasing
    assert (f["verification"] == "secondary_copy").all()
