"""学生版：不含习题答案的网页版与 PDF。

    python -m quyu.edition student [--pdf]

目录的读取在 :mod:`quyu.toc`。

做法：在 _config.yml 的基础上打开 sphinx-exercise 的 ``hide_solutions``，书名加“（学生版）”，
输出到 ``_build/student/``；执行缓存与正常版共用，不重复运行各章。

``hide_solutions`` 只让网页不显示答案，而网站提供下载的各章源文件（``_sources/`` 中的 .md 与
.ipynb）还是原文。所以学生版在源头去掉答案：Sphinx 读入每一章时（``source-read``），
:func:`strip_solutions` 删去其中的 ``{solution}`` 指令块，网页、检索索引、下载的笔记本都由这份
不含答案的文字生成；构建结束时再把同一份文字写到 ``_sources/``（Sphinx 复制的是磁盘上的原文）。
答案只在正文（Markdown 单元格）中，代码单元格不变，执行缓存因此仍与正常版共用。
见 :mod:`quyu.sphinxext`。
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


def student_config() -> Path:
    """写出学生版配置文件并返回其路径。"""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config['title']}（学生版）"
    config.setdefault("execute", {})["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "_config.student.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(builder: str = "html") -> Path:
    """构建学生版，返回输出目录（_build/student/_build/html 或 latex）。"""
    exe = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(exe), "build", str(ROOT), "--config", str(student_config()),
                    "--path-output", str(OUT), "--builder", builder, "-W", "-n", "--keep-going"],
                   check=True)
    return OUT / "_build" / ("html" if builder == "html" else "latex")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m quyu.edition")
    ap.add_argument("edition", choices=["student"])
    ap.add_argument("--pdf", action="store_true", help="同时构建 PDF")
    args = ap.parse_args(argv)
    html = build("html")
    print(f"学生版网页：{html / 'index.html'}")
    if args.pdf:
        latex = build("pdflatex")
        print(f"学生版 PDF：{latex / 'quyu-book.pdf'}")


if __name__ == "__main__":
    main()
