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
