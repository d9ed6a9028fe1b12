"""网站的界面是中文：主题（sphinx-book-theme、pydata-sphinx-theme、sphinx-togglebutton 等）的英文字样
一个也不出现在构建出的网页上。

英文字样不是手写的清单：从已安装的主题包的模板（``_("…")``、``translate("…")``、写死的 title /
aria-label 等属性）、Python 代码（``translation("…")``）和脚本（aria-label、title、提示文字）中提取。
每一页的文字节点与属性值，和这些字样整段比较（不是子串：正文中的英文书名、术语不算）。
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

from test_html import pages

#: 提供界面字样的包：主题、折叠按钮、复制按钮、笔记本渲染、Sphinx 自己的基本主题
THEME_PACKAGES = ("sphinx_book_theme", "pydata_sphinx_theme", "sphinx_togglebutton", "sphinx_copybutton",
                  "sphinx_thebe", "myst_nb", "sphinx_exercise", "sphinx_design", "sphinx")

_CALLS = re.compile(r"""\b(?:_|gettext|translate|translation)\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")
_ATTRS = re.compile(r"""\b(?:title|aria-label|data-bs-title|placeholder|alt|data-toggle-hint)\s*=\s*(["'])([^"'{}$<>]+)\1""")
_JS_PROPS = re.compile(r"""\b(?:toggleHintShow|toggleHintHide|title|ariaLabel|textContent|innerText|tooltip)\s*[:=]\s*"""
                       r"""(["'`])([^"'`{}$<>]+)\1""")
_TRANS_BLOCK = re.compile(r"{%-?\s*trans\b[^%]*%}(.*?){%-?\s*endtrans\s*-?%}", re.S)


def _english(s: str) -> bool:
    """像界面字样的英文：有字母，以大写字母开头或含空格，不是路径、类名或代码。"""
    s = s.strip()
    if len(s) < 3 or not re.search(r"[A-Za-z]{2}", s) or re.search(r"[\u3400-\u9fff]", s):
        return False
    if re.search(r"[/\\=;#]|\.(js|css|html|png|svg)\b|^[a-z0-9_.-]+$", s):   # 路径、代码、类名、小写标识符
        return False
    return s[0].isupper() or " " in s


def _pattern(s: str) -> re.Pattern:
    """字样 → 整段匹配的正则；%(name)s、%s、{name}、${name} 可以是任何文字。"""
    parts = re.split(r"%\(\w+\)s|%s|\$?\{\s*\w+\s*\}", " ".join(s.split()))
    return re.compile(r"^\s*" + r".+?".join(re.escape(p) for p in parts) + r"\s*$", re.S)


def theme_strings() -> dict[str, re.Pattern]:
    """已安装的主题包中读者可见的英文字样 → 整段匹配的正则。"""
    found = set()
    for name in THEME_PACKAGES:
        root = Path(importlib.import_module(name).__file__).parent
        if name == "sphinx":
            files = [p for p in (root / "themes" / "basic").rglob("*") if p.suffix in (".html", ".js")]
        else:
            files = [p for p in root.rglob("*") if p.suffix in (".html", ".py", ".js")
                     and "locale" not in p.parts and not p.name.endswith(".min.js") and "vendor" not in p.parts]
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace")
            found.update(m.group(2) for m in _CALLS.finditer(text))
            if f.suffix in (".html", ".js"):
                found.update(m.group(2) for m in _ATTRS.finditer(text))
            if f.suffix == ".js":
                found.update(m.group(2) for m in _JS_PROPS.finditer(text))
            if f.suffix == ".html":
                found.update(m.group(1) for m in _TRANS_BLOCK.finditer(text))
    return {s: _pattern(s) for s in sorted(found) if _english(s)}


