"""第四部分“大国之中的中国”一章（quyu.parts.part4.world、data/world_*.csv）的测试：

- 数据与发布机构公布的数字核对（BEA、欧盟统计局、印度储备银行、日本内阁府的表中数值）；
- 独立计算：加权变异系数、泰尔分解、重新分组（可变面积单元问题）的恒等式；
- 一次计算只用一个发布版本；欧盟标记保留；
- 组件：错误的选择给出中文提示而不是 traceback；网页数据在预算之内。
"""
import json
import math

import numpy as np
import pandas as pd
import pytest

from quyu import data, measures
from quyu.parts.part4 import world

PAYLOAD_BUDGET = 300_000


def value(country, code, year, indicator):
    df = data.world_regions(country, indicator)
    hit = df[(df["region_code"] == code) & (df["year"] == year)]
    assert len(hit) == 1, (country, code, year, indicator)
    return float(hit["value"].iloc[0])


# ---------------------------------------------------------------- 与公布数字核对

@pytest.mark.parametrize("country,code,year,indicator,published", [
    # BEA SAINC1 / SASUMMARY，2025 年 3 月 28 日发布
    ("US", "DC", 2024, "personal_income_pc", 108233),
    ("US", "MA", 2024, "personal_income_pc", 93927),
    ("US", "MS", 2024, "personal_income_pc", 52017),
    ("US", "US", 2024, "personal_income_pc", 72425),
    ("US", "US", 2024, "gdp_current", 29184890),
    ("US", "CA", 2024, "gdp_current", 4103124),
    ("US", "CA", 2023, "rpp", 112.581),
    ("US", "AR", 2023, "rpp", 86.508),
    # 欧盟统计局 nama_10r_3gdp（2023 年发布）：国家总量
    ("EU", "DE", 2021, "gdp_current", 3601750),
    ("EU", "FR", 2021, "gdp_current", 2500870.41),
    ("EU", "IT", 2021, "gdp_current", 1782050),
    # 印度储备银行表 19（2025 年 12 月 11 日）
    ("IN", "BR", 2024, "nsdp_pc", 69321),
    ("IN", "SK", 2023, "nsdp_pc", 587743),
    ("IN", "GA", 2023, "nsdp_pc", 585953),
])
def test_values_as_published(country, code, year, indicator, published):
    # 公布值写到个位（或 RPP 的三位小数）：相对误差 1e-6 之内即为同一数值
    assert value(country, code, year, indicator) == pytest.approx(published, rel=1e-6)


def test_us_state_weighted_mean_equals_bea_national_pcpi():
    """各州人均个人收入按人口加权平均 = BEA 公布的全国人均个人收入（舍入误差之内）。"""
    df = data.world_regions("US", source_id=world.SOURCES["US_income"])
    wide = df.pivot_table(index=["region_code", "year"], columns="indicator", values="value").reset_index()
    states = wide[wide["region_code"] != "US"].dropna()
    national = wide[wide["region_code"] == "US"].set_index("year")["personal_income_pc"]
    for year, g in states[states["year"] >= 1950].groupby("year"):
        mean = np.average(g["personal_income_pc"], weights=g["pop_midyear"])
        assert mean == pytest.approx(national[year], rel=2e-3), year


def test_japan_tokyo_share_in_published_range():
    """东京都占 47 个都道府县 GDP 合计的 18.9%—19.8%；各县之和等于印出的全县计。"""
    share = world.tokyo_share()["tokyo_share"]
    assert share.between(0.185, 0.20).all()
    jp = data.world_regions("JP", "gdp_current")
    for year, g in jp.groupby("year"):
        s = g.set_index("region_code")["value"]
        assert s.drop("00").sum() == pytest.approx(s["00"], rel=1e-9), year


def test_eu_implied_population_adds_up_to_country():
    """权重 = GDP ÷ 人均 GDP：各国 NUTS-2 地区之和与该国（NUTS-0）同样算出的人口相差不到 1.5%（本章使用的年份），
    丹麦（区外单位）与罗马尼亚（地区人均值所用人口与全国数不一致）除外——后者的偏差要在正文中说明。"""
    gap = world.eu_population_gap().abs()
    assert gap.index.get_level_values(0).nunique() == 27
    gap = gap[gap.index.get_level_values("year") >= world.EU_FIRST]  # 本章使用的年份
    others = gap.drop(["DK", "RO"], level=0)
    assert (others < 0.015).all(), others.sort_values().tail()
    assert gap.loc["RO"].max() > 0.015  # 若来源修正了这一点，正文的说明也要改


