"""组件图的样式与深色主题：读数年份的竖线用中性色、与每条线都不同色；刻度与坐标轴标签不小于 12 px；
深浅两种主题下截图，组件外框的底色分别是浅色、深色，文字对比度不低于 4.5:1；页面中的 matplotlib 图在深色
主题下放在白色卡片上。每个检查都有对照：改坏样式之后，同一个检查必须报错。

截图保存在 pytest 的临时目录中（``tmp_path``），断言基于像素统计与浏览器算出的样式（computed style）。
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_widgets import open_offline

# ---------------------------------------------------------------- 浏览器中运行的检查（返回问题列表，空表示通过）

#: 颜色工具：解析 rgb()/rgba()、相对亮度、对比度、沿祖先找到实际的底色
_COLOR_JS = r"""
const rgb = c => { const m = (c || '').match(/[\d.]+/g); if (!m) return null;
  return {r: +m[0], g: +m[1], b: +m[2], a: m.length > 3 ? +m[3] : 1}; };
const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
const lum = c => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
const bgOf = e => { for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor); if (c && c.a > 0.5) return c; }
  return {r: 255, g: 255, b: 255, a: 1}; };
const dist = (a, b) => Math.hypot(a.r - b.r, a.g - b.g, a.b - b.b);
"""

#: 读数竖线：中性（三个通道相差不超过 12）、与图中每条线的颜色相距（RGB 欧氏距离）至少 40、与底色的对比度至少 3:1
#: （WCAG 1.4.11，非文字图形）；每条竖线都有文字标签。
MARK_CHECK = "() => {" + _COLOR_JS + r"""
  const out = [];
  document.querySelectorAll('.quyu-chart svg').forEach((svg, k) => {
    const marks = svg.querySelectorAll('.quyu-svg-mark');
    if (!marks.length) return;
    const lines = [...svg.querySelectorAll('path')].map(p => rgb(getComputedStyle(p).stroke)).filter(Boolean);
    const labels = svg.querySelectorAll('.quyu-svg-marklabel');
    if (labels.length !== marks.length) out.push(`chart ${k}: ${marks.length} marks, ${labels.length} labels`);
    marks.forEach(m => {
      const c = rgb(getComputedStyle(m).stroke);
      if (!c) { out.push(`chart ${k}: mark has no stroke`); return; }
      if (Math.max(c.r, c.g, c.b) - Math.min(c.r, c.g, c.b) > 12) out.push(`chart ${k}: mark not neutral ${JSON.stringify(c)}`);
      lines.forEach(s => { if (dist(c, s) < 40) out.push(`chart ${k}: mark ${JSON.stringify(c)} ~ series ${JSON.stringify(s)}`); });
      const r = ratio(c, bgOf(svg));
      if (r < 3) out.push(`chart ${k}: mark contrast ${r.toFixed(2)}`);
    });
  });
  return out;
}"""

#: 刻度与坐标轴标签（以及图中其他文字）：样式的字号不小于 12 px，按 SVG 的实际缩放折算到屏幕上也不小于 12 px。
TEXT_SIZE_CHECK = r"""() => {
  const out = [], sizes = [];
  document.querySelectorAll('.quyu-chart svg').forEach((svg, k) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(t => {
      const px = parseFloat(getComputedStyle(t).fontSize), shown = px * scale;
      sizes.push(shown);
      if (px < 12 || shown < 11.95) out.push(`chart ${k} ${t.getAttribute('class')} "${t.textContent}": ${px}px x ${scale.toFixed(3)}`);
    });
  });
  return {problems: out, n: sizes.length, min: Math.min(...sizes)};
}"""

#: 组件中每一段文字（含 SVG 文字）与其实际底色的对比度不低于 4.5:1。
CONTRAST_CHECK = "(sel) => {" + _COLOR_JS + r"""
  const out = []; let min = 99, n = 0;
  document.querySelectorAll(sel).forEach(root => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const e = t.parentElement;
      if (!t.textContent.trim() || !e || e.closest('script, noscript, option')) continue;
      if (!e.getClientRects().length) continue;                       // 未展开、不显示的文字
      const cs = getComputedStyle(e);
      const fg = rgb(e instanceof SVGElement ? cs.fill : cs.color);
      if (!fg) continue;
      const r = ratio(fg, bgOf(e instanceof SVGElement ? e.ownerSVGElement : e));
      n++; min = Math.min(min, r);
      if (r < 4.5) out.push(`${e.tagName}.${e.getAttribute('class') || ''} "${t.textContent.trim().slice(0, 20)}": ${r.toFixed(2)}`);
    }
    root.querySelectorAll('select, button').forEach(e => {     // 下拉框显示的选项文字、按钮
      if (!e.getClientRects().length) return;
      const r = ratio(rgb(getComputedStyle(e).color), bgOf(e));
      n++; min = Math.min(min, r);
      if (r < 4.5) out.push(`${e.tagName}.${e.getAttribute('class') || ''}: ${r.toFixed(2)}`);
    });
  });
  return {problems: out, n: n, min: min};
}"""


def _luminance(pixel) -> float:
    def lin(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = pixel[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _ring(path: Path, inset: int, width: int = 3) -> dict:
    """截图中离边缘 ``inset`` 像素处、宽 ``width`` 的一圈像素：平均亮度与最亮的 5% 的亮度。"""
    from PIL import Image

    img = Image.open(path).convert("RGB")
    w, h = img.size
    px = img.load()
    values = []
    for d in range(inset, inset + width):
        for x in range(d, w - d):
            values += [_luminance(px[x, d]), _luminance(px[x, h - 1 - d])]
        for y in range(d, h - d):
            values += [_luminance(px[d, y]), _luminance(px[w - 1 - d, y])]
    values.sort()
    return {"mean": sum(values) / len(values), "p50": values[len(values) // 2],
            "p95": values[int(0.95 * (len(values) - 1))], "size": (w, h)}


def _background_mode(path: Path) -> float:
    """截图中出现最多的颜色（组件的底色）的亮度。"""
    from PIL import Image

    img = Image.open(path).convert("RGB")
    colors = img.getcolors(img.size[0] * img.size[1])
    return _luminance(max(colors)[1])


# ---------------------------------------------------------------- 页面

@pytest.fixture(scope="module")
def results_page(html_dir) -> Path:
    """结果一章：有读数年份的比较组件（读者在这里看到过被当成尖峰的竖线），也有 pandas 表。"""
    path = html_dir / "book" / "part2" / "results.html"
    if not path.exists() or "quyu-widget-data" not in path.read_text(encoding="utf-8"):
        pytest.skip("结果一章还没有组件")
    return path


@pytest.fixture(scope="module")
def mark_pages(html_dir) -> list[Path]:
    pages = [p for p in html_dir.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
             and '"role":"xmark"' in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("没有带读数年份的组件")
    return pages


def _open(browser, url: str, mode: str, width: int = 1280, ready: str = ".quyu-widget[data-quyu-ready]",
          height: int = 900):
    """以浅色或深色主题离线打开一页（主题的设置在页面脚本运行之前写入 localStorage）。"""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(f"localStorage.setItem('theme', '{mode}'); localStorage.setItem('mode', '{mode}');")
    page, outside = open_offline(context, url, ready)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    return context, page, outside


def _city_widget(page):
    """比较两市的组件（结果一章第三个组件；按标题找）。"""
    w = page.locator('.quyu-widget[aria-label="两市人均地区生产总值比较"]')
    assert w.count() == 1
    return w


def _set_mark(widget) -> None:
    """把各个读数年份的下拉框设到一个有效年份（“不标”的默认值会使图上没有竖线）。"""
    for s in range(widget.locator('select[data-role="xmark"]').count()):
        sel = widget.locator('select[data-role="xmark"]').nth(s)
        values = sel.locator("option").evaluate_all("os => os.map(o => o.value)")
        if sel.input_value() == "null":
            sel.select_option(value=[v for v in values if v != "null"][-1])


# ---------------------------------------------------------------- (a) 读数竖线的颜色，图中文字的字号

@pytest.mark.parametrize("mode", ["light", "dark"])
def test_year_marker_is_neutral_and_differs_from_every_series(browser, mark_pages, mode):
    checked, problems = 0, {}
    for path in mark_pages:
        context, page, outside = _open(browser, path.as_uri(), mode)
        widgets = page.locator(".quyu-widget")
        for i in range(widgets.count()):
            _set_mark(widgets.nth(i))
        checked += page.locator(".quyu-svg-mark").count()
        found = page.evaluate(MARK_CHECK)
        if found:
            problems[path.name] = found
        assert outside == []
        context.close()
    assert checked >= len(mark_pages), checked
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_city_widget_marker_is_not_a_series_colour(browser, results_page):
    """读者报告的那一处：两市比较，深圳 ÷ 梅州，2012 年的竖线。"""
    context, page, _ = _open(browser, results_page.as_uri(), "light")
    w = _city_widget(page)
    mark = w.locator(".quyu-svg-mark")
    assert mark.count() == 1
    stroke = mark.evaluate("m => getComputedStyle(m).stroke")
    series = w.locator(".quyu-chart svg path").evaluate_all("ps => ps.map(p => getComputedStyle(p).stroke)")
    assert len(series) == 2 and stroke not in series
    assert w.locator(".quyu-svg-marklabel").text_content().startswith("读数")
    assert mark.evaluate("m => getComputedStyle(m).strokeDasharray") not in ("none", "")
    context.close()


@pytest.mark.parametrize("width", [1280, 400])
def test_chart_ticks_and_axis_labels_are_at_least_12px(browser, html_dir, width):
    """每一页的每一张组件图：文字按样式与屏幕上的实际大小都不小于 12 px（宽屏与手机宽度）。"""
    pages = [p for p in html_dir.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
             and "quyu-widget-data" in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("没有含组件的页面")
    problems, total = {}, 0
    for path in pages:
        context, page, _ = _open(browser, path.as_uri(), "light", width=width)
        result = page.evaluate(TEXT_SIZE_CHECK)
        total += result["n"]
        if result["problems"]:
            problems[path.name] = result["problems"][:5]
        # 有图的页面：刻度与坐标轴标签确实在图中
        if page.locator(".quyu-chart svg").count():
            assert page.locator(".quyu-svg-ytick").count() and page.locator(".quyu-svg-xtick").count(), path.name
        context.close()
    assert total > 0
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_style_checks_can_fail(browser, results_page):
    """对照：把竖线改成第二条线的颜色（橙色、实线）、把刻度改成 9 px，两个检查都报错。"""
    context, page, _ = _open(browser, results_page.as_uri(), "light")
    page.add_style_tag(content=".quyu-svg-mark { stroke: #E69F00 !important; }"
                               " .quyu-chart svg .quyu-svg-ytick, .quyu-chart svg .quyu-svg-xtick { font-size: 9px !important; }")
    assert any("mark not neutral" in p or "~ series" in p for p in page.evaluate(MARK_CHECK))
    sizes = page.evaluate(TEXT_SIZE_CHECK)["problems"]
    assert any("ytick" in p for p in sizes) and any("xtick" in p for p in sizes)
    context.close()


# ---------------------------------------------------------------- (b) 深浅两种主题的截图

def _shoot(browser, results_page, mode: str, tmp_path: Path, broken_css: bool = False) -> dict:
    """截取比较两市的组件（及其外层的单元格输出），返回像素统计与对比度。"""
    context, page, outside = _open(browser, results_page.as_uri(), mode, height=1200)  # 组件整个在视口中
    if broken_css:   # 对照：去掉本书的组件样式表，主题给单元格输出加的浅灰底又露出来
        page.evaluate("document.querySelectorAll('link[href*=\"quyu-widgets.css\"]').forEach(l => l.remove())")
    w = _city_widget(page)
    w.scroll_into_view_if_needed()
    shot = tmp_path / f"city-widget-{mode}{'-broken' if broken_css else ''}.png"
    outer = tmp_path / f"city-cell-{mode}{'-broken' if broken_css else ''}.png"
    w.screenshot(path=str(shot))
    # 组件外面的一圈：截取包着组件的单元格输出（主题在深色模式下给它加浅灰底和内边距），它的边上不能是浅灰
    w.locator("xpath=ancestor::div[contains(@class, 'cell_output')][1]").screenshot(path=str(outer))
    w.locator(".quyu-data").evaluate("d => d.open = true")   # 数据表展开后，文字对比度一起检查
    contrast = page.evaluate(CONTRAST_CHECK, '.quyu-widget[aria-label="两市人均地区生产总值比较"]')
    page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert outside == []
    return {"bg": _background_mode(shot), "ring": _ring(outer, 0, 6), "contrast": contrast,
            "page_bg": page_bg, "files": (shot, outer)}


def test_widget_screenshots_light_and_dark(browser, results_page, tmp_path):
    light = _shoot(browser, results_page, "light", tmp_path)
    dark = _shoot(browser, results_page, "dark", tmp_path)
    for r in (light, dark):
        assert all(f.exists() and f.stat().st_size > 1000 for f in r["files"])
    summary = {m: {"widget_bg_luminance": round(r["bg"], 3), "outer_ring_mean": round(r["ring"]["mean"], 3),
                   "outer_ring_p95": round(r["ring"]["p95"], 3), "min_contrast": round(r["contrast"]["min"], 2),
                   "texts": r["contrast"]["n"]} for m, r in (("light", light), ("dark", dark))}
    print(json.dumps(summary, ensure_ascii=False))
    # 组件的底色：浅色主题中是浅色，深色主题中是深色
    assert light["bg"] > 0.8, summary
    assert dark["bg"] < 0.1, summary
    # 深色主题中，组件外面的一圈也是深色（没有主题给单元格输出加的浅灰边框）
    assert dark["ring"]["p95"] < 0.2, summary
    assert light["ring"]["mean"] > 0.7, summary
    # 每一段文字的对比度不低于 4.5:1
    for r in (light, dark):
        assert r["contrast"]["n"] > 20
        assert not r["contrast"]["problems"], r["contrast"]["problems"]


def test_screenshot_check_can_fail(browser, results_page, tmp_path):
    """对照：去掉组件样式表后，深色主题中组件外面是一圈浅灰（主题给单元格 HTML 输出加的底色）。"""
    broken = _shoot(browser, results_page, "dark", tmp_path, broken_css=True)
    assert broken["ring"]["p95"] >= 0.2, broken["ring"]


def test_contrast_check_can_fail(browser, results_page):
    context, page, _ = _open(browser, results_page.as_uri(), "dark")
    page.add_style_tag(content=".quyu-stat-label { color: #3a3a3a !important; }")
    found = page.evaluate(CONTRAST_CHECK, ".quyu-widget")["problems"]
    assert any("quyu-stat-label" in p for p in found)
    context.close()


# ---------------------------------------------------------------- 页面中的 pandas 表与 matplotlib 图（深色主题）

def _figure_page(html_dir) -> Path:
    for path in sorted(html_dir.rglob("*.html")):
        if "_static" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if 'class="cell_output' in text and "<img" in text and "table" in text and "dataframe" in text:
            return path
    pytest.skip("没有同时含 matplotlib 图与 pandas 表的页面")


def test_dark_mode_tables_and_figures(browser, html_dir, tmp_path):
    """深色主题：pandas 表的文字对比度不低于 4.5:1；matplotlib 图放在白色卡片上（有内边距、不调暗）。"""
    path = _figure_page(html_dir)
    context, page, _ = _open(browser, path.as_uri(), "dark", ready="body")
    page.wait_for_load_state("load")
    table = page.evaluate(CONTRAST_CHECK, ".bd-content table.dataframe")
    assert table["n"] > 0 and not table["problems"], table
    img = page.locator(".bd-content div.cell_output img").first
    img.scroll_into_view_if_needed()
    style = img.evaluate("i => { const s = getComputedStyle(i); return [s.backgroundColor, s.paddingTop, s.filter]; }")
    assert style[0] == "rgb(255, 255, 255)" and float(style[1].rstrip("px")) >= 4 and style[2] == "none", style
    shot = tmp_path / "figure-dark.png"
    img.screenshot(path=str(shot))
    ring = _ring(shot, 1, 4)       # 卡片的内边距：白色（圆角处露出页面的底色，只看中位数）
    print(json.dumps({"figure_card_ring": ring}))
    assert ring["p50"] > 0.95, ring
    context.close()


# ---------------------------------------------------------------- 印刷版（matplotlib）的读数竖线

def test_printed_marker_is_a_neutral_dashed_labelled_line():
    """印刷版与内核中的图：读数竖线是中性灰色虚线，带“读数”标签，颜色与全书每一种线色都相距足够远。"""
    from matplotlib.colors import to_rgb

    from quyu import plots, widgets
    from quyu.parts.part2 import results

    mark = to_rgb(plots.COLORS["mark"])
    assert max(mark) - min(mark) < 0.05                                  # 中性（灰色）
    for name, color in [*plots.COLORS.items(), *((f"cycle{k}", c) for k, c in enumerate(plots.CYCLE))]:
        if name != "mark":
            assert sum((a - b) ** 2 for a, b in zip(mark, to_rgb(color))) ** 0.5 * 255 >= 40, name
    w = results.compare(kind="city", a="440300", b="441400")
    views = w.views()
    chart = next(v for v in views if v["type"] == "chart")
    assert chart["marks"] == [2012]
    fig = widgets.render_figure(views, title=w.title)
    ax = fig.axes[0]
    series = [l for l in ax.get_lines() if l.get_label() in {s["label"] for s in chart["series"]}]
    vlines = [l for l in ax.get_lines() if list(l.get_xdata()) == [2012, 2012]]
    assert len(series) == 2 and len(vlines) == 1
    line = vlines[0]
    assert to_rgb(line.get_color()) == mark
    assert line.get_linestyle() == "--"                                  # 虚线，不是数据那样的实线
    assert all(to_rgb(s.get_color()) != mark for s in series)
    assert any(t.get_text().strip() == "读数：2012 年" for t in ax.texts)
