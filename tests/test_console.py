"""每一页在 Chromium 中离线打开（第一次打开，没有保存过的设置），控制台没有错误，本书自己的脚本没有警告；
脚本运行之后的页面上也没有主题的英文字样（test_ui_chinese 检查的是脚本运行之前的 HTML）。

用 Playwright 的 console / pageerror 事件（DevTools 协议）收集：脚本的语法错误（例如重复声明的
``const``）、未捕获的异常、``console.error`` 与资源加载失败都在其中。
"""
from __future__ import annotations

import json
from pathlib import Path

from test_ui_chinese import english_ui, theme_strings

#: 本书自己的脚本（quyu/static/）：它们的警告也不允许
OWN_SCRIPTS = tuple(p.name for p in (Path(__file__).resolve().parent.parent / "quyu" / "static").glob("*.js"))


def _pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def open_and_listen(browser, url: str) -> tuple[object, object, list[str]]:
    """新的浏览器环境（空的 localStorage）中离线打开一页，收集错误与本书脚本的警告。"""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:", "blob:"))
               else r.abort())
    problems: list[str] = []

    def on_console(msg):
        where = (msg.location or {}).get("url", "")
        if msg.type == "error" or (msg.type == "warning" and where.endswith(OWN_SCRIPTS)):
            problems.append(f"console.{msg.type}: {msg.text} ({Path(where).name})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page, problems


def _settle(page) -> None:
    if page.locator(".quyu-widget").count():
        page.wait_for_selector(".quyu-widget[data-quyu-ready]", state="attached", timeout=20000)
    if page.locator(".math").count():
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
    page.wait_for_timeout(300)   # 延迟执行（defer / async）的脚本


def test_no_page_logs_an_error_in_the_console(browser, html_dir):
    strings = theme_strings()
    problems, english = {}, {}
    for path in _pages(html_dir):
        context, page, found = open_and_listen(browser, path.as_uri())
        _settle(page)
        name = str(path.relative_to(html_dir))
        if found:
            problems[name] = found
        hits = english_ui(page.content(), strings)
        if hits:
            english[name] = hits
        context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    assert not english, json.dumps(english, ensure_ascii=False, indent=1)


def test_console_check_can_fail(browser, tmp_path):
    """重复声明的 const、console.error 与未捕获的异常都会被收集到。"""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="zh-CN"><head><title>t</title>'
                   "<script>const X = 1</script><script>const X = 2</script></head><body>"
                   "<script>console.error('Got invalid theme mode');</script>"
                   "<script>setTimeout(() => { throw new Error('boom'); }, 0);</script></body></html>",
                   encoding="utf-8")
    context, page, found = open_and_listen(browser, bad.as_uri())
    page.wait_for_timeout(200)
    context.close()
    text = "\n".join(found)
    assert "already been declared" in text and "Got invalid theme mode" in text and "boom" in text, found
