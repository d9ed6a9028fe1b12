"""全书的 Sphinx 扩展：本地静态资源（组件脚本、MathJax）、LaTeX 辅助文件。

目的：构建出的网站不向任何其他主机请求脚本、样式或字体。
- 组件层的脚本和样式 ``quyu/static/`` 随包分发，复制到 ``_static/``；
- 每章的笔记本（.ipynb，不含输出，开头是安装本书包的单元格，下载后在 Jupyter 中运行）
  写到 ``_sources/``，页面的下载菜单提供 .ipynb；
- 构建之后的步骤（CSV 下载、给读者的数据文件、组件的印刷版图、wheel、无障碍修补）见 :mod:`quyu.site`；
  正文用 ``{quyu-data}`文件名``\ 点名一个数据文件（:mod:`quyu.datafiles`），网页中成为下载链接；
- 学生版（``hide_solutions``）在读入各章时去掉答案，下载的源文件也不含答案（见
  :func:`_strip_solutions` 与 :mod:`quyu.edition`）；
- 仓库、问题、编辑与启动按钮只在 ``repository.url`` 是真实仓库时显示（见 :func:`_repository_buttons`）；
- 执行缓存中没有的章节，在 Sphinx 读入之前用 jupyter-cache 的并行执行器同时执行
  （见 :func:`_execute_stale_in_parallel`）；
- MathJax 3（SVG 输出，字形内置于脚本，离线和 file:// 下都能显示）取自 PyPI 包
  ``django-static-mathjax``（只用其中的静态文件，Apache-2.0），构建时复制到
  ``_static/mathjax/``，由 ``mathjax_path`` 指向本地文件。
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import bibstyle

STATIC = Path(__file__).resolve().parent / "static"
LATEX = Path(__file__).resolve().parent / "latex"
MATHJAX_PATH = "mathjax/tex-svg.js"
#: 复制到网站中的 MathJax 文件：主脚本与它按需加载的组件（不含语音规则引擎 sre）。
MATHJAX_PARTS = ("tex-svg.js", "input", "output", "ui", "a11y", "adaptors")


def _mathjax_source() -> Path:
    import mathjax  # PyPI: django-static-mathjax

    return Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"


def _mark_static_build(app, config) -> None:
    """告诉执行各章的内核：这是在构建网站或 PDF（见 ``quyu.widgets.STATIC_BUILD_ENV``）。"""
    from .widgets import STATIC_BUILD_ENV

    os.environ[STATIC_BUILD_ENV] = "1"


def _add_static(app, config) -> None:
    config.html_static_path = list(config.html_static_path) + [str(STATIC)]
    config.mathjax_path = MATHJAX_PATH
    files = list(config.latex_additional_files)
    files += [str(p) for p in sorted(LATEX.glob("*.sty"))]
    config.latex_additional_files = files


def _copy_mathjax(app, exception) -> None:
    if exception or app.builder is None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    if (target / "tex-svg.js").exists():
        return
    source = _mathjax_source()
    target.mkdir(parents=True, exist_ok=True)
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            shutil.copy2(source / part, target / part)


def _offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """每一章都可以下载为 .ipynb，出现在页面右上角的下载菜单中。

    下载的笔记本只有源单元格、没有输出（见 :func:`quyu.notebook.for_download`），开头是一个
    安装本书 Python 包的短单元格，在本书仓库之外也能从头运行。学生版的笔记本不含标有 ``solution``
    的代码单元格（只为答案计算数值，见 :mod:`quyu.edition`）。"""
    if app.builder is None or app.builder.format != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    from .notebook import for_download

    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(for_download(executed.read_text(encoding="utf-8"), student=bool(app.config.hide_solutions)),
                      encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def _finish_site(app, exception) -> None:
    """构建之后：表与组件的 CSV、组件的印刷版图、可安装的 wheel、主题的无障碍修补（quyu.site）。"""
    if exception or app.builder is None or app.builder.format != "html":
        return
    from . import site

    cache = getattr(app.config, "nb_execution_cache_path", "") or ""
    site.finish(Path(app.outdir), Path(cache) if cache else None, student=bool(app.config.hide_solutions))


def _strip_solutions(app, docname, source) -> None:
    """学生版（sphinx-exercise 的 ``hide_solutions`` 打开时）：各章读入时就去掉答案。

    网页、检索索引与下载的 .ipynb（由 myst-nb 按这份文字生成的笔记本写出）因此都不含答案；
    答案只在 Markdown 单元格中，代码单元格不变，执行缓存与正常版共用（只为答案计算数值的
    ``solution`` 单元格在写出下载文件时才去掉，见 :func:`_offer_notebook`、:func:`_student_sources`）。"""
    if app.config.hide_solutions:
        from .edition import strip_solutions

        source[0] = strip_solutions(source[0])


def _student_sources(app, exception) -> None:
    """学生版：Sphinx 把磁盘上的原文复制到 ``_sources/`` 供下载，这里换成去掉答案的同一份文字
    （与 :func:`_strip_solutions` 读入的相同），再去掉只为答案计算数值的 ``solution`` 代码单元格
    （:func:`quyu.edition.student_text`）。"""
    if exception or app.builder is None or app.builder.format != "html" or not app.config.hide_solutions:
        return
    from .edition import student_text

    sources = Path(app.outdir) / "_sources"
    suffix = app.config.html_sourcelink_suffix or ""
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        name = docname + source.suffix + ("" if source.suffix == suffix else suffix)  # 与 Sphinx 的命名相同
        copied = sources / name
        if source.suffix == ".md" and copied.exists():
            copied.write_text(student_text(source.read_text(encoding="utf-8")), encoding="utf-8")


def _drop_widget_state(app, pagename, templatename, context, doctree) -> None:
    """不在网页中嵌入 ipywidgets 的状态：网页版组件用自己的静态数据，
    那份状态（含内核中渲染的 PNG）只会白白增加页面体积。"""
    from myst_nb.sphinx_ import NbMetadataCollector

    try:
        NbMetadataCollector.get_js_files(app.env, pagename).pop("ipywidgets_state", None)
    except KeyError:  # 不是笔记本的页面
        pass


def _repository_buttons(app, config) -> None:
    """仓库、问题、编辑页面与 Binder、Colab 启动按钮：只有 _config.yml 中 ``repository.url`` 是真实
    仓库时才打开；仍是占位地址（:data:`quyu.notebook.PLACEHOLDER_REPOS`）时全部关闭，README 说明
    如何打开。判断只在 :func:`quyu.notebook.published` 一处。"""
    from .notebook import repository_options

    config.html_theme_options = repository_options(config.html_theme_options)


#: 执行缓存中存放一章时用的读入方式：与 myst-nb 执行时登记的相同，缓存的键因而一致。
MYST_READER = {"type": "plugin", "name": "myst_nb_md"}


def stale_notebooks(paths, cache) -> list[Path]:
    """``paths`` 中是 MyST 笔记本、而执行缓存里没有其当前版本的章节。"""
    from myst_nb.core.read import is_myst_markdown_notebook, myst_nb_reader_plugin

    stale = []
    for path in map(Path, paths):
        if path.suffix != ".md" or not is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            continue
        try:
            cache.match_cache_notebook(myst_nb_reader_plugin(str(path)))
        except KeyError:
            stale.append(path)
    return stale


def warm_numba_cache() -> None:
    """在并行执行之前，先在本进程中导入一次 giddy。

    giddy 依赖的 quantecon 在导入时用 numba 编译函数，并把结果写进磁盘缓存（``cache=True``）。
    几个内核同时第一次导入时，会同时写同一个缓存文件；读到别人写了一半的文件的内核随即崩溃
    （“LLVM ERROR: Symbol not found”，内核死亡，构建失败）。先由一个进程写好缓存，各内核就只读它。"""
    try:
        import giddy  # noqa: F401
    except ImportError:  # pragma: no cover - giddy 是运行依赖；没有它时各章自己会报错
        pass


def _execute_stale_in_parallel(app, env, docnames) -> None:
    """Sphinx 读入各章之前，把执行缓存中没有的章节交给 jupyter-cache 的 ``local-parallel``
    执行器，按处理器个数同时执行，结果写入同一个缓存；myst-nb 读入时就直接取用。

    各章在各自的内核中、以各自的目录为工作目录执行，与 myst-nb 逐章执行时相同；这里出错的
    章节不写入缓存，myst-nb 读入时会再执行一次，照常报告出错的单元格并使构建失败。
    设环境变量 ``QUYU_SERIAL_EXECUTION=1`` 则不做这一步（逐章执行）。"""
    config = getattr(app.env, "mystnb_config", None)  # myst-nb 解析后的配置（含缓存的实际位置）
    if config is None or config.execution_mode != "cache" or os.environ.get("QUYU_SERIAL_EXECUTION"):
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(config.execution_cache_path)
    stale = stale_notebooks((env.doc2path(d) for d in docnames), cache)
    if len(stale) < 2 or (os.cpu_count() or 1) < 2:
        return
    warm_numba_cache()
    records = [cache.add_nb_to_project(str(p), read_data=MYST_READER) for p in stale]
    log = logging.getLogger("quyu.execute")
    log.setLevel(logging.WARNING)
    executor = load_executor("local-parallel", cache, logger=log)
    executor.run_and_cache(filter_pks=[r.pk for r in records], timeout=config.execution_timeout,
                           allow_errors=config.execution_allow_errors)


class _TermSet(set):
    """有列表 ``extend`` 方法的集合。"""

    extend = set.update


def _fast_chinese_search(app, config) -> None:
    """网站检索索引的中文分词器：与 Sphinx 自带的 ``SearchChinese`` 相同，只是把它记录拉丁字母词的
    ``latin_terms`` 从列表换成集合。那个列表在整个构建中只增不减，而每个词的词干化都要在其中查找一遍，
    全书的索引因此要多花好几秒；换成集合，结果（检索索引）完全相同。"""
    from sphinx.search import languages
    from sphinx.search.zh import SearchChinese

    from . import search

    class SearchChineseSet(SearchChinese):
        def init(self, options):
            super().init(options)
            self.latin_terms = _TermSet()

        # 术语表中的词照原样输入就能找到含有它的每一页（quyu.search）
        def split(self, input):
            if not hasattr(self, "glossary"):
                self.glossary = search.glossary_terms(getattr(app, "env", None))
            return super().split(input) + search.keys_in(self.glossary, input)

        @property
        def js_splitter_code(self):
            return search.js_splitter(search.glossary_terms(getattr(app, "env", None)))

    languages["zh"] = SearchChineseSet


# ---------------------------------------------------------------- 版本、日期与“本版变化”

def _edition(app, config) -> None:
    """版本号与日期只写在 ``quyu/__init__.py`` 一处：Sphinx 的 version/release/today（PDF 标题页），
    以及正文中的替换 ``{{ book_version }}``、``{{ book_date }}``（书首页）。"""
    from . import __date__, __version__
    from .page import date_en, date_zh

    config.version = config.release = __version__
    english = str(config.language or "").startswith("en")
    when = date_en(__date__) if english else date_zh(__date__)
    config.today = when
    subs = dict(getattr(config, "myst_substitutions", None) or {})
    subs.update(book_version=__version__, book_date=when)
    config.myst_substitutions = subs
    elements = dict(config.latex_elements or {})
    elements["maketitle"] = latex_title_pages(__version__, __date__)
    config.latex_elements = elements


def _front_matter_title(app, config) -> None:
    """书首（前言）在 PDF 中没有标题，页脚还印着上一页的“目录”：目录之后补一个不编号的章题并设好页眉页脚。
    在 sphinx-external-toc 从目录定下书首页（``master_doc``，config-inited 优先级 900）之后运行。"""
    title = _root_title(app, config)
    if title:
        elements = dict(config.latex_elements or {})
        elements["tableofcontents"] = (r"\sphinxtableofcontents" "\n" r"\pagestyle{normal}"
                                       f"\\chapter*{{{title}}}\\markboth{{{title}}}{{{title}}}\n")
        config.latex_elements = elements


def _root_title(app, config) -> str:
    """书首页的标题：源文件的第一个一级标题；英文版取它在译文目录中的译文。"""
    import re

    # Jupyter Book 只设 master_doc；Sphinx 在稍后的 config-inited 处理中才把它抄到 root_doc
    docs = [d for d in (getattr(config, "master_doc", None), getattr(config, "root_doc", None)) if d]
    found = [d for d in docs if (Path(app.srcdir) / f"{d}.md").exists()]
    if not found:
        return ""
    root = found[0]
    source = Path(app.srcdir) / f"{root}.md"
    m = re.search(r"^# (.+)$", source.read_text(encoding="utf-8"), re.M)
    if not m:
        return ""
    title = m.group(1).strip()
    language = str(config.language or "")
    po = Path(app.srcdir) / "locale" / language.split("_")[0] / "LC_MESSAGES" / f"{root}.po"
    if language.startswith("en") and po.exists():
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            entry = read_po(fh).get(title)
        if entry is not None and entry.string and not entry.fuzzy:
            title = entry.string
    return title


#: CITATION.cff 中的许可（SPDX 标识）→ 标题页背面的中文说明；哪些部分用哪种许可见仓库根目录的 LICENSE。
LICENCES_ZH = {
    "CC-BY-4.0": "本书的正文、图表与习题采用知识共享署名 4.0 国际许可协议（CC BY 4.0）进行许可，"
                 r"许可文本见 \url{https://creativecommons.org/licenses/by/4.0/deed.zh-hans}。",
    "MIT": "书中的代码（各章的代码单元格与 Python 包 quyu）采用 MIT 许可。",
}


def _tex(text: str) -> str:
    """纯文字 → LaTeX（标题页上的书名、作者等）。"""
    from sphinx.util.texescape import escape

    return escape(str(text))


def latex_title_pages(version: str, date: str, citation: Path | None = None) -> str:
    """PDF 的标题页（书名、编写组、版本、日期）与其背面（版本、许可、如何引用）。

    版本与日期取自 ``quyu/__init__.py``，许可取自 ``CITATION.cff``（与网页附录“引用、许可与参与”的著录
    格式相同）；在 ``latex_elements["maketitle"]`` 中代替 Sphinx 的 ``\\sphinxmaketitle``。书名与编写组用
    Sphinx 写进导言区的 ``\\@title``、``\\@author``（取自 ``_config.yml``）。"""
    import yaml

    from .page import date_zh

    citation = citation or Path(__file__).resolve().parent.parent / "CITATION.cff"
    cff = yaml.safe_load(citation.read_text(encoding="utf-8")) if citation.exists() else {}
    full_title = _tex(cff["title"]) if cff.get("title") else r"\@title"
    author = _tex(cff["authors"][0]["name"]) if cff.get("authors") else r"\@author"
    licences = cff.get("license") or []
    licences = [licences] if isinstance(licences, str) else licences
    licence_text = "".join(LICENCES_ZH.get(x, f"许可：{_tex(x)}。") for x in licences)
    when = date_zh(date)
    cite = (f"{author}. {full_title}：{_tex(version)} 版[EB/OL]. （{when}）.")
    return "\n".join([
        r"\makeatletter\begin{titlepage}%",
        r"  \hypersetup{pdfauthor={\@author}, pdftitle={\@title}}%",
        r"  \centering",
        r"  \vspace*{0.18\textheight}",
        r"  {\Huge\bfseries \@title\par}",
        r"  \vspace{1.2em}",
        r"  {\Large 可执行教材\par}",
        r"  \vspace{4em}",
        r"  {\LARGE \@author\par}",
        r"  \vfill",
        r"  {\large 第 %s 版\par}" % _tex(version),
        r"  \vspace{0.6em}",
        r"  {\large %s\par}" % when,
        r"  \vspace*{0.08\textheight}",
        r"\end{titlepage}\makeatother%",
        r"\thispagestyle{empty}%",
        r"\begingroup\small\setlength{\parindent}{0pt}\setlength{\parskip}{0.8em}%",
        r"\vspace*{\fill}",
        r"{\bfseries %s}\par" % full_title,
        r"版本 %s，%s发布。\par" % (_tex(version), when),
        r"{\bfseries 许可}\par",
        licence_text + "数据的使用须遵守国家统计局等发布机构的规定。\\par",
        r"{\bfseries 如何引用}\par",
        "引用本书时，请写明书名、编写组、版本与发布日期，例如：\\par",
        r"\begin{quote}%s\end{quote}" % cite,
        "仓库根目录的 CITATION.cff 以通用的引用文件格式记录同样的信息；引用书中某一章的计算结果时，"
        "请同时注明所用的数据版本。\\par",
        r"\endgroup",
        r"\clearpage",
    ])


class data_file_node(nodes.Inline, nodes.TextElement):
    """``{quyu-data}`文件名``：网站 ``_downloads/quyu/data/`` 中给读者的一个数据文件（见 :mod:`quyu.datafiles`）。
    页面解析完成后（doctree-resolved）换成链接（网页）或文件名（PDF 等）。"""


def data_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """习题与数据附录点名一个下载文件：文件名不在 :func:`quyu.datafiles.names` 中时报错（构建失败）。"""
    from . import datafiles

    file = text.strip()
    if file not in _data_file_names(datafiles):
        msg = inliner.reporter.error(f"没有这个数据下载文件 / no such data download: {file!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    return [data_file_node(rawtext, file, file=file)], []


_DATA_FILE_NAMES: dict = {}


def _data_file_names(datafiles) -> set[str]:
    from . import data as _data

    key = str(_data.data_dir())
    if key not in _DATA_FILE_NAMES:
        _DATA_FILE_NAMES[key] = datafiles.names()
    return _DATA_FILE_NAMES[key]


def _resolve_data_files(app, doctree, docname) -> None:
    """网页中是指向 ``_downloads/quyu/data/<文件>`` 的相对链接（离线也能用）；其他格式只印文件名。"""
    import posixpath

    from .datafiles import FOLDER

    for node in list(doctree.findall(data_file_node)):
        literal = nodes.literal(node["file"], node["file"])
        if app.builder.format == "html":
            href = posixpath.relpath(f"{FOLDER}/{node['file']}", posixpath.dirname(docname) or ".")
            literal = nodes.reference("", "", literal, refuri=href, classes=["quyu-data-link"])
        node.replace_self(literal)


class changes_node(nodes.General, nodes.Element):
    """“本版变化”表的占位：所有章节读入之后（doctree-resolved）换成比较结果。"""


class ChangesDirective(Directive):
    """``{quyu-changes}``：本次构建的粘贴值与上一版清单（releases/）的比较。"""

    has_content = False

    def run(self):
        return [changes_node("")]


def _changes_signature(app) -> str:
    """“本版变化”页所比较的两份清单（本次构建的全部粘贴值、数据与代码的指纹，以及上一版的存档）的散列。"""
    import hashlib

    from . import data as _data, manifest, site

    outdir = Path(app.outdir)
    cache = getattr(app.config, "nb_execution_cache_path", "") or ""
    site.CACHE_DIR = Path(cache) if cache else None
    current = manifest.build_manifest(outdir.parent / "jupyter_execute", site._executed_notebooks(outdir),
                                      _data.data_dir())
    old = manifest.previous(current["version"])
    h = hashlib.sha256()
    if old is None:
        h.update(f"{current['version']}\0{current['date']}".encode("utf-8"))
        return h.hexdigest()
    # 页面印出的是两版的比较（及变化之处所在的句子与章名），不是清单本身：只改了文字而数值不变时不重写
    cmp = manifest.compare(old, current)
    h.update(json.dumps(cmp, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    for doc in sorted(cmp["docs"]):
        title = app.env.titles[doc].astext() if doc in app.env.titles else doc
        try:
            source = Path(app.env.doc2path(doc)).read_text(encoding="utf-8")
        except OSError:
            source = ""
        h.update(f"\0{doc}\0{title}\0{source}".encode("utf-8"))
    return h.hexdigest()


def _changes_when_values_change(app, env):
    """“本版变化”页的内容取决于其他各章，在写出时（doctree-resolved）才算出来：比较的两份清单变了，
    就重写这一页（不必重读）；都没变（例如只改了一句文字而粘贴值不变）就不动它。"""
    if app.builder is None or app.builder.format != "html":  # PDF 每次都整本写出
        return []
    docs = [d for d, _ in _changes_docs(env)]
    if not docs:
        return []
    signature = _changes_signature(app)
    if getattr(env, "quyu_changes_signature", None) == signature:
        return []
    env.quyu_changes_signature = signature
    return docs


def _changes_docs(env):
    return [(d, p) for d, p in ((d, env.doc2path(d)) for d in env.found_docs)
            if Path(p).suffix == ".md" and "{quyu-changes}" in Path(p).read_text(encoding="utf-8")]


def _resolve_changes(app, doctree, docname) -> None:
    found = list(doctree.findall(changes_node))
    if not found:
        return
    from . import manifest, site

    outdir = Path(app.outdir)
    cache = getattr(app.config, "nb_execution_cache_path", "") or ""
    site.CACHE_DIR = Path(cache) if cache else None
    notebooks = site._executed_notebooks(outdir)
    from . import data as _data

    current = manifest.build_manifest(outdir.parent / "jupyter_execute", notebooks, _data.data_dir())
    old = manifest.previous(current["version"])
    if app.config.hide_solutions and old is not None:
        # 学生版：只为答案计算的值（solution 单元格粘贴的）不列出，位置取自去掉答案的文字
        from .edition import without_solution_values

        current = dict(current, values=without_solution_values(current["values"], notebooks))
        old = dict(old, values=without_solution_values(old.get("values", {}), notebooks))
    content = _changes_nodes(app, docname, old, current)
    if app.builder.format == "latex":  # 长表按给定的列宽折行（见 WrapLongTables；这里在它之后才生成）
        for table in content:
            if isinstance(table, nodes.table):
                table["classes"].append("colwidths-given")
                rows = list(table.findall(nodes.row))
                if len(rows) > PRINT_LONG_ROWS or _display_width(table.astext()) > PRINT_LONG_CHARS:
                    table["classes"].append("longtable")  # 跨页，不伸出页底（同 WrapLongTables）
    for node in found:
        node.replace_self(content)


def _changes_nodes(app, docname, old, current) -> list:
    from . import manifest
    from .page import date_zh

    if old is None:
        para = nodes.paragraph(text=f"本版（{current['version']}，{date_zh(current['date'])}）之前没有存档的版本清单，"
                                    "因此没有可以比较的上一版。")
        return [para]
    cmp = manifest.compare(old, current)
    n_changed = sum(1 for rows in cmp["docs"].values() for r in rows if r["reason"] not in ("added", "removed"))
    n_added = sum(1 for rows in cmp["docs"].values() for r in rows if r["reason"] == "added")
    n_removed = sum(1 for rows in cmp["docs"].values() for r in rows if r["reason"] == "removed")
    data_bits = []
    if cmp["new_years"]:
        data_bits.append("新增了 " + "、".join(f"{y} 年" for y in cmp["new_years"]) + " 的数据")
    if cmp["revised_tables"]:
        data_bits.append(f"修订或改动了 {len(cmp['revised_tables'])} 张数据表")
    data_text = "；".join(data_bits) if data_bits else "数据没有变化"
    summary = (f"上一版是 {cmp['from']}（{date_zh(cmp['from_date'])}），本版是 {cmp['to']}（{date_zh(cmp['to_date'])}）。"
               f"两版之间，{data_text}；代码或正文{'有' if cmp['code_changed'] else '没有'}改动。"
               f"全书的粘贴数值中，{n_changed} 个改变了，{n_added} 个是新增的，{n_removed} 个删去了，"
               f"其余 {cmp['unchanged']} 个与上一版相同。")
    out = [nodes.paragraph(text=summary)]
    if not cmp["docs"]:
        out.append(nodes.paragraph(text="两版印出的数字完全相同。"))
        return out
    env = app.env
    labels = env.domaindata.get("std", {}).get("labels", {})
    manifest.set_label_titles({name: sect for name, (_doc, _id, sect) in labels.items() if sect})
    for doc, rows in cmp["docs"].items():
        title = env.titles[doc].astext() if doc in env.titles else doc
        heading = nodes.paragraph()
        strong = nodes.strong()
        if doc in env.found_docs:
            ref = nodes.reference("", title, internal=True,
                                  refuri=app.builder.get_relative_uri(docname, doc))
            strong += ref
        else:
            strong += nodes.Text(title)
        heading += strong
        heading += nodes.Text(f"：{len(rows)} 处")
        # PDF：章名不单独留在页底（后面的表至少要有几行跟它在同一页）
        out.append(nodes.raw("", "\\needspace{8\\baselineskip}\n", format="latex"))
        out.append(heading)
        try:
            source = Path(env.doc2path(doc)).read_text(encoding="utf-8")
        except OSError:
            source = ""
        if app.config.hide_solutions:
            from .edition import student_text

            source = student_text(source)
        values = current["values"].get(doc, {})
        body = [[manifest.context(source, r["key"], values) or "（图表或组件中的数值）",
                 manifest.short(r["old"]), manifest.short(r["new"]), manifest.REASONS_ZH[r["reason"]]]
                for r in rows]
        out.append(_table(["位置（本版的句子，〔此数〕为变化的数）", "上一版", "本版", "原因"], body))
    return out


def _table(head, body):
    table = nodes.table(classes=["quyu-changes"])
    group = nodes.tgroup(cols=len(head))
    table += group
    for width in (50, 17, 17, 16):
        group += nodes.colspec(colwidth=width)
    thead = nodes.thead()
    group += thead
    thead += _row(head)
    tbody = nodes.tbody()
    group += tbody
    for cells in body:
        tbody += _row(cells)
    return table


def _row(cells):
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=str(text))
        row += entry
    return row


# ---------------------------------------------------------------- PDF（LaTeX）

#: 部分的标题“第一部分 十八大以前……”：编号与标题之间的空格。
PART_TITLE = re.compile(r"^(第[一二三四五六七八九十]+部分)\s+(\S.*)$")


class PartTitleSeparator(SphinxPostTransform):
    """PDF 中各部分的标题（目录与部分页）：编号“第一部分”与标题之间留出空白。

    sphinx-jupyterbook-latex 把 ``_toc.yml`` 中各部分的 caption 原样写进 ``\\part{…}``；xeCJK 忽略两个
    汉字之间的空格，印出来就成了“第一部分十八大以前……”。这里把那个空格换成半个字宽的 ``\\enspace``
    （PDF 书签中仍是一个空格；再宽，pdftotext 就把目录中的这一行拆成两栏）。在 sphinx-jupyterbook-latex
    生成部分标题（优先级 700）之后运行。"""

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for title in list(self.document.findall(nodes.title)):
            if not isinstance(title.parent, nodes.section) or len(title.children) != 1:
                continue
            m = PART_TITLE.match(title.astext())
            if m and isinstance(title.children[0], nodes.Text):
                title.children = []
                title += nodes.Text(m.group(1))
                title += nodes.raw("", r"\texorpdfstring{\enspace}{ }", format="latex")
                title += nodes.Text(m.group(2))


def url_is_visible(text: str, uri: str) -> bool:
    """链接文字本身已经印出了网址：就是网址（去掉协议头），或是 DOI 链接所指的 DOI。"""
    text = text.strip()
    if not text:
        return False
    bare = re.sub(r"^[a-z]+://", "", uri).rstrip("/")
    if re.sub(r"^[a-z]+://", "", text).rstrip("/") == bare:
        return True
    doi = re.match(r"^(?:dx\.)?doi\.org/(.+)$", bare)
    return bool(doi) and re.sub(r"^doi:\s*", "", text, flags=re.I) == doi.group(1)


class VisibleUrlsNoFootnote(SphinxPostTransform):
    """PDF 把链接的网址印成脚注（``latex_show_urls: footnote``），好让纸上的读者看得到网址；链接文字
    本身已经是那个网址（或 DOI）时，脚注就是重复（参考文献中的“DOI: 10.…”会印两遍）。

    Sphinx 的 ``ShowUrlsTransform``（优先级 400）只跳过文字与网址完全相同的链接；这里在它之前把这类
    链接的 ``refuri`` 暂时收起来，它之后（:class:`RestoreVisibleUrls`）再放回去，链接照常可以点击。"""

    default_priority = 390
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if uri and url_is_visible(ref.astext(), uri):
                ref["quyu_refuri"] = uri
                del ref["refuri"]


class RestoreVisibleUrls(SphinxPostTransform):
    default_priority = 410
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            if "quyu_refuri" in ref:
                ref["refuri"] = ref["quyu_refuri"]
                del ref["quyu_refuri"]


def _web_numbering_in_print(app) -> None:
    """PDF 中习题等由 Sphinx 编号的对象与网页版同号（“练习 6.2”，而不是“练习 6.13.2”）。

    sphinx-jupyterbook-latex 在把各部分印成 ``\\part`` 时（builder-inited）把 ``numfig_secnum_depth``
    改成 2，习题编号因而多出所在小节的编号；这里在它之后改回 ``_config.yml`` 中的值。图、表和公式由
    LaTeX 自己按章编号，不受影响。"""
    if app.builder is None or app.builder.format != "latex":
        return
    configured = getattr(app, "quyu_numfig_secnum_depth", None)
    if configured is not None:
        app.config.numfig_secnum_depth = configured


def _remember_numbering(app, config) -> None:
    app.quyu_numfig_secnum_depth = config.numfig_secnum_depth


def _display_width(text: str) -> int:
    """印出来的宽度（汉字与全角符号算两个字符宽）。"""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


#: 长表每列在内容宽度（半角字符数）之外另加的宽度：单元格两侧的 ``\\tabcolsep``（共 12pt，约两个半角字符）。
TABLE_CELL_PADDING = 2


#: 超过这么多行（含表头）的表在 PDF 中也印成可以跨页的 ``longtable``（Sphinx 自己的界限是 30 行）。
#: 不能跨页的表放不进当前页的剩余部分时整张移到下一页，留下半页空白。
PRINT_LONG_ROWS = 12
#: 行数不多、但字多（半角字符数超过这个数，约半页）的表也是：每行折成好几行，整张表可能比一页还高。
PRINT_LONG_CHARS = 2000
#: 章节中可以给表加上这个类（``:class: quyu-print-wrap``），强制按内容分配列宽：行数少、但有一列很长
#: （教学安排表中的习题清单）时，tabulary 把其余的列挤得放不下一个英文人名。
PRINT_WRAP_CLASS = "quyu-print-wrap"


def _may_break_across_pages(table) -> bool:
    """表格直接位于正文中（节、单元格输出的容器），不在提示框、习题框、列表等不能跨页的环境里。"""
    node = table.parent
    while node is not None:
        if not isinstance(node, (nodes.section, nodes.document, nodes.container)):
            return False
        node = node.parent
    return True


#: 版心宽度（半角字符数，11pt 正文；A4、左右各 1 英寸）与表格缩小字号后的宽度
PRINT_LINE_UNITS = 80
PRINT_SMALL_LINE_UNITS = 90
PRINT_FOOTNOTESIZE_LINE_UNITS = 100
#: 一列的内容宽度（半角字符数）上限：更长的单元格折行
PRINT_COLUMN_CAP = 40
#: 不能折开的一串字符（数字、英文单词、网址）的宽度上限：更长的（网址）允许伸出，不为它把别的列挤没
PRINT_TOKEN_CAP = 22
_TOKEN = re.compile(r"[\x21-\x7e\u00a0-\u2000\u2010-\u2027\u2030-\u2e7f]+")


def _longest_token(text: str) -> int:
    """单元格中最长的不能折开的一串：连续的半角字符（数字、英文、符号）；汉字之间可以折行，但一行至少两个字。"""
    runs = [len(m.group()) for m in _TOKEN.finditer(text)]
    cjk = 4 if any(ord(ch) > 0x2E7F for ch in text) else 0   # 至少两个汉字一行
    return max(runs + [cjk, 1])


def column_widths(cells: list[list[str]], heads: int = 1) -> tuple[list[int], str]:
    """PDF 中表格各列的宽度（半角字符数，含两侧空白）与字号（``""``、``"small"``、``"footnotesize"``）。

    每列至少放得下它最长的不能折开的一串（数字、英文单词；超过 :data:`PRINT_TOKEN_CAP` 的网址除外）和两个汉字
    ——否则 0.069 被截成“0.06(”，省名一字一行；其余的宽度按各列内容的长短（有上限，表头可折成两行，按一半计）
    分配。最窄的排法也超出版心时改用小一号或小两号的字。"""
    ncol = max(len(r) for r in cells)
    need = [2] * ncol
    natural = [4] * ncol
    for k, row in enumerate(cells):
        for i, text in enumerate(row):
            token = min(_longest_token(text), PRINT_TOKEN_CAP)
            width = _display_width(text)
            need[i] = max(need[i], min(token, width))
            natural[i] = max(natural[i], min(-(-width // 2) if k < heads else width, PRINT_COLUMN_CAP))
    need = [n + TABLE_CELL_PADDING for n in need]
    natural = [max(a + TABLE_CELL_PADDING, b) for a, b in zip(natural, need)]
    for size, line in (("", PRINT_LINE_UNITS), ("small", PRINT_SMALL_LINE_UNITS),
                       ("footnotesize", PRINT_FOOTNOTESIZE_LINE_UNITS)):
        if sum(need) <= line:
            break
    if sum(natural) <= line:
        return natural, size
    spare, extra = line - sum(need), [b - a for a, b in zip(need, natural)]
    total = sum(extra) or 1
    widths = [a + max(spare, 0) * e // total for a, e in zip(need, extra)]
    return widths, size


class WrapLongTables(SphinxPostTransform):
    """PDF 中的表格：给出各列宽度（:func:`column_widths`），Sphinx 改用可以折行的 ``\\X`` 列。

    不给宽度时，长表（超过 30 行，Sphinx 印成 ``longtable``）的每一列都是不折行的 ``l`` 列，长单元格伸出版心；
    短表由 tabulary 按内容长短分配，数字列常常分得比数字本身还窄（“0.069”印成“0.06(”），表头和省名被拆成
    一字一行。正文中超过 PRINT_LONG_ROWS 行或字多的表印成可以跨页的 ``longtable``。
    最窄的排法也放不下时整张表用小一号的字（表前后各加一段 LaTeX）。"""

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for table in list(self.document.findall(nodes.table)):
            groups = [g for g in table.children if isinstance(g, nodes.tgroup)]
            if len(groups) != 1:
                continue
            rows = list(groups[0].findall(nodes.row))
            tall = (len(rows) > PRINT_LONG_ROWS or _display_width(table.astext()) > PRINT_LONG_CHARS
                    or PRINT_WRAP_CLASS in table["classes"])
            if len(rows) <= 30 and len(rows) > 2 and tall and _may_break_across_pages(table):
                table["classes"].append("longtable")
            if "colwidths-given" in table["classes"]:
                continue
            colspecs = [c for c in groups[0].children if isinstance(c, nodes.colspec)]
            if not colspecs:
                continue
            cells, heads = [], 0
            for row in rows:
                entries = [e for e in row.children if isinstance(e, nodes.entry)]
                if len(entries) != len(colspecs) or any(e.get("morecols") or e.get("morerows") for e in entries):
                    break
                cells.append([e.astext() for e in entries])
                heads += isinstance(row.parent, nodes.thead)
            else:
                widths, size = column_widths(cells, heads)
                for spec, width in zip(colspecs, widths):
                    spec["colwidth"] = width
                table["classes"].append("colwidths-given")
                if size and table.parent is not None:
                    parent, at = table.parent, table.parent.index(table)
                    parent.insert(at + 1, nodes.raw("", "\\endgroup\n", format="latex"))
                    parent.insert(at, nodes.raw("", f"\\begingroup\\{size}\n", format="latex"))


class FloatingOutputImages(SphinxPostTransform):
    """PDF 中代码单元输出的、不在图环境里的图片（主要是交互组件的印刷版图）改放进没有题注的浮动体。

    这些图很高，又是正文中不能拆开的一整块：前面的图浮到页首以后，剩下的版面放不下它，而它又是这一页正文的
    第一项，TeX 无处换页，只好让它伸出页底（曾有一页伸出 67pt，压住页脚）。放进浮动体以后，TeX 可以把它
    移到下一页。"""

    default_priority = 810
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for image in list(self.document.findall(nodes.image)):
            parent, in_output, in_figure = image.parent, False, False
            while parent is not None:
                if isinstance(parent, nodes.figure):
                    in_figure = True
                    break
                if isinstance(parent, nodes.container) and "cell_output" in parent.get("classes", []):
                    in_output = True
                parent = parent.parent
            if in_output and not in_figure:
                figure = nodes.figure(classes=["quyu-output-float"])
                image.replace_self(figure)
                figure += image


#: 提示框、习题框、解答框里不超过这么多行的代码块在 PDF 中不拆开（放不下时整块移到下一页）。
KEEP_CODE_LINES = 25


class KeepBoxedCodeTogether(SphinxPostTransform):
    """PDF 中框（提示框、解答框）里的代码块：Sphinx 的代码框套在外框里，在页底拆开时算不进外框的下边距，
    最后几行压进页脚（曾有一个解答框伸出 40pt），下一页只剩一截空框。不长的代码块前面加 ``\\needspace``：
    本页剩下的高度放不下整块代码时先换页。"""

    default_priority = 820
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            parent, boxed = block.parent, False
            while parent is not None:
                if isinstance(parent, nodes.Admonition):   # 也包括 sphinx-exercise 的练习与解答
                    boxed = True
                    break
                parent = parent.parent
            lines = block.astext().count("\n") + 1
            if boxed and lines <= KEEP_CODE_LINES:
                raw = nodes.raw("", f"\\needspace{{{lines + 3}\\baselineskip}}\n", format="latex")
                block.parent.insert(block.parent.index(block), raw)
        # 框（练习、解答、提示）的标题不单独留在页底：框前至少要有几行的位置，否则整个框移到下一页
        for box in list(self.document.findall(nodes.Admonition)):
            parent = box.parent
            if parent is None or any(isinstance(a, nodes.Admonition) for a in _ancestors(box)):
                continue
            parent.insert(parent.index(box), nodes.raw("", f"\\needspace{{{_box_head_lines(box)}\\baselineskip}}\n",
                                                        format="latex"))


#: 框前至少要留的行数（标题栏加两三行正文）
BOX_HEAD_LINES = 6


def _box_head_lines(box) -> int:
    """框前要留的行数：框的开头（标题后的前两项）是不长的代码块时，要放得下整块代码——代码块前的
    ``\\needspace`` 在框里换页，标题栏就独自留在上一页的页底。"""
    lines = BOX_HEAD_LINES
    body = [c for c in box.children if not isinstance(c, nodes.title)][:2]
    for child in body:
        for block in ([child] if isinstance(child, nodes.literal_block) else child.findall(nodes.literal_block)):
            n = block.astext().count("\n") + 1
            if n <= KEEP_CODE_LINES:
                lines = max(lines, n + 5)
            break
    return lines


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


class ChapterBibliographyNote(SphinxPostTransform):
    """PDF 中各章末尾的“参考文献”一节：Sphinx 的 LaTeX 输出把全书引用的文献集中印在书末，各章的这一节
    因而只剩标题（后面还有 MyST 放在脚注前的一条横线，而脚注在 PDF 中印在页脚）。这里在文献被移走之前
    （Sphinx 的 BibliographyTransform，优先级 750）写一句说明：引用的文献在书末，编号从几到几；
    这一节只剩这句说明时，并入前一节的末尾（见 :func:`_fold_into_previous_section`）。
    章末的横线后面没有东西时删去。"""

    default_priority = 740
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        # sphinxcontrib-bibtex 把每个 bibliography 换成一个只装着 citation 的 container
        lists = [c for c in self.document.findall(nodes.container)
                 if c.children and all(isinstance(n, nodes.citation) for n in c.children)]
        for rule in list(self.document.findall(nodes.transition)):
            parent = rule.parent
            rest = parent.children[parent.index(rule) + 1:] if parent is not None else []
            if parent is not None and all(isinstance(n, (nodes.transition, nodes.footnote)) or n in lists
                                          for n in rest):
                parent.remove(rule)
        for box in lists:
            labels = [c[0].astext() for c in box.children if c.children and isinstance(c[0], nodes.label)]
            span = f"（[{labels[0]}]—[{labels[-1]}]）" if len(labels) > 1 else f"（[{labels[0]}]）" if labels else ""
            note = nodes.paragraph("", f"{CITED_NOTE}{len(box.children)} 种文献列在书末的参考文献中{span}。")
            box.parent.insert(box.parent.index(box), note)
            _drop_heading_line(note)
            _fold_into_previous_section(box.parent, note, box)


def _drop_heading_line(note) -> None:
    """书首（前言）中的节在 PDF 里印成一行粗体字（line_block），不是节；“参考文献”这一行后面只有这句说明，
    常常被换页隔开（标题在页底、说明在下一页页首）。这一行与说明都删去：正文中的编号本身就指向书末的文献表。"""
    parent = note.parent
    i = parent.index(note)
    prev = parent.children[i - 1] if i > 0 else None
    if isinstance(prev, nodes.line_block) and prev.astext().strip() == "参考文献":
        parent.remove(prev)
        parent.remove(note)   # 书首只引用了一两种文献，正文中的编号已指向书末；一句说明单独占一页不值得


def _fold_into_previous_section(section, note, box) -> None:
    """章末的“参考文献”一节在 PDF 中只剩一句说明：不再单独成节（否则常常是一个标题加一行字独占一页），
    说明与文献容器并入前一节（延伸阅读）的末尾；这一节的锚点移给说明，指向它的链接仍然有效。"""
    if not isinstance(section, nodes.section) or section.parent is None:
        return
    rest = [n for n in section.children if not isinstance(n, (nodes.title, nodes.target))]
    if rest != [note, box]:
        return
    parent = section.parent
    i = parent.index(section)
    prev = parent.children[i - 1] if i > 0 else None
    if not isinstance(prev, nodes.section):
        return
    ids = list(section["ids"])
    section["ids"] = []
    for n in (note, box):
        section.remove(n)
        prev += n
    note["ids"] = ids
    parent.remove(section)


#: 行内代码有这么长（字符数）时，所在的中文段落在 PDF 中左对齐。
LONG_INLINE_CODE = 16


def ragged_in_print(paragraph) -> bool:
    """这个段落在 PDF 中是否左对齐：段落含汉字，又含一段不短于 ``LONG_INLINE_CODE`` 的行内代码。"""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in paragraph.astext()):
        return False
    return any(len(lit.astext()) >= LONG_INLINE_CODE for lit in paragraph.findall(nodes.literal))


#: 各章“参考文献”一节在 PDF 中的说明的开头
CITED_NOTE = "以上引用的 "


class FrontMatterBibliography(SphinxPostTransform):
    """书首（前言）的“参考文献”：Jupyter Book 的 LaTeX 扩展把书首的节标题换成 ``RootHeader`` 节点（写出时才印成
    一行粗体字），:class:`ChapterBibliographyNote` 认不出它。这一行与后面的说明都删去（否则标题常常单独留在页底，说明在下一页）；
    正文中的引注编号本身就指向书末的文献表。"""

    default_priority = 999
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        heads = [n for n in self.document.findall(nodes.Element)
                 if isinstance(n, nodes.line_block) or type(n).__name__ == "RootHeader"]
        for block in heads:
            parent = block.parent
            if parent is None or block.astext().strip() != "参考文献":
                continue
            i = parent.index(block)
            after = parent.children[i + 1] if i + 1 < len(parent.children) else None
            if isinstance(after, nodes.paragraph) and after.astext().startswith(CITED_NOTE):
                parent.remove(after)
                parent.remove(block)


class RaggedCodeParagraphs(SphinxPostTransform):
    """PDF 中含长行内代码的中文段落左对齐（例如每道计算题的“自查”：
    ``check("ex-p4ns-1", [s0, s1, r0, r1])``）。长代码只能在 ( , = _ 等处折行，两端对齐时它前面的那一行
    只好把汉字的字距拉开；左对齐时行尾留白，字距照常。网页不受影响。"""

    default_priority = 420
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for para in list(self.document.findall(nodes.paragraph)):
            if ragged_in_print(para):
                para.insert(0, nodes.raw("", "{\\raggedright ", format="latex"))
                para.append(nodes.raw("", "\\par}", format="latex"))


def setup(app):
    app.connect("config-inited", _edition)
    app.connect("config-inited", _front_matter_title, priority=950)
    app.add_post_transform(PartTitleSeparator)
    app.add_post_transform(VisibleUrlsNoFootnote)
    app.add_post_transform(RestoreVisibleUrls)
    app.add_post_transform(WrapLongTables)
    app.add_post_transform(FloatingOutputImages)
    app.add_post_transform(KeepBoxedCodeTogether)
    app.add_post_transform(ChapterBibliographyNote)
    app.add_post_transform(FrontMatterBibliography)
    app.add_post_transform(RaggedCodeParagraphs)
    app.connect("config-inited", _remember_numbering)
    app.connect("builder-inited", _web_numbering_in_print, priority=600)
    app.add_node(changes_node)
    app.add_node(data_file_node)
    app.add_role("quyu-data", data_file_role)
    app.connect("doctree-resolved", _resolve_data_files)
    app.add_directive("quyu-changes", ChangesDirective)
    app.connect("env-updated", _changes_when_values_change)
    app.connect("doctree-resolved", _resolve_changes)
    # 参考文献：中文文献按 GB/T 7714—2025 著录、引注随语种（quyu.bibstyle；_config.yml 选用这两个样式）。
    # 年份区分字母要在 sphinxcontrib-bibtex 读入 .bib 之后（builder-inited，默认优先级 500）标出。
    bibstyle.register()
    app.connect("builder-inited", bibstyle.mark_bibdata, priority=600)
    app.connect("config-inited", _add_static)
    app.connect("config-inited", _fast_chinese_search)
    app.connect("config-inited", _mark_static_build)
    app.connect("env-before-read-docs", _execute_stale_in_parallel)
    # 下载菜单在主题的处理之前就要知道有 .ipynb（priority 400）；启动按钮打开时，sphinx-book-theme
    # （priority 501）会复制带输出的笔记本，所以之后（600）再写一次不含输出的版本。
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("html-page-context", _offer_notebook, priority=600)
    app.connect("html-page-context", _drop_widget_state, priority=400)
    app.connect("source-read", _strip_solutions)
    app.connect("build-finished", _student_sources)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _finish_site)
    app.connect("config-inited", _repository_buttons)
    app.add_js_file("quyu-widgets.js", defer="defer")
    app.add_css_file("quyu-widgets.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