# ---------------------------------------------------------------- 一次只用一个发布版本，标记保留

def test_one_release_per_country_and_indicator():
    raw = pd.concat([data.world_regions(c) for c in data.WORLD_COUNTRIES])
    per = raw.groupby(["country", "indicator"])["source_id"].nunique()
    assert (per == 1).all(), per[per > 1]
    assert set(raw["source_id"]) <= set(data.sources()["source_id"])


def test_flags_kept_and_counted():
    flags = data.world_flags()
    assert set(flags["country"]) == {"EU"}
    assert {"e", "p"} <= set("".join(flags["flag"]))
    table = world.flag_table()
    f = flags[(flags["indicator"] == "gdp_pc") & (flags["region_code"].str.len() == 4)]
    for year, row in table.iterrows():
        fy = f[f["year"] == year]
        assert row["flagged"] == fy[fy["flag"].str.contains("e|p")]["region_code"].nunique()
        assert 0 <= row["pop_share"] <= 1


def test_unit_panels_cover_what_they_claim():
    cn = world.unit_panel("CN")
    assert cn.groupby("year")["code"].nunique().eq(31).all()
    us = world.unit_panel("US")
    assert us.groupby("year")["code"].nunique().eq(51).all()
    inc = world.unit_panel("US", "income")
    counts = inc.groupby("year")["code"].nunique()
    assert counts.loc[:1949].eq(49).all() and counts.loc[1950:].eq(51).all()
    eu = world.unit_panel("EU")
    assert eu["year"].min() == world.EU_FIRST
    assert eu.groupby("year")["code"].nunique().nunique() == 1  # 每年同一批地区
    assert eu["group"].nunique() == 27
    ind = world.unit_panel("IN")
    assert ind.groupby("year")["code"].nunique().eq(28).all() and ind["pop"].isna().all()
    rpp = world.unit_panel("US", "output", "adjusted")
    assert set(rpp["year"]) == set(data.world_regions("US", "rpp")["year"])


# ---------------------------------------------------------------- 独立计算与恒等式

def _weighted_cv(y, w):
    mu = np.sum(w * y) / np.sum(w)
    return math.sqrt(np.sum(w * (y - mu) ** 2) / np.sum(w)) / mu


@pytest.mark.parametrize("country,variable,price", [("CN", "output", "nominal"), ("US", "income", "nominal"),
                                                    ("US", "output", "adjusted"), ("EU", "output", "adjusted")])
def test_path_matches_independent_formulas(country, variable, price):
    df = world.unit_panel(country, variable, price)
    path = world.table_path(country, variable, price)
    for year in (min(path.index), max(path.index)):
        g = df[df["year"] == year]
        y, w = g["y"].to_numpy(float), g["pop"].to_numpy(float)
        assert path.loc[year, "cv"] == pytest.approx(_weighted_cv(y, w), rel=1e-10)
        s = w * y / np.sum(w * y)
        p = w / w.sum()
        assert path.loc[year, "theil"] == pytest.approx(np.sum(s * np.log(s / p)), rel=1e-10)
        assert path.loc[year, "between"] + path.loc[year, "within"] == pytest.approx(path.loc[year, "theil"])
        assert path.loc[year, "maxmin"] == pytest.approx(y.max() / y.min())
        assert path.loc[year, "sigma"] == pytest.approx(np.std(np.log(y)), rel=1e-10)


def test_pysal_theil_decomposition_agrees():
    """与 PySAL（inequality.theil.TheilD）的不加权泰尔分解对照。"""
    theil = pytest.importorskip("inequality.theil")
    df = world.unit_panel("EU")
    g = df[df["year"] == df["year"].max()]
    r = measures.theil_t(g["y"].to_numpy(float), None, g["group"].to_numpy())
    codes = pd.factorize(g["group"])[0]
    d = theil.TheilD(g["y"].to_numpy(float), codes)
    assert float(np.squeeze(d.T)) == pytest.approx(r.total, rel=1e-9)
    assert float(np.squeeze(d.bg)) == pytest.approx(r.between, rel=1e-9)


