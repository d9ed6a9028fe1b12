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
