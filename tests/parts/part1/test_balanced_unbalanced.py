"""第一部分“从均衡布局到沿海优先（1949—1998）”一章：数据或代码一变、正文的结论随之改变时，这里应当失败。

这一章只用框架（``analysis``、``gap_widgets``），没有自己的模块；这里用同样的库函数重算几个决定结论的数字
（转折年份、1978 年的变异系数、泰尔分解的组间比重），并检查第一部分各章的 glue 键。
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from quyu import analysis, data, fmt

ROOT = Path(__file__).resolve().parents[3]
PART1 = ROOT / "book" / "part1"


def series(vintage, measure, weighted=False, scheme=None, col="value"):
    return analysis.disparity(vintage, measure, weighted, scheme)[col]


# ---------------------------------------------------------------- 第 1 章：1978—1998 年

def test_disparity_1978_and_trough_1990():
    cv = series("compendium", "cv")
    assert fmt.ratio(cv[1978], 3) == "0.955"
    assert fmt.ratio(cv[1990], 3) == "0.600"
    assert fmt.ratio(cv[1998], 3) == "0.721"
    # 七种度量中五种在 1990 年见底；最大最小比 1989 年；人口加权基尼系数 1983 年
    troughs = {
        (m, w): int(series("compendium", m, w).loc[1978:1998].idxmin())
        for m, w in [("max_min_ratio", False), ("cv", False), ("cv", True), ("theil_t", False),
                     ("theil_t", True), ("sigma", False), ("gini", True)]
    }
    assert sum(t == 1990 for t in troughs.values()) == 5
    assert troughs[("max_min_ratio", False)] == 1989
    assert troughs[("gini", True)] == 1983


def test_only_weighted_gini_ends_above_1978():
    above = [(m, w) for m, w in [("max_min_ratio", False), ("cv", False), ("cv", True),
                                 ("theil_t", False), ("theil_t", True), ("sigma", False), ("gini", True)]
             if series("compendium", m, w)[1998] > series("compendium", m, w)[1978]]
    assert above == [("gini", True)]


def test_between_belt_component_rises_from_1979():
    d = analysis.disparity("compendium", "theil_t", True, "region3_1986")
    assert int(d["between"].loc[1978:1998].idxmin()) == 1979
    assert fmt.pct(d.loc[1978, "between_share"], 0) == "18%"
    assert fmt.pct(d.loc[1998, "between_share"], 0) == "54%"
    # 组内部分在 80 年代下降
    assert d.loc[1990, "within"] < d.loc[1978, "within"] / 2


def test_1978_regional_gdp_matches_nbs_report():
    p = data.panel("compendium", years=[1978])
    g = p.groupby("region4")["gdp"].sum()
    facts = data.history_facts().set_index("fact_id")["value"].astype(str)
    for group, fid in (("east", "H17"), ("central", "H18"), ("west", "H19"), ("northeast", "H20")):
        assert g[group] == pytest.approx(float(facts[fid]), rel=0.01)


def test_article_history_figures_unchanged():
    af = data.article_figures().set_index("figure_id")["value"]
    assert af["hist_coastal_industry_share"] == 70
    assert af["hist_fyp1_central_west_investment_share"] == 75
    facts = data.history_facts().set_index("fact_id")["value"].astype(str)
    assert float(facts["H01"]) == pytest.approx(30.92)  # 由此推算其余地区 69.08%


# ---------------------------------------------------------------- 章节文件本身

def test_part1_glue_keys_defined_unique_and_prefixed():
    defined, used = [], set()
    for md in sorted(PART1.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        defined += re.findall(r'glue\(\s*f?"([^"]+)"', text)
        used |= set(re.findall(r"\{glue:(?:text|md)\}`([^`]+)`", text))
    literal = [k for k in defined if "{" not in k]
    # 以变量开头的 f-string 键（如 f"{key}_{y}"）在别处拼出前缀，这里只查字面前缀
    assert all(k.startswith("p1_") for k in defined if not k.startswith("{"))
    assert len(literal) == len(set(literal)), "duplicate glue key"
    # 由 f-string 生成的键：把模式转成正则再匹配
    patterns = [re.compile("^" + re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(k)) + "$") for k in defined if "{" in k]
    missing = [k for k in used if k not in literal and not any(p.match(k) for p in patterns)]
    assert missing == []
