"""作业笔记本与自动评分（Otter-Grader）。

    python -m quyu.assignments [OUT]                       # 写出各章的作业（默认 _build/assignments）
    python -m quyu.assignments grade ZIP SUBMISSIONS OUT   # 批改一个文件夹的提交，写出成绩表与反馈

``./book.sh assignments`` 先确认网页版是最新的（答案文件与各章粘贴的数值都来自构建），再运行第一条。

每一章一个文件夹（章节文件名，如 ``part2-results``）：

- ``student/<章>.ipynb``：发给学生的作业笔记本：题面（由章节源文件中的 ``{exercise}`` 转成普通
  Markdown）、安装与导入数据的单元格、每道题的答题单元格；不含 ``{solution}`` 的任何内容，也不含
  计算答案的代码；
- ``autograder/<章>-autograder.zip``：Otter-Grader 的评分包（``otter generate`` 生成），
  ``otter run -a <评分包> <提交.ipynb>`` 在本机（不用 Docker）执行提交并评分；
- ``autograder/tests/<题号>.py``：评分包中的测试，每道可以自查的计算题一个。

评分与自查永远一致：测试不含任何答案，只调用 :func:`quyu.check.check`，要求结果为“正确”；
要评分的题目就是答案文件（由 ``quyu.parts.answers`` 的登记表 ``ANSWERS`` 写出）中的全部题目。
本模块属于框架：读目录、章节源文件、答案文件和构建时粘贴的数值，不导入任何部分模块。
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import check, toc
from .errors import BookError

ROOT = toc.ROOT
OUT = ROOT / "_build" / "assignments"
EXECUTED = ROOT / "_build" / "jupyter_execute"

SOLUTION = re.compile(r"^(?P<fence>`{3,})\{solution\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<arg>[^`]*)`")


@dataclass
class Chapter:
    file: str                 # 目录中的文件名（不带扩展名），如 book/part2/results
    title: str
    exercises: list[toc.Exercise] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """作业文件夹名：``book/part2/results`` → ``part2-results``。"""
        return "-".join(Path(self.file).parts[1:])


# ---------------------------------------------------------------- reading the chapters

def _title(text: str) -> str:
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def chapters() -> list[Chapter]:
    """目录中有习题的页面，按目录顺序。"""
    out = []
    for file in toc.toc_files():
        found = toc.exercises(file)
        if found:
            out.append(Chapter(file, toc.title(file), found))
    return out


def solutions_in(text: str) -> list[str]:
    """章节源文件中 ``{solution}`` 块的内容（测试用：这些文字不能出现在作业中）。"""
    return [m.group("body") for m in SOLUTION.finditer(text)]


# ---------------------------------------------------------------- MyST → notebook Markdown

def glued_values(root: Path = EXECUTED) -> dict[str, str]:
    """构建时各章粘贴的数值：键 → 文字（取 Markdown 形式，没有时取纯文本）。"""
    out = {}
    for path in sorted(Path(root).rglob("*.glue.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            data = value.get("data", value) if isinstance(value, dict) else {}
            text = data.get("text/markdown") or data.get("text/plain")
            if text is not None:
                text = "".join(text) if isinstance(text, list) else str(text)
                if "text/markdown" not in data and len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
                    text = text[1:-1]        # 纯文本是 repr：去掉引号
                out[key] = text
    return out


def _bib_authors() -> dict[str, str]:
    """全书的文献库（``_config.yml`` 的 ``bibtex_bibfiles``）：键 → “作者（年份）”。"""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    text = "\n".join((ROOT / f).read_text(encoding="utf-8") for f in config["bibtex_bibfiles"])
    out = {}
    for m in re.finditer(r"@\w+\{(?P<key>[^,\s]+),(?P<body>.*?)\n\}", text, re.S):
        body = m.group("body")
        author = re.search(r"author\s*=\s*\{(.*)\},?\s*$", body, re.M)
        year = re.search(r"year\s*=\s*\{?(\d{4})", body)
        name = (author.group(1) if author else "").strip("{} ").split(" and ")[0].strip("{} ")
        if "," in name and not re.search(r"[\u4e00-\u9fff]", name):
            name = name.split(",")[0]
        out[m.group("key")] = f"{name}（{year.group(1) if year else '无年份'}）"
    return out


class Converter:
    """把习题的 MyST 文字转成 Jupyter 能显示的 Markdown：角色换成文字，粘贴的数值换成构建时的值。"""

    def __init__(self, glued: dict[str, str] | None = None):
        self.glued = glued_values() if glued is None else glued
        self._bib: dict[str, str] | None = None
        self._targets: dict[str, str] | None = None

    def _target(self, label: str) -> str:
        """``{numref}`` 的目标：表题、图题或章名。"""
        if self._targets is None:
            self._targets = {}
            for file in toc.toc_files():
                text = (ROOT / f"{file}.md").read_text(encoding="utf-8")
                title = _title(text)
                for lab in re.findall(r"^\((.+?)\)=\s*$", text, re.M):
                    self._targets[lab] = f"《{title}》一章"
                for m in re.finditer(r"^`{3,}\{(table|figure|glue:figure)\}[ \t]*([^\n]*)\n((?::[^\n]*\n)*)", text, re.M):
                    name = re.search(r"^:name:\s*(\S+)", m.group(3), re.M)
                    if name:
                        what = "表" if m.group(1) == "table" else "图"
                        caption = m.group(2).strip()
                        self._targets[name.group(1)] = (f"《{title}》一章的{what}“{caption}”" if caption and m.group(1) == "table"
                                                        else f"《{title}》一章的{what}")
                for lab in re.findall(r"^:\s*name:\s*(\S+)", text, re.M):   # 含 mystnb 图的选项
                    self._targets.setdefault(lab, f"《{title}》一章的{'图' if lab.startswith('fig') else '表'}")
        if label not in self._targets:
            raise BookError(f"找不到交叉引用的目标 {label}", f"no cross-reference target {label}")
        return self._targets[label]

    def role(self, role: str, arg: str) -> str:
        text, _, target = arg.rpartition(" <") if arg.endswith(">") else ("", "", arg)
        target = target.rstrip(">") if text else arg
        if role in ("glue:md", "glue:text", "glue"):
            key = arg.split(":")[0]
            if key not in self.glued:
                raise BookError(f"构建结果中没有粘贴的数值 {key}：先运行 ./book.sh build",
                                f"glued value {key} not found in the build: run ./book.sh build first")
            return self.glued[key]
        if role == "term":
            return text or arg
        if role in ("ref", "doc"):
            if text:
                return text
            if role == "doc":
                file = (Path("book") / target).as_posix() if not target.startswith("book/") else target
                path = ROOT / f"{file}.md"
                return f"《{_title(path.read_text(encoding='utf-8'))}》" if path.exists() else target
            return self._target(target)
        if role == "numref":
            return self._target(target)
        if role.startswith("cite"):
            if self._bib is None:
                self._bib = _bib_authors()
            names = "；".join(self._bib.get(k.strip(), k.strip()) for k in arg.split(","))
            return f"（{names}）" if role == "cite:p" else names
        if role == "math":
            return f"${arg}$"
        return text or arg

    def __call__(self, text: str) -> str:
        return ROLE.sub(lambda m: self.role(m.group("role"), m.group("arg")), text)


# ---------------------------------------------------------------- the student notebook

INTRO = """# 作业：{title}

