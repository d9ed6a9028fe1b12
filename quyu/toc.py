"""书的目录：读 ``_toc.yml``，按顺序列出全部页面（构建、测试与基准共用）。"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_files() -> list[str]:
    """目录（_toc.yml）中的全部页面，按顺序，不带扩展名（如 ``book/part1/coordination``）。"""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files += [s["file"] for s in ch.get("sections", [])]
    return files


def chapters() -> list[Path]:
    """目录中的全部页面文件（``.md``），按顺序。"""
    return [ROOT / f"{f}.md" for f in toc_files()]


def exercise_counts():
    """每一章的习题数量（教师指南用）：部分、章节标题、习题数、其中可以自查的题数；没有习题的章不列。"""
    import re

    import pandas as pd

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    rows = []
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            text = (ROOT / f"{ch['file']}.md").read_text(encoding="utf-8")
            title = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
            n = len(re.findall(r"^`{3,4}\{exercise\}", text, flags=re.M))
            if n:
                checks = len(re.findall(r"^\*\*自查\*\*：", text, flags=re.M))
                rows.append({"部分": part["caption"].split(" ")[0], "章节": title, "习题数": n, "可自查": checks})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- 各章的习题（教师指南、作业与评分共用）

#: ``{exercise}`` 指令块（三或四个反引号）
EXERCISE = re.compile(r"^(?P<fence>`{3,})\{exercise\}[ \t]*(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                      re.M | re.S)


@dataclass
class Exercise:
    """章节中的一道习题：编号、标题（如“计算：……”）、题面（MyST 原文，不含 ``:label:`` 等选项）。"""

    label: str
    title: str
    body: str

    @property
    def variable(self) -> str:
        """作业中的答题变量名：题号中的“-”换成“_”（``ex-p2-3-2`` → ``ex_p2_3_2``）。"""
        return self.label.replace("-", "_")


def exercises_in(text: str) -> list[Exercise]:
    """一章源文件中的习题，按出现顺序。"""
    out = []
    for m in EXERCISE.finditer(text):
        lines = m.group("body").split("\n")
        options = {}
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            key, _, value = lines.pop(0)[1:].partition(":")
            options[key] = value.strip()
        out.append(Exercise(options["label"], m.group("title").strip(), "\n".join(lines).strip("\n")))
    return out


def title(file: str) -> str:
    """页面的标题（第一个一级标题）。"""
    text = (ROOT / f"{file}.md").read_text(encoding="utf-8")
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def exercises(file: str) -> list[Exercise]:
    """目录中一个页面（如 ``book/part2/results``）的习题。"""
    return exercises_in((ROOT / f"{file}.md").read_text(encoding="utf-8"))
