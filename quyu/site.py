"""构建网站之后的步骤（由 :mod:`quyu.sphinxext` 在 ``build-finished`` 时调用）。

1. **表和图的数据**：各章粘贴的表（``glue_table``）与显示的 matplotlib 图带着 CSV
   （见 :mod:`quyu.downloads`）；这里把它们写成 ``_downloads/quyu/`` 下的文件，并在网页中表格
   或图的下方加上下载链接。

每一步都可以重复运行（已加过的链接与图片不会重复）。
2. **不运行脚本时的组件**：组件的 ``<noscript>`` 中放入它的印刷版静态图（与 PDF 中的同一张 PNG），
   图片写到 ``_images/quyu/<id>.png``。
3. **可安装的包**：``_downloads/quyu/quyu-<版本>-py3-none-any.whl``，含全部代码与 data/
   （作为包内数据 ``quyu/_data``），以及自查练习的散列答案，``pip install`` 即可在本书仓库之外
   运行下载的笔记本。学生版的 wheel 不含计算标准答案的模块（:data:`STUDENT_LEAVE_OUT`），
   自查只需要散列答案文件。
4. **主题的无障碍修补**：见 :func:`fix_theme_a11y`。
5. **给读者的数据文件**：``_downloads/quyu/data/`` 下每个表的读者版（中文列名）、各数据版本的宽表与
   整个数据包的 zip（:mod:`quyu.datafiles`）；正文用 ``{quyu-data}`文件名`` 链接到它们。
"""
from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import itertools
import json
import os
import re
import zipfile
from pathlib import Path

from . import datafiles
from .downloads import CSV_ERROR, CSV_MIME, file_stem
from .errors import BookError

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DOWNLOADS = "_downloads/quyu"
#: 只用于把书构建成网站的包：不进 wheel 的依赖（运行各章笔记本用不到）。其余运行依赖取自 requirements.txt。
BUILD_ONLY = frozenset({"jupyter-book", "sphinx", "sphinx-book-theme", "sphinx-exercise", "sphinx-togglebutton",
                        "sphinxcontrib-bibtex", "jieba", "django-static-mathjax"})


#: 学生版 wheel 中不放的文件（相对于包目录）：计算自查标准答案的函数。``check`` 只读散列的
#: ``answers.json``，不需要它们。
STUDENT_LEAVE_OUT = frozenset({"parts/answers.py"})


# ---------------------------------------------------------------- helpers

def _rel(page: Path, outdir: Path, target: str) -> str:
    return os.path.relpath(outdir / target, page.parent).replace(os.sep, "/")


#: 执行缓存的位置（由 quyu.sphinxext 按 Sphinx 配置设定；默认在输出目录旁边）。
CACHE_DIR: Path | None = None


#: 读过的笔记本（读取与从缓存合并较慢，“本版变化”页与构建之后的各步共用一份）。键含各笔记本文件的
#: 修改时间与大小，文件变了就重读；只留最近一份。
_NOTEBOOKS: dict[tuple, list] = {}


def _notebooks_key(outdir: Path) -> tuple:
    root = Path(outdir).parent / "jupyter_execute"
    files = tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*.ipynb")))
    return (Path(outdir).resolve(), CACHE_DIR, files)


def _executed_notebooks(outdir: Path) -> list[tuple[str, dict]]:
    """构建时执行过的笔记本：(文档名, 笔记本 dict) 的列表（文件不变就不重读）。"""
    key = _notebooks_key(outdir)
    if key not in _NOTEBOOKS:
        _NOTEBOOKS.clear()
        _NOTEBOOKS[key] = list(_read_executed_notebooks(outdir))
    return _NOTEBOOKS[key]


