"""网站中没有指向空处的链接：正常版与学生版的每一个站内 ``href``/``src``（页面、锚点、下载文件、
图片、脚本、样式，以及样式表中的 ``url()``）都指向存在的文件，带 ``#锚点`` 的指向目标页中存在的
``id``；也没有任何链接指向尚未发布的占位仓库。外部网址（http、mailto 等）不在检查之列
（构建机器上不能联网）。"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, _require
from quyu.notebook import PLACEHOLDER_REPOS

STUDENT = ROOT / "_build" / "student" / "_build" / "html"
#: 不指向本站文件的链接（外部网址、脚本、邮件、内嵌数据）
OFFSITE = re.compile(r"^([a-z][a-z0-9+.\-]*:|//)", re.I)
#: 各元素中指向别处的属性
LINK_ATTRS = {"a": ("href",), "link": ("href",), "area": ("href",), "script": ("src",), "img": ("src", "srcset"),
              "source": ("src", "srcset"), "iframe": ("src",), "embed": ("src",), "video": ("src", "poster"),
              "audio": ("src",), "track": ("src",), "object": ("data",), "form": ("action",)}
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""", re.I)
PLACEHOLDERS = tuple(p for p in PLACEHOLDER_REPOS if p)


class _Page(HTMLParser):
    """一页中的全部 id（及旧式 ``<a name>``）与链接。"""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []   # (元素, 地址)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for attr in LINK_ATTRS.get(tag, ()):
            value = attrs.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                self.links += [(tag, part.strip().split()[0]) for part in value.split(",") if part.strip()]
            else:
                self.links.append((tag, value.strip()))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def dead_links(site: Path) -> list[str]:
    """``site`` 中全部站内死链与指向占位仓库的链接（“文件: 元素 地址 — 原因”的列表）。"""
    site = site.resolve()
    parsed: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    def check(source: Path, kind: str, url: str) -> str | None:
        if any(url.rstrip("/").startswith(p) for p in PLACEHOLDERS):
            return "占位仓库"
        if not url or OFFSITE.match(url):
            return None
        parts = urlsplit(url)
        if parts.path:
            target = (source.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
        else:
            target = source
        try:
            target.relative_to(site)
        except ValueError:
            return "指向网站之外"
        if not target.is_file():
            return "文件不存在"
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in page(target).ids:
            return f"{target.relative_to(site).as_posix()} 中没有 id“{fragment}”"
        return None

    found = []
    # _static/ 中的 .html 是主题随静态文件复制过来的 Jinja 模板片段（不是网页，链接是未展开的模板）
    for path in sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts):
        for kind, url in page(path).links:
            why = check(path, kind, url)
            if why:
                found.append(f"{path.relative_to(site).as_posix()}: <{kind}> {url} — {why}")
    for path in sorted(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)   # 注释里的 url() 不算
        for m in CSS_URL.finditer(text):
            url = (m.group(1) or m.group(2)).strip()
            why = None if url.startswith("#") else check(path, "css", url)   # SVG 滤镜引用 #id
            if why:
                found.append(f"{path.relative_to(site).as_posix()}: url({url}) — {why}")
    return found


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_no_dead_links(html_dir, edition):
    site = html_dir
    if edition == "student":
        _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
        site = STUDENT
    dead = dead_links(site)
    assert not dead, f"{len(dead)} 个死链：\n" + "\n".join(dead[:50])


def test_link_check_finds_planted_dead_links(tmp_path):
    """检查本身能失败：缺文件、缺锚点、缺样式中的字体、指向占位仓库，各埋一个。"""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text('<h1 id="top">t</h1>', encoding="utf-8")
    (tmp_path / "s.css").write_text("@font-face{src:url(fonts/missing.woff2)} /* url(nope.png) */",
                                    encoding="utf-8")
    (tmp_path / "p.html").write_text(
        '<p id="here"></p>'
        '<a href="#here">ok</a><a href="sub/">ok</a><a href="sub/index.html#top">ok</a>'
        '<a href="https://example.org/x">external</a><a href="mailto:a@b.c">mail</a>'
        '<link rel="stylesheet" href="s.css?v=1">'
        '<a href="#gone">1</a><a href="sub/index.html#gone">2</a><img src="_images/none.png">'
        '<script src="_static/none.js"></script>'
        f'<a href="{PLACEHOLDERS[0]}/issues">3</a>',
        encoding="utf-8")
    dead = dead_links(tmp_path)
    assert len(dead) == 6, dead
    assert any("占位仓库" in d for d in dead) and any("missing.woff2" in d for d in dead)
    assert not any("nope.png" in d or "example.org" in d or "#here" in d for d in dead)