def english_ui(html: str, strings: dict[str, re.Pattern]) -> list[str]:
    """网页（HTML 文字）中整段等于某个主题英文字样的文字节点或属性值。"""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    values = []
    for tag in soup.find_all(True):
        for attr in ("title", "aria-label", "data-bs-title", "placeholder", "alt", "data-toggle-hint",
                     "data-tooltip", "value"):
            if isinstance(tag.get(attr), str):
                values.append(tag[attr])
    for node in soup.find_all(string=True):   # 代码（pre、code）中的英文是代码，不是界面
        if node.parent is not None and node.parent.name not in ("script", "style") \
                and not node.find_parent(["pre", "code"]):
            values.append(str(node))
    for script in soup.find_all("script"):   # 页面中内嵌的配置（例如折叠按钮的提示文字）
        values += [m.group(2) for m in re.finditer(r"""(["'])([^"'\n]{3,80})\1""", script.get_text())]
    hits = []
    for v in {" ".join(v.split()) for v in values if re.search(r"[A-Za-z]", v)}:
        hits += [f"{s!r} ← {v!r}" for s, p in strings.items() if p.match(v)]
    return sorted(set(hits))


def test_theme_strings_are_taken_from_the_installed_packages():
    strings = theme_strings()
    # 读者报告过的字样都在提取出的清单中（清单本身有上百条，不是手写的）
    for s in ("Repository", "Open issue", "Toggle primary sidebar", "Click to show", "Toggle hidden content",
              "Search", "Back to top", "Print to PDF"):
        assert s in strings, s
    assert len(strings) > 60, len(strings)


def test_no_page_shows_an_english_theme_string(html_dir):
    strings = theme_strings()
    problems = {}
    for page in pages(html_dir):
        hits = english_ui(page.read_text(encoding="utf-8"), strings)
        if hits:
            problems[str(page.relative_to(html_dir))] = hits
    assert not problems, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


def test_english_ui_check_can_fail():
    strings = theme_strings()
    html = ('<html><body><button title="Toggle primary sidebar"></button><a>Repository</a>'
            "<script>let toggleHintShow = 'Click to show';</script><pre><span>Index</span></pre>"
            "<p>Regional Studies 中的一篇文章（Search and matching）</p></body></html>")
    hits = english_ui(html, strings)
    assert len(hits) == 3, hits
    assert english_ui("<p>Search and matching in regional labour markets</p>", strings) == []


def test_status_page_headers_are_chinese(html_dir):
    """执行情况页（jupyter-book 的 {nb-exec-table}）的表头是中文。"""
    from conftest import ROOT

    found = [html_dir / p.relative_to(ROOT).with_suffix(".html") for p in (ROOT / "book").rglob("*.md")
             if "{nb-exec-table}" in p.read_text(encoding="utf-8")]
    assert found, "没有找到执行情况页"
    for p in found:
        text = p.read_text(encoding="utf-8")
        for english in ("Document", "Modified", "Method", "Run Time (s)", "Status"):
            assert f">{english}<" not in text, (p.name, english)
        for chinese in ("章节", "修改时间", "执行方式", "运行时间（秒）", "状态"):
            assert f"<p>{chinese}</p>" in text, (p.name, chinese)
        assert ">book/" not in text and ">cache<" not in text   # 各章显示标题，执行方式是中文


def source_ids_shown(html: str, ids) -> list[str]:
    """网页中（代码块之外，含组件的数据）出现的来源代码名（data/sources.csv 的 source_id）。"""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["pre", "code"]):
        tag.decompose()
    # 参考文献中写明“data/ 来源编号 …”“data/ 的来源 …”的，是给使用数据包的读者的索引号，不是未翻译的代码名
    text = re.sub(r"(来源编号|data/ 的来源)[\s\w、,，-]+", "", str(soup))
    return sorted(i for i in ids if re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w.-])", text))


def test_no_page_shows_a_source_id(html_dir):
    """读者看到的是来源的中文名称（data/source_names.csv），不是 JCDASHENG_CCSY 之类的代码名。"""
    from quyu import data

    ids = list(data.sources()["source_id"])
    # 附录“数据说明”列出数据包的来源台账（sources.csv），在那里编号本身就是要给读者看的
    ledger_of_sources = html_dir / "book" / "appendix" / "data.html"
    problems = {str(p.relative_to(html_dir)): hits for p in pages(html_dir) if p != ledger_of_sources
                and (hits := source_ids_shown(p.read_text(encoding="utf-8"), ids))}
    assert not problems, problems
    assert source_ids_shown("<td>JCDASHENG_CCSY（城市统计年鉴）</td><pre>CASS_RCDI_2020_CNS</pre>"
                            "<a title='data/ 来源编号 gcam_cnki_gdp_1975_2009、NBS_REGIONS40_CRI。'>x</a>", ids) \
        == ["JCDASHENG_CCSY"]
