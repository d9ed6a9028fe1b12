"""页面体积预算（数字与基准共用，见 benchmarks/budgets.py），在构建出的网站上检查。"""
from __future__ import annotations

import sys

from conftest import ROOT

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
