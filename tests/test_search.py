"""网站搜索（在 Chromium 中运行网站自己的 searchtools.js，离线）：

- 术语表（book/appendix/glossary.md）中的每一个词，照原样输入，都能找到正文中含有它的每一页；
- 通过 HTTP 访问时，搜索结果有摘要；用 file:// 直接打开时，搜索页用中文说明为什么没有摘要。
"""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from conftest import ROOT

SKIP = {"search.html", "genindex.html"}


def glossary_terms() -> list[str]:
    """术语表的词条名（直接读 Markdown 源文件，不经过本书的 Sphinx 扩展）。"""
    text = (ROOT / "book" / "appendix" / "glossary.md").read_text(encoding="utf-8")
    terms = []
    for block in re.findall(r"```\{glossary\}\n(.*?)```", text, re.S):
        terms += [line.strip() for line in block.splitlines() if line.strip() and not line[0].isspace()]
    return list(dict.fromkeys(terms))


def _main_text(path: Path) -> str:
    """一页正文的文字（不含导航、侧栏、脚本与样式），空白合并为一个空格。"""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article.bd-article") or soup.find("main") or soup
    for tag in main(["script", "style", "template"]):
        tag.decompose()
    return re.sub(r"\s+", " ", main.get_text(""))


@pytest.fixture(scope="module")
def texts(html_dir) -> dict[str, str]:
    """文档名 → 正文文字。"""
    out = {}
    for p in sorted(html_dir.rglob("*.html")):
        if "_static" in p.parts or "_sources" in p.parts or p.name in SKIP:
            continue
        out[p.relative_to(html_dir).with_suffix("").as_posix()] = _main_text(p)
    return out


def _offline(browser):
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:", "blob:"))
               else r.abort())
    return page


@pytest.fixture(scope="module")
def search_page(browser, html_dir):
    page = _offline(browser)
    page.goto((html_dir / "search.html").as_uri())
    page.wait_for_function("typeof Search !== 'undefined' && Search.hasIndex()", timeout=30000)
    yield page
    page.close()


_RUN = ("(q) => { const [query, s, e, h, o] = Search._parseQuery(q);"
        " return Search._performSearch(query, s, e, h, o).map(r => r[0]); }")


def missing_pages(search_page, texts, term: str) -> list[str]:
    """含有 ``term`` 的页面中，网站搜索 ``term`` 时没有列出的。"""
    found = set(search_page.evaluate(_RUN, term))
    return sorted(doc for doc, text in texts.items() if term in text and doc not in found)


def test_glossary_terms_are_read_from_the_glossary():
    terms = glossary_terms()
    assert len(terms) > 150 and {"泰尔指数", "俱乐部收敛", "对口支援", "R&D经费内部支出", "log t 检验"} <= set(terms)


def test_every_glossary_term_finds_every_page_that_contains_it(search_page, texts):
    problems = {}
    counted = 0
    for term in glossary_terms():
        pages = [d for d, t in texts.items() if term in t]
        counted += len(pages)
        miss = missing_pages(search_page, texts, term)
        if miss:
            problems[term] = f"{len(miss)}/{len(pages)} 页没有找到：{miss[:5]}"
    assert counted > 500, counted   # 术语确实出现在许多页中（检查的不是空集）
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_terms_from_the_issue_find_many_pages(search_page, texts):
    """issue 中读者试过的词：泰尔指数（12 页中只找到 1 页）、俱乐部收敛、对口支援（7 页中找到 2 页）。"""
    for term in ("泰尔指数", "俱乐部收敛", "对口支援"):
        expected = {d for d, t in texts.items() if term in t}
        assert len(expected) >= 2, term
        assert expected <= set(search_page.evaluate(_RUN, term)), term


def test_search_check_can_fail(search_page, texts):
    """把索引中“泰尔指数”这个词拿掉（回到只有“泰尔”“指数”的切分），检查就报告漏掉的页。"""
    saved = search_page.evaluate("() => { const t = Search._index.terms['泰尔指数'];"
                                 " delete Search._index.terms['泰尔指数']; return t; }")
    try:
        assert saved is not None
        assert len(missing_pages(search_page, texts, "泰尔指数")) >= 5
    finally:
        search_page.evaluate("(t) => { Search._index.terms['泰尔指数'] = t; }", saved)


# ---------------------------------------------------------------- 搜索页：HTTP 下有摘要，file:// 下有说明

@pytest.fixture(scope="module")
def http_root(html_dir):
    """本机回环地址上的静态网页服务（测试结束即关闭）。"""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _results(page, term: str) -> dict:
    page.wait_for_function("() => { const s = document.querySelector('#search-results .search-summary');"
                           " return s && /\\d/.test(s.innerText); }", timeout=30000)
    return page.evaluate("() => ({status: document.querySelector('#search-results .search-summary').innerText,"
                         " items: document.querySelectorAll('#search-results ul.search > li').length})")


def test_search_results_have_snippets_over_http(browser, http_root, texts):
    term = "泰尔指数"
    page = browser.new_page()
    errors = []
    # 浏览器自己去取的网站图标（/favicon.ico，本书没有）不算页面的错误
    page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url', '')}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
    page.goto(f"{http_root}/search.html?q={term}")
    shown = _results(page, term)
    expected = sum(term in t for t in texts.values())
    assert shown["items"] >= expected and "搜索完成" in shown["status"], shown
    # 每一条结果都取回了所在页的一段文字（摘要），其中标出了所查的词
    page.wait_for_function(f"() => document.querySelectorAll('#search-results ul.search > li p.context').length"
                           f" >= {expected}", timeout=30000)
    snippets = page.eval_on_selector_all("#search-results ul.search > li p.context", "ps => ps.map(p => p.innerText)")
    assert sum(term in s for s in snippets) >= expected - 1, snippets[:3]
    assert not page.locator("#quyu-file-search-note").is_visible()
    assert errors == []
    page.close()


def test_search_page_explains_file_urls_in_chinese(browser, html_dir, texts):
    term = "俱乐部收敛"
    page = _offline(browser)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((html_dir / "search.html").as_uri() + f"?q={term}")
    shown = _results(page, term)
    assert shown["items"] >= sum(term in t for t in texts.values()) >= 2, shown
    note = page.locator("#quyu-file-search-note")
    assert note.is_visible()
    text = note.inner_text()
    assert "file://" in text and "摘要" in text and "python -m http.server" in text
    assert errors == [], errors   # 不去读取其他页面，也就没有读取失败的报错
    page.close()