def _read_executed_notebooks(outdir: Path):
    """写到 jupyter_execute/ 的笔记本不一定带着全部输出：myst-nb 从执行缓存取结果时不带输出（它把缓存
    合并进了另一个对象），这一次构建中由 myst-nb 自己执行的章节则带输出，但粘贴（glue）的输出已被
    取出另存。所以缓存中有这一版时，总是按 myst-nb 同样的方法从 jupyter-cache 取回完整的输出；
    没有时才用文件本身。"""
    import nbformat

    root = outdir.parent / "jupyter_execute"
    cache_dir = CACHE_DIR or outdir.parent / ".jupyter_cache"
    cache = None
    for path in sorted(root.rglob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError):
            continue
        if Path(cache_dir).exists():
            try:
                if cache is None:
                    from jupyter_cache import get_cache

                    cache = get_cache(str(cache_dir))
                _, nb = cache.merge_match_into_notebook(nb)
            except Exception:  # noqa: BLE001 - 缓存中没有这一版：没有输出可取
                pass
        yield path.relative_to(root).with_suffix("").as_posix(), nb


def _notebook_outputs(outdir: Path):
    """构建时执行过的笔记本中的全部输出。"""
    for _, nb in _executed_notebooks(outdir):
        for cell in nb.get("cells", []):
            for out in cell.get("outputs", []) or []:
                yield out


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


# ---------------------------------------------------------------- 1. CSV of tables and figures

def _norm(text: str) -> str:
    """比较表格文字用：去掉标签与 Markdown 记号，只留文字、数字与少数符号。"""
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[^\w.%\-−+/÷]", "", html.unescape(text))


def _markdown_signature(markdown: str) -> tuple:
    rows = [ln for ln in markdown.splitlines() if ln.strip().startswith("|")]
    rows = [r for r in rows if not re.match(r"^\|[\s:|\-]+\|?$", r.strip())]
    return tuple(tuple(_norm(c) for c in r.strip().strip("|").split("|")) for r in rows[:2])


def _html_signature(table: str) -> tuple:
    rows = re.findall(r"<tr.*?</tr>", table, flags=re.S)[:2]
    return tuple(tuple(_norm(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)) for r in rows)


def _glued_outputs(outdir: Path):
    """各章粘贴（glue）的输出：myst-nb 把它们存在 jupyter_execute/**.glue.json 中（也兼容留在笔记本里的）。"""
    root = outdir.parent / "jupyter_execute"
    for path in sorted(root.rglob("*.glue.json")):
        try:
            glued = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for key, out in (glued.items() if isinstance(glued, dict) else []):
            if isinstance(out, dict):
                yield key, out
    for out in _notebook_outputs(outdir):
        key = ((out.get("metadata") or {}).get("scrapbook") or {}).get("name")
        if key:
            yield key, out


def write_csvs(outdir: Path) -> dict[tuple, str]:
    """把粘贴的表带的 CSV 写成文件；返回“表格前两行文字 → 文件名”。

    键成为文件名，先经 :func:`quyu.downloads.file_stem` 检查；两张内容不同的表用了同一个键
    （不分大小写：macOS 的文件系统不分）时构建失败，不让一张表的 CSV 悄悄顶掉另一张。"""
    files = {}
    written: dict[str, tuple[str, bytes]] = {}
    target = outdir / DOWNLOADS
    for key, out in _glued_outputs(outdir):
        data = out.get("data") or {}
        if CSV_MIME not in data:
            continue
        name = f"{file_stem(key, '表的键')}.csv"
        body = _text(data[CSV_MIME]).encode("utf-8")
        earlier = written.get(name.lower())
        if earlier is not None and earlier[1] != body:
            raise BookError(f"两张不同的表用了同一个键“{key}”（或只差大小写的“{earlier[0]}”），"
                            "它们的 CSV 会互相覆盖：请给其中一张换一个键。",
                            f"two different tables use the key {key!r} (or {earlier[0]!r}, differing only in case); "
                            "their CSV files would overwrite each other: rename one of them.")
        written[name.lower()] = (key, body)
        target.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(body)
        files[_markdown_signature(_text(data.get("text/markdown", "")))] = name
    return files


_TABLE = re.compile(r"<table\b.*?</table>", flags=re.S)


def link_csvs(text: str, page: Path, outdir: Path, files: dict[tuple, str]) -> str:
    """在网页中每张粘贴的表（按其前两行文字认出）的下方加上“下载本表数据（CSV）”。"""
    if not files:
        return text

    def repl(m):
        name = files.get(_html_signature(m.group(0)))
        if not name or text.startswith('<p class="quyu-csv-link">', m.end()):
            return m.group(0)
        href = html.escape(_rel(page, outdir, f"{DOWNLOADS}/{name}"))
        return (m.group(0) + f'<p class="quyu-csv-link"><a href="{href}" download>下载本表数据（CSV）</a></p>')
    return _TABLE.sub(repl, text)


