"""第二部分“推进机制的创新”一章（quyu.parts.part2.mechanisms）：深汕特别合作区的数字与事实表，
长江经济带的组间占比。"""
from __future__ import annotations

import pandas as pd
import pytest

from quyu import analysis, data
from quyu.parts.part2 import mechanisms


def _csv(name):
    return pd.read_csv(data.data_dir() / name, dtype={"code": str, "province_code": str})


def test_yreb_between_share_small():
    # mechanisms.md, ex-p2-2-2: the Yangtze-belt vs rest share of Theil-T is small and peaks after 2012
    s = analysis.disparity("census2018", "theil_t", weighted=True, scheme="yreb").loc[2012:2022, "between_share"]
    assert s.loc[2012] < 0.01 and s.max() < 0.1 and s.idxmax() > 2012


# ---------------------------------------------------------------- 深汕

def test_shenshan_population_is_the_difference_of_two_official_numbers():
    s = mechanisms.shenshan_case()
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
