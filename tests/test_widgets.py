"""组件层：回调用程序驱动；网页版在无网络的 Chromium 中改动控件，结果与 Python 库一致。"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import stats

from quyu import data, gap_widgets, measures, widgets
from quyu.parts.part2 import results

STATIC = Path(widgets.__file__).resolve().parent / "static"


# ---------------------------------------------------------------- kernel, static, print

def test_ipywidget_callbacks_recompute():
    w = results.compare(vintage="census2018", a="12", b="52", year=2012)
    box = w.ipywidget()
    box.inputs["b"].value = "12"
    html = box.output.value
    assert "同一个地区" in html
    box.inputs["b"].value = "52"
    html = box.output.value
    assert "天津 ÷ 贵州" in html


def test_mimebundle_has_kernel_static_and_print_forms(monkeypatch):
    monkeypatch.delenv(widgets.STATIC_BUILD_ENV, raising=False)
    bundle = gap_widgets.regional()._repr_mimebundle_()
    assert {"application/vnd.jupyter.widget-view+json", "text/html", "image/png", "text/plain"} <= set(bundle)
    assert "quyu-widget-data" in bundle["text/html"]
    assert "<\\/" not in bundle["text/html"].split("quyu-widget-data")[0]


def test_static_build_skips_only_the_ipywidget_view(monkeypatch):
    """构建网站时（quyu.sphinxext 设的环境变量）：不生成 ipywidgets 视图，静态数据与印刷版图不变。"""
    monkeypatch.delenv(widgets.STATIC_BUILD_ENV, raising=False)
    live = gap_widgets.regional()._repr_mimebundle_()
    monkeypatch.setenv(widgets.STATIC_BUILD_ENV, "1")
    w = gap_widgets.regional()
    static = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in static
    assert w._view is None
    assert static["text/html"] == live["text/html"]
    assert static["image/png"] == live["image/png"]


def test_payload_keys_cover_every_param_combination():
    w = gap_widgets.regional()
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
    w = results.compare(vintage="census2018", a="12", b="52", year=2012)
    page, outside = open_offline(browser, _page(tmp_path, w).as_uri())
    page.select_option("select[name=b]", value=json.dumps("44"))
    page.select_option("select[name=vintage]", value=json.dumps("current"))
    page.select_option("select[name=year]", value=json.dumps(2020))
    shown = page.inner_text(".quyu-stats")
    expected = stats(w.views(b="44", vintage="current", year=2020))
    for label, value in expected.items():
        assert label in shown and value in shown
    page.select_option("select[name=a]", value=json.dumps("44"))
    assert "同一个地区" in page.inner_text(".quyu-output")
    assert outside == []


def test_static_disparity_matches_python(browser, tmp_path):
    w = gap_widgets.disparity(mark=2012)
    page, outside = open_offline(browser, _page(tmp_path, w).as_uri())
    page.select_option("select[name=measure]", value=json.dumps("theil_t"))
    page.select_option("select[name=weighted]", value=json.dumps(True))
    page.select_option("select[name=vintage]", value=json.dumps("census2018"))
    shown = page.inner_text(".quyu-stats")
    expected = stats(w.views(measure="theil_t", weighted=True, vintage="census2018"))
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
            raise data.DataError("没有这个数据", "no such data")
        if kind == "旧":
            raise ValueError("旧写法 / old style")
        return [widgets.message("好", "info")]

    w = widgets.BookWidget("测试", [widgets.choice("kind", "类", ["好", "坏", "无", "旧"])], broken)
    assert w.views(kind="无")[0]["text"] == "没有这个数据"
    assert w.views(kind="旧")[0]["text"] == "旧写法"
    text = w.views(kind="坏")[0]["text"]
    assert "无法计算" in text and "Traceback" not in text
    with pytest.raises(IndexError):
        w.payload()


# ---------------------------------------------------------------- 声明的缺口：出错的组合要么声明，要么使构建失败

#: 书中每个组件（与各章的调用一致）及其声明的缺口（原因）。加一个缺口要在这里写明；
#: 数据回归使某个组件新出现出错的组合时，构建（payload）与这个测试都会失败。
DECLARED_GAPS = {
    "part1/balanced_unbalanced: disparity": [],
    "part1/coordination: regional": [],
    "part1/coordination: disparity": [],
    "part1/coordination: event": ["对照组只有东北三省，少于本书约定的下限"],
    "part2/results: regional": [],
    "part2/results: compare(province)": [],
    "part2/results: compare(city)": [],
    "part3/people: income": ["对数标准差与最大最小比没有人口加权的版本"],
    "part3/people: theil": [],
    "part3/innovation: innovation": [],
    "part3/innovation: pairing": [],
    "part4/convergence: estimator": ["时期短于 5 年，或结束年份不晚于起始年份", "起始或结束年份不在所选数据版本之内",
                                     "该版本没有 1999 年人口，2000 年的年平均人口因而缺失"],
    "part4/outlook: scenario": [],
    "appendix/ledger: ledger": [],
    "appendix/methods: disparity": [],
    "part1/theory: williamson": [],
    "part2/theory: follow": [],
    "part2/theory: core_periphery": ["不满足无黑洞条件（ρ ≤ μ）：没有突破点与维持点"],
    "part4/dynamics: markov": ["起止年份不在所选数据版本有完整数据的年份之内",
                               "固定边界分 5 类时，有的类在转移的起始年份没有省份"],
    "part4/dynamics: spatial": ["置换次数超出 99—9999（用来演示提示信息）"],
    "part4/dynamics: spatial_markov": [],
    "part4/dynamics: rank": ["所选数据版本的年份不跨过新时代起点，不能按它分段"],
    "part3/finance_and_people: fiscal": ["地方一般公共预算收入只有部分年份，其余年份算不出省外资金"],
    "part3/finance_and_people: disparity": ["最大最小比与对数标准差没有人口加权的版本",
                                            "没有分省城镇人口，旧口径城镇收入只能不加权"],
    "part4/world: world": ["中国与印度没有地区价格平价", "欧盟与印度没有地区居民收入", "印度没有各邦人口，不能加权",
                           "日本没有都道府县人口，无法计算人均值"],
}


def _book_widgets():
    from quyu.parts.appendix import ledger
    from quyu.parts.part1 import coordination as part1_coordination
    from quyu.parts.part1 import theory as part1_theory
    from quyu.parts.part2 import theory as part2_theory
    from quyu.parts.part3 import finance_and_people, innovation_and_assistance, people_and_governance
    from quyu.parts.part4 import convergence, dynamics, outlook, world

    four = ["compendium", "yearbook", "census2018", "current"]
    five = ["max_min_ratio", "cv", "theil_t", "sigma", "gini"]
    return {
        "part1/balanced_unbalanced: disparity": lambda: gap_widgets.disparity(
            measure="theil_t", weighted=True, scheme="region3_1986", vintage="compendium", start=1978, end=1998,
            mark=1990, vintages=four, schemes=["region3_1986", "region4", "region3_wd2000"], measures=five),
        "part1/coordination: regional": lambda: gap_widgets.regional(
            vintage="yearbook", scheme="region4", quantity="share", year_a=2008, year_b=2012, vintages=four[:3]),
        "part1/coordination: disparity": lambda: gap_widgets.disparity(
            measure="theil_t", weighted=True, scheme="region4", vintage="yearbook", start=1999, end=2012, mark=2003,
            vintages=four, schemes=["region4", "region3_1986", "region3_wd2000"], measures=five),
        "part2/results: regional": lambda: gap_widgets.regional(vintage="census2018", scheme="region4", quantity="share",
                                                          year_a=2012, year_b=2021),
        "part2/results: compare(province)": lambda: results.compare(kind="province", vintage="census2018", a="12",
                                                                  b="52", year=2012),
        "part2/results: compare(city)": lambda: results.compare(kind="city", a="440300", b="441400", year=2012),
        "part3/people: income": people_and_governance.income_widget,
        "part3/people: theil": people_and_governance.theil_widget,
        "part3/innovation: innovation": innovation_and_assistance.innovation_widget,
        "part3/innovation: pairing": innovation_and_assistance.pairing_widget,
        "part4/convergence: estimator": convergence.estimator_widget,
        "part4/outlook: scenario": outlook.scenario_widget,
        "appendix/ledger: ledger": ledger.ledger_widget,
        "appendix/methods: disparity": lambda: gap_widgets.disparity(measure="cv", weighted=False, scheme="region4",
                                                               vintage="current", vintages=["current"],
                                                               schemes=["region4"]),
        "part1/coordination: event": lambda: part1_coordination.event_widget(comparison="all"),
        "part1/theory: williamson": lambda: part1_theory.williamson_widget(measure="cv", weighted=True,
                                                                           vintage="compendium", start=0),
        "part2/theory: follow": lambda: part2_theory.follow_widget(vintage="current", code="44"),
        "part2/theory: core_periphery": part2_theory.cp_widget,
        "part4/world: world": world.world_widget,
        "part3/finance_and_people: fiscal": finance_and_people.fiscal_widget,
        "part3/finance_and_people: disparity": finance_and_people.disparity_widget,
        "part4/dynamics: markov": dynamics.markov_widget,
        "part4/dynamics: spatial": dynamics.spatial_widget,
        "part4/dynamics: spatial_markov": dynamics.spatial_markov_widget,
        "part4/dynamics: rank": dynamics.rank_widget,
    }


@pytest.mark.parametrize("name", list(DECLARED_GAPS))
def test_every_erroring_combination_is_a_declared_gap(name):
    w = _book_widgets()[name]()
    assert [g.reason for g in w.gaps] == DECLARED_GAPS[name]
    assert w.undeclared_errors() == {}, name
    params = [c.name for c in w.params]
    fired = {g.reason for k in w.errors() for g in w.gaps if g.matches(dict(zip(params, k)))}
    assert fired == set(DECLARED_GAPS[name]), f"{name}：声明了却从不出错的缺口 {set(DECLARED_GAPS[name]) - fired}"


def test_an_undeclared_error_fails_the_payload():
    def compute(x):
        if x == 2:
            raise ValueError("二不行 / two fails")
        return [widgets.stats([("x", str(x))])]

    controls = [widgets.choice("x", "x", [1, 2, 3])]
    with pytest.raises(widgets.WidgetError, match="未声明"):
        widgets.BookWidget("t", controls, compute).payload()
    w = widgets.BookWidget("t", controls, compute, gaps=[widgets.Gap({"x": 2}, "二不行")])
    assert w.payload()["results"]
    assert w.views(x=2) == [widgets.message("二不行")]  # 读者看到的只是中文


def test_errors_carry_chinese_and_english_as_attributes():
    from quyu.parts.part4 import outlook

    e = data.DataError("没有这个数据", "no such data")
    assert (e.zh, e.en, str(e)) == ("没有这个数据", "no such data", "没有这个数据 / no such data")
    legacy = measures.MeasureError("旧写法 / old style")  # 一个参数的旧写法仍拆成两部分
    assert (legacy.zh, legacy.en) == ("旧写法", "old style")
    with pytest.raises(outlook.OutlookError) as info:
        outlook.check_gap(9)
    assert info.value.zh.startswith("增长率之差 9 个百分点") and "plausible range" in info.value.en
    with pytest.raises(measures.MeasureError) as info:
        measures.cv([])
    assert info.value.en and " / " not in info.value.zh


def test_a_widget_without_a_chart_prints_as_a_typeset_table(monkeypatch):
    """只有表格与文字的组件在 PDF 中印成真正的表格（Markdown，PDF 优先选它），不是缩小的图；有图的组件没有这个形式。"""
    from quyu.parts.appendix import ledger

    monkeypatch.setenv(widgets.STATIC_BUILD_ENV, "1")
    w = ledger.ledger_widget()
    views = w.views()
    assert not any(v["type"] == "chart" for v in views)
    bundle = w._repr_mimebundle_()
    md = bundle["text/markdown"]
    table = next(v for v in views if v["type"] == "table")
    lines = [ln for ln in md.splitlines() if ln.startswith("|")]
    assert len(lines) == len(table["rows"]) + 2          # header, rule, one line per row
    assert lines[0].count("|") == len(table["columns"]) + 1
    stats_view = next(v for v in views if v["type"] == "stats")
    assert all(label in md for label, _ in stats_view["items"])
    charted = gap_widgets.regional()
    assert any(v["type"] == "chart" for v in charted.views())
    assert charted.print_markdown() is None and "text/markdown" not in charted._repr_mimebundle_()


def test_markdown_of_views_escapes_markup():
    md = widgets.views_markdown([widgets.table("t", ["a|b", "c"], [["x_y*z", "`q`"]])], title="标题")
    assert "a\\|b" in md and "x\\_y\\*z" in md and "\\`q\\`" in md and md.startswith("**标题**")


def test_long_print_lines_are_wrapped_to_the_figure_width():
    lines = widgets._wrap_units("很" * 100 + "abc", widgets.PRINT_TEXT_UNITS)
    assert "".join(lines) == "很" * 100 + "abc"
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in ln) <= widgets.PRINT_TEXT_UNITS for ln in lines)
    assert len(lines) == 2
