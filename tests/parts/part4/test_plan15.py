"""第四部分“从文章到‘十五五’规划”一章（quyu.parts.part4.plan15）：官方数字的重算与 ``data.panel`` 的独立计算对照，
结论的规则，对照表只引用逐字读到的短语，记分卡的最新年份等于数据的最新年份，规划期取自数据。
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from quyu import data
from quyu.parts.part4 import plan15

GROUP = {"东部": "east", "中部": "central", "西部": "west"}


def _independent(claim: pd.Series, vintage: str, pop_col: str) -> float | None:
    """从 data.panel 直接算：人均比 = ΣGDP / Σ人口；份额 = 区域 GDP / 31 省 GDP × 100。"""
    p = data.panel(vintage)
    b = p[p["year"] == int(claim["years"])]
    if b.empty or b["gdp"].isna().any():
        return None
    gdp = b.groupby("region4")["gdp"].sum()
    if claim["unit"] == "ratio":
        if b[pop_col].isna().any():
            return None
        pop = b.groupby("region4")[pop_col].sum()
        a, c = (GROUP[x] for x in claim["regions"].split("/"))
        return (gdp[a] / pop[a]) / (gdp[c] / pop[c])
    return 100 * gdp[GROUP[claim["regions"]]] / gdp.sum()


def test_ledger_matches_independent_computation_on_every_vintage():
    led = plan15.claims_ledger()
    claims = data.official_claims().set_index("claim_id")
    assert len(led) >= 8
    for r in led.itertuples():
        c = claims.loc[r.claim_id]
        exp = _independent(c, r.vintage, "pop_mean")
        assert exp is not None, (r.claim_id, r.vintage)
        assert r.mean == pytest.approx(exp, rel=1e-9), (r.claim_id, r.vintage)
        if c["unit"] == "ratio":
            assert r.yearend == pytest.approx(_independent(c, r.vintage, "pop"), rel=1e-9)


def test_every_vintage_with_the_year_is_used_and_no_other():
    led = plan15.claims_ledger()
    claims = data.official_claims().set_index("claim_id")
    for cid in led["claim_id"].unique():
        c = claims.loc[cid]
        expected = {v for v in data.VINTAGES if _independent(c, v, "pop_mean") is not None}
        assert set(led.loc[led["claim_id"] == cid, "vintage"]) == expected, cid


def test_not_found_claims_are_never_recomputed_and_are_listed():
    claims = data.official_claims()
    nf = claims[claims["verification"] == "not_found"]  # 议题 #29 的三条已在转载中找到，现在可以为空
    led = plan15.claims_ledger()
    assert not set(nf["claim_id"]) & set(led["claim_id"])
    un = plan15.unchecked_claims()
    listed = un[un["状态"] == "未能找到原文，不予核对"]["表述"]
    assert set(listed) == set(nf["claim_zh"])


def test_state_council_figures_are_all_checked():
    claims = data.official_claims()
    sc = claims[claims["source_document"].str.startswith("国务院") & (claims["verification"] != "not_found")]
    led = set(plan15.claims_ledger()["claim_id"])
    assert set(sc["claim_id"]) <= led
    # 其余进入核对表的只能是单一年份、四大板块的表述（如只见转载的 2025 年 12 月文章），期间约数与三大地区不进入
    for cid in led - set(sc["claim_id"]):
        c = claims.set_index("claim_id").loc[cid]
        assert c["years"].isdigit() and c["regions"] in ("东部/中部", "东部/西部", "中部", "西部", "东部", "东北"), cid


@pytest.mark.parametrize("values, reported, verdict", [
    ({"mean": 1.694, "yearend": 1.70}, "1.69", "重现"),
    ({"mean": 1.704, "yearend": 1.694}, "1.69", "重现"),
    ({"mean": 1.75, "yearend": 1.76}, "1.69", "接近"),
    ({"mean": 1.80, "yearend": 1.79}, "1.69", "不符"),
    ({"mean": 1.537, "yearend": 1.538}, "1.50", "接近"),   # “1.50”印了两位小数：1.537 不是重现
    ({"mean": 1.504, "yearend": 1.538}, "1.50", "重现"),
    ({None: 21.25}, "21.3", "重现"),
    ({None: 21.24}, "21.3", "接近"),
    ({None: 20.0}, "21.3", "不符"),
])
def test_verdict_rules(values, reported, verdict):
    assert plan15.claim_verdict(values, reported)[0] == verdict


def test_verdict_names_the_population_basis_that_reproduces():
    v, note = plan15.claim_verdict({"mean": 1.704, "yearend": 1.694}, "1.69")
    assert v == "重现" and "年末人口" in note and "年平均人口" not in note


def test_printed_precision_comes_from_the_text():
    claims = data.official_claims().set_index("claim_id")
    assert claims.loc["OC03", "value_printed"] == "1.50"
    assert plan15.printed_decimals("1.50") == 2 and plan15.printed_decimals("21.3") == 1
    led = plan15.claims_ledger().set_index(["claim_id", "vintage"])
    for (cid, v), r in led.iterrows():
        dec = plan15.printed_decimals(claims.loc[cid, "value_printed"])
        hit = any(round(x + 1e-12, dec) == round(r["reported"], dec) for x in (r["mean"], r["yearend"]) if pd.notna(x))
        assert (r["verdict"] == "重现") == hit, (cid, v)


def test_differing_rows_say_why():
    led = plan15.claims_ledger()
    bad = led[led["verdict"] != "重现"]
    assert len(bad) and (bad["why"].str.len() > 0).all()
    assert (led.loc[led["verdict"] == "重现", "why"] == "").all()


def test_scorecard_latest_year_is_the_data_latest_year():
    sc = plan15.scorecard("current").set_index("key")
    p = data.panel("current")
    gdp_last = int(p.dropna(subset=["gdp"])["year"].max())
    pop_last = int(p.dropna(subset=["pop"])["year"].max())
    urb_last = int(data.indicator("urbanization_rate").dropna(subset=["value"])["year"].max())
    assert sc.loc["gdp_share", "last_year"] == gdp_last
    assert sc.loc["pop_share", "last_year"] == pop_last
    assert sc.loc["urban_cv", "last_year"] == urb_last
    assert (sc["start_year"] == plan15.base_year()).all()


def test_scorecard_values_and_verdicts():
    sc = plan15.scorecard("current").set_index("key")
    u = data.indicator("urbanization_rate").pivot(index="year", columns="code", values="value")
    y0, y1 = plan15.base_year(), int(sc.loc["urban_range", "last_year"])
    assert sc.loc["urban_range", "start"] == pytest.approx(u.loc[y0].max() - u.loc[y0].min())
    assert sc.loc["urban_range", "last"] == pytest.approx(u.loc[y1].max() - u.loc[y1].min())
    cv = u.loc[y1].std(ddof=0) / u.loc[y1].mean()
    assert sc.loc["urban_cv", "last"] == pytest.approx(cv, rel=1e-6)
    for key, r in sc.iterrows():
        sign = 1 if r["expect"] == "上升" else -1
        if abs(r["change"]) <= plan15.SCORE_TOLERANCE[key]:
            assert r["verdict"] == "基本持平"
        else:
            assert r["verdict"] == ("与判断一致" if r["change"] * sign > 0 else "与判断相反")


def test_side_by_side_quotes_only_verbatim_phrases():
    t = plan15.side_by_side()
    phrases = data.plan15_regional()
    verbatim = set(phrases.loc[phrases["verification"] == "verbatim_in_repost", "text_zh"])
    for q in t["公报原话"]:
        if q != "—":
            assert any(f"“{v}”" in q for v in verbatim), q
    assert set(t["本书的归类"]) <= set(plan15.STATUS_ZH.values())
    assert (t["依据"].str.len() > 0).all()


def test_unreached_lists_the_outline_rows():
    p = data.plan15_regional()
    assert len(plan15.unreached()) == int(p["verification"].isin(["not_found", "target_not_found"]).sum()) >= 1


def test_plan_period_and_scenario_at_plan_end():
    start, end = plan15.plan_period()
    assert end - start == 4
    scn = plan15.scenario_plan_end("current")
    a = scn.attrs
    assert a["end_year"] == end
    n = end - a["start_year"]
    g = scn[scn["setting"] == "gap"].set_index("gap")
    assert g.loc[-1.0, "east_central"] == pytest.approx(a["east_central0"] * math.exp(-0.01 * n))
    assert g.loc[0.0, "east_west"] == pytest.approx(a["east_west0"])
    c = scn.set_index("setting")
    assert c.loc["speed", "east_central"] == pytest.approx(
        math.exp(math.log(a["east_central0"]) * math.exp(-a["speed"] * n)))
    assert c.loc["speed_hi", "east_central"] <= c.loc["speed", "east_central"] <= c.loc["speed_lo", "east_central"]


def test_staging_coverage_never_aggregates_with_a_missing_member():
    cov = plan15.staging_coverage()
    assert len(cov["gdp"]) + len(cov["missing_gdp"]) == cov["n_provinces"]
    # 暂存表只有在 31 个省份都有、且都不是未经核实的转载时，才改用 tools/add_year.py --from-staging 加入版本
    assert cov["missing_gdp"] or cov["gdp_secondary"] > 0, "暂存表已全且都经核实：应加入 first_release 版本"
    # 暂存年份不在任何版本中：记分卡与重算都不会用到它
    assert all(cov["year"] not in data.vintage_info(v)["years"] for v in data.VINTAGES)
    assert (plan15.scorecard("current")["last_year"] < cov["year"]).all()


def _ledger(rows):
    return pd.DataFrame(rows, columns=["claim_id", "verdict", "mean"])


def test_ledger_summary_is_chosen_by_the_numbers():
    """正文的结论句由核对表选出：重现的个数、结论是否因版本而异、版本间最大差是否改变印出的第二位小数。"""
    real = plan15.ledger_summary(plan15.claims_ledger())
    assert real.startswith("这说明官方表述中的数字") and "由公开的分省数据得出" in real
    ratio = [c for c in plan15.claims_ledger()["claim_id"].unique()
             if data.official_claims().set_index("claim_id").loc[c, "unit"] == "ratio"][:2]
    same = _ledger([(ratio[0], "重现", 1.500), (ratio[0], "重现", 1.501), (ratio[1], "重现", 1.640)])
    text = plan15.ledger_summary(same)
    assert "都可以" in text and "结论不因版本而异" in text and "0.001，可能改变" in text
    mixed = _ledger([(ratio[0], "重现", 1.50), (ratio[0], "不符", 1.58), (ratio[1], "不符", 1.70)])
    text = plan15.ledger_summary(mixed)
    assert "只有一半可以" in text and "但取决于版本" in text and "0.080，足以" in text and "必须说明" in text
    most = _ledger([(ratio[0], "重现", 1.500), (ratio[0], "重现", 1.507), (ratio[1], "重现", 1.64),
                    (ratio[1], "不符", 1.64)] + ([(ratio[2], "不符", 1.9)] if len(ratio) > 2 else []))
    text = plan15.ledger_summary(most)
    assert "，可能改变" in text  # 0.007：半个单位以上、不到一个单位，只是可能改变印出的第二位小数
    none = _ledger([(ratio[0], "不符", 1.58), (ratio[1], "接近", 1.70)])
    assert "都不能" in plan15.ledger_summary(none)


def test_staging_sum_is_the_sum_of_all_31_or_nothing():
    """分省合计只在 31 个省份都有时才算，等于暂存表的独立加总；缺一个省份时句子说明不比较。"""
    cov = plan15.staging_coverage()
    fr = data.first_release_2025()
    gdp = fr[(fr["indicator"] == "gdp") & (fr["code"] != data.NATIONAL)]
    if cov["missing_gdp"]:
        assert cov["gdp_sum"] is None and "不能把各省加起来" in plan15.staging_sum_zh(cov)
    else:
        assert gdp["code"].nunique() == len(gdp) == 31
        assert cov["gdp_sum"] == pytest.approx(sum(float(v) for v in gdp["value"]))
        text = plan15.staging_sum_zh(cov)
        assert ("少" in text) == (cov["gdp_sum"] < cov["gdp_national"])
        printed = round(abs(cov["gdp_sum"] / cov["gdp_national"] - 1) * 100 + 1e-12, 1)
        close = printed < plan15.SUM_GAP_CLOSE * 100
        assert ("大致对得上" in text) == close and ("对不上" in text) == (not close)
    far = dict(cov, missing_gdp=[], gdp_sum=1.5 * (cov["gdp_national"] or 1.0), gdp_national=cov["gdp_national"] or 1.0)
    assert "两套数字对不上" in plan15.staging_sum_zh(far)
    short = dict(cov, gdp=cov["gdp"][1:], missing_gdp=cov["gdp"][:1], gdp_sum=None)
    text = plan15.staging_sum_zh(short)
    assert "还缺 1 个省份" in text and cov["gdp"][0] in text


def test_staging_sentences_follow_the_counts():
    assert plan15.staging_sources_zh(4, 4).startswith("都只见于转载")
    assert plan15.staging_sources_zh(31, 0).startswith("都读自新闻报道")
    mixed = plan15.staging_sources_zh(31, 24)
    assert "其中 24 个" in mixed and "其余 7 个" in mixed
    assert plan15.staging_sources_zh(0, 0) == "一个也没有找到"
    cov = plan15.staging_coverage()
    stop = plan15.scorecard_stop_zh(cov)
    assert "两个版本" in stop
    assert ("还缺" in stop) == (len(cov["pop"]) < cov["n_provinces"])
    full = dict(cov, pop=["x"] * cov["n_provinces"], indicators=cov["indicators"] + ["urbanization_rate"])
    assert "还缺" not in plan15.scorecard_stop_zh(full) and "城镇化率" not in plan15.scorecard_stop_zh(full)
    # 0.996% 印成 1.0%，不能说“不到 1%”
    edge = dict(cov, missing_gdp=[], gdp_national=100000.0, gdp_sum=100000.0 * (1 - 0.00996), gdp_secondary=0)
    assert "（1.0%）" in plan15.staging_sum_zh(edge) and "对不上" in plan15.staging_sum_zh(edge)