本作业取自本书《{title}》一章的习题，共 {n} 道；其中 {n_auto} 道计算题自动评分，其余由教师批改。

**怎样作答**

1. 先运行最前面的两个单元格（安装本书的 Python 包、导入数据）。
2. 计算题：在题目下面的单元格中写代码，最后把答案**赋给指定的变量**（如 `ex_p2_3_2 = …`）；
   要给几个数时写成列表，顺序见题目。接着的 `check(…)` 单元格可以随时自查，它只说对不对，不透露答案。
3. 讨论题与资料题：写在“你的回答”文字单元格中。
4. 提交前请选择“重启内核并运行全部单元格”，确认没有出错，再保存并提交 `.ipynb` 文件。
   评分时笔记本会从头运行一遍：只有在笔记本中算出来的答案才算数。
"""

SETUP = """# 导入本作业用到的库与本书的数据函数
import numpy as np
import pandas as pd
from quyu import analysis, data, measures
from quyu.check import check"""


def _code(source: str, tags=(), **meta) -> dict:
    md = dict(meta)
    if tags:
        md["tags"] = list(tags)
    return {"cell_type": "code", "metadata": md, "execution_count": None, "outputs": [], "source": source}


def _md(source: str, tags=()) -> dict:
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)} if tags else {}, "source": source}


def student_notebook(chapter: Chapter, graded: dict, convert: Converter, wheel: str) -> dict:
    """一章的作业笔记本（nbformat 4 的 dict）。``graded``：可以自查的题 → 要给的数（依次）。"""
    from .notebook import INSTALL_CODE, INSTALL_NOTE

    auto = [e for e in chapter.exercises if e.label in graded]
    cells = [_md(INTRO.format(title=chapter.title, n=len(chapter.exercises), n_auto=len(auto))),
             _md(INSTALL_NOTE.format(wheel=wheel)), _code(INSTALL_CODE.format(wheel=wheel), ["quyu-install"]),
             _code(SETUP, ["quyu-setup"])]
    for i, ex in enumerate(chapter.exercises, 1):
        head = f"## 第 {i} 题　{ex.title}\n\n"
        body = convert(ex.body)
        if ex.label in graded:
            items = graded[ex.label]
            note = (f"\n\n**自动评分**：把答案赋给变量 `{ex.variable}`，依次为：{'、'.join(items)}"
                    + ("（只有一个数时写数字即可）" if len(items) == 1 else "（写成列表）") + "。")
            cells.append(_md(head + body + note))
            cells.append(_code(f"# 在这里计算，最后一行把答案赋给 {ex.variable}\n{ex.variable} = ...",
                               ["answer"], quyu={"exercise": ex.label, "variable": ex.variable}))
            cells.append(_code(f'check("{ex.label}", {ex.variable})', ["self-check"]))
        else:
            cells.append(_md(head + body + "\n\n**教师批改**：本题没有自动评分。"))
            cells.append(_code("# 需要计算时在这里写代码", ["work"]))
            cells.append(_md("**你的回答：**\n\n（在这里作答）", ["answer", "manual"]))
    for n, cell in enumerate(cells):
        cell["id"] = f"quyu-{n:03d}"
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"},
                         "quyu": {"chapter": chapter.file, "exercises": [e.label for e in chapter.exercises]}}}


# ---------------------------------------------------------------- the autograder

TEST_FILE = '''"""{label}：{title}

