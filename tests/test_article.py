"""quyu.article: every recomputed article figure and its verdict.

Reported values are read from data/article_figures.csv, never typed here. Expected recomputed
values are computed independently from data.panel / data.cities with plain pandas (no quyu.measures
or quyu.analysis), so a change in either the library or the data shows up as a failure.
"""
import math

import pandas as pd
import pytest

from quyu import article, data

REPRODUCED = article.VERDICTS["reproduced"]
CLOSE = article.VERDICTS["close"]
DIFFERS = article.VERDICTS["differs"]
SOURCE = article.VERDICTS["source"]
UNVERIFIABLE = article.VERDICTS["unverifiable"]


@pytest.fixture(scope="module")
def reported():
    return data.article_figures().set_index("figure_id")["value"].astype(float)


@pytest.fixture(scope="module")
def ledger():
    return article.ledger().set_index("figure_id")


# ---------------------------------------------------------------- independent computations

def _panel(vintage, year):
    return data.panel(vintage, years=[year]).set_index("code")


def _share(vintage, year, group):
    p = _panel(vintage, year)
    return 100 * p.loc[p["region4"] == group, "gdp"].sum() / p["gdp"].sum()


def _pc_ratio(vintage, year, a, b, pop="pop_mean"):
    p = _panel(vintage, year)
    pc = lambda g: p.loc[p["region4"] == g, "gdp"].sum() / p.loc[p["region4"] == g, pop].sum()
    return pc(a) / pc(b)


def _province_pc(vintage, year, code, pop="pop_mean"):
    p = _panel(vintage, year)
    return p.loc[code, "gdp"] * 1e4 / p.loc[code, pop]


def _city(code, indicator, year=None):
    c = data.cities(indicator)
    c = c[c["code"] == code]
    if year is not None:
        c = c[c["year"] == year]
    return float(c["value"].iloc[0])


def _city_pc_registered(code):  # GDP 万元 ÷ 户籍人口 万人 = 元/人
    return _city(code, "gdp_current", 2012) / _city(code, "pop_registered_yearend", 2012)


def _city_pc_census(code):  # GDP 万元 ÷ 普查人口（人）× 10^4 = 元/人
    return _city(code, "gdp_current", 2012) * 1e4 / _city(code, "pop_resident_census_2010_boundary_adj")


# ---------------------------------------------------------------- the regional figures (2.3)

@pytest.mark.parametrize("fid, vintage, year, group", [
    ("share_gdp_central_2012", "census2018", 2012, "central"),
    ("share_gdp_west_2012", "census2018", 2012, "west"),
    ("share_gdp_central_2021", "first_release", 2021, "central"),
    ("share_gdp_west_2021", "first_release", 2021, "west"),
])
def test_shares_reproduced(fid, vintage, year, group, ledger, reported):
    row = ledger.loc[fid]
    assert row["vintage_used"] == vintage
    assert row["recomputed"] == pytest.approx(_share(vintage, year, group), rel=1e-12)
    assert row["verdict"] == REPRODUCED
    assert round(row["recomputed"], article.printed_decimals(reported[fid])) == reported[fid]


@pytest.mark.parametrize("fid, vintage, year, a, b, verdict", [
    ("ratio_pc_east_central_2012", "census2018", 2012, "east", "central", REPRODUCED),
    ("ratio_pc_east_west_2012", "census2018", 2012, "east", "west", REPRODUCED),
    ("ratio_pc_east_central_2021", "first_release", 2021, "east", "central", REPRODUCED),
    # 1.674 rounds to 1.67, the article prints 1.68: close, not exact
    ("ratio_pc_east_west_2021", "first_release", 2021, "east", "west", CLOSE),
])
def test_per_capita_ratios(fid, vintage, year, a, b, verdict, ledger, reported):
    row = ledger.loc[fid]
    assert row["vintage_used"] == vintage and row["pop_basis"] == "mean"
    assert row["recomputed"] == pytest.approx(_pc_ratio(vintage, year, a, b), rel=1e-12)
    assert row["verdict"] == verdict


def test_east_west_2021_is_1674(ledger):
    # SOURCES_extra.md: first release 2021 + mean population gives E/W 1.674
    assert round(ledger.loc["ratio_pc_east_west_2021", "recomputed"], 3) == 1.674


# ---------------------------------------------------------------- Tianjin and Guizhou (2.1)

