"""页面体积预算（数字与基准共用，见 benchmarks/budgets.py），在构建出的网站上检查。"""
from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import ROOT, _require

sys.path.insert(0, str(ROOT / "benchmarks"))
import budgets  # noqa: E402


def test_every_page_is_within_the_budgets(html_dir):
    rows = budgets.page_weights(html_dir)
    assert len(rows) >= 10, "网站页面太少：构建不完整？"
    assert any(r["widgets"] for r in rows), "没有找到任何组件数据：预算检查会空转"
    assert budgets.over_budget(rows) == []


def test_the_budget_check_can_fail(tmp_path):
    """对照组：一个超重的页面必须被查出来。"""
    blob = "x" * (budgets.WIDGET_DATA_BUDGET + 1)
    (tmp_path / "heavy.html").write_text(
        f'<script type="application/json" class="quyu-widget-data">{blob}</script>', encoding="utf-8")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "ignored.html").write_text("y" * (budgets.PAGE_BUDGET + 1))
    problems = budgets.over_budget(budgets.page_weights(tmp_path))
    assert len(problems) == 1 and problems[0].startswith("heavy.html: 组件数据")


def _site_is_fresh() -> bool:
    done = subprocess.run(["bash", "-c", f"source {ROOT / 'book.sh'}; site_is_fresh"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "PY": sys.executable})
    return done.returncode == 0


def test_a_rebuild_with_nothing_changed_is_instant(html_dir):
    """维护者的循环：输入都没变时 ``./book.sh build`` 在预算之内结束，不运行 Sphinx，不改动网站的文件。"""
    _require("QUYU_REQUIRE_HTML", _site_is_fresh(), "网页版不是由当前的输入构建的：先运行 ./book.sh build")
    before = {p: p.stat().st_mtime_ns for p in html_dir.rglob("*") if p.is_file()}
    t = time.perf_counter()
    done = subprocess.run([str(ROOT / "book.sh"), "build"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    assert done.returncode == 0, done.stderr
    assert "已是最新" in done.stdout and "writing output" not in done.stdout
    assert seconds <= budgets.NOOP_REBUILD_BUDGET, f"{seconds:.1f} s > {budgets.NOOP_REBUILD_BUDGET} s"
    after = {p: p.stat().st_mtime_ns for p in html_dir.rglob("*") if p.is_file()}
    assert after == before