Otter-Grader 的测试，由 quyu.assignments 从自查答案生成：测试不含答案，只调用 quyu.check.check，
要求结果为“正确”，所以评分与学生的自查永远一致。"""
from otter.test_files import test_case

OK_FORMAT = False

name = "{label}"
points = {points}


@test_case(points={points}, hidden=False)
def {variable}(env):
    from quyu.assignments import verdict
    right, message = verdict("{label}", "{variable}", env)
    assert right, message
'''


def verdict(exercise: str, variable: str, env: dict) -> tuple[bool, str]:
    """评分测试的判断（在执行过的提交笔记本中运行）：(是否正确, 中文说明)。从不抛出异常。"""
    try:
        if variable not in env:
            return False, (f"没有找到答案变量 {variable}：答题单元格没有运行，或者运行时出错。"
                           "请“重启内核并运行全部单元格”，改正出错的单元格后再提交。")
        value = env[variable]
        if value is Ellipsis:
            return False, f"还没有作答：{variable} 仍是 `...`。"
        result = check.check(exercise, value)
        return result.status == "right", result.message
    except Exception as error:  # noqa: BLE001 - 评分中的任何意外都写进反馈，而不是中断评分
        return False, f"评分时出错：{type(error).__name__}: {error}"


def write_tests(chapter: Chapter, graded: dict, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ex in chapter.exercises:
        if ex.label in graded:
            path = folder / f"{ex.variable}.py"
            path.write_text(TEST_FILE.format(label=ex.label, title=ex.title, variable=ex.variable, points=1),
                            encoding="utf-8")
            paths.append(path)
    return paths


def otter(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """运行 Otter-Grader 的命令行（与教师在终端中输入的相同）。"""
    return subprocess.run([sys.executable, "-m", "otter", *args], cwd=cwd, capture_output=True, text=True)


def autograder_zip(tests: Path, zip_path: Path) -> Path:
    """``otter generate``：由测试文件夹生成评分包。"""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    done = otter("generate", "--tests-dir", str(tests), "--output-path", str(zip_path),
                 "--no-config", "--no-requirements", "--no-environment", cwd=zip_path.parent)
    if done.returncode != 0 or not zip_path.exists():
        raise BookError(f"otter generate 失败：{done.stderr.strip()[-2000:]}",
                        f"otter generate failed: {done.stderr.strip()[-2000:]}")
    return zip_path


# ---------------------------------------------------------------- writing everything

README = """# 作业与自动评分

