"""组件层：回调用程序驱动；网页版在无网络的 Chromium 中改动控件，结果与 Python 库一致。"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from quyu import analysis, data, measures, widgets

STATIC = Path(widgets.__file__).resolve().parent / "static"


def _stats(views):
    return dict(next(v for v in views if v["type"] == "stats")["items"])


def _num(text: str) -> float:
    return float(re.sub(r"[^\d.\-−]", "", text).replace("−", "-"))


# ---------------------------------------------------------------- compare

def test_compare_two_provinces_equals_library():
    w = widgets.compare(vintage="census2018", a="12", b="52", year=2012)
    items = _stats(w.views())
    p = data.panel("census2018").set_index(["code", "year"])["gdp_pc"]
    tj, gz = p[("12", 2012)], p[("52", 2012)]
    assert _num(items["天津（2012 年）"]) == round(tj)
    assert _num(items["贵州（2012 年）"]) == round(gz)
    assert _num(items["天津 ÷ 贵州"]) == pytest.approx(measures.ratio(tj, gz), abs=0.005)


def test_compare_follows_vintage_and_population_basis():
    w = widgets.compare()
    for vintage in ("current", "yearbook"):
        for basis in ("mean", "yearend"):
            items = _stats(w.views(vintage=vintage, pop_basis=basis, a="31", b="62", year=2015))
            p = data.panel(vintage, pop_basis=basis).set_index(["code", "year"])["gdp_pc"]
            assert _num(items["上海（2015 年）"]) == round(p[("31", 2015)])


@pytest.mark.parametrize("choice, expected", [
    ({"a": "", "b": "52"}, "请先选择"),
    ({"a": "52", "b": "52"}, "同一个地区"),
    ({"year": 1985}, "不在当前数据的年份范围内"),
    ({"vintage": "yearbook", "pop_basis": "mean", "year": 2000}, "数据缺失"),
])
def test_compare_bad_choices_give_chinese_messages(choice, expected):
    views = widgets.compare().views(**choice)
    assert views[0]["type"] == "message" and expected in views[0]["text"]


def test_compare_cities_uses_registered_population():
    w = widgets.compare(kind="city", a="440300", b="441400", year=2012)
    items = _stats(w.views())
    df = analysis.city_per_capita("registered").set_index(["code", "year"])["gdp_pc"]
    assert _num(items["深圳市 ÷ 梅州市"]) == pytest.approx(df[("440300", 2012)] / df[("441400", 2012)], abs=0.005)
    census = w.views(population="census", year=2012)
    assert census[0]["type"] == "message" and "2012" in census[0]["text"]


# ---------------------------------------------------------------- disparity and regional

@pytest.mark.parametrize("measure, weighted", [("cv", False), ("cv", True), ("gini", True), ("theil_t", False)])
def test_disparity_readout_equals_library(measure, weighted):
    w = widgets.disparity(vintage="current", measure=measure, weighted=weighted, mark=2020)
    items = list(_stats(w.views()).values())
    d = analysis.disparity("current", measure, weighted, "region4" if measure.startswith("theil") else None)
    assert _num(items[0]) == pytest.approx(d.loc[2020, "value"], abs=0.0005)
    if measure.startswith("theil"):
        assert _num(items[1]) == pytest.approx(d.loc[2020, "between"], abs=0.0005)


def test_disparity_unweightable_measure_says_so():
    views = widgets.disparity().views(measure="max_min_ratio", weighted=True)
    assert views[0]["type"] == "message" and "没有人口加权" in views[0]["text"]


def test_disparity_bad_range():
    views = widgets.disparity().views(start=2020, end=2010)
    assert [v["type"] for v in views] == ["message"] and "晚于" in views[0]["text"]


def test_regional_table_equals_library():
    w = widgets.regional(vintage="census2018", quantity="share", year_a=2012, year_b=2021)
    tab = next(v for v in w.views() if v["type"] == "table")
    r = analysis.regional("census2018")
    row = {r_[0]: r_ for r_ in tab["rows"]}["中部地区"]
    assert _num(row[1]) == pytest.approx(100 * r.loc[2012, ("share", "central")], abs=0.05)
    assert _num(row[2]) == pytest.approx(100 * r.loc[2021, ("share", "central")], abs=0.05)


# ---------------------------------------------------------------- kernel, static, print

def test_ipywidget_callbacks_recompute():
    w = widgets.compare(vintage="census2018", a="12", b="52", year=2012)
    box = w.ipywidget()
    box.inputs["b"].value = "12"
    html = box.output.value
    assert "同一个地区" in html
    box.inputs["b"].value = "52"
    html = box.output.value
    assert "天津 ÷ 贵州" in html


def test_mimebundle_has_kernel_static_and_print_forms():
    bundle = widgets.regional()._repr_mimebundle_()
    assert {"application/vnd.jupyter.widget-view+json", "text/html", "image/png", "text/plain"} <= set(bundle)
    assert "quyu-widget-data" in bundle["text/html"]
    assert "<\\/" not in bundle["text/html"].split("quyu-widget-data")[0]


def test_payload_keys_cover_every_param_combination():
    w = widgets.regional()
    p = w.payload()
    n = math.prod(len(c.options) for c in w.params)
    assert len(p["results"]) == n


def test_static_js_has_no_measure_formulas():
    js = (STATIC / "quyu-widgets.js").read_text(encoding="utf-8")
    for word in ("Math.log(", "theil", "gini", "Math.sqrt"):
        assert word not in js


# ---------------------------------------------------------------- browser (headless Chromium, network cut off)

def _page(tmp_path: Path, widget) -> Path:
    page = tmp_path / "w.html"
    page.write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{(STATIC / "quyu-widgets.css").as_uri()}"></head><body>'
        f"{widget.static_html()}"
        f'<script src="{(STATIC / "quyu-widgets.js").as_uri()}"></script></body></html>',
        encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def browser(chromium):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def open_offline(browser, url: str, ready: str = ".quyu-widget[data-quyu-ready]"):
    """打开页面并切断网络：记录并拦截一切非本地请求；等到 ``ready`` 出现。"""
    page = browser.new_page()
    outside = []

    def guard(route):
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(url)
    page.wait_for_selector(ready, timeout=20000)
    return page, outside


def test_static_widget_recomputes_offline(browser, tmp_path):
    w = widgets.compare(vintage="census2018", a="12", b="52", year=2012)
    page, outside = open_offline(browser, _page(tmp_path, w).as_uri())
    page.select_option("select[name=b]", value=json.dumps("44"))
    page.select_option("select[name=vintage]", value=json.dumps("current"))
    page.select_option("select[name=year]", value=json.dumps(2020))
    shown = page.inner_text(".quyu-stats")
    expected = _stats(w.views(b="44", vintage="current", year=2020))
    for label, value in expected.items():
        assert label in shown and value in shown
    page.select_option("select[name=a]", value=json.dumps("44"))
    assert "同一个地区" in page.inner_text(".quyu-output")
    assert outside == []


def test_static_disparity_matches_python(browser, tmp_path):
    w = widgets.disparity(mark=2012)
    page, outside = open_offline(browser, _page(tmp_path, w).as_uri())
    page.select_option("select[name=measure]", value=json.dumps("theil_t"))
    page.select_option("select[name=weighted]", value=json.dumps(True))
    page.select_option("select[name=vintage]", value=json.dumps("census2018"))
    shown = page.inner_text(".quyu-stats")
    expected = _stats(w.views(measure="theil_t", weighted=True, vintage="census2018"))
    for label, value in expected.items():
        assert f"{label}\n{value}" in shown
    assert page.locator(".quyu-chart svg path").count() == 3
    page.select_option("select[name=start]", value=json.dumps(2020))
    page.select_option("select[name=end]", value=json.dumps(2010))
    assert "晚于" in page.inner_text(".quyu-output")
    assert outside == []


@pytest.fixture(scope="module")
def widget_pages(html_dir):
    """构建出的书中含交互组件的页面。"""
    pages = [p for p in html_dir.rglob("*.html")
             if "_static" not in p.parts and "quyu-widget-data" in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("目录中还没有使用组件的章节")
    return pages


def test_built_book_widgets_work_offline(browser, widget_pages):
    """构建出的书中每个含组件的页面：组件挂载成功、改动控件后输出更新、不向其他主机发请求。"""
    for path in widget_pages:
        page, outside = open_offline(browser, path.as_uri())
        widgets_on_page = page.locator(".quyu-widget")
        assert widgets_on_page.count() == page.locator(".quyu-widget[data-quyu-ready]").count()
        first = widgets_on_page.first
        before = first.locator(".quyu-output").inner_html()
        select = first.locator("select").first
        options = select.locator("option")
        current = select.input_value()
        other = next(options.nth(i).get_attribute("value") for i in range(options.count())
                     if options.nth(i).get_attribute("value") != current)
        select.select_option(value=other)
        assert first.locator(".quyu-output").inner_html() != before, path
        assert "Traceback" not in page.content()
        # 每个下拉框都有 <label for> 标签（读屏软件可读，键盘可操作）
        for sid in page.locator(".quyu-widget select").evaluate_all("els => els.map(e => e.id)"):
            assert sid and page.locator(f'label[for="{sid}"]').count() == 1, (path, sid)
        assert outside == [], (path, outside)
        page.close()


def test_math_renders_offline(browser, html_dir):
    """含公式的页面：本地的 MathJax 把公式排成 SVG（不从 CDN 加载）。"""
    pages = [p for p in html_dir.rglob("*.html") if "_static" not in p.parts
             and 'class="math' in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("目录中还没有含公式的页面")
    page, outside = open_offline(browser, pages[0].as_uri(), ready="mjx-container svg")
    assert page.locator("mjx-container").count() >= 1
    assert outside == []
    page.close()


def test_every_option_of_every_built_widget_has_a_result(browser, widget_pages):
    """网页中每个控件的每个选项都能查到结果（Python 与 JavaScript 的取值写法一致，例如 -1.0 与 -1）。"""
    for path in widget_pages:
        page, outside = open_offline(browser, path.as_uri())
        for w in range(page.locator(".quyu-widget").count()):
            widget = page.locator(".quyu-widget").nth(w)
            selects = widget.locator("select")
            for s in range(selects.count()):
                select = selects.nth(s)
                values = [select.locator("option").nth(i).get_attribute("value")
                          for i in range(select.locator("option").count())]
                original = select.input_value()
                for value in values:
                    select.select_option(value=value)
                    text = widget.locator(".quyu-output").inner_text()
                    assert "没有这一组合的结果" not in text, (path.name, w, s, value)
                select.select_option(value=original)
        assert outside == []
        page.close()


def test_unexpected_errors_are_a_chinese_message_for_readers_but_fail_the_build():
    def broken(kind):
        if kind == "坏":
            raise IndexError("list index out of range")
        if kind == "无":
            raise ValueError("没有这个数据 / no such data")
        return [widgets.message("好", "info")]

    w = widgets.BookWidget("测试", [widgets.choice("kind", "类", ["好", "坏", "无"])], broken)
    assert w.views(kind="无")[0]["text"] == "没有这个数据"
    text = w.views(kind="坏")[0]["text"]
    assert "无法计算" in text and "Traceback" not in text
    with pytest.raises(IndexError):
        w.payload()