def test_tianjin_guizhou_closest_is_yearbook_mean(ledger, reported):
    for fid, code in (("pc_gdp_tianjin_2012", "12"), ("pc_gdp_guizhou_2012", "52")):
        row = ledger.loc[fid]
        assert (row["vintage_used"], row["pop_basis"]) == ("yearbook", "mean")
        assert row["recomputed"] == pytest.approx(_province_pc("yearbook", 2012, code), rel=1e-12)
        assert row["verdict"] == CLOSE
    assert round(ledger.loc["pc_gdp_tianjin_2012", "recomputed"]) == 93164  # SOURCES.md: "A 93,164"
    ratio = ledger.loc["ratio_tianjin_guizhou_2012"]
    assert ratio["recomputed"] == pytest.approx(
        _province_pc("yearbook", 2012, "12") / _province_pc("yearbook", 2012, "52"), rel=1e-12)
    # 4.73 rounds to the printed "约5倍" but is 5.5 % below 5: only "与约数相符", not reproduced
    assert ratio["verdict"] == article.VERDICTS["approximate"]
    assert abs(ratio["diff_rel"]) > article.CLOSE_TOLERANCE


def test_tianjin_matches_no_vintage(reported):
    alt = article.alternatives("pc_gdp_tianjin_2012")
    values = alt["value"].dropna()
    assert len(values) == 6  # current, census2018, yearbook × mean, yearend
    assert not alt["reproduced"].any()
    assert (values.sub(reported["pc_gdp_tianjin_2012"]).abs() / reported["pc_gdp_tianjin_2012"]).min() > 0.01
    # every vintage with 2012, both population bases, computed independently
    for r in alt.dropna(subset=["value"]).itertuples():
        pop = "pop_mean" if r.pop_basis == "mean" else "pop"
        assert r.value == pytest.approx(_province_pc(r.vintage, 2012, "12", pop), rel=1e-12)
    assert alt.loc[alt["closest"], "vintage"].tolist() == ["yearbook"]


def test_guizhou_matches_no_vintage():
    alt = article.alternatives("pc_gdp_guizhou_2012")
    assert not alt["reproduced"].any()
    missing = alt[alt["value"].isna()]
    assert set(missing["vintage"]) == {"compendium", "first_release"}
    assert missing["note_zh"].str.contains("没有 2012 年").all()


# ---------------------------------------------------------------- cities

def test_meizhou_registered(ledger, reported):
    row = ledger.loc["pc_gdp_meizhou_2012"]
    assert row["recomputed"] == pytest.approx(_city_pc_registered("441400"), rel=1e-12)
    assert row["verdict"] == CLOSE
    assert abs(row["diff_rel"]) < 0.01


def test_shenzhen_not_verifiable_and_population_choice(ledger, reported):
    row = ledger.loc["pc_gdp_shenzhen_2012"]
    assert math.isnan(row["recomputed"]) and row["verdict"] == UNVERIFIABLE
    assert "常住人口" in row["reason"]
    alt = article.alternatives("pc_gdp_shenzhen_2012").set_index("pop_basis")
    assert alt.loc["registered", "value"] == pytest.approx(_city_pc_registered("440300"), rel=1e-12)
    assert alt.loc["census2010", "value"] == pytest.approx(_city_pc_census("440300"), rel=1e-12)
    # Shenzhen's registered population is roughly a quarter of its residents
    share = _city("440300", "pop_registered_yearend", 2012) * 1e4 / _city(
        "440300", "pop_resident_census_2010_boundary_adj")
    assert 0.2 < share < 0.35
    assert abs(alt.loc["census2010", "diff_rel"]) < 0.01


def test_shenzhen_meizhou_ratio_variants():
    alt = article.alternatives("ratio_shenzhen_meizhou_2012").set_index("pop_basis")
    assert alt.loc["registered", "value"] == pytest.approx(
        _city_pc_registered("440300") / _city_pc_registered("441400"), rel=1e-12)
    assert alt.loc["census2010", "value"] == pytest.approx(
        _city_pc_census("440300") / _city_pc_census("441400"), rel=1e-12)
    assert alt.loc["mixed", "value"] == pytest.approx(
        _city_pc_census("440300") / _city_pc_registered("441400"), rel=1e-12)


@pytest.mark.parametrize("fid", ["pc_gdp_hotan_2012", "ratio_metros_hotan_2012", "pc_gdp_bj_sh_gz_avg_2012",
                                 "ratio_shenzhen_meizhou_2012", "hist_coastal_industry_share",
                                 "hist_northwest_area_share", "hist_northwest_industry_share",
                                 "hist_fyp1_central_west_investment_share"])
def test_unverifiable_have_reasons(fid, ledger):
    row = ledger.loc[fid]
    assert row["verdict"] == UNVERIFIABLE
    assert math.isnan(row["recomputed"])
    assert len(row["reason"]) > 10


def test_metros_variants():
    m = article.alternatives("pc_gdp_bj_sh_gz_avg_2012").set_index("pop_basis")["value"]
    codes = ("110100", "310100", "440100")
    assert m["registered_mean"] == pytest.approx(sum(_city_pc_registered(c) for c in codes) / 3, rel=1e-12)
    assert m["census2010_mean"] == pytest.approx(sum(_city_pc_census(c) for c in codes) / 3, rel=1e-12)


