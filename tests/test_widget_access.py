"""组件的健壮性与可及性（无需构建网站的部分用临时页面测试）：

- 一个组件的数据损坏或计算出错，只在它自己里面显示一句说明，页面上其他组件照常挂载；
- 提示信息用 role="status"，不用 role="alert"；
- 每张图有文字替代（一句概述 + 数据表）；
- “下载当前数据（CSV）”给出的正是当前选项下显示的数字；没有数据的选项，文件说明没有数据。
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from quyu import gap_widgets, widgets
from quyu.widgets import BookWidget, choice

STATIC = Path(widgets.__file__).resolve().parent / "static"


def _page(tmp_path: Path, *fragments: str) -> Path:
    page = tmp_path / "w.html"
    page.write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>'
        f'<link rel="stylesheet" href="{(STATIC / "quyu-widgets.css").as_uri()}"></head><body><main>'
        + "".join(fragments)
        + f'</main><script src="{(STATIC / "quyu-widgets.js").as_uri()}"></script></body></html>',
        encoding="utf-8")
    return page


def _toy(title="玩具") -> BookWidget:
    def compute(kind):
        if kind == "空":
            return [widgets.message("这一选项没有数据。", "info")]
        return [widgets.chart(f"{title}：{kind}", [2000, 2001, 2002],
                              [{"id": "a", "label": "甲", "y": [1.5, None, 2.25]},
                               {"id": "b", "label": "乙", "y": [3, 4, 5.125], "color": "#000000"}],
                              unit="元", digits=2)]
    return BookWidget(title, [choice("kind", "类别", ["一", "二", "空"])], compute)


def _broken_payload(widget: BookWidget, damage) -> str:
    html = widget.static_html()
    start = html.index('class="quyu-widget-data">') + len('class="quyu-widget-data">')
    end = html.index("</script>", start)
    return html[:start] + damage(html[start:end]) + html[end:]


def _missing_view(text: str) -> str:
    payload = json.loads(text)
    payload["views"] = []
    return json.dumps(payload, ensure_ascii=False)


def test_a_broken_widget_breaks_only_itself(browser, tmp_path):
    good1, good2 = _toy("第一"), _toy("第三")
    page_path = _page(tmp_path, good1.static_html(),
                      _broken_payload(_toy("坏的"), lambda t: t[: len(t) // 2]),   # JSON 截断
                      _broken_payload(_toy("缺视图"), _missing_view),              # 查表时出错
                      good2.static_html())
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-failed]")
    roots = page.locator(".quyu-widget")
    assert roots.count() == 4
    assert roots.nth(0).get_attribute("data-quyu-ready") == "1"
    assert roots.nth(3).get_attribute("data-quyu-ready") == "1"
    assert roots.nth(0).locator("svg").count() == 1 and roots.nth(3).locator("svg").count() == 1
    for k in (1, 2):
        broken = roots.nth(k)
        assert broken.get_attribute("data-quyu-failed") == "1"
        msg = broken.locator(".quyu-msg-broken")
        assert msg.count() == 1 and msg.get_attribute("role") == "status"
        assert "暂时无法显示" in msg.inner_text()
    # 坏组件不影响其他组件的交互
    roots.nth(3).locator("select").select_option(value=json.dumps("二", ensure_ascii=False))
    assert "第三：二" in roots.nth(3).inner_text()
    assert page.locator("[role=alert]").count() == 0
    assert errors == []
    page.close()


def test_messages_are_status_not_alert(browser, tmp_path):
    page = browser.new_page()
    page.goto(_page(tmp_path, _toy().static_html()).as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-ready]")
    page.select_option("select[name=kind]", value=json.dumps("空", ensure_ascii=False))
    msg = page.locator(".quyu-output .quyu-msg")
    assert msg.count() == 1 and msg.get_attribute("role") == "status"
    assert page.locator("[role=alert]").count() == 0
    page.close()


def _download(page, widget=None) -> str:
    root = widget or page.locator(".quyu-widget").first
    with page.expect_download() as info:
        root.locator("button.quyu-download").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV 应以 UTF-8 BOM 开头"
    return data.decode("utf-8-sig")


def _rows(text: str) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(text)) if r and not r[0].startswith("#")]


def test_chart_has_text_alternative(browser, tmp_path):
    page = browser.new_page()
    page.goto(_page(tmp_path, _toy().static_html()).as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-ready]")
    svg = page.locator(".quyu-chart svg")
    summary_id = svg.get_attribute("aria-describedby")
    summary = page.locator(f"#{summary_id}").text_content()
    assert "甲 2000 年为 1.50 元" in summary and "2002 年为 2.25 元" in summary
    table = page.locator(".quyu-data table")
    assert table.locator("tbody tr").count() == 3
    assert table.locator("thead th").all_text_contents() == ["年份", "甲（元）", "乙（元）"]
    # 近黑的线改用主题颜色（深色模式可读）
    assert "var(--pst-color-text-base" in page.locator(".quyu-chart svg path").nth(1).get_attribute("style")
    page.close()


def test_csv_download_is_exactly_the_current_view(browser, tmp_path):
    w = _toy()
    page = browser.new_page(accept_downloads=True)
    page.goto(_page(tmp_path, w.static_html()).as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-ready]")
    page.select_option("select[name=kind]", value=json.dumps("二", ensure_ascii=False))
    text = _download(page)
    assert text.splitlines()[0].startswith("# 玩具；当前选项：类别=二")
    assert "数据版本" in text.splitlines()[1]
    rows = _rows(text)
    assert rows[0] == ["年份", "甲（元）", "乙（元）"]
    chart = w.views(kind="二")[0]
    for r, year in zip(rows[1:], chart["x"]):
        assert int(r[0]) == year
        for cell, s in zip(r[1:], chart["series"]):
            value = s["y"][chart["x"].index(year)]
            assert (cell == "" and value is None) or float(cell) == value
    page.close()


def test_csv_for_an_option_without_data_says_so(browser, tmp_path):
    page = browser.new_page(accept_downloads=True)
    page.goto(_page(tmp_path, _toy().static_html()).as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-ready]")
    page.select_option("select[name=kind]", value=json.dumps("空", ensure_ascii=False))
    text = _download(page)
    assert "这一选项没有数据。" in text and "没有可下载的数据" in text
    assert _rows(text) == []
    page.close()


def test_csv_of_a_real_widget_matches_python(browser, tmp_path):
    """差距度量组件：所选度量、版本下，CSV 中的每个数等于 Python 算出的视图。"""
    w = gap_widgets.disparity(mark=2012)
    page = browser.new_page(accept_downloads=True)
    page.goto(_page(tmp_path, w.static_html()).as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-ready]")
    page.select_option("select[name=measure]", value=json.dumps("theil_t"))
    page.select_option("select[name=vintage]", value=json.dumps("census2018"))
    rows = _rows(_download(page))
    charts = [v for v in w.views(measure="theil_t", vintage="census2018") if v["type"] == "chart"]
    chart = charts[0]
    header = next(i for i, r in enumerate(rows) if r[0] == "年份")
    body = rows[header + 1: header + 1 + len(chart["x"])]
    assert [int(r[0]) for r in body] == chart["x"]
    for k, s in enumerate(chart["series"]):
        got = [None if r[k + 1] == "" else float(r[k + 1]) for r in body]
        assert got == s["y"], s["label"]
    page.close()


def test_noscript_names_the_printed_figure():
    html = _toy().static_html()
    assert 'class="quyu-noscript" data-quyu-print="' in html
    assert "静态图" in html