def write_figure_csvs(outdir: Path) -> dict[str, str]:
    """每张 matplotlib 图的数据（输出中的 CSV_MIME，见 ``downloads.register_figure_csv``）写成文件；
    返回“图片内容的 sha256 → CSV 文件名”，用于在网页中找到这张图。

    图的名称（``mystnb.figure.name``）成为文件名，先经 :func:`quyu.downloads.file_stem` 检查；
    一张图的数据在执行时没能取出（输出中是 :data:`quyu.downloads.CSV_ERROR` 记录）时构建失败，
    说明是哪一页的哪一张图。"""
    found, used = {}, set()
    target = outdir / DOWNLOADS / "figures"
    for doc, nb in _executed_notebooks(outdir):
        cells = nb.get("cells", [])
        stem = doc.replace("/", "-")
        n = 0
        for cell in cells:
            meta = (cell.get("metadata") or {}).get("mystnb") or {}
            name = (meta.get("figure") or {}).get("name") if isinstance(meta.get("figure"), dict) else None
            if name is not None:
                try:
                    name = file_stem(name, "图的名称")
                except BookError as error:
                    raise BookError(f"{doc}：{error.zh}", f"{doc}: {error.en}") from None
            for out in cell.get("outputs", []) or []:
                data = out.get("data") or {}
                if CSV_MIME not in data or "image/png" not in data or "text/html" in data:
                    continue
                n += 1
                text = _text(data[CSV_MIME])
                if text.startswith(CSV_ERROR):
                    detail = text[len(CSV_ERROR):].strip()
                    label = f"“{name}”" if name else "（没有名称）"
                    raise BookError(f"{doc} 中的第 {n} 张图{label}的数据无法写成 CSV（下载本图数据）：{detail}",
                                    f"the data of figure {n} in {doc} ({name or 'unnamed'}) could not be written "
                                    f"as CSV: {detail}")
                fname = f"{name}.csv" if name and f"{name}.csv" not in used else f"{stem}-fig{n}.csv"
                used.add(fname)
                target.mkdir(parents=True, exist_ok=True)
                (target / fname).write_bytes(text.encode("utf-8"))
                png = base64.b64decode(_text(data["image/png"]))
                found[hashlib.sha256(png).hexdigest()] = fname
    return found


_IMG = re.compile(r'<img [^>]*src="([^"]+\.png)"[^>]*>')


def link_figure_csvs(text: str, page: Path, outdir: Path, figures: dict[str, str]) -> str:
    """网页中每张图（按图片内容找到对应的 CSV）之后加“下载本图数据（CSV）”。"""
    if not figures:
        return text

    def repl(m):
        if text.startswith('<span class="quyu-csv-link', m.end()):
            return m.group(0)
        src = (page.parent / m.group(1)).resolve()
        try:
            digest = hashlib.sha256(src.read_bytes()).hexdigest()
        except OSError:
            return m.group(0)
        if digest not in figures:
            return m.group(0)
        href = html.escape(_rel(page, outdir, f"{DOWNLOADS}/figures/{figures[digest]}"))
        return (m.group(0) + f'<span class="quyu-csv-link quyu-csv-figure-link">'
                f'<a href="{href}" download>下载本图数据（CSV）</a></span>')
    return _IMG.sub(repl, text)


# ---------------------------------------------------------------- 2. noscript figure of each widget

_NOSCRIPT = re.compile(r'<div class="quyu-noscript" data-quyu-print="(\w+)" data-quyu-alt="([^"]*)">')