# ---------------------------------------------------------------- coordination index

def test_coordination_index(ledger, reported):
    ci = data.coordination_index()
    comp = ci[ci["index_name"].str.startswith("composite")].set_index("year")["value"]
    for fid, year in (("coordination_index_2012", 2012), ("coordination_index_2020", 2020)):
        assert ledger.loc[fid, "recomputed"] == comp[year] == reported[fid]
        assert ledger.loc[fid, "verdict"] == SOURCE
        assert "2013—2019" in ledger.loc[fid, "reason"]


# ---------------------------------------------------------------- the ledger as a whole

def test_ledger_covers_every_figure(ledger):
    assert list(ledger.index) == list(data.article_figures()["figure_id"])
    assert set(ledger["verdict"]) <= set(article.VERDICTS.values())
    ok = ledger["recomputed"].notna()
    assert (ledger.loc[ok, "diff_abs"] == ledger.loc[ok, "recomputed"] - ledger.loc[ok, "reported"]).all()


def test_ledger_verdict_counts(ledger):
    counts = ledger["verdict"].value_counts()
    assert counts[REPRODUCED] == 7   # the 7 regional figures
    assert counts[article.VERDICTS["approximate"]] == 1  # Tianjin/Guizhou "约5倍" (4.73)
    assert counts[CLOSE] == 4        # E/W 2021, Tianjin, Guizhou, Meizhou
    assert counts[SOURCE] == 2
    assert counts[UNVERIFIABLE] == 9


def test_ledger_with_vintage_lacking_year():
    led = article.ledger("first_release").set_index("figure_id")
    row = led.loc["share_gdp_central_2012"]
    assert row["verdict"] == UNVERIFIABLE and "没有 2012 年" in row["reason"]
    assert led.loc["share_gdp_central_2021", "verdict"] == REPRODUCED
    led = article.ledger("yearbook").set_index("figure_id")
    assert "没有 2021 年" in led.loc["ratio_pc_east_west_2021", "reason"]
    assert led.loc["share_gdp_central_2012", "recomputed"] == pytest.approx(_share("yearbook", 2012, "central"))
    assert led.loc["share_gdp_central_2012", "verdict"] == DIFFERS
    # the vintage does not apply to the city figures: same value, and the reason says so
    assert led.loc["pc_gdp_meizhou_2012", "recomputed"] == pytest.approx(_city_pc_registered("441400"))
    assert "不适用" in led.loc["pc_gdp_meizhou_2012", "reason"]


def test_recompute_with_vintage_and_errors():
    r = article.recompute("share_gdp_west_2012", vintage="current")
    assert r["value"] == pytest.approx(_share("current", 2012, "west"))
    r = article.recompute("pc_gdp_tianjin_2012", vintage="census2018", pop_basis="yearend")
    assert r["value"] == pytest.approx(_province_pc("census2018", 2012, "12", "pop"))
    with pytest.raises(data.DataError, match="未知的文章数字编号"):
        article.recompute("no_such_figure")
    with pytest.raises(data.DataError, match="未知的数据版本"):
        article.recompute("share_gdp_west_2012", vintage="v1999")


# ---------------------------------------------------------------- the article's arithmetic

def test_arithmetic_checks(reported):
    a = article.arithmetic_checks().set_index("figure_id")
    ratios = a[a["kind"] == "ratio"]
    for fid, (n, d) in {"ratio_tianjin_guizhou_2012": ("pc_gdp_tianjin_2012", "pc_gdp_guizhou_2012"),
                        "ratio_metros_hotan_2012": ("pc_gdp_bj_sh_gz_avg_2012", "pc_gdp_hotan_2012"),
                        "ratio_shenzhen_meizhou_2012": ("pc_gdp_shenzhen_2012", "pc_gdp_meizhou_2012")}.items():
        assert ratios.loc[fid, "implied"] == pytest.approx(reported[n] / reported[d])
    assert bool(ratios.loc["ratio_tianjin_guizhou_2012", "consistent"])      # 4.85 → 约5倍
    assert not bool(ratios.loc["ratio_metros_hotan_2012", "consistent"])     # 12.68 → 12.7, printed 12.6
    assert not bool(ratios.loc["ratio_shenzhen_meizhou_2012", "consistent"])  # 8.58 → 8.6, printed 8.5
    changes = a[a["kind"] == "change"]
    assert changes["consistent"].all()


@pytest.mark.parametrize("value, decimals", [(22.0, 0), (21.1, 1), (1.69, 2), (118.59, 2), (95093.0, 0)])
def test_printed_decimals(value, decimals):
    assert article.printed_decimals(value) == decimals


def test_reproduces_half_up():
    assert article.reproduces(21.98, 22) and article.reproduces(1.525, 1.53)
    assert not article.reproduces(1.674, 1.68) and not article.reproduces(float("nan"), 1.0)
