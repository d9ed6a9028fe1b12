"""构建出的网站：中文、离线可用、可搜索中文词。"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quyu.toc import toc_files

EXTERNAL = re.compile(r"^(https?:)?//", re.I)
TAG_ATTRS = [
    (re.compile(r"<script\b[^>]*\bsrc=[\"']([^\"']+)", re.I), "script"),
    (re.compile(r"<link\b[^>]*\bhref=[\"']([^\"']+)[^>]*>", re.I), "link"),
    (re.compile(r"<img\b[^>]*\bsrc=[\"']([^\"']+)", re.I), "img"),
    (re.compile(r"<iframe\b[^>]*\bsrc=[\"']([^\"']+)", re.I), "iframe"),
]
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)", re.I)
CSS_IMPORT = re.compile(r"@import\s+[\"']([^\"']+)", re.I)


def pages(html_dir: Path):
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def external_refs(html_dir: Path) -> list[str]:
    """列出网站中所有指向其他主机的脚本、样式、字体与图片（超链接 <a> 不算）。"""
    found = []
    for page in pages(html_dir):
        text = page.read_text(encoding="utf-8")
        for pattern, kind in TAG_ATTRS:
            for m in pattern.finditer(text):
                tag = m.group(0)
                if kind == "link" and re.search(r"rel=[\"'](canonical|alternate)", tag):
                    continue
                if EXTERNAL.match(m.group(1)):
                    found.append(f"{page.relative_to(html_dir)}: {kind} {m.group(1)}")
    for css in html_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in list(CSS_URL.finditer(text)) + list(CSS_IMPORT.finditer(text)):
            if EXTERNAL.match(m.group(1)):
                found.append(f"{css.relative_to(html_dir)}: css {m.group(1)}")
    return found


def test_no_page_loads_anything_from_another_host(html_dir):
    assert external_refs(html_dir) == []


def test_pages_embed_no_ipywidgets_state(html_dir):
    """网页版组件自带静态数据；ipywidgets 的内核状态不应嵌入页面（只会增加体积）。"""
    for page in pages(html_dir):
        assert "application/vnd.jupyter.widget-state+json" not in page.read_text(encoding="utf-8"), page


def test_external_ref_check_can_fail(tmp_path):
    (tmp_path / "p.html").write_text('<script src="https://cdn.example/x.js"></script>', encoding="utf-8")
    (tmp_path / "s.css").write_text("@font-face{src:url(//fonts.example/a.woff)}", encoding="utf-8")
    assert len(external_refs(tmp_path)) == 2


def test_pages_declare_chinese(html_dir):
    for page in pages(html_dir):
        head = page.read_text(encoding="utf-8")[:400]
        if "<html" in head:
            assert 'lang="zh-CN"' in head or 'lang="zh_CN"' in head, page


def _search_index(html_dir):
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.parametrize("word", ["区域", "协调", "数据"])
def test_search_index_has_chinese_words(html_dir, word):
    index = _search_index(html_dir)
    docs = []
    for kind in ("terms", "titleterms"):  # Sphinx 把标题中的词单独存放
        hit = index[kind].get(word, [])
        docs += hit if isinstance(hit, list) else [hit]
    assert docs, f"搜索索引中没有中文词“{word}”（是否安装了 jieba？）"
    names = [index["docnames"][i] for i in docs]
    assert "book/intro" in names


def test_every_toc_page_is_built(html_dir):
    for f in toc_files():
        assert (html_dir / f"{Path(f).with_suffix('')}.html").exists(), f


def test_mathjax_is_served_locally(html_dir):
    assert (html_dir / "_static" / "mathjax" / "tex-svg.js").exists()
    for page in pages(html_dir):
        text = page.read_text(encoding="utf-8")
        if 'class="math' in text:
            assert "_static/mathjax/tex-svg.js" in text, page


def test_every_chapter_offers_its_notebook(html_dir):
    """每一章（可执行的笔记本）都能从页面下载为 .ipynb：有 Python 内核，代码单元格与源文件一致。"""
    import nbformat

    from conftest import ROOT

    chapters = [f for f in toc_files() if "kernelspec" in (ROOT / f"{f}.md").read_text(encoding="utf-8")[:400]]
    assert chapters
    for f in chapters:
        page = (html_dir / f"{f}.html").read_text(encoding="utf-8")
        name = Path(f).name + ".ipynb"
        assert f'_sources/{f}.ipynb"' in page, f
        nb = nbformat.read(html_dir / "_sources" / f"{f}.ipynb", as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3", name
        source = (ROOT / f"{f}.md").read_text(encoding="utf-8")
        # 开头多一个安装本书包的单元格（quyu.notebook.for_download），其余与源文件一一对应
        assert "quyu-install" in nb.cells[1].metadata.get("tags", []), name
        assert sum(c.cell_type == "code" for c in nb.cells) == source.count("```{code-cell}") + 1, name


def _unrendered_markup(text: str) -> list[str]:
    """页面正文中没有被解析的 Markdown 强调符号“**”（代码、脚本、样式与组件数据除外）。"""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "pre", "code", "noscript", "textarea"]):
        tag.decompose()
    main = soup.find("main") or soup
    return [line.strip()[:60] for line in main.get_text("\n").splitlines() if "**" in line]


def test_no_unrendered_bold_markup(html_dir):
    """“**不写代码：**用……”这类写法在 CommonMark 中不成粗体，读者会看到星号。"""
    problems = {str(p.relative_to(html_dir)): hits for p in pages(html_dir)
                if (hits := _unrendered_markup(p.read_text(encoding="utf-8")))}
    assert problems == {}


def test_unrendered_markup_check_can_fail():
    assert _unrendered_markup("<main><p>**不写代码：**用组件</p><pre>a ** b</pre></main>") == ["**不写代码：**用组件"]
