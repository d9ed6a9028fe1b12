"""作业笔记本与自动评分（Otter-Grader，``quyu.assignments``）。

- 评分的题目正是自查答案登记表（``quyu.parts.answers.ANSWERS``）中的题目，一道不多、一道不少；
- 作业笔记本不含解答：没有 ``{solution}`` 块中的文字，没有计算答案的代码；
- 用 Otter 自己的命令 ``otter run`` 评分：正确的提交得满分（答案由登记表中的函数算出，不手写数字），
  错误的提交得不到满分，运行出错的笔记本得到写明错误的反馈。
"""
from __future__ import annotations

import ast
import csv
import inspect
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from quyu import assignments, check, toc
from quyu.parts import answers

REGISTRY = {spec.exercise: (spec, compute) for spec, compute in answers.ANSWERS}


@pytest.fixture(scope="module")
def written(tmp_path_factory, html_dir) -> Path:
    """全部作业写到临时文件夹（题面中的数值来自构建好的网页版，答案文件按当前代码与数据重写）。"""
    answers.write()
    out = tmp_path_factory.mktemp("assignments")
    assignments.write(out)
    return out


def _notebook(folder: Path) -> dict:
    (path,) = (folder / "student").glob("*.ipynb")
    return json.loads(path.read_text(encoding="utf-8"))


def _zip_tests(folder: Path) -> dict[str, str]:
    """评分包中的测试：题号 → 测试文件的文字。"""
    zips = list((folder / "autograder").glob("*-autograder.zip"))
    if not zips:
        return {}
    with zipfile.ZipFile(zips[0]) as z:
        files = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("tests/") and n.endswith(".py")}
    return {re.search(r'^name = "([^"]+)"', t, re.M).group(1): t for t in files.values()}


def test_graded_exercises_are_exactly_the_answer_registry(written):
    graded = {}
    for folder in written.iterdir():
        if folder.is_dir():
            graded.update(_zip_tests(folder))
    assert set(graded) == set(REGISTRY)
    for label, text in graded.items():
        # 测试不含答案：只调用自查（check），不出现任何数字答案
        assert "quyu.assignments import verdict" in text and f'verdict("{label}"' in text
        values = [float(v) for v in REGISTRY[label][1]()]
        for v in values:
            for d in {2, 3, 4}:
                assert f"{v:.{d}f}" not in text


def test_every_chapter_with_exercises_has_a_notebook(written):
    chapters = assignments.chapters()
    assert {c.slug for c in chapters} == {p.name for p in written.iterdir() if p.is_dir()}
    for ch in chapters:
        nb = _notebook(written / ch.slug)
        text = "\n".join(c["source"] for c in nb["cells"])
        for ex in ch.exercises:
            assert ex.title in text, ex.label
            if ex.label in REGISTRY:
                cells = [c for c in nb["cells"] if c["metadata"].get("quyu", {}).get("exercise") == ex.label]
                assert len(cells) == 1 and cells[0]["source"].endswith(f"{ex.variable} = ..."), ex.label
        # 题面中的 MyST 角色都已换成文字（Jupyter 不认识它们）
        assert not assignments.ROLE.search(text), assignments.ROLE.search(text).group(0)


def _answer_code_lines() -> set[str]:
    """登记表中计算答案的代码行（足够长、有辨识度的）。"""
    lines = set()
    for _, compute in answers.ANSWERS:
        for line in inspect.getsource(compute).splitlines()[1:]:
            line = line.strip()
            if len(line) >= 20 and not line.startswith(("return [", "def ", "@")):
                lines.add(line)
    return lines


def test_notebooks_contain_no_solutions_and_no_answer_code(written):
    answer_code = _answer_code_lines()
    assert answer_code
    for ch in assignments.chapters():
        nb = _notebook(written / ch.slug)
        text = "\n".join(c["source"] for c in nb["cells"])
        assert "quyu.parts" not in text and "answers" not in text
        lines = {ln.strip() for ln in text.splitlines()}
        assert not lines & answer_code, (ch.file, lines & answer_code)
        source = (ROOT / f"{ch.file}.md").read_text(encoding="utf-8")
        for body in assignments.solutions_in(source):
            for line in body.splitlines():
                line = line.strip()
                if len(line) >= 12 and not line.startswith((":", "`")) and line not in source.split("{solution}")[0] \
                        and line not in assignments.SETUP:   # 作业开头导入库的几行，与解答中的相同
                    assert line not in text, (ch.file, line)


# ---------------------------------------------------------------- grading with otter run

def _chapter_for_grading():
    """第一个有自动评分题目的章节。"""
    return next(ch for ch in assignments.chapters() if any(e.label in REGISTRY for e in ch.exercises))


def _submission(folder: Path, path: Path, answer_source) -> Path:
    """把作业笔记本的每个答题单元格换成 ``answer_source(题号, 变量名)``，写成一份提交。"""
    nb = _notebook(folder)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("quyu", {})
        if "exercise" in meta:
            cell["source"] = answer_source(meta["exercise"], meta["variable"])
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def _right(label: str, variable: str) -> str:
    values = [float(v) for v in REGISTRY[label][1]()]
    return f"{variable} = {values!r}"


