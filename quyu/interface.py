"""网站界面的中文：主题的字样、执行情况表的表头、搜索页的说明，以及主题脚本在控制台报的错。

Sphinx 扩展（``_config.yml`` 的 ``extra_extensions``）。各部分：

- **主题字样的翻译**：仓库根目录的 ``locale/zh_CN/LC_MESSAGES/`` 中有三个 .po 目录：
  ``sphinx.po``（pydata-sphinx-theme 的模板与 Sphinx 自己的字样；``_config.yml`` 的 ``locale_dirs``
  让 Sphinx 在构建开始时编译它，并优先于 Sphinx 与主题自带的译文），``booktheme.po``（sphinx-book-theme
  的按钮，如“仓库”“提出问题”），``togglebutton.po``（折叠按钮的提示）。后两个由这里在构建开始时编译
  （Babel，随 Sphinx 安装），并放在主题自带的译文之前：主题自带的简体中文译文不全（例如没有
  “Repository”“Open issue”），有的用了繁体的说法（“列印”）。
- **模板覆盖**（``quyu/templates/``）：主题中写死而不经翻译的字样（侧栏开关的 title），以及搜索页的
  说明：用 ``file://`` 直接打开网页文件时，浏览器不许读取其他页面，搜索结果没有摘要。
- **提出问题的链接**：预填的标题与正文（“Your issue content here.”）改成中文。
- **执行情况表**（myst-nb 的 ``{nb-exec-table}``）：表头、执行方式是中文，各章显示标题而不是文档名。
- **折叠按钮的脚本**：``togglebutton.js`` 中写死的英文 aria-label 换成中文（构建之后改网站中的副本）。
- **控制台不报错**：pydata-sphinx-theme 需要 ``default_mode``，没有时每页第一次打开都报
  “Got invalid theme mode”；sphinx-thebe 的配置脚本在页面中出现两次（``const THEBE_JS_URL`` 重复声明），
  本书不用 Thebe（``launch_buttons.thebe: false``），只留一份。
"""
from __future__ import annotations

import gettext
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

TEMPLATES = Path(__file__).resolve().parent / "templates"
LOCALE = Path(__file__).resolve().parent.parent / "locale"
#: 由这里编译、放在主题自带译文之前的目录（Sphinx 自己编译 sphinx.po）
CATALOGS = ("booktheme", "togglebutton")

#: 执行情况表的表头与执行方式
EXEC_TABLE_HEADERS = {"Document": "章节", "Modified": "修改时间", "Method": "执行方式",
                      "Run Time (s)": "运行时间（秒）", "Status": "状态"}
EXEC_METHODS = {"cache": "缓存", "auto": "自动", "force": "全部重新执行", "inline": "逐单元格", "off": "不执行"}

#: 提出问题时预填的标题与正文
ISSUE_TITLE = "关于页面 /{page}.html 的问题"
ISSUE_BODY = "请在这里写下你发现的问题（哪一段、哪个数字，以及你认为应当怎样改）。"

#: togglebutton.js 中写死的 aria-label
TOGGLE_LABEL = ('aria-label="Toggle hidden content"', 'aria-label="显示或隐藏内容"')


def compile_catalogs(language: str, locale: Path = LOCALE) -> list[Path]:
    """把 ``locale/<语言>/LC_MESSAGES/`` 中 :data:`CATALOGS` 的 .po 编译成 .mo（.po 较新时才重写）。"""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = []
    for name in CATALOGS:
        po = locale / language / "LC_MESSAGES" / f"{name}.po"
        if not po.exists():
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f, locale=language)
            with mo.open("wb") as f:
                write_mo(f, catalog)
        out.append(mo)
    return out


def _prefer_book_catalogs(app) -> None:
    """本书的译文放在主题自带的译文之前（主题的译文留作后备）。"""
    from sphinx import locale as sphinx_locale

    language = app.config.language
    for mo in compile_catalogs(language):
        ours = gettext.GNUTranslations(mo.open("rb"))
        key = ("general", mo.stem)
        theirs = sphinx_locale.translators.get(key)
        if theirs is not None and theirs.__class__ is not gettext.NullTranslations:
            ours.add_fallback(theirs)
        sphinx_locale.translators[key] = ours


