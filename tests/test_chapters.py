"""各章只有教学代码：不重复定义包里已有的函数，不直接读文件，同一个辅助函数不在两章里各写一遍。"""
from __future__ import annotations

import ast
import pkgutil
import re
from pathlib import Path

import pytest

import quyu
from quyu.toc import chapters

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
#: 直接读文件的写法（数据只经 quyu.data 读取）。
READS = re.compile(r"read_csv|read_excel|read_json|read_text\(|read_bytes\(|json\.load|\bopen\(")


def _code(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    cells = []
    for body in CELL.findall(text):
        lines = [ln for ln in body.splitlines() if not ln.startswith(":")]  # 去掉 :tags: 等选项行
        cells.append("\n".join(lines))
    return "\n\n".join(cells)


def _defined(code: str) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(code)) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def _package_functions() -> dict[str, str]:
    """包中每个模块顶层定义的函数与类：名字 → 模块。"""
    out: dict[str, str] = {}
    root = Path(quyu.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="quyu."):
        path = root.joinpath(*info.name.split(".")[1:])
        file = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                out.setdefault(node.name, info.name)
    return out


PAGES = [p for p in chapters() if "kernelspec" in p.read_text(encoding="utf-8")[:400]]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_chapter_defines_no_function_the_package_has(page):
    package = _package_functions()
    clash = {name: package[name] for name in _defined(_code(page)) if name in package}
    assert not clash, f"{page.name} 重新定义了包里已有的函数（请从包中导入）：{clash}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_chapter_reads_no_files(page):
    hits = [ln.strip() for ln in _code(page).splitlines() if READS.search(ln)]
    assert not hits, f"{page.name} 直接读文件（请用 quyu.data 的函数）：{hits}"


def test_no_helper_is_defined_in_two_chapters():
    seen: dict[str, str] = {}
    twice = []
    for page in PAGES:
        for name in _defined(_code(page)):
            if name in seen:
                twice.append((name, seen[name], page.name))
            seen[name] = page.name
    assert not twice, f"同一个辅助函数在两章中各定义了一次（应放进 quyu 包）：{twice}"


def test_the_checks_see_a_definition_and_a_read():
    # 检查本身有效：一个定义了 glue_text、读了 CSV 的单元格会被认出来
    code = "def glue_text(key, text):\n    pass\n\ndf = pd.read_csv('x.csv')\n"
    assert "glue_text" in _defined(code) and "glue_text" in _package_functions()
    assert READS.search(code)


#: 每一章结尾各节的顺序（学习目标在章首）。
CLOSING = ("## 小结", "## 关键术语", "## 习题", "## 延伸阅读")
#: 习题的三种类型：题目以“类型：”开头，每章三种都有。
EXERCISE_KINDS = ("计算", "讨论", "资料")


@pytest.mark.parametrize("page", [p for p in chapters() if "/part" in p.as_posix()],
                         ids=lambda p: str(p.relative_to(p.parents[2])))
def test_closing_sections_come_in_the_same_order(page):
    heads = [ln.strip() for ln in page.read_text(encoding="utf-8").splitlines() if ln.startswith("## ")]
    found = [h for h in heads if h in CLOSING]
    assert found == list(CLOSING), f"{page.name}：章末各节应依次为 {'、'.join(CLOSING)}，实际为 {found}"
    assert "学习目标" in page.read_text(encoding="utf-8")[:3000], f"{page.name}：章首没有学习目标"


@pytest.mark.parametrize("page", [p for p in chapters() if "/part" in p.as_posix()],
                         ids=lambda p: str(p.relative_to(p.parents[2])))
def test_every_exercise_says_its_kind(page):
    """每道习题的题目以“计算：”“讨论：”或“资料：”开头；关键术语只在章末一节，不在章首另放一个方框。"""
    import re

    text = page.read_text(encoding="utf-8")
    titles = re.findall(r"^`{3,4}\{exercise\}\s*(.*)$", text, flags=re.M)
    assert titles, f"{page.name}：没有习题"
    untyped = [t for t in titles if not t.startswith(tuple(k + "：" for k in EXERCISE_KINDS))]
    assert not untyped, f"{page.name}：这些习题的题目没有写明类型（计算／讨论／资料）：{untyped}"
    kinds = {k for k in EXERCISE_KINDS if any(t.startswith(k + "：") for t in titles)}
    assert kinds == set(EXERCISE_KINDS), f"{page.name}：缺少这些类型的习题：{set(EXERCISE_KINDS) - kinds}"
    assert "{admonition} 关键术语" not in text, f"{page.name}：关键术语应在小结之后的一节中"
