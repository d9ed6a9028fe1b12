"""quyu.data: loader behaviour, error messages, and published NBS spot values per vintage."""
import math

import numpy as np
import pandas as pd
import pytest

from quyu import data
from quyu.data import DataError


# ---------------------------------------------------------------- structure

def test_vintages_read_from_data():
    # 独立地读 vintages.csv（不经 quyu.data），与加载器给出的版本、年份、来源对照；不钉死最新年份
    import csv

    with open(data.data_dir() / "vintages.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = tuple(dict.fromkeys(r["vintage"] for r in rows))
    assert data.VINTAGES == names
    assert set(names) >= {"current", "census2018", "yearbook", "compendium", "first_release"}
    for v in names:
        mine = [r for r in rows if r["vintage"] == v]
        info = data.vintage_info(v)
        gdp_years = sorted({y for r in mine if r["indicator"] == "gdp"
                            for y in range(int(r["year_from"]), int(r["year_to"]) + 1)})
        assert info["years"] == gdp_years, v
        assert {s["source_id"] for s in info["sources"]} == {r["source_id"] for r in mine}
        assert info["label_zh"] == mine[0]["label_zh"]
    assert data.vintage_info("yearbook")["years"] == list(range(2000, 2018))  # 年鉴口径是封存的历史版本


def test_provinces_are_31_with_text_codes():
    p = data.provinces()
    assert len(p) == 31
    assert p["code"].tolist()[:2] == ["11", "12"]
    assert p["code"].str.len().eq(2).all()


@pytest.mark.parametrize("vintage", ["current", "census2018", "yearbook", "compendium", "first_release"])
def test_panel_has_31_provinces_per_year(vintage):
    df = data.panel(vintage)
    assert df.groupby("year")["code"].nunique().eq(31).all()
    assert not df.duplicated(["code", "year"]).any()
    assert sorted(df["year"].unique()) == data.vintage_info(vintage)["years"]
    assert "00" not in set(df["code"])
    assert data.check_one_vintage(df) == vintage


def test_panel_columns():
    df = data.panel("current", years=2020)
    for col in ["code", "name", "name_en", "year", "gdp", "pop", "pop_mean", "gdp_pc",
                "region4", "region3_1986", "region3_wd2000", "jjj", "yrd", "yreb",
                "yellow_river", "chengyu", "gba_proxy", "gdp_source", "pop_source"]:
        assert col in df.columns, col
    bj = df.set_index("code").loc["11"]
    assert bj["name"] == "北京" and bj["jjj"] == "jjj" and bj["region4"] == "east"
    assert math.isclose(bj["gdp_pc"], bj["gdp"] * 1e4 / bj["pop_mean"])


def test_region4_counts():
    counts = data.scheme("region4").value_counts()
    assert counts.to_dict() == {"west": 12, "east": 10, "central": 6, "northeast": 3}
    assert data.scheme("region4", labels=True).loc["21"] == "东北地区"


def test_strategy_schemes():
    assert (data.scheme("yreb") == "yreb").sum() == 11
    assert (data.scheme("yellow_river") == "yellow_river").sum() == 9
    assert set(data.scheme("yrd")[lambda s: s == "yrd"].index) == {"31", "32", "33", "34"}
    assert data.scheme("gba_proxy")[lambda s: s != "other"].index.tolist() == ["44"]
    assert data.scheme("region3_wd2000").value_counts().to_dict() == {"west": 12, "east": 11, "central": 8}
    assert data.scheme("region3_1986").value_counts().to_dict() == {"east": 12, "west": 10, "central": 9}
    assert "gba_proxy" in set(data.schemes()["scheme"])
    assert "代理" in data.schemes().set_index("scheme").loc["gba_proxy", "scheme_zh"]


# ---------------------------------------------------------------- errors list valid choices

def test_unknown_vintage_lists_choices():
    with pytest.raises(DataError) as e:
        data.panel("v1999")
    msg = str(e.value)
    assert "未知的数据版本" in msg and "unknown vintage" in msg
    for v in data.VINTAGES:
        assert v in msg


def test_year_outside_vintage():
    with pytest.raises(DataError) as e:
        data.panel("first_release", years=2020)
    assert "2019, 2021, 2023" in str(e.value)
    with pytest.raises(DataError, match="2000–2017"):
        data.panel("yearbook", years=[2012, 2018])


def test_unknown_scheme_indicator_city_pop_basis():
    with pytest.raises(DataError, match="region4"):
        data.scheme("provinces7")
    with pytest.raises(DataError, match="rd_intramural_exp"):
        data.indicator("gdp_real")
    with pytest.raises(DataError, match="yearend"):
        data.panel(pop_basis="median")
    with pytest.raises(DataError, match="unknown city"):
        data.city("不存在市")
    with pytest.raises(DataError, match="gdp_current"):
        data.cities(indicator="gdp")
    with pytest.raises(DataError, match="2012"):
        data.cities(year=1999)


def test_registered_population_refused():
    with pytest.raises(DataError) as e:
        data.panel(population="registered")
    msg = str(e.value)
    assert "户籍" in msg and "registered" in msg and "compendium" in msg


def test_indicator_with_several_vintages_requires_source_id():
    with pytest.raises(DataError) as e:
        data.indicator("gdp")
    assert "nbs_gdp_2006_2024_v2025" in str(e.value)
    one = data.indicator("gdp", source_id="nbs_gdp_2006_2024_v2025")
    assert set(one["source_id"]) == {"nbs_gdp_2006_2024_v2025"}
    with pytest.raises(DataError, match="cstsy_ed2011"):
        data.indicator("rd_intramural_exp", source_id="nbs_gdp_2006_2024_v2025")


def test_indicator_with_one_source_per_year_is_fine():
    rd = data.indicator("rd_intramural_exp")
    assert rd["year"].min() == 2010 and rd["year"].max() == 2023
    assert rd.groupby("year")["source_id"].nunique().eq(1).all()
    assert rd.groupby("year")["code"].size().eq(31).all()  # national row excluded
    assert (rd["source_id"] == "cstsy_ed" + (rd["year"] + 1).astype(str)).all()


# ---------------------------------------------------------------- population, per capita

def test_mean_population_missing_in_first_year_only():
    yb = data.panel("yearbook")
    first = yb[yb["year"] == 2000]
    assert first["pop_mean"].isna().all() and first["gdp_pc"].isna().all()
    assert first["pop"].notna().all()
    assert yb[yb["year"] > 2000]["pop_mean"].notna().all()
    assert data.missing_report(yb, "pop_mean") == {2000: data.provinces()["name_zh_short"].tolist()}
    # other vintages carry t-1 population in the same source chain
    assert data.missing_report(data.panel("current"), "gdp_pc") == {}
    assert data.missing_report(data.panel("compendium"), "gdp_pc") == {}


def test_yearend_basis_and_no_division_by_zero():
    df = data.panel("current", years=2020, pop_basis="yearend")
    assert np.allclose(df["gdp_pc"], df["gdp"] * 1e4 / df["pop"])
    assert np.isfinite(df["gdp_pc"]).all()


def test_current_population_chain_overlap_agrees():
    long = pd.read_csv(data.data_dir() / "province_panel.csv", dtype={"code": str})
    pop = long[long["indicator"] == "pop_yearend"].pivot_table(
        index=["code", "year"], columns="source_id", values="value")
    both = pop[["nbs_pop_2000_2022_v2023", "nbs_pop_2015_2024_v2025"]].dropna()
    assert len(both) == 31 * 8
    assert (both.iloc[:, 0] == both.iloc[:, 1]).all()


# ---------------------------------------------------------------- published NBS spot values

def _sum(vintage, year):
    return data.panel(vintage, years=year)["gdp"].sum()


def test_provincial_gdp_sums_by_vintage():
    assert _sum("yearbook", 2014) == pytest.approx(684349.42, abs=0.01)   # CSY2015 table 3-9
    assert round(_sum("yearbook", 2012)) == 576552
    assert round(_sum("census2018", 2012)) == 543063
    assert round(_sum("current", 2012)) == 551420
    assert _sum("first_release", 2023) == pytest.approx(1250931.8, abs=0.05)
    assert _sum("current", 2023) == pytest.approx(1283801.5, abs=0.05)


def _value(vintage, year, code, col="gdp"):
    df = data.panel(vintage, years=year).set_index("code")
    return df.loc[code, col]


def test_first_release_vs_revised_values():
    assert _value("first_release", 2021, "44") == pytest.approx(124369.67)
    assert _value("first_release", 2021, "11") == pytest.approx(40269.6)
    assert _value("first_release", 2023, "11") == pytest.approx(43760.7)
    assert _value("current", 2023, "11") == pytest.approx(47353.7)
    assert data.panel("first_release", 2021).set_index("code").loc["44", "gdp_source"] == "prov_prelim_2021_gdp"


def _regional_2012_2021(vintage: str, year: int) -> dict:
    """Shares of the 31-province sum (percent) and ΣGDP/Σmean-population ratios, computed directly."""
    df = data.panel(vintage, years=year)
    share = df.groupby("region4")["gdp"].sum() / df["gdp"].sum() * 100
    g = df.groupby("region4")[["gdp", "pop_mean"]].sum()
    pc = g["gdp"] / g["pop_mean"]
    return {f"share_gdp_central_{year}": share["central"], f"share_gdp_west_{year}": share["west"],
            f"ratio_pc_east_central_{year}": pc["east"] / pc["central"],
            f"ratio_pc_east_west_{year}": pc["east"] / pc["west"]}


@pytest.mark.parametrize("vintage, year", [("census2018", 2012), ("first_release", 2021)])
def test_article_regional_figures_reproduce(vintage, year):
    """The article's regional figures (read from article_figures.csv, never typed) come out of data/
    to the printed precision — except East/West 2021, 1.674 against the printed 1.68 (SOURCES notes)."""
    reported = data.article_figures().set_index("figure_id")["value"].astype(float)
    for fid, value in _regional_2012_2021(vintage, year).items():
        digits = 1 if fid.startswith("share") else 2
        if fid == "ratio_pc_east_west_2021":
            assert abs(value - reported[fid]) < 0.01 and round(value, digits) != reported[fid]
        else:
            assert round(value, digits) == reported[fid], fid


def test_shenzhen_2012_gdp_in_cities():
    sz = data.city("深圳")
    row = sz[(sz["year"] == 2012) & (sz["indicator"] == "gdp_current")]
    assert len(row) == 1 and row["unit"].item() == "10k_yuan"
    assert row["value"].item() / 1e4 == pytest.approx(12950.06)
    assert data.city("440300").equals(sz)


def test_city_outlier_flags_kept():
    c = data.cities(indicator="pop_registered_yearend", year=2011)
    assert (c["note"] == "suspect_outlier_in_source").sum() == 36


def test_national_series_and_income_break():
    urban = data.national("disp_income_pc_urban")
    assert urban.index.min() == 1978 and urban.index.max() == 2016
    rural = data.national("income_pc_rural_net_to2012_disp_from2013")
    assert rural.loc[2012] == pytest.approx(7916.6) and rural.loc[2013] == pytest.approx(9429.59)
    assert "2013" in rural.attrs["note"]
    with pytest.raises(DataError, match="nat_gdp_1959_2018_v2019"):
        data.national("gdp")
    assert data.national("gdp", source_id="nat_gdp_1959_2018_v2019").loc[2012] == pytest.approx(538580, rel=1e-4)


# ---------------------------------------------------------------- one vintage only

def test_check_one_vintage_refuses_a_mix():
    mix = pd.concat([data.panel("yearbook", years=2012), data.panel("census2018", years=2013)])
    with pytest.raises(DataError) as e:
        data.check_one_vintage(mix)
    assert "nbs_gdp_1993_2017_v2018" in str(e.value) and "yearbook" in str(e.value)


def test_check_one_vintage_refuses_year_outside_vintage():
    # the same source id in a year that belongs to another vintage (2023 first release)
    long = data.indicator("gdp", source_id="nbs_gdp_2005_2023_v2024b").assign(indicator="gdp")
    with pytest.raises(DataError):
        data.check_one_vintage(long)
    assert data.check_one_vintage(long[long["year"] <= 2022]) == "census2018"


def test_check_one_vintage_accepts_single_extra_release():
    long = data.indicator("gdp", source_id="nbs_gdp_2011_2019_v2020").assign(indicator="gdp")
    assert data.check_one_vintage(long) is None


# ---------------------------------------------------------------- reference tables

def test_reference_tables():
    ev = data.events()
    assert ev["year"].dtype.kind == "i" and ev["year"].min() == 1979
    st = data.stages()
    assert st["start_year"].tolist() == [1949, 1978, 1999, 2012]
    assert pd.isna(st["end_year"].iloc[-1])
    assert st["basis"].str.contains("约定").all()
    tg = data.tile_grid()
    assert set(tg["code"]) == set(data.provinces()["code"])
    assert len(data.sources()) == data.sources()["source_id"].nunique()
    assert data.coordination_index().query("year == 2020")["value"].max() == pytest.approx(130.27)
    assert not data.free_trade_zones()["note"].fillna("").str.startswith("http").any()


def test_every_source_id_is_in_the_ledger():
    ledger = set(data.sources()["source_id"])
    long = pd.read_csv(data.data_dir() / "province_panel.csv")
    assert set(long["source_id"]) <= ledger
    assert set(data.cities()["source_id"]) <= ledger


def test_reads_are_copies():
    a = data.provinces()
    a.loc[0, "name_zh_short"] = "X"
    assert data.provinces().loc[0, "name_zh_short"] == "北京"


def test_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("QUYU_DATA", str(tmp_path))
    assert data.data_dir() == tmp_path.resolve()
    with pytest.raises(DataError, match="not found"):
        data.provinces()


def test_cached_returns_copies_and_keys_on_arguments_and_data_dir(tmp_path, monkeypatch):
    """data.cached：同样的参数只算一次；每次返回副本；列表参数按内容作键；数组参数不缓存；换数据目录重算。"""
    import numpy as np
    import pandas as pd

    calls = []

    @data.cached
    def f(x, years=None):
        calls.append((x, years))
        return pd.DataFrame({"x": [x], "n": [len(years or [])]})

    a = f(1, years=[2012, 2013])
    a.loc[0, "x"] = 99  # 改动返回值不影响缓存
    b = f(1, years=[2012, 2013])
    assert b.loc[0, "x"] == 1 and len(calls) == 1
    f(1, years=(2012, 2013))  # 元组与列表是不同的参数
    f(1, years=[2012])
    assert len(calls) == 3
    f(1, years=np.array([2012]))  # 不可散列：每次都算
    f(1, years=np.array([2012]))
    assert len(calls) == 5
    monkeypatch.setenv("QUYU_DATA", str(tmp_path))
    f(1, years=[2012, 2013])
    assert len(calls) == 6


# ---------------------------------------------------------------- reading by table schema; one cache

def test_text_columns_follow_the_table_schemas():
    """每个表中表结构写为 string 的列都读成文本（代码“01”不是 1），number 列读成浮点数。"""
    import json

    package = json.loads((data.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        df = data._read(res["path"])
        for field in res["schema"]["fields"]:
            col = df[field["name"]].dropna()
            if field["type"] == "string":
                assert all(isinstance(v, str) for v in col), (res["path"], field["name"])
            elif field["type"] == "number":
                assert df[field["name"]].dtype == float, (res["path"], field["name"])
    pairs = data.contiguity()
    assert pairs["code_a"].str.fullmatch(r"\d{2}").all()  # 表结构中是 string：“11”，不是 11
    assert set(data.article_figures()["section"]) >= {"1.1", "2.1"}  # 节号是文本，不是小数


def _cached_calls():
    from quyu import analysis, plots

    return [
        ("data.panel", lambda: data.panel("current")),
        ("data.scheme", lambda: data.scheme("region4", labels=True)),
        ("data.vintage_info", lambda: data.vintage_info("current")),
        ("data.provinces", data.provinces),
        ("analysis.disparity", lambda: analysis.disparity("current", "theil_t", True, "region4")),
        ("analysis.regional", lambda: analysis.regional("current")),
        ("plots.chart_events", plots.chart_events),
        ("plots.stage_bands", plots.stage_bands),
    ]


@pytest.mark.parametrize("name", [n for n, _ in _cached_calls()])
def test_changing_a_cached_result_does_not_change_the_next_call(name):
    call = dict(_cached_calls())[name]
    first, expected = call(), call()
    if isinstance(first, (pd.DataFrame, pd.Series)):
        first.index = range(100, 100 + len(first))  # 改动返回的对象本身：索引、数值、attrs
        if isinstance(first, pd.DataFrame):
            first[first.columns[-1]] = "改动"
        else:
            first.iloc[0] = "改动"
        first.attrs["changed"] = True
        again = call()
        assert "changed" not in again.attrs and not again.index.equals(first.index)
        assert (again.iloc[0] if isinstance(again, pd.Series) else again.iloc[0, -1]) != "改动"
        if isinstance(again, pd.DataFrame):
            pd.testing.assert_frame_equal(again, expected)
        else:
            pd.testing.assert_series_equal(again, expected)
    elif isinstance(first, dict):
        first.clear()
        assert call() == expected and expected
    else:  # 字典的列表
        first[0]["label"] = "改动"
        first.append({})
        again = call()
        assert again == expected and again[0]["label"] != "改动" and len(again) == len(first) - 1


def _edited_copy(tmp_path, edit):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data.data_dir(), copy)
    edit(copy)
    return copy


def test_switching_data_dir_gives_that_directorys_data(tmp_path, monkeypatch):
    """换一个数据目录（QUYU_DATA），读到的表和记住的计算都来自那个目录；换回来又是原来的。"""
    from quyu import analysis

    here = data.data_dir()
    name = data.provinces().loc[0, "name_zh_short"]
    gdp = data.panel("current").query("code == '11'").set_index("year")["gdp"]
    cv = analysis.disparity("current", "cv")["value"]
    year = int(gdp.index.max())

    def edit(folder):
        prov = (folder / "provinces.csv").read_text(encoding="utf-8")
        (folder / "provinces.csv").write_text(prov.replace(f",{name},", ",另一个名字,", 1), encoding="utf-8")
        long = pd.read_csv(folder / "province_panel.csv", dtype=str, keep_default_na=False)
        hit = (long["code"] == "11") & (long["indicator"] == "gdp") & (long["year"] == str(year))
        assert hit.any()
        long.loc[hit, "value"] = (long.loc[hit, "value"].astype(float) * 10).map(repr)
        long.to_csv(folder / "province_panel.csv", index=False)

    other = _edited_copy(tmp_path, edit)
    monkeypatch.setenv("QUYU_DATA", str(other))
    assert data.data_dir() == other.resolve()
    assert data.provinces().loc[0, "name_zh_short"] == "另一个名字"
    moved = data.panel("current").query("code == '11'").set_index("year")["gdp"]
    assert moved[year] == pytest.approx(10 * gdp[year])
    assert moved.drop(year).equals(gdp.drop(year))
    assert analysis.disparity("current", "cv")["value"][year] != pytest.approx(cv[year])
    monkeypatch.setenv("QUYU_DATA", str(here))
    assert data.provinces().loc[0, "name_zh_short"] == name
    assert data.panel("current").query("code == '11'").set_index("year")["gdp"].equals(gdp)
    assert analysis.disparity("current", "cv")["value"].equals(cv)