由 `./book.sh assignments` 生成，不要手改；各章的题目或答案改变后重新运行即可。

每一章一个文件夹：

- `student/`：发给学生的作业笔记本（不含答案）；
- `autograder/*-autograder.zip`：Otter-Grader 评分包；`autograder/tests/`：其中的测试。

批改一份提交（本机执行，不需要 Docker；需要装有本书 Python 包的环境，如本书的 `.venv`）：

    otter run -a <章>/autograder/<章>-autograder.zip -o <输出文件夹> <提交.ipynb>

批改一个文件夹中的全部提交，写出成绩表 `成绩.csv` 与每人一份的反馈：

    python -m quyu.assignments grade <章>/autograder/<章>-autograder.zip <提交文件夹> <输出文件夹>

详见本书附录“教学指南”。
"""


def graded_exercises() -> dict[str, list[str]]:
    """可以自动评分的题：答案文件中的全部题目 → 要给的数（依次）。没有答案文件时报错。"""
    table = check.specs()
    if table is None:
        raise BookError(check.MISSING, "quyu/answers.json is missing: run ./book.sh build first")
    return {k: v["items"] for k, v in table.items()}


def write(out: Path = OUT, only: list[str] | None = None, glued: dict | None = None) -> list[Path]:
    """写出全部作业（或 ``only`` 中的章节文件）；返回各章的文件夹。"""
    from .site import wheel_name

    graded = graded_exercises()
    convert = Converter(glued)
    found = {e.label for ch in chapters() for e in ch.exercises}
    unknown = sorted(set(graded) - found)
    if unknown:
        raise BookError(f"答案文件中的题目在章节中找不到：{unknown}", f"answers without an exercise: {unknown}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "README.md").write_text(README, encoding="utf-8")
    folders = []
    for ch in chapters():
        if only and ch.file not in only:
            continue
        folder = out / ch.slug
        shutil.rmtree(folder, ignore_errors=True)
        nb = student_notebook(ch, graded, convert, wheel_name())
        (folder / "student").mkdir(parents=True)
        (folder / "student" / f"{ch.slug}.ipynb").write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n",
                                                             encoding="utf-8")
        tests = write_tests(ch, graded, folder / "autograder" / "tests")
        if tests:
            autograder_zip(folder / "autograder" / "tests", folder / "autograder" / f"{ch.slug}-autograder.zip")
        folders.append(folder)
    return folders


# ---------------------------------------------------------------- grading a folder of submissions

def grade(autograder: Path, submissions: Path, out: Path) -> Path:
    """用 ``otter run`` 逐份批改 ``submissions`` 中的 .ipynb，写出 ``成绩.csv`` 与 ``反馈/<提交>.md``。"""
    out = Path(out)
    (out / "反馈").mkdir(parents=True, exist_ok=True)
    # 反馈中用作业里的题号与标题（“第 2 题　计算：……”），不用内部编号
    names = {e.label: f"第 {i} 题　{e.title}" for ch in chapters() for i, e in enumerate(ch.exercises, 1)}
    rows = []
    for sub in sorted(Path(submissions).glob("*.ipynb")):
        work = out / "otter" / sub.stem
        work.mkdir(parents=True, exist_ok=True)
        done = otter("run", "--no-logo", "--pickle-results", "-a", str(Path(autograder).resolve()),
                     "-o", str(work.resolve()), str(sub.resolve()), cwd=work)
        results = work / "results.json"
        if done.returncode != 0 or not results.exists():
            rows.append({"提交": sub.name, "得分": 0, "满分": "", "说明": "无法评分：" + done.stderr.strip()[-300:]})
            continue
        res = json.loads(results.read_text(encoding="utf-8"))
        tests = [t for t in res.get("tests", []) if "max_score" in t]   # 另有一条“Public Tests”汇总，不计分
        score = sum(t.get("score", 0) for t in tests)
        total = sum(t.get("max_score", 0) for t in tests)
        lines = [f"# {sub.stem} 的作业反馈", "", f"自动评分部分：{score:g} / {total:g} 分。", ""]
        for t in tests:
            ok = t.get("score", 0) == t.get("max_score", 0)
            name = names.get(t.get("name", ""), t.get("name", ""))
            lines += [f"## {name}：{'正确' if ok else '未得分'}", "", feedback_text(t.get("output", "")), ""]
        errors = notebook_errors(work / "results.pkl")
        if errors:
            lines += ["## 运行中出错的单元格", "", "评分时笔记本从头运行了一遍，下面的单元格出错（改正后请重新运行全部单元格）：", ""]
            lines += [f"- {e}" for e in errors] + [""]
        lines += ["讨论题与资料题由教师另行批改。", ""]
        (out / "反馈" / f"{sub.stem}.md").write_text("\n".join(lines), encoding="utf-8")
        rows.append({"提交": sub.name, "得分": score, "满分": total, "说明": ""})
    with open(out / "成绩.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["提交", "得分", "满分", "说明"])
        w.writeheader()
        w.writerows(rows)
    return out / "成绩.csv"


def notebook_errors(results_pkl: Path) -> list[str]:
    """``otter run --pickle-results`` 保存的评分结果中，执行过的笔记本里出错的单元格：“第 k 题：错误”。"""
    try:
        import dill

        with open(results_pkl, "rb") as f:
            nb = getattr(dill.load(f), "notebook", None)
    except Exception:  # noqa: BLE001 - 没有执行过的笔记本可读：不列出错误
        return []
    out, where = [], "作业开头"
    for cell in (nb or {}).get("cells", []):
        if cell.get("cell_type") == "markdown":
            m = re.match(r"## (第 \d+ 题)", cell.get("source", ""))
            where = m.group(1) if m else where
        for o in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if o.get("output_type") == "error":
                out.append(f"{where}：{o.get('ename')}: {o.get('evalue')}")
    return out


def feedback_text(output: str) -> str:
    """Otter 的测试输出 → 给学生的一段话：只留我们的中文说明（去掉测试文件的行号与源代码）。"""
    m = re.search(r"AssertionError: (.*)", output, re.S)
    if m:
        return m.group(1).strip()
    if "passed" in output:
        return "全部正确。"
    return output.strip()


def main(argv=None) -> None:
    import argparse

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["grade"]:
        ap = argparse.ArgumentParser(prog="python -m quyu.assignments grade")
        ap.add_argument("autograder", type=Path)
        ap.add_argument("submissions", type=Path)
        ap.add_argument("out", type=Path)
        args = ap.parse_args(argv[1:])
        print(f"成绩表：{grade(args.autograder, args.submissions, args.out)}")
        return
    ap = argparse.ArgumentParser(prog="python -m quyu.assignments")
    ap.add_argument("out", nargs="?", type=Path, default=OUT)
    args = ap.parse_args(argv)
    folders = write(args.out)
    print(f"已写出 {len(folders)} 章的作业与评分包：{args.out}")


if __name__ == "__main__":
    main()
