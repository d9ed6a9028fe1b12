"""教学指南（附录）的课程安排：16 周学期、4 周实验模块、2 周单元。

每周讲哪些页面是数据（``data/course_plans.csv``）；表中其余的一切都由书本身得出，不会过时：

- 章节与顺序：``_toc.yml``（:mod:`quyu.toc`）；
- 习题：各章源文件中的 ``{exercise}``（编号与标题）；哪些自动评分：答案文件（:func:`quyu.check.specs`，
  由 ``quyu.parts.answers`` 的登记表写出）；
- 课堂演示的组件：章节中显示组件的代码单元格，即以调用 ``quyu.parts`` 中某个函数作结、
  得到 :class:`quyu.widgets.BookWidget` 的单元格；组件名取自组件本身的标题；
- 阅读：各章“延伸阅读”一节每一条所引的第一篇文献。

表格单元格是 MyST：章节用 ``{doc}``、习题用 ``{ref}``、文献用 ``{cite:t}``，由 ``glue:md`` 放进页面。
"""
from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass

import pandas as pd

from ... import check, data, toc
from ...widgets import BookWidget

#: 代码单元格（MyST 笔记本）；开头的 ``:tags:`` 等选项行另行去掉
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Widget:
    title: str


def _cells(text: str) -> list[str]:
    out = []
    for m in CODE_CELL.finditer(text):
        lines = m.group("body").split("\n")
        if lines and lines[0].strip() == "---":          # YAML 形式的选项块
            end = lines.index("---", 1) if "---" in lines[1:] else 0
            lines = lines[end + 1:]
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            lines.pop(0)
        out.append("\n".join(lines))
    return out


def _part_modules(trees) -> dict[str, str]:
    """章节中 ``from quyu.parts import X as Y`` 一类导入：名字 → 模块路径。"""
    names = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("quyu.parts"):
                for a in node.names:
                    names[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("quyu.parts.") and a.asname:
                        names[a.asname] = a.name
    return names


def _resolve(path: str):
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError:
        module, _, attr = path.rpartition(".")
        return getattr(importlib.import_module(module), attr)


def widgets_in(file: str) -> list[Widget]:
    """一个页面中显示的交互组件（按出现顺序，同名的只列一次）。

    组件单元格以调用 ``quyu.parts`` 中某个函数作结；用其中的字面值参数照样调用它（组件只在显示时计算，
    构造很快），得到组件的标题。"""
    text = (toc.ROOT / f"{file}.md").read_text(encoding="utf-8")
    trees = []
    for source in _cells(text):
        try:
            trees.append(ast.parse(source))
        except SyntaxError:
            continue
    names = _part_modules(trees)
    out: list[Widget] = []
    for tree in trees:
        if not tree.body or not isinstance(tree.body[-1], ast.Expr) or not isinstance(tree.body[-1].value, ast.Call):
            continue
        call = tree.body[-1].value
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in names):
            continue
        try:
            args = [ast.literal_eval(a) for a in call.args]
        except ValueError:
            continue
        kwargs = {}
        for k in call.keywords:       # 不是字面值的选项（如由正文算出的读数年份）用默认值：标题与它无关
            try:
                kwargs[k.arg] = ast.literal_eval(k.value)
            except ValueError:
                pass
        made = getattr(_resolve(names[func.value.id]), func.attr)(*args, **kwargs)
        if isinstance(made, BookWidget) and made.title not in {w.title for w in out}:
            out.append(Widget(made.title))
    return out


def readings_in(file: str) -> list[str]:
    """一个页面“延伸阅读”一节中每一条所引的第一篇文献（文献键）。"""
    text = (toc.ROOT / f"{file}.md").read_text(encoding="utf-8")
    m = re.search(r"^## 延伸阅读[ \t]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        return []
    keys = []
    for item in re.findall(r"^- (.*)$", m.group(1), re.M):
        cite = re.search(r"\{cite:[tp]\}`([^`,]+)", item)
        if cite:
            keys.append(cite.group(1).strip())
    return keys


PLANS = ("semester16", "lab4", "unit2")


def plan(name: str) -> pd.DataFrame:
    """一种课程安排（``data/course_plans.csv`` 中的 plan）：每周一行，各列是 MyST 文字。

    列：周次、章节（``{doc}`` 链接）、习题（``{ref}`` 链接，可自动评分的标出）、课堂演示（组件标题）、
    阅读（``{cite:t}``：每章延伸阅读的第一篇为必读，其余注明篇数）。"""
    plans = data.course_plans()
    rows = plans[plans["plan"] == name]
    if rows.empty:
        raise data.DataError(f"没有这种课程安排：{name}", f"no course plan {name!r}")
    files = set(toc.toc_files())
    unknown = sorted(set(rows["file"]) - files)
    if unknown:
        raise data.DataError(f"课程安排 {name} 中的页面不在目录中：{unknown}", f"plan {name}: not in _toc.yml: {unknown}")
    graded = check.specs() or {}
    out = []
    for week, group in rows.groupby("week", sort=True):
        chapters, exercises, demos, reading = [], [], [], []
        for file in group["file"]:
            chapters.append(f"{{doc}}`/{file}`")
            for ex in toc.exercises(file):
                mark = "（自动评分）" if ex.label in graded else ""
                exercises.append(f"{{ref}}`{_escape(ex.title)} <{ex.label}>`{mark}")
            demos += [w.title for w in widgets_in(file)]
            keys = readings_in(file)
            if keys:
                reading.append(f"{{cite:t}}`{keys[0]}`" + (f"（另有选读 {len(keys) - 1} 篇）" if len(keys) > 1 else ""))
        out.append({"周次": str(int(week)), "章节": "、".join(chapters),
                    "习题": "；".join(exercises) or "—", "课堂演示": "；".join(dict.fromkeys(demos)) or "—",
                    "阅读": "；".join(reading) or "—"})
    return pd.DataFrame(out)


def _escape(title: str) -> str:
    """``{ref}`` 链接文字中的尖括号与反引号。"""
    return title.replace("<", "＜").replace(">", "＞").replace("`", "")
