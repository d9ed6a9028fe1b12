"""第四部分两章的交互组件：用好的和坏的选择驱动组件的视图。

组件的构造函数在 ``quyu.outlook`` 中（``estimator_widget``、``scenario_widget``），章节只调用它们，
并用 ``literalinclude`` 展示其源码。测试直接调用构造函数，再调用 ``views()`` 与 ``payload()``，
并把数字与库函数（``outlook.estimate`` 等）的结果对照。
"""
from __future__ import annotations

import math
import re

import matplotlib
import pytest

matplotlib.use("Agg")

from quyu import fmt, outlook  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ch1():
    return {"ESTIMATOR": outlook.estimator_widget()}


@pytest.fixture(scope="module")
def ch2():
    return {"SCENARIO": outlook.scenario_widget()}


def _kinds(views):
    return [v["type"] for v in views]


def _messages(views, level=None):
    return [v["text"] for v in views if v["type"] == "message" and (level is None or v["level"] == level)]


def _combos(widget) -> int:
    n = 1
    for c in widget.params:
        n *= len(c.options)
    return n


# ---------------------------------------------------------------- 收敛估计器

def test_estimator_default_matches_outlook(ch1):
    w = ch1["ESTIMATOR"]
    views = w.views()
    assert _kinds(views) == ["stats", "message", "chart"]
    items = dict(views[0]["items"])
    r = outlook.estimate("current", 2012, 2024)
    assert items["β"] == fmt.num(r.beta, 4)
    assert items["收敛速度 λ（每年）"] == fmt.pct(r.speed, 2)
    assert items["省份数"] == "31"
    assert "包含 0" in _messages(views, "info")[0]
    chart = views[2]
    assert chart["x"][0] == 2012 and chart["x"][-1] == 2024


@pytest.mark.parametrize("choice", [
    dict(vintage="yearbook", start=2000, end=2012, basis="yearend"),
    dict(vintage="yearbook", start=2000, end=2012, basis="yearend", weighted=True),
    dict(vintage="yearbook", start=2001, end=2012),
    dict(vintage="census2018", start=2012, end=2022),
    dict(vintage="current", start=2006, end=2012, weighted=True),
])
def test_estimator_good_choices(ch1, choice):
    views = ch1["ESTIMATOR"].views(**choice)
    assert _kinds(views) == ["stats", "message", "chart"]
    r = outlook.estimate(choice["vintage"], choice["start"], choice["end"],
                         weighted=choice.get("weighted", False), pop_basis=choice.get("basis", "mean"))
    assert dict(views[0]["items"])["β"] == fmt.num(r.beta, 4)


@pytest.mark.parametrize("choice,expected", [
    (dict(vintage="yearbook", start=2000, end=2012, basis="mean"), "1999"),
    (dict(start=2017, end=2020), "时期太短"),
    (dict(start=2012, end=2012), "应晚于"),
    (dict(start=2017, end=2012), "应晚于"),
    (dict(vintage="yearbook", start=2012, end=2024), "没有 2024 年"),
    (dict(vintage="census2018", start=2000, end=2012), "没有 2000 年"),
    (dict(vintage="no_such_vintage"), "未知的数据版本"),
])
def test_estimator_bad_choices_give_chinese_message(ch1, choice, expected):
    views = ch1["ESTIMATOR"].views(**choice)
    assert _kinds(views) == ["message"]
    assert views[0]["level"] == "error"
    assert expected in views[0]["text"] and CJK.search(views[0]["text"])
    assert "Traceback" not in views[0]["text"] and " / " not in views[0]["text"]


def test_estimator_precomputes_all_combinations(ch1):
    w = ch1["ESTIMATOR"]
    assert _combos(w) <= 300
    payload = w.payload()
    assert len(payload["results"]) == _combos(w)
    for view in payload["views"]:
        if view["type"] == "message":
            assert CJK.search(view["text"])


# ---------------------------------------------------------------- 情景推演工具