def write_print_images(outdir: Path) -> dict[str, Path]:
    """组件的印刷版 PNG（与组件的静态 HTML 同在一个输出中）写到 ``_images/quyu/``。"""
    found = {}
    glued = (out for _, out in _glued_outputs(outdir))
    for out in itertools.chain(_notebook_outputs(outdir), glued):  # 组件也可能是粘贴（glue）的
        data = out.get("data") or {}
        if "image/png" not in data or "text/html" not in data:
            continue
        m = _NOSCRIPT.search(_text(data["text/html"]))
        if not m:
            continue
        path = outdir / "_images" / "quyu" / f"{m.group(1)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(_text(data["image/png"])))
        found[m.group(1)] = path
    return found


def link_print_images(text: str, page: Path, outdir: Path, images: dict[str, Path]) -> str:
    def repl(m):
        if m.group(1) not in images or text.startswith('<img class="quyu-print"', m.end()):
            return m.group(0)
        src = html.escape(_rel(page, outdir, f"_images/quyu/{m.group(1)}.png"))
        return m.group(0) + f'<img class="quyu-print" src="{src}" alt="{m.group(2)}（默认选项下的静态图）">'
    return _NOSCRIPT.sub(repl, text)


# ---------------------------------------------------------------- 3. wheel

def _pins() -> dict[str, str]:
    pins = {}
    req = ROOT / "requirements.txt"
    if req.exists():
        for line in req.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line.strip())
            if m:
                pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def _project() -> tuple[str, list[str]]:
    """版本号与 wheel 的依赖：pyproject.toml 的运行依赖读自 requirements.txt，去掉只用于建站的包。"""
    from . import __version__

    deps = [f"{name}=={version}" for name, version in _pins().items() if name not in BUILD_ONLY]
    return __version__, deps


def wheel_name() -> str:
    return f"quyu-{_project()[0]}-py3-none-any.whl"


def build_wheel(target_dir: Path, data: Path | None = None, student: bool = False) -> Path:
    """写出可安装的 wheel：quyu/ 的代码与静态文件、data/（作为 quyu/_data）、自查答案（散列）。
    学生版（``student``）不含 :data:`STUDENT_LEAVE_OUT` 中的文件。

    直接按 wheel 格式（PEP 427）写 zip 文件，不需要构建工具；文件顺序与时间固定，同样的输入
    得到同样的文件。自查答案 ``quyu/answers.json`` 由构建开始时的 Sphinx 扩展 ``quyu.parts.answers``
    写出（框架不导入部分模块），这里只是把它和其他文件一起装进去。"""
    from . import check

    if not check.ANSWERS_FILE.exists():
        raise FileNotFoundError(f"{check.ANSWERS_FILE} is missing: add quyu.parts.answers to the Sphinx extensions "
                                "or run python -m quyu.parts.answers before building the wheel")
    version, deps = _project()
    data = data or ROOT / "data"
    files: list[tuple[str, bytes]] = []
    for p in sorted(PACKAGE.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc",):
            if student and p.relative_to(PACKAGE).as_posix() in STUDENT_LEAVE_OUT:
                continue
            files.append((f"quyu/{p.relative_to(PACKAGE).as_posix()}", p.read_bytes()))
    for p in sorted(data.rglob("*")):
        if p.is_file():
            files.append((f"quyu/_data/{p.relative_to(data).as_posix()}", p.read_bytes()))
    info = f"quyu-{version}.dist-info"
    meta = [
        "Metadata-Version: 2.1", "Name: quyu", f"Version: {version}",
        "Summary: 《区域协调发展》可执行教材的 Python 包（含数据）", "License: MIT (code); data: see quyu/_data/README.md",
        "Requires-Python: >=3.11", *[f"Requires-Dist: {d}" for d in deps], "",
    ]
    files.append((f"{info}/METADATA", "\n".join(meta).encode("utf-8")))
    files.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: quyu.site\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    files.append((f"{info}/top_level.txt", b"quyu\n"))
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, body in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
        writer.writerow([name, f"sha256={digest}", len(body)])
    writer.writerow([f"{info}/RECORD", "", ""])
    files.append((f"{info}/RECORD", record.getvalue().encode("utf-8")))
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"quyu-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files:
            zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, body)
    return path


_WHEEL_LINK = re.compile(r'<a class="quyu-wheel-link" href="[^"]*">')


# ---------------------------------------------------------------- 5. the manifest of glued values

MANIFEST = "manifest.json"