def test_maup_regrouping_identities():
    """合并成粗单元后：加权变异系数不升高；粗单元的泰尔 T = 细单元按同样分组的组间部分。"""
    year = max(set(world.years("CN")) & set(world.years("US")) & set(world.years("EU")))
    m = world.maup_table(year)
    for country, rows in m.groupby("country", sort=False):
        cvs = rows["cv"].to_list()
        assert cvs == sorted(cvs, reverse=True), country
    path = {c: world.table_path(c).loc[year] for c in ("CN", "US", "EU")}
    coarse = m.groupby("country")["theil"].last()  # 每国最后一行：四大区域 / 4 个大区 / 27 国
    for c in ("CN", "US", "EU"):
        assert coarse[c] == pytest.approx(path[c]["between"], rel=1e-9)


def test_price_adjustment_reduces_dispersion():
    """名义值包含价格差异：欧盟购买力标准与美国地区价格平价都使差距变小（每一年）。"""
    eu_n, eu_p = world.path("EU", "cv"), world.path("EU", "cv", price="adjusted")
    assert (eu_p < eu_n).all()
    us_n = world.path("US", "cv")
    us_a = world.path("US", "cv", price="adjusted")
    assert (us_a < us_n.reindex(us_a.index)).all()


# ---------------------------------------------------------------- 错误与组件

@pytest.mark.parametrize("args,fragment", [
    (("JP",), "日本"), (("EU", "income"), "欧盟"), (("IN", "income"), "印度"),
    (("CN", "output", "adjusted"), "价格平价"), (("IN", "output", "adjusted"), "价格平价"),
])
def test_impossible_choices_raise_chinese(args, fragment):
    with pytest.raises(world.WorldError, match=fragment):
        world.unit_panel(*args)


def test_weighting_without_population_is_refused():
    with pytest.raises(world.WorldError, match="人口"):
        world.path("IN", "cv", weighted=True)
    assert world.path("IN", "cv", weighted=False).notna().all()


@pytest.fixture(scope="module")
def widget():
    return world.world_widget()


def _messages(views):
    return [v["text"] for v in views if v["type"] == "message"]


@pytest.mark.parametrize("choice,fragment", [
    (dict(countries="JP"), "都道府县人口"),
    (dict(countries="IN", weighted=True), "不能按人口加权"),
    (dict(countries="CN", price="adjusted"), "价格平价"),
    (dict(countries="EU", variable="income"), "居民收入"),
    (dict(countries="IN", weighted=False, xmark=1990), "不在当前数据的年份范围内"),
    (dict(countries="CN", xmin=2020, xmax=2010), "晚于"),
])
def test_widget_bad_choices_give_chinese_messages(widget, choice, fragment):
    msgs = _messages(widget.views(**choice))
    assert msgs and fragment in msgs[0]
    assert not any("Traceback" in m or " / " in m for m in msgs)


def test_widget_all_set_skips_and_says_so(widget):
    views = widget.views(countries="all", weighted=True)
    chart = next(v for v in views if v["type"] == "chart")
    assert {s["id"] for s in chart["series"]} == {"CN", "US", "EU"}
    assert "印度" in chart["note"]
    views = widget.views(countries="all", price="adjusted", weighted=True)
    chart = next(v for v in views if v["type"] == "chart")
    assert {s["id"] for s in chart["series"]} == {"US", "EU"}


def test_widget_values_match_paths(widget):
    views = widget.views(countries="US", measure="theil", variable="income", weighted=True, xmin=1929, xmax=2024)
    chart = next(v for v in views if v["type"] == "chart")
    path = world.path("US", "theil", "income")
    y = dict(zip(chart["x"], chart["series"][0]["y"]))
    for year in (path.index.min(), path.index.max()):
        assert y[year] == pytest.approx(path[year], rel=1e-5)


def test_widget_payload_within_budget(widget):
    payload = json.dumps(widget.payload(), ensure_ascii=False, separators=(",", ":")).encode()
    assert len(payload) < PAYLOAD_BUDGET
