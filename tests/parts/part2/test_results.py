"""第二部分“成效”一章（quyu.parts.part2.results）：比较组件由程序驱动，数字与库函数相同，坏的选择给出中文提示；
依赖数据的正文结论。"""
import pytest

from conftest import messages, num, stats

from quyu import analysis, data, fmt, measures, widgets
from quyu.parts.part2 import results

MSG = widgets.MESSAGES


def _names():
    return data.provinces().set_index("code")["name_zh_short"]


# ---------------------------------------------------------------- province comparison

@pytest.fixture(scope="module")
def province_widget():
    return results.compare(kind="province", vintage="census2018", a="12", b="52", year=2012)


@pytest.mark.parametrize("vintage, pop_basis, a, b, year", [
    ("census2018", "mean", "12", "52", 2012),
    ("yearbook", "mean", "12", "52", 2012),
    ("yearbook", "yearend", "12", "52", 2012),
    ("current", "mean", "31", "62", 2021),
    ("first_release", "mean", "44", "52", 2021),
])
def test_province_numbers_equal_library(province_widget, vintage, pop_basis, a, b, year):
    views = province_widget.views(vintage=vintage, pop_basis=pop_basis, a=a, b=b, year=year)
    assert not messages(views)
    s = stats(views)
    p = analysis.panel(vintage, pop_basis)
    p = p[p["year"] == year].set_index("code")
    names = _names()
    ya, yb = p.loc[a, "gdp_pc"], p.loc[b, "gdp_pc"]
    assert s[f"{names[a]}（{year} 年）"] == fmt.yuan(ya)
    assert s[f"{names[b]}（{year} 年）"] == fmt.yuan(yb)
    assert s[MSG["ratio"].format(a=names[a], b=names[b])] == fmt.ratio(ya / yb)


def test_default_view_is_tianjin_guizhou_census2018(province_widget):
    s = stats(province_widget.views())
    p = data.panel("census2018", years=[2012]).set_index("code")
    assert s["天津 ÷ 贵州"] == fmt.ratio(p.loc["12", "gdp_pc"] / p.loc["52", "gdp_pc"])


def test_same_province_twice(province_widget):
    views = province_widget.views(a="12", b="12")
    assert messages(views) == [MSG["same_unit"].format(a="天津")]
    assert not [v for v in views if v["type"] == "stats"]


@pytest.mark.parametrize("a, b", [("", "52"), ("12", ""), ("", "")])
def test_no_province(province_widget, a, b):
    assert MSG["no_unit"] in messages(province_widget.views(a=a, b=b))


@pytest.mark.parametrize("vintage, year", [("census2018", 1990), ("census2018", 2023), ("yearbook", 2021),
                                           ("first_release", 2012), ("compendium", 2012)])
def test_year_outside_vintage(province_widget, vintage, year):
    msgs = messages(province_widget.views(vintage=vintage, year=year))
    assert len(msgs) == 1
    assert msgs[0].startswith(f"{year} 年不在当前数据的年份范围内")
    assert not [v for v in province_widget.views(vintage=vintage, year=year) if v["type"] == "stats"]


# ---------------------------------------------------------------- city comparison

@pytest.fixture(scope="module")
def city_widget():
    return results.compare(kind="city", a="440300", b="441400", year=2012)


def test_city_registered_equals_library(city_widget):
    s = stats(city_widget.views())
    c = analysis.city_per_capita("registered").set_index(["code", "year"])
    sz, mz = c.loc[("440300", 2012), "gdp_pc"], c.loc[("441400", 2012), "gdp_pc"]
    assert s["深圳市（2012 年）"] == fmt.yuan(sz)
    assert s["梅州市（2012 年）"] == fmt.yuan(mz)
    assert s["深圳市 ÷ 梅州市"] == fmt.ratio(sz / mz)