def _wrong(label: str, variable: str) -> str:
    values = [float(v) * 1.5 + 7 for v in REGISTRY[label][1]()]
    return f"{variable} = {values!r}"


def _raises(label: str, variable: str) -> str:
    return f'{variable} = data.panel("no_such_vintage")'


def _otter_run(autograder: Path, submission: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(autograder),
                           "-o", str(out), str(submission)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def _autograder(written: Path, ch) -> Path:
    return written / ch.slug / "autograder" / f"{ch.slug}-autograder.zip"


def test_otter_run_gives_a_right_submission_full_marks(written, tmp_path):
    ch = _chapter_for_grading()
    sub = _submission(written / ch.slug, tmp_path / "right.ipynb", _right)
    res = _otter_run(_autograder(written, ch), sub, tmp_path / "out")
    graded = [e.label for e in ch.exercises if e.label in REGISTRY]
    scored = [t for t in res["tests"] if "max_score" in t]     # 另有一条不计分的“Public Tests”汇总
    assert {t["name"] for t in scored} == set(graded)
    assert sum(t["score"] for t in scored) == sum(t["max_score"] for t in scored) == len(graded)


def test_batch_grading_scores_and_explains(written, tmp_path):
    """``python -m quyu.assignments grade``：对每份提交调用 otter run，写出成绩表与中文反馈。"""
    ch = _chapter_for_grading()
    folder = tmp_path / "submissions"
    folder.mkdir()
    _submission(written / ch.slug, folder / "right.ipynb", _right)
    _submission(written / ch.slug, folder / "wrong.ipynb", _wrong)
    _submission(written / ch.slug, folder / "raises.ipynb", _raises)
    subprocess.run([sys.executable, "-m", "quyu.assignments", "grade", str(_autograder(written, ch)), str(folder),
                    str(tmp_path / "graded")], check=True, capture_output=True, timeout=1800)
    with open(tmp_path / "graded" / "成绩.csv", encoding="utf-8-sig") as f:
        scores = {r["提交"]: r for r in csv.DictReader(f)}
    n = sum(e.label in REGISTRY for e in ch.exercises)
    assert float(scores["right.ipynb"]["得分"]) == float(scores["right.ipynb"]["满分"]) == n
    assert float(scores["wrong.ipynb"]["得分"]) == 0 and float(scores["wrong.ipynb"]["满分"]) == n
    assert float(scores["raises.ipynb"]["得分"]) == 0
    feedback = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "graded" / "反馈").glob("*.md")}
    assert feedback["right"].count("全部正确") == n
    assert "不对" in feedback["wrong"] and "全部正确" not in feedback["wrong"]
    for i, e in enumerate(ch.exercises, 1):     # 反馈用作业中的题号与标题，不用内部编号
        assert (f"第 {i} 题　{e.title}" in feedback["wrong"]) == (e.label in REGISTRY)
        assert e.label not in feedback["wrong"]
    # 运行出错的笔记本：写明没有找到哪个答案变量，以及笔记本中的错误
    first = next(e for e in ch.exercises if e.label in REGISTRY)
    assert f"没有找到答案变量 {first.variable}" in feedback["raises"]
    assert "DataError" in feedback["raises"] and "no_such_vintage" in feedback["raises"]
    # 反馈中没有答案：正确提交里的数字不出现在错误提交的反馈中
    for label in (e.label for e in ch.exercises if e.label in REGISTRY):
        for v in REGISTRY[label][1]():
            assert f"{float(v):.3f}" not in feedback["wrong"]


def test_verdict_agrees_with_check():
    """评分的判断就是自查：同一个答案，verdict 与 check 的结论一致。"""
    label, (spec, compute) = next(iter(REGISTRY.items()))
    if check.specs() is None:
        answers.write()
    values = [float(v) for v in compute()]
    var = label.replace("-", "_")
    assert assignments.verdict(label, var, {var: values}) == (True, check.check(label, values).message)
    wrong = [v + 10 ** (2 - d) for v, d in zip(values, spec.decimals)]
    right, message = assignments.verdict(label, var, {var: wrong})
    assert not right and message == check.check(label, wrong).message
    right, message = assignments.verdict(label, var, {})
    assert not right and f"没有找到答案变量 {var}" in message
    assert assignments.verdict(label, var, {var: ...}) == (False, f"还没有作答：{var} 仍是 `...`。")


def test_toc_exercises_match_the_exercise_counts():
    """习题的读取只有一处（quyu.toc）：与“各章习题数量”表一致。"""
    counts = toc.exercise_counts()
    by_title = dict(zip(counts["章节"], counts["习题数"]))
    for ch in assignments.chapters():
        assert by_title[ch.title] == len(ch.exercises)
