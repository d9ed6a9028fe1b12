"""练习自查：对、接近、不对；格式不对时中文说明；保存的答案不泄露数值。"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from quyu import check as chk
from quyu import check_answers, data


def _expected(exercise):
    return [float(v) for spec, f in check_answers.REGISTRY if spec.exercise == exercise for v in f()]


def test_every_registered_exercise_exists_in_the_book():
    from conftest import ROOT

    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.md"))
    for spec, _ in check_answers.REGISTRY:
        assert f":label: {spec.exercise}" in text, spec.exercise


def test_reference_solution_is_right():
    """与参考解答同样的计算（独立写一遍）得到“正确”。"""
    p = data.panel("census2018", years=[2012])
    m = p.groupby("region4")["gdp_pc"].mean()
    result = chk.check("ex-p2-3-2", m["east"] / m["west"])
    assert result.status == "right" and bool(result)
    share = p.groupby("region4")["gdp"].sum() / p["gdp"].sum()
    pc = p.groupby("region4")["gdp"].sum() / p.groupby("region4")["pop_mean"].sum()
    answer = pd.Series([share["central"], share["west"], pc["east"] / pc["central"], pc["east"] / pc["west"]])
    assert chk.check("ex-p2-3-1", answer).status == "right"
    assert chk.check("ex-p2-3-1", np.array(answer)).status == "right"


@pytest.mark.parametrize("exercise", [s.exercise for s, _ in check_answers.REGISTRY])
def test_close_and_wrong(exercise):
    spec = next(s for s, _ in check_answers.REGISTRY if s.exercise == exercise)
    good = _expected(exercise)
    step = [10.0 ** -d for d in spec.decimals]
    assert chk.check(exercise, [v + 0.4 * s for v, s in zip(good, step)]).status == "right"
    close = chk.check(exercise, [v + 4 * s for v, s in zip(good, step)])
    assert close.status == "close", close.message
    wrong = chk.check(exercise, [v * 1.5 + 1 for v in good])
    assert wrong.status == "wrong"
    for r in (close, wrong):
        for v in good:   # 不透露答案
            for d in range(1, 5):
                assert f"{v:.{d}f}" not in r.message


@pytest.mark.parametrize("answer, words", [
    ("2.5", "不是"), (None, "不是"), ({"a": 1}, "不是"), ([1, 2], "要 1 个数"),
    ([float("nan")], "缺失值"), (math.inf, "无穷大"), ([[1]], "嵌套"), (["一"], "不是数字"),
])
def test_bad_answers_get_a_chinese_message(answer, words):
    r = chk.check("ex-p2-3-2", answer)
    assert r.status == "invalid" and words in r.message and "Traceback" not in r.message


def test_unknown_exercise_lists_the_known_ones():
    r = chk.check("ex-0", 1)
    assert r.status == "invalid" and "ex-p2-3-1" in r.message


def test_stored_answers_hold_no_plain_value(tmp_path):
    path = tmp_path / "answers.json"
    stored = chk.build_answers(path)
    text = path.read_text(encoding="utf-8")
    for exercise in stored:
        for v in _expected(exercise):
            for d in range(1, 6):
                assert f"{v:.{d}f}" not in text
    assert set(json.loads(text)) == {s.exercise for s, _ in check_answers.REGISTRY}


def test_exercises_lists_items():
    assert "东部" in chk.exercises()["ex-p2-3-2"]


def _documented(exercise):
    """各题参考解答中写明的算法（独立于 quyu.check_answers 再写一遍）。"""
    import numpy as np

    from quyu import analysis, measures
    from quyu.parts import part3, part4

    if exercise == "ex-p1-2":
        return [analysis.disparity("compendium", "theil_t", True, scheme=s).loc[1998, "between_share"]
                for s in ["region3_1986", "region3_wd2000", "region4"]]
    if exercise == "ex-p1-c2":
        d = analysis.disparity("yearbook", "theil_t", True, scheme="region3_wd2000")
        return list(d.loc[[2003, 2012], "between_share"])
    if exercise == "ex-p3-7":
        # 参考解答的两条路：themes.concentration 与 measures.gini(份额) 应一致
        g = part3.concentration("rd").loc[2023]
        rd = data.indicator("rd_intramural_exp")
        v = rd[rd["year"] == 2023]["value"]
        assert g == pytest.approx(measures.gini(v / v.sum()), abs=1e-9)
        return [g]
    if exercise == "ex-p4-1":
        # 按本章公式手算：λ = -ln(1+βT)/T，半衰期 ln2/λ；与 outlook.speed 一致
        assert part4.speed(-0.015, 20) == pytest.approx(-np.log(0.7) / 20)
        lam = [-np.log(1 + b * 20) / 20 for b in (-0.015, -0.005, -0.025)]
        return [100 * lam[0], np.log(2) / lam[0], 100 * lam[1], 100 * lam[2]]
    if exercise == "ex-p1-1":
        p = analysis.panel("compendium")
        p = p[~p["code"].isin(["11", "12", "31"])]
        cv = measures.disparity_by_year(p[["code", "year", "gdp_pc"]], "cv", unit="code", dropna=True)["value"]
        # 与 measures.cv 逐年直接计算一致
        y98 = p[p["year"] == 1998]["gdp_pc"].dropna()
        assert cv.loc[1998] == pytest.approx(measures.cv(y98), rel=1e-9)
        return list(cv.loc[[1978, 1990, 1998]])
    if exercise == "ex-p2-2-2":
        d = analysis.disparity("census2018", "theil_t", weighted=True, scheme="yreb")
        assert (d["between"] / d["value"]).loc[2012] == pytest.approx(d.loc[2012, "between_share"])
        return list(100 * d.loc[[2012, 2022], "between_share"])
    if exercise == "ex-p3-2":
        ur = part3.urban_rural_ratio()["ratio"]
        # 年均变化率按定义 (末/首)^(1/年数) − 1 手算
        rate = lambda a, b: (ur.loc[b] / ur.loc[a]) ** (1 / (b - a)) - 1
        return [100 * rate(2009, 2012), 100 * rate(2013, 2016), 100 * rate(2009, 2016)]
    if exercise == "ex-p4-6":
        # 参考解答的手算：1.65·e^{-0.008·11}、1.65·e^{-0.008·26}、ln(1.40/1.65)/11；与 scenario_path 一致
        path = part4.scenario_path(1.65, -0.8, 2024, 2050)
        assert path.loc[2050] == pytest.approx(1.65 * np.exp(-0.008 * 26))
        return [1.65 * np.exp(-0.008 * 11), 1.65 * np.exp(-0.008 * 26), 100 * np.log(1.40 / 1.65) / 11]
    raise KeyError(exercise)


@pytest.mark.parametrize("exercise", ["ex-p1-1", "ex-p1-2", "ex-p1-c2", "ex-p2-2-2", "ex-p3-2", "ex-p3-7",
                                      "ex-p4-1", "ex-p4-6"])
def test_documented_computation_is_right_and_perturbation_is_not(exercise):
    spec = next(s for s, _ in check_answers.REGISTRY if s.exercise == exercise)
    answer = _documented(exercise)
    r = chk.check(exercise, answer)
    assert r.status == "right", r.message
    for i, d in enumerate(spec.decimals):   # 任何一个数偏离 30 个末位单位都不算对
        bad = list(answer)
        bad[i] = bad[i] + 30 * 10.0 ** -d
        assert chk.check(exercise, bad).status == "wrong"


def test_numbers_in_the_worked_solutions_are_right():
    """参考解答中写明的数：ex-p4-1 的 λ≈1.78%、半衰期≈38.9 年、区间 [0.53%, 3.47%]；ex-p4-6 的 1.511、1.340、−1.49。"""
    assert chk.check("ex-p4-1", [1.78, 38.9, 0.53, 3.47]).status == "right"
    assert chk.check("ex-p4-6", [1.511, 1.340, -1.49]).status == "right"
    assert chk.check("ex-p4-6", [1.511, 1.340, 1.49]).status == "wrong"   # 符号错


def test_every_registered_exercise_tells_how_to_check():
    from conftest import ROOT

    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.md"))
    for spec, _ in check_answers.REGISTRY:
        assert f'check("{spec.exercise}"' in text, spec.exercise
