"""页面体积的预算：基准报告这些数字，tests/test_budgets.py 把它们当作测试。

- 每个页面自身（HTML 文件，含内嵌的组件数据）不超过 ``PAGE_BUDGET`` 字节；
- 每个页面内嵌的组件数据合计不超过 ``WIDGET_DATA_BUDGET`` 字节；
- 什么都没改时，重新构建（``./book.sh build``）不超过 ``NOOP_REBUILD_BUDGET`` 秒，也不改动网站的任何文件。

Page-weight budgets, shared by the benchmarks (which report them) and the tests (which enforce them).
"""
from __future__ import annotations

import re
from pathlib import Path

PAGE_BUDGET = 500_000
WIDGET_DATA_BUDGET = 300_000
#: 什么都没改时 ``./book.sh build`` 的秒数上限（输入的指纹相同就不运行 Sphinx）。
NOOP_REBUILD_BUDGET = 5.0

_WIDGET_DATA = re.compile(r'<script type="application/json" class="quyu-widget-data">(.*?)</script>', re.S)


def pages(html: Path) -> list[Path]:
    """构建出的网站中的全部页面（不含 _static 等资源目录中的 HTML）。"""
    return sorted(p for p in html.rglob("*.html") if not any(part.startswith("_") for part in
                                                                p.relative_to(html).parts[:-1]))


def page_weights(html: Path) -> list[dict]:
    """每个页面：相对路径、页面字节数、内嵌组件数据字节数、组件个数。"""
    rows = []
    for p in pages(html):
        text = p.read_text(encoding="utf-8")
        blobs = _WIDGET_DATA.findall(text)
        rows.append({"page": str(p.relative_to(html)), "bytes": p.stat().st_size,
                     "widget_bytes": sum(len(b.encode("utf-8")) for b in blobs), "widgets": len(blobs)})
    return rows


def over_budget(rows: list[dict]) -> list[str]:
    """超出预算的页面，每个一句说明（空列表表示全部在预算之内）。"""
    out = []
    for r in rows:
        if r["bytes"] > PAGE_BUDGET:
            out.append(f"{r['page']}: 页面 {r['bytes'] / 1e3:.0f} kB > {PAGE_BUDGET / 1e3:.0f} kB")
        if r["widget_bytes"] > WIDGET_DATA_BUDGET:
            out.append(f"{r['page']}: 组件数据 {r['widget_bytes'] / 1e3:.0f} kB > {WIDGET_DATA_BUDGET / 1e3:.0f} kB")
    return out
