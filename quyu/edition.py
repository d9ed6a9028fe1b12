"""学生版：不含习题答案的网页版与 PDF。

    python -m quyu.edition student [--pdf]

目录的读取在 :mod:`quyu.toc`。

做法：在 _config.yml 的基础上打开 sphinx-exercise 的 ``hide_solutions``，书名加“（学生版）”，
输出到 ``_build/student/``；执行缓存与正常版共用，不重复运行各章。

``hide_solutions`` 只让网页不显示答案，而网站提供下载的各章源文件（``_sources/`` 中的 .md 与
.ipynb）还是原文。所以学生版在源头去掉答案：Sphinx 读入每一章时（``source-read``），
:func:`strip_solutions` 删去其中的 ``{solution}`` 指令块，网页、检索索引、下载的笔记本都由这份
不含答案的文字生成；构建结束时再把同一份文字写到 ``_sources/``（Sphinx 复制的是磁盘上的原文）。
只为答案计算数值的代码单元格标有 ``solution``（与 ``remove-cell`` 一起，网页上本就不显示）：
网页仍由完整的笔记本生成（代码单元格不变，执行缓存因此仍与正常版共用；这些单元格粘贴的数值只在
答案中引用，答案去掉后网页上没有它们），下载的 .md 与 .ipynb 则不含这些单元格（:func:`student_text`、
:func:`is_solution_cell`），去掉之后仍能从头运行。见 :mod:`quyu.sphinxext`。
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "student"


_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}")


def _solution_lines(text: str, first: int = 0) -> list[tuple[int, int]]:
    """``text``（MyST Markdown）中答案（sphinx-exercise 的 ``{solution}`` 指令，或成对的
    ``{solution-start}`` … ``{solution-end}``）所占的行：[起, 止) 的列表，行号从 ``first`` 起算。

    用 MyST 所用的 markdown-it 找出代码围栏（``````` 与 ``:::``），因而代码块里写着的
    ``{solution}`` 不算；其他指令（如 ``{admonition}``）的内容再找一遍，嵌在其中的答案也去掉。"""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").use(front_matter_plugin).use(colon_fence_plugin)
    found, gate = [], None
    for tok in md.parse(text):
        if tok.type not in ("fence", "colon_fence") or not tok.map:
            continue
        m = _DIRECTIVE.match(tok.info.strip())
        if not m:
            continue
        start, end = first + tok.map[0], first + tok.map[1]
        name = m.group(1)
        if name == "solution":
            found.append((start, end))
        elif name == "solution-start":
            gate = start
        elif name == "solution-end" and gate is not None:
            found.append((gate, end))
            gate = None
        elif gate is None:
            found += _solution_lines(tok.content, start + 1)
    return found


def strip_solutions(text: str) -> str:
    """去掉 MyST Markdown 中的全部习题答案（见 :func:`_solution_lines`）；答案块之后多出的空行一并去掉。"""
    drop = set()
    for start, end in _solution_lines(text):
        drop.update(range(start, end))
    return _drop_lines(text, drop)


def _drop_lines(text: str, drop: set[int]) -> str:
    """去掉 ``text`` 中行号（从 0 起）在 ``drop`` 中的行；去掉的一段之后多出的空行一并去掉。"""
    if not drop:
        return text
    out = []
    for i, line in enumerate(text.splitlines(keepends=True)):
        if i in drop:
            continue
        if (i - 1) in drop and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return "".join(out)


#: 只为答案计算数值的代码单元格的标签（与 ``remove-cell`` 一起用）：学生版下载的 .md 与 .ipynb 不含这些单元格。
SOLUTION_TAG = "solution"

_TAGS = re.compile(r"^:tags:\s*\[([^\]]*)\]\s*$")


def is_solution_cell(tags) -> bool:
    """单元格的标签（列表）中有 :data:`SOLUTION_TAG`。"""
    return SOLUTION_TAG in (tags or [])


def _solution_cell_lines(text: str) -> list[tuple[int, int]]:
    """``text`` 中标有 ``solution`` 的代码单元格（``{code-cell}`` 围栏）所占的行：[起, 止) 的列表。
    与 :func:`_solution_lines` 一样用 markdown-it 找围栏，写在其他代码块里的单元格不算。"""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    found = []
    for tok in MarkdownIt("commonmark").use(front_matter_plugin).parse(text):
        if tok.type != "fence" or not tok.map or not tok.info.strip().startswith("{code-cell}"):
            continue
        tags = []
        for line in tok.content.splitlines():
            if not line.startswith(":"):
                break
            m = _TAGS.match(line.strip())
            if m:
                tags = [x.strip().strip("'\"") for x in m.group(1).split(",")]
        if is_solution_cell(tags):
            found.append((tok.map[0], tok.map[1]))
    return found


def strip_solution_cells(text: str) -> str:
    """去掉 MyST Markdown 中标有 ``solution`` 的代码单元格；单元格之后多出的空行一并去掉。

    这些单元格只为答案计算粘贴的数值，答案去掉之后没有文字再引用它们；其余单元格原样保留。"""
    drop = set()
    for start, end in _solution_cell_lines(text):
        drop.update(range(start, end))
    return _drop_lines(text, drop)


def solution_glue_keys(notebooks) -> dict[str, set[str]]:
    """执行过的笔记本（``(文档名, 笔记本)`` 序列）中 ``solution`` 单元格粘贴的键：``{文档名: {键…}}``。
    这些值只在答案中引用，学生版的版本清单与“本版变化”不列出它们。"""
    found: dict[str, set[str]] = {}
    for doc, nb in notebooks:
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code" or not is_solution_cell((cell.get("metadata") or {}).get("tags")):
                continue
            for out in cell.get("outputs", []) or []:
                key = ((out.get("metadata") or {}).get("scrapbook") or {}).get("name")
                if key:
                    found.setdefault(doc, set()).add(key)
    return found


def without_solution_values(values: dict, notebooks) -> dict:
    """版本清单的粘贴值（``{文档名: {键: 文字}}``）去掉 ``solution`` 单元格粘贴的（学生版用）。"""
    hidden = solution_glue_keys(notebooks)
    return {doc: {k: v for k, v in vals.items() if k not in hidden.get(doc, ())} for doc, vals in values.items()}


def student_text(text: str) -> str:
    """学生版下载的章节源文字：去掉答案块（:func:`strip_solutions`）与只为答案计算的代码单元格
    （:func:`strip_solution_cells`）。"""
    return strip_solution_cells(strip_solutions(text))


def _book_config(cache: Path) -> dict:
    """_config.yml 的内容，执行缓存设为 ``cache``（各版本的配置都从这里改起）。"""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["cache"] = str(cache)
    config.setdefault("sphinx", {}).setdefault("config", {})
    return config


def _write_config(config: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def student_config() -> Path:
    """写出学生版配置文件并返回其路径。"""
    config = _book_config(ROOT / "_build" / ".jupyter_cache")
    config["title"] = f"{config['title']}（学生版）"
    config["sphinx"]["config"]["hide_solutions"] = True
    return _write_config(config, OUT / "_config.student.yml")


def build(builder: str = "html") -> Path:
    """构建学生版，返回输出目录（_build/student/_build/html 或 latex）。"""
    exe = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(exe), "build", str(ROOT), "--config", str(student_config()),
                    "--path-output", str(OUT), "--builder", builder, "-W", "-n", "--keep-going"],
                   check=True)
    return OUT / "_build" / ("html" if builder == "html" else "latex")


# ---------------------------------------------------------------- 英文版

#: 英文版的输出目录（``_build/en/html`` 指向 Jupyter Book 写出的 ``_build/en/_build/html``）
EN_OUT = ROOT / "_build" / "en"
#: 抽取待译段落的构建（gettext）的输出目录
I18N_OUT = ROOT / "_build" / "i18n"

#: 英文版在中文配置之上改动的设置（书名、界面语言、编号格式；译文目录由 ``locale_dirs`` 给出）
EN_TITLE = "Regional Coordinated Development: Data, Methods and Policy"
EN_SPHINX = {
    "language": "en",
    "html_search_language": "en",
    "gettext_compact": False,
    "numfig_format": {"figure": "Figure %s", "table": "Table %s", "code-block": "Listing %s",
                      "section": "Section %s"},
    "nb_code_prompt_show": "Show code",
    "nb_code_prompt_hide": "Hide code",
}


def english_config() -> Path:
    """写出英文版配置文件并返回其路径。英文版用自己的执行缓存：各章在 ``QUYU_LANG=en`` 下运行，
    图的标签、组件与粘贴的文字是英文的，与中文版的输出不同（英文网页与英文 PDF 共用这一个缓存）。"""
    config = _book_config(EN_OUT / ".jupyter_cache")
    config["title"] = EN_TITLE
    config["sphinx"]["config"].update(EN_SPHINX)
    html = config.setdefault("html", {})
    html["extra_footer"] = ('<p>Text licensed under <a href="https://creativecommons.org/licenses/by/4.0/">'
                            "CC BY 4.0</a>, code under MIT.</p>")
    return _write_config(config, EN_OUT / "_config.en.yml")


def build_english(builder: str = "html") -> Path:
    """构建英文版（``QUYU_LANG=en``），返回输出目录；``_build/en/html`` 是指向它的链接。"""
    import os

    exe = Path(sys.executable).parent / "jupyter-book"
    env = {**os.environ, "QUYU_LANG": "en"}
    subprocess.run([str(exe), "build", str(ROOT), "--config", str(english_config()),
                    "--path-output", str(EN_OUT), "--builder", builder, "-W", "-n", "--keep-going"],
                   check=True, env=env)
    kind = "html" if builder == "html" else "latex"
    out = EN_OUT / "_build" / kind
    link = EN_OUT / kind
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("_build") / kind)
    return out


def gettext_config() -> Path:
    """抽取待译段落用的配置：中文版的配置，每页一个目录（``gettext_compact: False``），与中文版共用执行缓存。"""
    config = _book_config(ROOT / "_build" / ".jupyter_cache")
    config["sphinx"]["config"]["gettext_compact"] = False
    # 不记源文件的行号：译文目录只在文字改变时才改变（行号随上下文变动，会让每个 .po 都跟着改）
    config["sphinx"]["config"]["gettext_location"] = False
    return _write_config(config, I18N_OUT / "_config.gettext.yml")


def extract() -> Path:
    """用 Sphinx 的 gettext 构建器写出各页的 .pot，返回目录（``_build/i18n/_build/gettext``）。"""
    exe = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(exe), "build", str(ROOT), "--config", str(gettext_config()),
                    "--path-output", str(I18N_OUT), "--builder", "custom", "--custom-builder", "gettext",
                    "-W", "-n", "--keep-going"], check=True)
    return I18N_OUT / "_build" / "gettext"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m quyu.edition")
    ap.add_argument("edition", choices=["student", "english", "gettext"])
    ap.add_argument("--pdf", action="store_true", help="同时构建 PDF")
    ap.add_argument("--pdf-only", action="store_true", help="只构建 PDF（英文版）")
    args = ap.parse_args(argv)
    if args.edition == "gettext":
        print(f"待译段落：{extract()}")
        return
    if args.edition == "english":
        if not args.pdf_only:
            print(f"英文版网页 / English site: {build_english('html') / 'index.html'}")
        if args.pdf or args.pdf_only:
            print(f"英文版 PDF / English PDF: {build_english('pdflatex') / 'quyu-book.pdf'}")
        return
    html = build("html")
    print(f"学生版网页：{html / 'index.html'}")
    if args.pdf:
        latex = build("pdflatex")
        print(f"学生版 PDF：{latex / 'quyu-book.pdf'}")


if __name__ == "__main__":
    main()