def _configure(app, config) -> None:
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context
    from sphinx.locale import get_translation

    translate = get_translation("togglebutton")
    _prefer_book_catalogs(app)
    # sphinx-togglebutton 在安装时（还没有读入译文）就定下了提示文字的默认值：这里按译文重设
    config.togglebutton_hint = str(translate("Click to show"))
    config.togglebutton_hint_hide = str(translate("Click to hide"))


def _chinese(app) -> bool:
    """中文版（英文版用主题自带的英文字样，这里的中文改写都不做）。"""
    return str(app.config.language or "zh").startswith("zh")


def _issue_link(app, pagename, templatename, context, doctree) -> None:
    """“提出问题”按钮预填的标题与正文用中文。"""
    if not _chinese(app):
        return
    def walk(buttons):
        for b in buttons or []:
            if isinstance(b, dict):
                if b.get("label") == "source-issues-button" and "?" in b.get("url", ""):
                    base = b["url"].split("?", 1)[0]
                    title, body = quote(ISSUE_TITLE.format(page=pagename)), quote(ISSUE_BODY)
                    b["url"] = (f"{base}?issue[title]={title}&issue[description]={body}" if "/-/issues/" in base
                                else f"{base}?title={title}&body={body}")
                walk(b.get("buttons"))
    walk(context.get("header_buttons"))


def _single_thebe_config(app, pagename, templatename, context, doctree) -> None:
    """sphinx-thebe 的配置脚本（``const THEBE_JS_URL = …``）每页只留一份。"""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, keep = set(), []
    for js in scripts:
        body = (getattr(js, "attributes", None) or {}).get("body", "")
        if body and "THEBE_JS_URL" in body:
            if body in seen:
                continue
            seen.add(body)
        keep.append(js)
    scripts[:] = keep


class ChineseExecTable(SphinxPostTransform):
    """myst-nb 的执行情况表（在它之后、引用解析之前运行）：中文表头与执行方式，各章显示标题。"""

    default_priority = 9

    def run(self, **kwargs) -> None:
        if not _chinese(self.app):
            return
        for table in self.document.findall(nodes.table):
            head = [e.astext() for e in next(table.findall(nodes.thead), nodes.thead()).findall(nodes.entry)]
            if head != list(EXEC_TABLE_HEADERS):
                continue
            for entry in next(table.findall(nodes.thead)).findall(nodes.entry):
                text = entry.astext()
                entry.children[0].replace_self(nodes.paragraph(text=EXEC_TABLE_HEADERS[text]))
            method_col = list(EXEC_TABLE_HEADERS).index("Method")
            for row in next(table.findall(nodes.tbody)).findall(nodes.row):
                cells = [c for c in row.children if isinstance(c, nodes.entry)]
                for xref in cells[0].findall(addnodes.pending_xref):
                    xref["refexplicit"] = False   # 链接文字取该章的标题
                method = cells[method_col]
                text = method.astext()
                if text in EXEC_METHODS:
                    method.children[0].replace_self(nodes.paragraph(text=EXEC_METHODS[text]))


def _fix_static(app, exception) -> None:
    if exception or app.builder is None or app.builder.format != "html" or not _chinese(app):
        return
    js = Path(app.outdir) / "_static" / "togglebutton.js"
    if js.exists():
        text = js.read_text(encoding="utf-8")
        if TOGGLE_LABEL[0] in text:
            js.write_text(text.replace(*TOGGLE_LABEL), encoding="utf-8")


def setup(app):
    # 在 sphinx-togglebutton 按配置写出提示文字（config-inited，优先级 500）之前
    app.connect("config-inited", _configure, priority=400)
    app.connect("html-page-context", _issue_link, priority=900)
    app.connect("html-page-context", _single_thebe_config, priority=900)
    app.add_post_transform(ChineseExecTable)
    app.connect("build-finished", _fix_static)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