def test_scenario_default_matches_hand_computed_paths(ch2):
    w = ch2["SCENARIO"]
    views = w.views()
    assert _kinds(views) == ["table", "chart"]
    start = outlook.starting_ratios("current")
    t0, r_ec, r_ew = start["year"], start["east_central"], start["east_west"]
    rows = {r[0]: r[1:] for r in views[0]["rows"]}
    # 默认：东−中、东−西都为 −0.5 个百分点
    assert rows["2035 年"][0] == fmt.num(r_ec * math.exp(-0.005 * (2035 - t0)), 2)
    assert rows["2050 年"][2] == fmt.num(r_ew * math.exp(-0.005 * (2050 - t0)), 2)
    lam = outlook.estimate("current", 2012, t0).speed
    assert rows["2050 年"][1] == fmt.num(math.exp(math.log(r_ec) * math.exp(-lam * (2050 - t0))), 2)
    chart = views[1]
    assert chart["x"][0] == t0 and chart["x"][-1] == 2050
    assert "示意，不是预测" in chart["note"]
    ec = chart["series"][0]["y"]
    assert ec[2035 - t0] == pytest.approx(r_ec * math.exp(-0.005 * (2035 - t0)))


@pytest.mark.parametrize("choice", [
    dict(gap_ec=0.0, gap_ew=0.0),
    dict(gap_ec=1.0, gap_ew=-1.5, source="a"),
    dict(gap_ec=-1.0, gap_ew=-1.0, source="bw"),
])
def test_scenario_good_choices(ch2, choice):
    views = ch2["SCENARIO"].views(**choice)
    assert _kinds(views) == ["table", "chart"]
    start = outlook.starting_ratios("current")
    ec = views[1]["series"][0]["y"]
    assert ec[-1] == pytest.approx(start["east_central"] * math.exp(choice["gap_ec"] / 100 * (2050 - start["year"])))


def test_scenario_reversal_is_flagged(ch2):
    views = ch2["SCENARIO"].views(gap_ec=-3.0, gap_ew=-3.0)
    info = _messages(views, "info")
    assert len(info) == 2 and all("超过东部" in t for t in info)


@pytest.mark.parametrize("choice,expected", [
    (dict(gap_ec=6.0), "超出合理范围"),
    (dict(gap_ew=-7.5), "超出合理范围"),
    (dict(gap_ec=float("nan")), "超出合理范围"),
    (dict(gap_ec="很多"), "应为数字"),
    (dict(source="no_such_speed"), "未知的收敛速度来源"),
])
def test_scenario_bad_choices_give_chinese_message(ch2, choice, expected):
    views = ch2["SCENARIO"].views(**choice)
    assert _kinds(views) == ["message"]
    assert views[0]["level"] == "error"
    assert expected in views[0]["text"]


def test_scenario_precomputes_all_combinations(ch2):
    w = ch2["SCENARIO"]
    assert _combos(w) <= 300
    payload = w.payload()
    assert len(payload["results"]) == _combos(w)
    assert not any(v["type"] == "message" and v["level"] == "error" for v in payload["views"])


def test_galton_exercise_example_has_negative_beta_and_rising_sigma():
    """习题 ex-p4-4 的示例：β < 0，而对数标准差上升（高尔顿谬误）。"""
    import numpy as np

    from quyu import measures

    y0 = np.array([1, 2, 3, 4, 5.0])
    y1 = np.array([40, 2.5, 3.2, 4.1, 5.1])
    r = measures.beta_convergence(y0, y1, 10)
    assert r.beta < 0
    assert measures.sigma(y1) > measures.sigma(y0)


def test_scenario_exercise_is_faster_than_convergence_path_for_both_regions():
    """习题 ex-p4-10 的示范设定（东−中 −0.5、东−西 −0.8 个百分点）到 2050 年比收敛速度路径收敛得更多。"""
    s = outlook.starting_ratios("current")
    lam = outlook.estimate("current", 2012, s["year"]).speed
    for key, gap in (("east_central", -0.5), ("east_west", -0.8)):
        scen = outlook.scenario_path(s[key], gap, s["year"], 2050).loc[2050]
        conv = outlook.convergence_path(s[key], lam, s["year"], 2050).loc[2050]
        assert scen < conv - 0.005, (key, scen, conv)
