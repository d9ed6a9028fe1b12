"""Data after the source article (issue #29): policy events 2023-2026, official claims, 15th FYP items and the
2025 first-release staging table. Read with plain pandas: these tables have no loader of their own yet."""
import pandas as pd
import pytest

from quyu import data, plots

DATA = data.data_dir()


def _csv(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def test_policy_events_reach_the_15th_five_year_plan_outline():
    ev = data.events()
    assert ev["year"].max() >= 2026
    outline = ev[ev["event_zh"].str.contains("第十五个五年规划纲要", regex=False)]
    assert outline["date"].tolist() == ["2026-03-12"]
    # 原文之后（2023-11-01 以后）的每一行都有可查的网址，转载在 note 或 source_where 中注明
    late = ev[ev["date"] > "2023-11-01"]
    assert len(late) >= 12
    assert late["source_where"].str.contains("http").all()


def test_new_chart_labels_are_drawn_without_code_changes():
    labels = {e["x"]: e["label"] for e in plots.chart_events()}
    assert labels.get(2024) == "三中全会" and labels.get(2026) == "十五五规划"
    longest = max(len(lb) for lb in labels.values() if lb not in ("三中全会", "十五五规划"))
    assert len(labels[2024]) <= longest and len(labels[2026]) <= longest  # 新标签不比已有的长


def test_unfound_official_claims_carry_no_source():
    oc = _csv("official_claims.csv")
    missing = oc[oc["verification"] == "not_found"]
    assert (missing["url"] == "").all() and (missing["date"] == "").all()
    found = oc[oc["verification"] != "not_found"]
    assert found["url"].str.startswith("http").all()
    # 国务院 2023 年报告：东部/西部之比 2012 年 1.87、2022 年 1.64
    ew = found[found["claim_zh"].str.contains("东部与西部", regex=False) & (found["verification"] == "agency_report")]
    assert dict(zip(ew["years"], ew["value"].astype(float))) == {"2012": 1.87, "2022": 1.64}


def test_december_2025_article_is_a_repost_not_an_original():
    """议题 #29 的 2025 年 12 月文章：只在两个转载网页上读到，作者与原刊未识别，所以是 secondary_copy，不是 agency_report。"""
    oc = _csv("official_claims.csv").set_index("claim_id")
    art = oc.loc[["OC09", "OC10", "OC11"]]
    assert (art["verification"] == "secondary_copy").all()
    assert (art["date"] == "2025-12-08").all()
    assert art["url"].str.contains("t20251208_2627536", regex=False).all()
    assert art["source_document"].str.contains("只见转载", regex=False).all()
    assert "NOT identified" in art.loc["OC09", "note"] and "repost" in art.loc["OC09", "note"]
    assert dict(zip(art["years"], art["value"].astype(float))) == {"2020": 1.68, "2024": 1.65, "": 40.0}


def test_reposted_claims_are_recomputed_with_a_repost_warning():
    from quyu.parts.part4 import plan15
    led = plan15.claims_ledger()
    rep = led[led["claim_id"].isin(["OC09", "OC10"])]
    assert set(rep["claim_id"]) == {"OC09", "OC10"}
    assert rep["note"].str.startswith("转载中的数字，原文未核实").all()
    assert rep["source_zh"].str.contains("只见转载，未核实", regex=False).all()
    # 国务院报告的行不带这一警告
    assert not led.loc[led["verification"] == "agency_report", "note"].str.contains("转载").any()
    un = plan15.unchecked_claims().set_index("表述")
    oc11 = data.official_claims().set_index("claim_id").loc["OC11", "claim_zh"]
    assert "香港" in un.loc[oc11, "状态"] and "没有给出年份" in un.loc[oc11, "状态"]


def test_plan15_targets_not_found_are_left_empty():
    p = _csv("plan15_regional.csv")
    nf = p[p["verification"] == "target_not_found"]
    assert len(nf) >= 1 and (nf["target_value"] == "").all()
    assert (p.loc[p["verification"] == "verbatim_in_repost", "text_zh"] != "").all()


def test_incomplete_2025_first_release_stays_out_of_the_vintages():
    st = _csv("first_release_2025_staging.csv")
    provinces = set(data.provinces()["code"])
    vint = _csv("vintages.csv")
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    names = data.provinces().set_index("code")["name_zh_short"]
    for ind in ("gdp", "pop_yearend"):
        found = set(st.loc[(st["indicator"] == ind) & (st["code"] != "00"), "code"])
        assert found <= provinces
        if found != provinces:
            fr = vint[(vint["vintage"] == "first_release") & (vint["indicator"] == ind)]
            covers_2025 = ((fr["year_from"].astype(int) <= 2025) & (fr["year_to"].astype(int) >= 2025)).any()
            assert not covers_2025, f"{ind}: 2025 不完整却进入了 first_release 版本"
            if ind == "gdp":  # 台账逐一列出缺少的省份
                for code in sorted(provinces - found):
                    assert names[code] in readme.split("缺少的省份", 1)[1].split("\n\n", 1)[0], code
    assert "首次发布，将被修订" in readme


@pytest.mark.parametrize("code,value", [("32", 142351.5), ("00", 1401879.0)])
def test_2025_first_release_spot_values(code, value):
    st = _csv("first_release_2025_staging.csv")
    row = st[(st["code"] == code) & (st["indicator"] == "gdp")]
    assert float(row["value"].iloc[0]) == value
