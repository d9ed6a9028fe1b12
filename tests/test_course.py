"""教学指南的课程安排（``quyu.parts.appendix.instructors`` 与 ``data/course_plans.csv``）。

- 16 周学期覆盖目录中每一个正文章节，以及每一个有习题或交互组件的附录页面；
- 安排表中引用的页面都在目录中、文件都存在；表中的习题、组件与阅读都能在章节中找到；
- 表格由代码生成：改动章节的习题，表格随之改变。
"""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT
from quyu import data, toc
from quyu.parts.appendix import instructors


def _numbered_chapters() -> list[str]:
    tocs = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [ch["file"] for part in tocs["parts"] if part.get("numbered") for ch in part["chapters"]]


def test_three_plans_with_the_expected_number_of_weeks():
    plans = data.course_plans()
    weeks = plans.groupby("plan")["week"].agg(lambda w: sorted(set(w)))
    assert set(weeks.index) == set(instructors.PLANS)
    assert weeks["semester16"] == list(range(1, 17))
    assert weeks["lab4"] == list(range(1, 5))
    assert weeks["unit2"] == list(range(1, 3))


def test_every_referenced_page_exists_and_is_in_the_toc():
    files = set(toc.toc_files())
    for file in data.course_plans()["file"]:
        assert file in files, file
        assert (ROOT / f"{file}.md").exists(), file


def test_semester_covers_every_chapter_and_every_page_with_exercises_or_widgets():
    covered = set(data.course_plans().query("plan == 'semester16'")["file"])
    must = set(_numbered_chapters())
    must |= {f for f in toc.toc_files() if toc.exercises(f) or instructors.widgets_in(f)}
    assert must - covered == set()
    assert len(_numbered_chapters()) >= 10         # 目录真的读到了正文章节


def test_each_week_lists_its_chapters_exercises_widgets_and_reading():
    plans = data.course_plans()
    for name in instructors.PLANS:
        table = instructors.plan(name)
        assert list(table.columns) == ["周次", "章节", "习题", "课堂演示", "阅读"]
        rows = plans[plans["plan"] == name]
        assert len(table) == rows["week"].nunique()
        for (week, group), (_, row) in zip(rows.groupby("week", sort=True), table.iterrows()):
            assert row["周次"] == str(week)  # 只写数字：PDF 中这一栏很窄
            assert re.findall(r"\{doc\}`/([^`]+)`", row["章节"]) == list(group["file"])
            labels = re.findall(r"<(ex-[^>]+)>`", row["习题"])
            assert labels == [e.label for f in group["file"] for e in toc.exercises(f)]
            for f in group["file"]:
                for w in instructors.widgets_in(f):
                    assert w.title in row["课堂演示"]
                keys = instructors.readings_in(f)
                if keys:
                    assert f"{{cite:t}}`{keys[0]}`" in row["阅读"]


def test_readings_and_widgets_are_read_from_the_chapters():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    bib = "\n".join((ROOT / f).read_text(encoding="utf-8") for f in config["bibtex_bibfiles"])
    n_readings = n_widgets = 0
    for file in _numbered_chapters():
        for key in instructors.readings_in(file):
            assert re.search(rf"@\w+\{{{re.escape(key)},", bib), key
            n_readings += 1
        n_widgets += len(instructors.widgets_in(file))
    assert n_readings >= len(_numbered_chapters())     # 每章至少一篇延伸阅读
    assert n_widgets >= 10


def test_exercises_marked_for_autograding_are_the_registry(tmp_path):
    from quyu import check
    from quyu.parts import answers

    if check.specs() is None:
        answers.write()
    registry = {spec.exercise for spec, _ in answers.ANSWERS}
    marked = set()
    for name in instructors.PLANS:
        for cell in instructors.plan(name)["习题"]:
            marked |= set(re.findall(r"<(ex-[^>]+)>`（自动评分）", cell))
    semester = set(data.course_plans().query("plan == 'semester16'")["file"])
    in_semester = {e.label for f in semester for e in toc.exercises(f)}
    assert marked == registry & in_semester
    assert registry <= in_semester


def test_a_plan_with_an_unknown_page_fails_in_chinese(monkeypatch):
    bad = data.course_plans()
    bad.loc[0, "file"] = "book/part9/nowhere"
    monkeypatch.setattr(data, "course_plans", lambda: bad)
    with pytest.raises(data.DataError, match="不在目录中"):
        instructors.plan(bad.loc[0, "plan"])