def test_city_census_year_and_missing(city_widget):
    msgs = messages(city_widget.views(population="census", year=2012))
    assert msgs and msgs[0].startswith("2012 年不在当前数据的年份范围内")
    # the census basis exists only for 2010, and Meizhou has no 2010 GDP in data/
    msgs = messages(city_widget.views(population="census", year=2010))
    assert msgs == [MSG["missing"].format(unit="梅州市", year=2010)]


def test_city_same_and_none(city_widget):
    assert messages(city_widget.views(a="440300", b="440300")) == [MSG["same_unit"].format(a="深圳市")]
    assert MSG["no_unit"] in messages(city_widget.views(a=""))


# ---------------------------------------------------------------- prose that depends on the data

def test_city_ratio_extremes_and_tongling_boundary_case():
    # results.md, ex-p2-3-4: 2012 registered ÷ 2010 census (2020 boundaries). The prose names 铜陵
    # as a boundary-change artefact among the smallest ratios and says 东莞 has no 2012 data.
    reg = analysis.city_per_capita("registered")
    reg = reg[reg["year"] == 2012].set_index("code")
    cen = data.cities("pop_resident_census_2010_boundary_adj").set_index("code")["value"] / 1e4
    ratio = (reg["pop"] / cen.reindex(reg.index)).dropna().sort_values()
    assert "340700" in ratio.index[:5]          # 铜陵 (枞阳县 added in 2015)
    assert "512000" in ratio.index[-5:]         # 资阳 (简阳市 moved to 成都 in 2016)
    assert ratio.index[0] == "440300"           # 深圳 smallest
    assert "441900" not in reg.index            # 东莞: no 2012 data


def test_coordination_living_gain_below_infrastructure():
    # results.md: the living-standards sub-index rose less than the infrastructure one
    ci = data.coordination_index().set_index("index_name")["value"]
    infra = ci[[k for k in ci.index if "infrastructure" in k]].iloc[0]
    living = ci[[k for k in ci.index if "living standards" in k]].iloc[0]
    assert living - 100 < (infra - 100) / 2


# ---------------------------------------------------------------- compare：与库函数对照（原 test_widgets.py）

def test_compare_two_provinces_equals_library():
    w = results.compare(vintage="census2018", a="12", b="52", year=2012)
    items = stats(w.views())
    p = data.panel("census2018").set_index(["code", "year"])["gdp_pc"]
    tj, gz = p[("12", 2012)], p[("52", 2012)]
    assert num(items["天津（2012 年）"]) == round(tj)
    assert num(items["贵州（2012 年）"]) == round(gz)
    assert num(items["天津 ÷ 贵州"]) == pytest.approx(measures.ratio(tj, gz), abs=0.005)


def test_compare_follows_vintage_and_population_basis():
    w = results.compare()
    for vintage in ("current", "yearbook"):
        for basis in ("mean", "yearend"):
            items = stats(w.views(vintage=vintage, pop_basis=basis, a="31", b="62", year=2015))
            p = data.panel(vintage, pop_basis=basis).set_index(["code", "year"])["gdp_pc"]
            assert num(items["上海（2015 年）"]) == round(p[("31", 2015)])


@pytest.mark.parametrize("choice, expected", [
    ({"a": "", "b": "52"}, "请先选择"),
    ({"a": "52", "b": "52"}, "同一个地区"),
    ({"year": 1985}, "不在当前数据的年份范围内"),
    ({"vintage": "yearbook", "pop_basis": "mean", "year": 2000}, "数据缺失"),
])
def test_compare_bad_choices_give_chinese_messages(choice, expected):
    views = results.compare().views(**choice)
    assert views[0]["type"] == "message" and expected in views[0]["text"]


def test_compare_cities_uses_registered_population():
    w = results.compare(kind="city", a="440300", b="441400", year=2012)
    items = stats(w.views())
    df = analysis.city_per_capita("registered").set_index(["code", "year"])["gdp_pc"]
    assert num(items["深圳市 ÷ 梅州市"]) == pytest.approx(df[("440300", 2012)] / df[("441400", 2012)], abs=0.005)
    census = w.views(population="census", year=2012)
    assert census[0]["type"] == "message" and "2012" in census[0]["text"]
