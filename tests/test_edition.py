"""学生版不含习题答案，正常版含答案。"""
from __future__ import annotations

import re

import pytest

from conftest import HTML, ROOT, _require

STUDENT = ROOT / "_build" / "student" / "_build" / "html"
SOLUTION = re.compile(r'class="[^"]*\bsolution\b')


def chapter_pages(html_dir):
    return sorted((html_dir / "book").rglob("*.html"))


def solution_pages(html_dir):
    return [p for p in chapter_pages(html_dir) if SOLUTION.search(p.read_text(encoding="utf-8"))]


def test_normal_edition_has_solutions(html_dir):
    pages = [p for p in chapter_pages(html_dir) if "part" in p.parent.name]
    if not pages:
        pytest.skip("目录中还没有含习题的章节")
    assert solution_pages(html_dir), "正常版中找不到习题答案"


def test_student_edition_has_no_solutions(html_dir):
    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    assert chapter_pages(STUDENT)
    assert solution_pages(STUDENT) == []
    # 正常版答案中的文字不出现在学生版里
    for page in solution_pages(html_dir):
        text = page.read_text(encoding="utf-8")
        m = re.search(r'id="solution-content">\s*<p>([^<]{8,60})', text)
        if m:
            twin = STUDENT / page.relative_to(html_dir)
            assert m.group(1) not in twin.read_text(encoding="utf-8")


def test_both_editions_keep_the_self_checks(html_dir):
    """自查不含答案，学生版与正常版一样保留每道可自查练习的提示。"""
    from quyu.parts import answers

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    for root in (html_dir, STUDENT):
        text = "".join(p.read_text(encoding="utf-8") for p in chapter_pages(root))
        missing = [spec.exercise for spec, _ in answers.ANSWERS if f"check(&quot;{spec.exercise}&quot;" not in text]
        assert not missing, (root, missing)