def write_manifest(outdir: Path, student: bool = False) -> Path:
    """本次构建全部粘贴值的清单（:mod:`quyu.manifest`），写到 ``_downloads/quyu/manifest.json``。
    学生版（``student``）的清单不含只为答案计算的值（``solution`` 单元格粘贴的，见 :mod:`quyu.edition`）。"""
    from . import data, edition, manifest

    path = outdir / DOWNLOADS / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    notebooks = _executed_notebooks(outdir)
    built = manifest.build_manifest(outdir.parent / "jupyter_execute", notebooks, data.data_dir())
    if student:
        built["values"] = edition.without_solution_values(built["values"], notebooks)
    path.write_text(manifest.dumps(built), encoding="utf-8")
    return path


# ---------------------------------------------------------------- 4. theme accessibility

def fix_theme_a11y(text: str) -> str:
    """主题模板中 axe-core 报告的问题，在生成的网页上修补（不改变外观）：

    - 搜索按钮、折叠代码的开关：``aria-label`` 与可见文字不符（label-content-name-mismatch）：
      去掉多余的 aria-label，名称就是可见文字；颜色模式按钮：图标对读屏软件隐藏，名称用中文；
    - 参考文献列表 ``<div role="list">`` 的子元素不是 listitem（aria-required-children）：
      去掉这个 role；
    - 已废弃的 ``role="doc-…"`` 之类（aria-deprecated-role）：见 A11Y_REPLACEMENTS。
    """
    for old, new in A11Y_REPLACEMENTS:
        text = old.sub(new, text) if hasattr(old, "sub") else text.replace(old, new)
    return text


A11Y_REPLACEMENTS: list = [
    # 搜索按钮：名称取自可见文字（“搜索 Ctrl+K”），不再用与之不符的 aria-label
    (re.compile(r'(<button class="btn search-button-field search-button__button[^"]*"[^>]*?) aria-label="[^"]*"'),
     r"\1"),
    # 颜色模式按钮：图标是装饰（对读屏软件隐藏），按钮名称用中文
    ('aria-label="Color mode" data-bs-title="Color mode"', 'aria-label="颜色模式" data-bs-title="颜色模式"'),
    # （图标的 title 会被 Font Awesome 变成 SVG 的 <title>，算作按钮的可见文字，与名称不符：去掉）
    (re.compile(r'<i class="(theme-switch [^"]*)" data-mode="(\w+)"\s+title="[^"]*">'),
     r'<i aria-hidden="true" class="\1" data-mode="\2">'),
    # 折叠代码的开关：可见文字是“显示代码 / 隐藏代码”，不再用与之不符的英文 aria-label
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    # 参考文献：role="list" 的子元素应是 listitem；doc-biblioentry / doc-endnote 已废弃
    ('role="doc-biblioentry"', 'role="listitem"'),
    ('role="doc-endnote"', 'role="listitem"'),
]


# ---------------------------------------------------------------- entry point

def finish(outdir: Path, cache_dir: Path | None = None, student: bool = False) -> dict:
    """对构建好的网站做以上全部步骤；返回统计（测试与日志用）。``student``：学生版。"""
    global CACHE_DIR
    outdir = Path(outdir)
    CACHE_DIR = Path(cache_dir) if cache_dir else None
    csvs = write_csvs(outdir)
    figures = write_figure_csvs(outdir)
    images = write_print_images(outdir)
    wheel = build_wheel(outdir / DOWNLOADS, student=student)
    write_manifest(outdir, student=student)
    data_files = datafiles.write(outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        original = page.read_text(encoding="utf-8")
        text = link_csvs(original, page, outdir, csvs)
        text = link_print_images(text, page, outdir, images)
        text = link_figure_csvs(text, page, outdir, figures)
        href = html.escape(_rel(page, outdir, f"{DOWNLOADS}/{wheel.name}"))
        text = _WHEEL_LINK.sub(f'<a class="quyu-wheel-link" href="{href}" download>', text)
        text = fix_theme_a11y(text)
        if text != original:
            page.write_text(text, encoding="utf-8")
    return {"csv": len(csvs), "figures": len(figures), "images": len(images), "wheel": wheel.name,
            "data_files": len(data_files)}
