"""包的分层：框架 → 不依赖任何部分模块；部分模块 → 只依赖框架；没有导入环。

唯一的汇总模块 ``parts.answers``（自查练习的标准答案）导入各部分模块；任何模块都不导入它，
框架只读它在构建时写出的答案文件。"""
from __future__ import annotations

import ast
from pathlib import Path

import quyu

ROOT = Path(quyu.__file__).parent
FRAMEWORK = {"errors", "data", "measures", "analysis", "fmt", "page", "plots", "widgets", "article", "toc",
             "downloads", "site", "notebook", "check",
             "edition", "sphinxext", "manifest", "release", "bibstyle", "search", "interface"}


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts) or "__init__"


def _imports(path: Path, top_only: bool = False) -> set[str]:
    """一个模块导入的 quyu 子模块（相对与绝对导入；``top_only=False`` 时含函数内部的导入）。"""
    mod = _module(path)
    package = mod.split(".")[:-1] if path.name != "__init__.py" else mod.split(".")
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in (tree.body if top_only else ast.walk(tree)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
                names = [f"{target}.{a.name}".strip(".") for a in node.names]
                out.update(n for n in names if (ROOT / f"{n.replace('.', '/')}.py").exists()
                           or (ROOT / n.replace(".", "/")).is_dir())
                if target:
                    out.add(target)
            elif node.module and node.module.startswith("quyu."):
                out.add(node.module[5:])
        elif isinstance(node, ast.Import):
            out.update(a.name[5:] for a in node.names if a.name.startswith("quyu."))
    out.discard(mod)
    return {m for m in out if m and m != "__init__"}


FILES = [p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts]
GRAPH = {_module(p): _imports(p) for p in FILES}
#: 模块顶层的导入（函数内部的延迟导入不会造成导入时的环）。
TOP = {_module(p): _imports(p, top_only=True) for p in FILES}


def test_framework_imports_no_part_module():
    for mod, deps in GRAPH.items():
        if mod in FRAMEWORK:
            assert not {d for d in deps if d.startswith("parts")}, (mod, deps)


#: 部分层的汇总模块：可以导入各部分模块，但没有模块导入它。
COLLECTORS = {"parts.answers"}


def test_part_modules_import_only_the_framework():
    for mod, deps in GRAPH.items():
        if mod.startswith("parts.") and mod not in COLLECTORS:
            # parts._common 之类以下划线开头的模块是部分模块共用的小工具，不是某一部分
            others = {d for d in deps if d.startswith("parts.") and not d.startswith("parts._")}
            assert not others, f"{mod} 导入了别的部分模块：{others}"
            assert {d for d in deps if not d.startswith("parts")} <= FRAMEWORK, (mod, deps - FRAMEWORK)


def test_collectors_import_parts_and_framework_only_and_nobody_imports_them():
    for mod in COLLECTORS:
        assert mod in GRAPH, mod
        deps = GRAPH[mod]
        assert {d for d in deps if not d.startswith("parts")} <= FRAMEWORK, (mod, deps - FRAMEWORK)
        assert {d for d in deps if d.startswith("parts")}, f"{mod} 没有导入任何部分模块"
    for mod, deps in GRAPH.items():
        assert not deps & COLLECTORS, f"{mod} 导入了汇总模块 {deps & COLLECTORS}"


def test_every_top_level_module_is_classified():
    top = {m for m in GRAPH if "." not in m and m not in ("parts", "__init__")}
    assert top <= FRAMEWORK, top - FRAMEWORK


def test_no_import_cycles():
    state: dict[str, int] = {}

    def visit(m, stack):
        state[m] = 1
        for d in TOP.get(m, ()):
            if state.get(d) == 1:
                raise AssertionError(f"导入环：{' → '.join([*stack, m, d])}")
            if d in TOP and not state.get(d):
                visit(d, [*stack, m])
        state[m] = 2

    for m in TOP:
        if not state.get(m):
            visit(m, [])
