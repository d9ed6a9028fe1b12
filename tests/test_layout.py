"""包的分层与书的对应：框架 → 不依赖任何章节模块；章节模块 → 只依赖框架与共用模块；没有导入环。
框架中的包（如 ``measures``）连同其子模块都属于框架；``measures`` 只依赖 ``errors``。

``quyu/parts`` 与书一一对应：``book/partN/<章>.md`` 的代码在 ``quyu/parts/partN/<章>.py``（附录页在
``quyu/parts/appendix/``），章节只导入自己的模块、不起别名。同一部分几章共用的代码在 ``partN/_shared.py``，
几个部分共用的小工具在 ``parts/_shared.py``。唯一的汇总模块 ``parts.answers``（自查练习的标准答案）导入
各章模块；任何模块都不导入它，框架只读它在构建时写出的答案文件。"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import quyu
from quyu.toc import toc_files

ROOT = Path(quyu.__file__).parent
FRAMEWORK = {"errors", "data", "measures", "analysis", "fmt", "page", "plots", "widgets", "gap_widgets", "article",
             "toc", "downloads", "datafiles", "site", "notebook", "check",
             "edition", "sphinxext", "manifest", "release", "bibstyle", "assignments", "search", "interface",
             "models", "i18n", "translation"}


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


def _top(mod: str) -> str:
    """模块所属的顶层模块或包（``measures.disparity`` → ``measures``）。"""
    return mod.split(".")[0]


def test_framework_imports_no_part_module():
    checked = 0
    for mod, deps in GRAPH.items():
        if _top(mod) in FRAMEWORK:
            checked += 1
            assert not {d for d in deps if d.startswith("parts")}, (mod, deps)
    assert checked > len(FRAMEWORK)  # 框架包的子模块也在检查之列


def test_measures_uses_nothing_else_of_ours():
    """度量是纯函数库：只用自己的子模块和中英文错误类。"""
    modules = [m for m in GRAPH if _top(m) == "measures"]
    assert {"measures", "measures.disparity", "measures.clubs"} <= set(modules)
    for mod in modules:
        others = {d for d in GRAPH[mod] if _top(d) != "measures"}
        assert others <= {"errors"}, f"{mod} 导入了 {others - {'errors'}}"


def test_models_use_nothing_else_of_ours():
    """理论模型（``models``）与度量一样是纯函数库：只用自己的子模块和中英文错误类，不知道任何章节。"""
    modules = [m for m in GRAPH if _top(m) == "models"]
    assert {"models", "models.core_periphery"} <= set(modules)
    for mod in modules:
        others = {d for d in GRAPH[mod] if _top(d) != "models"}
        assert others <= {"errors"}, f"{mod} 导入了 {others - {'errors'}}"


#: 部分层的汇总模块：可以导入各章模块，但没有模块导入它。
COLLECTORS = {"parts.answers"}

BOOK = ROOT.parent
#: 目录中的每一页（``book/partN/<章>``、``book/appendix/<页>``）→ 它在包中的模块名（``parts.partN.<章>``）。
PAGES = {f: "parts." + ".".join(Path(f).parts[1:]) for f in toc_files() if len(Path(f).parts) == 3}
#: 包中实际存在的章节模块（``parts.partN.<章>``，不含 ``__init__`` 与下划线开头的共用模块）。
CHAPTER_MODULES = {m for m in GRAPH if m.count(".") == 2 and not m.split(".")[-1].startswith("_")}
PART_SHARED = {m for m in GRAPH if m.count(".") == 2 and m.endswith("._shared")}
PARTS_SHARED = "parts._shared"


def _allowed_parts_deps(mod: str) -> set[str]:
    """一个部分层模块可以导入的部分层模块：本部分的 ``_shared``（若有）与各部分共用的 ``parts._shared``。"""
    part = ".".join(mod.split(".")[:2])
    return {f"{part}._shared", PARTS_SHARED, part}


def test_every_module_under_parts_is_a_chapter_a_shared_module_or_the_collector():
    allowed = {"parts", PARTS_SHARED} | COLLECTORS | set(PAGES.values()) | PART_SHARED
    allowed |= {".".join(m.split(".")[:2]) for m in PAGES.values()}  # 各部分的包（__init__）
    stray = {m for m in GRAPH if m.startswith("parts") and m not in allowed}
    assert not stray, f"这些模块不对应目录中的任何一章（应为 quyu/parts/partN/<章>.py）：{sorted(stray)}"


def test_part_modules_import_only_the_framework_and_their_shared_modules():
    for mod, deps in GRAPH.items():
        if mod.startswith("parts.") and mod not in COLLECTORS:
            others = {d for d in deps if d.startswith("parts")} - _allowed_parts_deps(mod)
            assert not others, f"{mod} 导入了别的章节模块：{others}（共用的代码请放进 _shared）"
            assert {_top(d) for d in deps if not d.startswith("parts")} <= FRAMEWORK, (mod, deps)
    for mod in PART_SHARED | {PARTS_SHARED}:
        assert not {d for d in GRAPH[mod] if d.startswith("parts")} - {PARTS_SHARED}, mod


#: 章节中导入部分层的语句（代码单元、习题解答与正文中的代码块都算）。
PARTS_IMPORT = re.compile(r"^\s*(?:from\s+quyu\.parts\S*\s+import\s+[^\n]+|import\s+quyu\.parts\S*[^\n]*)$", re.M)


def _parts_imports(page: str) -> list[str]:
    return [m.group(0).strip() for m in PARTS_IMPORT.finditer((BOOK / f"{page}.md").read_text(encoding="utf-8"))]


def test_chapters_import_only_their_own_module_without_alias():
    for page, mod in PAGES.items():
        part, name = mod.split(".")[1:]
        expected = f"from quyu.parts.{part} import {name}"
        wrong = [line for line in _parts_imports(page) if line != expected]
        assert not wrong, f"{page}.md 只应写“{expected}”（不起别名，不导入别的章节模块）：{wrong}"
    assert _parts_imports("book/intro") == []


def test_the_package_mirrors_the_book():
    for page, mod in PAGES.items():
        uses = bool(_parts_imports(page))
        exists = mod in CHAPTER_MODULES
        path = "quyu/" + mod.replace(".", "/") + ".py"
        assert uses == exists, (f"{page}.md 导入了自己的模块，但 {path} 不存在" if uses else
                                f"{path} 存在，但 {page}.md 没有导入它（孤立的模块）")
    for mod in CHAPTER_MODULES:
        assert mod in PAGES.values(), f"{mod} 不对应目录中的任何一章"
    for shared in PART_SHARED | {PARTS_SHARED}:
        users = {m for m, deps in GRAPH.items() if shared in deps and m != shared}
        assert users, f"{shared} 没有模块使用（孤立的模块）"


def test_literalincludes_show_existing_package_source():
    pattern = re.compile(r"```\{literalinclude\}\s+(\S+)\n(?::[^\n]*\n)*?:pyobject:\s*(\w+)")
    seen = 0
    for page in PAGES:
        md = BOOK / f"{page}.md"
        for target, obj in pattern.findall(md.read_text(encoding="utf-8")):
            path = BOOK / target.lstrip("/") if target.startswith("/") else (md.parent / target).resolve()
            assert path.exists(), f"{md.name}：literalinclude 的文件不存在：{target}"
            names = {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if hasattr(n, "name")}
            assert obj in names, f"{md.name}：{target} 中没有 {obj}"
            seen += 1
    assert seen >= 5


def test_collectors_import_parts_and_framework_only_and_nobody_imports_them():
    for mod in COLLECTORS:
        assert mod in GRAPH, mod
        deps = GRAPH[mod]
        assert {_top(d) for d in deps if not d.startswith("parts")} <= FRAMEWORK, (mod, deps)
        assert {d for d in deps if d.startswith("parts")}, f"{mod} 没有导入任何章节模块"
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


#: functools 中记住结果的装饰器（``functools.wraps`` 之类不算）。
MEMO_DECORATORS = ("lru_cache", "cache", "cached_property")


def test_one_cache_mechanism_everywhere():
    """整个包（框架与各章模块）只用框架的 ``data.cached`` 记住结果（按数据目录作键、每次交出副本），
    不用 functools 的缓存：``lru_cache`` 不认 QUYU_DATA，还会把同一个对象交给每个调用者。"""
    found = []
    paths = sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)
    assert len(paths) > 40
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and node.module == "functools"
                    and {a.name for a in node.names} & set(MEMO_DECORATORS)):
                found.append(f"{path.name}:{node.lineno} from functools import …")
            elif (isinstance(node, ast.Attribute) and node.attr in MEMO_DECORATORS
                  and isinstance(node.value, ast.Name) and node.value.id == "functools"):
                found.append(f"{path.name}:{node.lineno} functools.{node.attr}")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for d in node.decorator_list:
                    target = d.func if isinstance(d, ast.Call) else d
                    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                    if name in MEMO_DECORATORS:
                        found.append(f"{path.name}:{node.lineno} @{name} {node.name}")
    assert found == [], found
