"""无障碍：每一页 axe-core（WCAG 2.1 A/AA）零个严重（serious）与致命（critical）问题；
组件在深色主题中可读、只用键盘即可操作。

axe-core 来自 npm（package.json 固定版本；``npm ci`` 安装到 node_modules/），在无头 Chromium 中运行。
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, _require

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def axe() -> Path:
    _require("QUYU_REQUIRE_BROWSER", AXE.exists(), "缺少 axe-core：在仓库根目录运行 npm ci")
    return AXE


def _offline_page(browser):
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:", "blob:"))
               else r.abort())
    return page


def run_axe(page, axe: Path, context: str = "document") -> list[dict]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "async ([tags, ctx]) => { const r = await axe.run(ctx === 'document' ? document : ctx,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " target: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }",
        [TAGS, context])
    return [v for v in result if v["impact"] in BLOCKING]


def _is_redirect(path: Path) -> bool:
    """只有一行 meta refresh 的跳转页（网站根目录的 index.html）：没有内容可查，而且它在加载后立即跳走，
    axe 的脚本会在跳转中途失去执行环境。它指向的页面本身在检查之列。"""
    text = path.read_text(encoding="utf-8", errors="replace")
    return len(text) < 500 and 'http-equiv="refresh"' in text.lower()


def _pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts and not _is_redirect(p))


def test_every_page_has_no_serious_or_critical_axe_violation(browser, axe, html_dir):
    problems = {}
    for path in _pages(html_dir):
        page = _offline_page(browser)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        if page.locator(".quyu-widget").count():
            page.wait_for_selector(".quyu-widget[data-quyu-ready]", state="attached", timeout=20000)
        if page.locator(".math").count():
            page.wait_for_selector("mjx-container", state="attached", timeout=20000)
        found = run_axe(page, axe)
        if found:
            problems[str(path.relative_to(html_dir))] = found
        page.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_axe_check_can_fail(browser, axe, tmp_path):
    """检查本身会报错：一个没有名称的按钮、对比度不足的文字。"""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main>'
                   '<button></button><p style="color:#ccc;background:#fff">浅色文字</p></main></body></html>',
                   encoding="utf-8")
    page = _offline_page(browser)
    page.goto(bad.as_uri())
    ids = {v["id"] for v in run_axe(page, axe)}
    assert {"button-name", "color-contrast"} <= ids
    page.close()


def _widget_pages(html_dir: Path) -> list[Path]:
    return [p for p in _pages(html_dir) if "quyu-widget-data" in p.read_text(encoding="utf-8")]


def test_widgets_are_readable_in_dark_mode(browser, axe, html_dir):
    """深色主题下，组件（含数据表展开后）没有对比度等严重问题；近黑的线改用主题的正文颜色。"""
    pages = _widget_pages(html_dir)
    if not pages:
        pytest.skip("没有含组件的页面")
    problems = {}
    for path in pages:
        page = _offline_page(browser)
        page.add_init_script("localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');")
        page.goto(path.as_uri())
        page.wait_for_selector(".quyu-widget[data-quyu-ready]", timeout=20000)
        page.evaluate("document.documentElement.dataset.theme = 'dark'; document.documentElement.dataset.mode = 'dark';")
        page.evaluate("document.querySelectorAll('.quyu-data').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        found = run_axe(page, axe, ".quyu-widget")
        if found:
            problems[path.name] = found
        # 线的颜色与背景的亮度差足够（近黑的线在深色背景上改为浅色）
        dark_lines = page.evaluate("""() => {
          const bg = getComputedStyle(document.body).backgroundColor;
          const lum = c => { const m = c.match(/\\d+(\\.\\d+)?/g).map(Number);
            return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
          return [...document.querySelectorAll('.quyu-chart svg path')]
            .map(p => getComputedStyle(p).stroke).filter(s => s.startsWith('rgb'))
            .filter(s => Math.abs(lum(s) - lum(bg)) < 40); }""")
        assert not dark_lines, (path.name, dark_lines)
        page.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_widgets_work_from_the_keyboard_alone(browser, html_dir):
    """只用键盘：Tab 到下拉框，方向键换选项，输出更新；Tab 到“数据表”，回车展开；Tab 到下载按钮，回车下载。"""
    pages = _widget_pages(html_dir)
    if not pages:
        pytest.skip("没有含组件的页面")
    page = browser.new_page(accept_downloads=True)
    page.goto(pages[0].as_uri())
    page.wait_for_selector(".quyu-widget[data-quyu-ready]", timeout=20000)
    widget = page.locator(".quyu-widget").first
    first_select = widget.locator("select").first
    # 从组件前面的位置开始按 Tab，直到焦点落在组件的第一个下拉框上
    widget.evaluate("w => { const a = document.createElement('a'); a.href = '#'; a.id = 'kb-start';"
                    " a.textContent = 'start'; w.parentNode.insertBefore(a, w); a.focus(); }")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.querySelector('.quyu-widget select')"):
            break
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    before_value = first_select.input_value()
    before = widget.locator(".quyu-output").inner_html()
    page.keyboard.press("ArrowDown")
    if first_select.input_value() == before_value:
        page.keyboard.press("ArrowUp")
    assert first_select.input_value() != before_value
    assert widget.locator(".quyu-output").inner_html() != before
    # 继续 Tab：经过其余下拉框与“数据表”，直到下载按钮；途中展开数据表
    opened = False
    for _ in range(40):
        page.keyboard.press("Tab")
        tag = page.evaluate("document.activeElement.tagName + '.' + document.activeElement.className")
        if tag.startswith("SUMMARY") and not opened:
            page.keyboard.press("Enter")
            opened = page.evaluate("document.activeElement.parentElement.open")
        if "quyu-download" in tag:
            break
    assert "quyu-download" in page.evaluate("document.activeElement.className")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".csv")
    if widget.locator(".quyu-data").count():
        assert opened
    page.close()


def test_without_javascript_widgets_show_their_printed_figure(browser, html_dir):
    """关掉 JavaScript：每个组件的位置显示它的印刷版静态图（图片加载成功），并有替代文字。"""
    pages = _widget_pages(html_dir)
    if not pages:
        pytest.skip("没有含组件的页面")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(pages[0].as_uri())
    page.wait_for_load_state("load")
    widgets = page.locator(".quyu-widget").count()
    imgs = page.locator(".quyu-widget img.quyu-print")
    assert widgets and imgs.count() == widgets
    for i in range(imgs.count()):
        img = imgs.nth(i)
        assert img.is_visible() and img.evaluate("i => i.complete && i.naturalWidth > 0")
        assert img.get_attribute("alt")
    context.close()
