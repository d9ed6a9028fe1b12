"""第二部分理论章（quyu.parts.part2.theory）：相异指数（产出—人口不重合度）与“人是否追随产出”的组件。

数值对照独立的计算（逐项手算、另一种等价公式），不与代码自身比较；年份从 data/vintages.csv 推出。
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from quyu import analysis, data, measures, widgets
from quyu.parts.part2 import theory


# ---------------------------------------------------------------- 相异指数


# ---------------------------------------------------------------- 第二部分：人是否追随产出

@pytest.mark.parametrize("vintage", theory.SERIES_VINTAGES)
def test_shares_and_dissimilarity(vintage):
    s = theory.shares(vintage)
    by_year = s.groupby("year")[["gdp_share", "pop_share"]].sum()
    assert np.allclose(by_year, 1.0)
    D = theory.dissimilarity_series(vintage)
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
        theory.follow_test("current", 1990, 2010)


def test_cluster_table_against_scheme_members():
    years = data.vintage_info("current")["years"]
    y = max(years)
    ct = theory.cluster_table("current", [y])
    s = theory.shares("current")
    members = data.scheme("yrd")
    codes = members[members == "yrd"].index
    expected = s[(s["year"] == y) & s["code"].isin(codes)]["gdp_share"].sum()
    assert ct[ct["scheme"] == "yrd"]["gdp_share"].iloc[0] == pytest.approx(expected)


def test_city_dissimilarity_finer_units_are_less_coincident():
    cd = theory.city_dissimilarity_2010()
    assert cd["n_cities"] > cd["n_provinces"] > 1
    assert cd["D_city"] >= cd["D_province"]  # 合并单元不会增大 D（三角不等式）


def test_follow_widget_readout_and_year_message():
    w = theory.follow_widget(vintage="current", code="44")
    last = max(data.vintage_info("current")["years"])
    views = w.views(year=last)
    assert views[0]["type"] == "stats"
    s = theory.shares("current")
    gd = s[(s["code"] == "44") & (s["year"] == last)]["gdp_share"].iloc[0]
    assert f"{gd * 100:.2f}" in str(views[0]["items"])
    first_comp = min(data.vintage_info("compendium")["years"])
    msg = w.views(year=first_comp)[0]
    assert msg["type"] == "message" and "不在当前数据的年份范围内" in msg["text"]
    size = len(widgets.json.dumps(w.payload(), ensure_ascii=False).encode())
    assert size < 300_000
