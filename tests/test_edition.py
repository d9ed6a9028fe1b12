"""学生版不含习题答案，正常版含答案。

学生版的任何文件中都找不到答案：网页、下载的源文件（.md、.ipynb）、检索索引、``_downloads``
（CSV 与解开的 wheel）、PDF 的文字。做法是从正常版的源文件（book/**/*.md）中每个 ``{solution}``
块取出有区分度的片段（只在答案中出现、其余源文字中没有的文字与代码行），逐个文件查找；
同样的查找在正常版中必须找到它们（对照），查找本身因而会失败。
"""
from __future__ import annotations

import functools
import html as htmllib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import HTML, PDF, ROOT, _require

STUDENT = ROOT / "_build" / "student" / "_build" / "html"
STUDENT_PDF = ROOT / "_build" / "student" / "_build" / "latex" / "quyu-book.pdf"
SOLUTION = re.compile(r'class="[^"]*\bsolution\b')


def chapter_pages(html_dir):
    return sorted((html_dir / "book").rglob("*.html"))


def solution_pages(html_dir):
    return [p for p in chapter_pages(html_dir) if SOLUTION.search(p.read_text(encoding="utf-8"))]


def test_normal_edition_has_solutions(html_dir):
    pages = [p for p in chapter_pages(html_dir) if "part" in p.parent.name]
    if not pages:
        pytest.skip("目录中还没有含习题的章节")
    assert solution_pages(html_dir), "正常版中找不到习题答案"


def test_student_edition_has_no_solutions(html_dir):
    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    assert chapter_pages(STUDENT)
    assert solution_pages(STUDENT) == []
    # 正常版答案中的文字不出现在学生版里
    for page in solution_pages(html_dir):
        text = page.read_text(encoding="utf-8")
        m = re.search(r'id="solution-content">\s*<p>([^<]{8,60})', text)
        if m:
            twin = STUDENT / page.relative_to(html_dir)
            assert m.group(1) not in twin.read_text(encoding="utf-8")


def test_both_editions_keep_the_self_checks(html_dir):
    """自查不含答案，学生版与正常版一样保留每道可自查练习的提示。"""
    from quyu.parts import answers

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    for root in (html_dir, STUDENT):
        text = "".join(p.read_text(encoding="utf-8") for p in chapter_pages(root))
        missing = [spec.exercise for spec, _ in answers.ANSWERS if f"check(&quot;{spec.exercise}&quot;" not in text]
        assert not missing, (root, missing)


# ---------------------------------------------------------------- 任何文件中都没有答案的文字与代码
# 这里用一个独立的、逐行的写法找出答案块（不用 quyu.edition 的实现），两者不会错在同一处。

_OPEN = re.compile(r"^\s*(`{3,}|:{3,})\{solution\}")
_FENCE = re.compile(r"^\s*(`{3,}|:{3,})")
#: 答案中不是连续文字的记号：角色（如 glue）、行内代码、公式、强调、链接地址、引号（网页中会变成弯引号）
_MARKUP = re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`|\$[^$]*\$|\]\([^)]*\)|\*+|[\[\]\"'|<>]|--|\.\.\.")
MIN_CHARS = 10


def _squash(text: str) -> str:
    return "".join(text.split())


def solution_blocks(text: str) -> list[list[str]]:
    """MyST 源文字中每个 ``{solution}`` 块的内容行。"""
    lines, blocks, i = text.splitlines(), [], 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        close = re.compile(rf"^\s*{re.escape(m.group(1)[0])}{{{len(m.group(1))},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        blocks.append(lines[i + 1:j])
        i = j + 1
    return blocks


def _pieces(block: list[str]) -> list[str]:
    """答案块中的连续文字：代码行整行，正文按记号与句末标点切开。"""
    out, code = [], False
    for line in block:
        if _FENCE.match(line):
            code = not code
            continue
        if code:
            out.append(_squash(line))
        elif not re.match(r"^\s*:[\w-]+:", line):   # 指令的选项行
            for part in _MARKUP.split(re.sub(r"^\s*([-#>]+|\d+\.)\s", "", line)):
                # 再按句切开：PDF 的分页会在一段话中间插入页眉页脚，整段就对不上了
                out += [_squash(s) for s in re.split(r"(?<=[。；！？])", part)]
    return [p for p in out if len(p) >= MIN_CHARS]


def solution_fragments() -> dict[str, list[str]]:
    """“章节:第几个答案” → 有区分度的片段：答案之外的任何源文字中都没有，学生版照样提供的
    包代码（如 ``quyu/article.py`` 中一行常见的取数写法）中也没有。"""
    from quyu import site

    sources = sorted((ROOT / "book").rglob("*.md"))
    texts = {p: p.read_text(encoding="utf-8") for p in sources}
    package = [p for p in sorted((ROOT / "quyu").rglob("*.py"))
               if p.relative_to(ROOT / "quyu").as_posix() not in site.STUDENT_LEAVE_OUT]
    outside_text = "\n".join([_squash(_outside_solutions(text)) for text in texts.values()]
                             + [_squash(p.read_text(encoding="utf-8")) for p in package])
    found = {}
    for path, text in texts.items():
        for n, block in enumerate(solution_blocks(text), 1):
            found[f"{path.relative_to(ROOT).as_posix()}:{n}"] = [
                p for p in dict.fromkeys(_pieces(block)) if p not in outside_text]
    return found


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


_TEXT_SUFFIXES = {".md", ".txt", ".csv", ".py", ".js", ".css", ".svg", ".tex", ".bib", ".yml", ".yaml", ".cfg",
                  ".toml", ".map", ".xml", ""}


def file_texts(name: str, data: bytes):
    """一个文件（或压缩包中的每个文件）的可检索文字：(名字, 去掉空白的文字) 的序列。"""
    suffix = Path(name).suffix.lower()
    if suffix in (".whl", ".zip"):
        with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
            for member in z.namelist():
                yield from file_texts(f"{name}!{member}", z.read(member))
    elif suffix == ".pdf":
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, check=True, capture_output=True)
        yield name, _squash(out.stdout.decode("utf-8"))
    elif suffix in (".html", ".htm"):
        text = re.sub(r"<[^>]+>", "", data.decode("utf-8", errors="replace"))
        yield name, _squash(htmllib.unescape(text))
    elif suffix in (".ipynb", ".json"):
        try:
            yield name, _squash("\n".join(_strings(json.loads(data))))
        except ValueError:
            yield name, _squash(data.decode("utf-8", errors="replace"))
    elif suffix in _TEXT_SUFFIXES:
        yield name, _squash(data.decode("utf-8", errors="replace"))


def site_texts(root: Path):
    """``root`` 下全部文件的可检索文字（压缩包解开；图片、字体等二进制文件没有文字）。"""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield from file_texts(path.relative_to(root).as_posix(), path.read_bytes())


def leaks(texts, fragments: dict[str, list[str]]) -> dict[str, list[str]]:
    """在哪些文件中找到了哪些答案的片段：{文件: [答案…]}。"""
    found = {}
    for name, text in texts:
        hits = [key for key, pieces in fragments.items() if any(p in text for p in pieces)]
        if hits:
            found[name] = hits
    return found


@pytest.fixture(scope="module")
def fragments():
    found = solution_fragments()
    assert len(found) >= 50, "正常版的源文件中找不到足够的答案块"
    bare = [k for k, v in found.items() if not v]
    assert not bare, f"这些答案取不出有区分度的片段：{bare}"
    return found


def test_solution_search_finds_every_solution_in_the_teacher_site(html_dir, fragments):
    """对照：正常版的网页中能找到每一个答案。"""
    pages = [t for t in site_texts(html_dir) if t[0].endswith(".html")]
    hits = {k for ks in leaks(pages, fragments).values() for k in ks}
    assert set(fragments) - hits == set()


def test_student_site_holds_no_solution_in_any_file(html_dir, fragments):
    """学生版的每一个文件（网页、_sources 中的 .md 与 .ipynb、检索索引、CSV、解开的 wheel）中都没有答案。"""
    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    found = leaks(site_texts(STUDENT), fragments)
    assert not found, "\n".join(f"{name}: {keys[:5]}" for name, keys in sorted(found.items())[:40])


def test_student_downloads_are_the_chapters_without_solutions(html_dir):
    """学生版下载的 .md 是去掉答案块与 ``solution`` 代码单元格的原文（其余一字不差），.ipynb 中也没有
    答案块，代码单元格是正常版的去掉 ``solution`` 单元格；正常版的下载仍有答案。"""
    from quyu.edition import student_text

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    chapters = [p for p in sorted((ROOT / "book").rglob("*.md")) if solution_blocks(p.read_text(encoding="utf-8"))]
    assert chapters
    for src in chapters:
        rel = src.relative_to(ROOT)
        original = src.read_text(encoding="utf-8")
        assert "{solution}" in (html_dir / "_sources" / rel).read_text(encoding="utf-8")
        student_md = (STUDENT / "_sources" / rel).read_text(encoding="utf-8")
        assert "{solution}" not in student_md and student_md == student_text(original), rel
        # 去掉的只有答案块：剩下的每一行都是原文的行，且顺序不变
        kept = iter(original.splitlines())
        assert all(any(line == o for o in kept) for line in student_md.splitlines()), rel
        # 去掉的恰好是答案块与 solution 单元格（按本文件独立的逐行写法找出；空行不计）
        lines = original.splitlines()
        gone = {i for a, b in solution_block_spans(original) + solution_cell_spans(original) for i in range(a, b)}
        expected = [line for i, line in enumerate(lines) if i not in gone and line.strip()]
        assert [line for line in student_md.splitlines() if line.strip()] == expected, rel
        nb = json.loads((STUDENT / "_sources" / rel.with_suffix(".ipynb")).read_text(encoding="utf-8"))
        cells = "\n".join("".join(c["source"]) for c in nb["cells"])
        assert "{solution}" not in cells and "{exercise}" in cells, rel
        # 学生版笔记本的代码单元格 = 正常版的代码单元格去掉 solution 单元格
        full = json.loads((html_dir / "_sources" / rel.with_suffix(".ipynb")).read_text(encoding="utf-8"))
        assert [c["source"] for c in nb["cells"] if c["cell_type"] == "code"] == [
            c["source"] for c in full["cells"] if c["cell_type"] == "code"
            and "solution" not in c.get("metadata", {}).get("tags", [])], rel
        assert not [c for c in nb["cells"] if "solution" in c.get("metadata", {}).get("tags", [])], rel


def test_search_index_has_no_solution_words(html_dir):
    """检索索引只有词：答案中才有的词（按 Sphinx 的中文分词）在正常版的索引中指向该章，在学生版中不指向。"""
    from sphinx.search.zh import SearchChinese

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    from quyu.sphinxext import _TermSet

    lang = SearchChinese({})
    lang.latin_terms = _TermSet()   # 与构建时相同（quyu.sphinxext._fast_chinese_search）：列表查找太慢
    stem = functools.lru_cache(maxsize=None)(lang.stem)

    def words(text: str) -> set[str]:
        return {stem(w) for w in set(lang.split(text)) if len(w) >= 2}

    def index(root: Path) -> dict:
        text = (root / "searchindex.js").read_text(encoding="utf-8")
        data = json.loads(text[text.index("(") + 1:text.rindex(")")])
        terms = {}
        for term, docs in data["terms"].items():
            terms[term] = {data["docnames"][d] for d in (docs if isinstance(docs, list) else [docs])}
        return terms

    def page_words(page: Path) -> set[str]:
        """正常版页面中答案以外的文字（含各章输出的表格、粘贴的数字）所含的词。"""
        keep = _WithoutSolutions()
        keep.feed(page.read_text(encoding="utf-8"))
        return words(htmllib.unescape("".join(keep.text)))

    teacher, student = index(html_dir), index(STUDENT)
    checked = leaked = 0
    missing = []
    for src in sorted((ROOT / "book").rglob("*.md")):
        text = src.read_text(encoding="utf-8")
        blocks = solution_blocks(text)
        if not blocks:
            continue
        doc = src.relative_to(ROOT).with_suffix("").as_posix()
        only = words("\n".join(line for b in blocks for line in b)) - words(_outside_solutions(text))
        only -= page_words(html_dir / f"{doc}.html")
        ours = {w for w in only if doc in teacher.get(w, ())}
        if not ours:
            missing.append(doc)
        checked += len(ours)
        bad = sorted(w for w in ours if doc in student.get(w, ()))
        leaked += len(bad)
        assert not bad, (doc, bad[:10])
    assert not missing, f"对照失败：正常版的索引中找不到这些章节答案中的词：{missing}"
    assert checked > 0 and leaked == 0


class _WithoutSolutions(__import__("html.parser").parser.HTMLParser):
    """网页的文字，去掉 sphinx-exercise 的答案元素（class 含 solution 的整个元素）与脚本。"""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "track"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.skip or "solution" in classes or tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data + " ")


def _outside_solutions(text: str) -> str:
    lines = text.splitlines()
    keep, i = [], 0
    while i < len(lines):
        if _OPEN.match(lines[i]):
            i += len(solution_blocks("\n".join(lines[i:]))[0]) + 2
            continue
        keep.append(lines[i])
        i += 1
    return "\n".join(keep)


# ---------------------------------------------------------------- 只为答案计算数值的代码单元格
# 答案中引用的数值由隐藏的代码单元格算出；只有答案引用的数值，其代码放在标有 solution 的单元格中，
# 学生版下载的 .md 与 .ipynb 不含这些单元格。

_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
_GLUE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{glue(?::\w+)?\}\s+(\S+)", re.M)
_CELL_OPEN = re.compile(r"^(`{3,})\{code-cell\}")
_SOLUTION_TAGS = re.compile(r"^:tags:\s*\[[^\]]*\bsolution\b[^\]]*\]\s*$")


def glue_refs(text: str) -> set[str]:
    """MyST 文字中引用的粘贴键：角色 ``{glue:md}`key```、``{glue}`key```、``{glue:text}`key:格式```
    与指令 ``{glue:md} key`` 等。"""
    return {k.split(":")[0].strip() for k in _GLUE_ROLE.findall(text) + _GLUE_DIRECTIVE.findall(text)}


def solution_only_keys(text: str) -> set[str]:
    """一章中只在答案块里引用的粘贴键。"""
    inside = glue_refs("\n".join(line for block in solution_blocks(text) for line in block))
    return inside - glue_refs(_outside_solutions(text))


def solution_block_spans(text: str) -> list[tuple[int, int]]:
    """答案块（含围栏）所占的行：[起, 止) 的列表，行号从 0 起。"""
    lines, spans, i = text.splitlines(), [], 0
    while i < len(lines):
        if _OPEN.match(lines[i]):
            n = len(solution_blocks("\n".join(lines[i:]))[0])
            spans.append((i, i + n + 2))
            i += n + 2
        else:
            i += 1
    return spans


def solution_cell_spans(text: str) -> list[tuple[int, int]]:
    """标有 ``solution`` 的代码单元格（含围栏）所占的行：[起, 止) 的列表，行号从 0 起。"""
    lines, spans, i = text.splitlines(), [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        close = re.compile(rf"^\s*{re.escape(m.group(1)[0])}{{{len(m.group(1))},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        if not _CELL_OPEN.match(lines[i]):   # 其他围栏（答案块、代码块）整个跳过：其中写着的单元格不算
            i = j + 1
            continue
        options = []
        for line in lines[i + 1:j]:
            if not line.startswith(":"):
                break
            options.append(line)
        if any(_SOLUTION_TAGS.match(o.strip()) for o in options):
            spans.append((i, j + 1))
        i = j + 1
    return spans


def solution_cells(text: str) -> list[list[str]]:
    """标有 ``solution`` 的代码单元格的代码行（不含围栏与选项行）。"""
    lines = text.splitlines()
    return [[line for line in lines[a + 1:b - 1] if not line.startswith(":")] for a, b in solution_cell_spans(text)]


def executed_notebooks(html_dir: Path) -> dict[str, dict]:
    """正常版构建时执行过的笔记本（带输出，从执行缓存取回）：{文档名: 笔记本}。"""
    from quyu import site

    return dict(site._executed_notebooks(html_dir))


def glued_by_cell(nb: dict) -> list[tuple[list[str], set[str]]]:
    """执行过的笔记本中每个代码单元格的 (标签, 它粘贴的键)：键取自输出的 ``scrapbook`` 元数据，
    所以用 f 字符串拼出的键也照实得到。"""
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        keys = {o.get("metadata", {}).get("scrapbook", {}).get("name") for o in cell.get("outputs", [])}
        out.append((cell.get("metadata", {}).get("tags", []), keys - {None}))
    return out


def chapters_with_solutions() -> list[Path]:
    return [p for p in sorted((ROOT / "book").rglob("*.md")) if solution_blocks(p.read_text(encoding="utf-8"))]


def test_solution_only_values_are_glued_only_in_solution_cells(html_dir):
    """只在答案中引用的每个粘贴值，只由标有 solution 的单元格粘贴；solution 单元格粘贴的值，答案之外
    不引用（那是正文与答案共用的代码，应留在共用的单元格中）。"""
    executed = executed_notebooks(html_dir)
    total, wrong, shared, missing = 0, {}, {}, {}
    for src in chapters_with_solutions():
        text = src.read_text(encoding="utf-8")
        doc = src.relative_to(ROOT).with_suffix("")
        only, outside = solution_only_keys(text), glue_refs(_outside_solutions(text))
        total += len(only)
        cells = glued_by_cell(executed[doc.as_posix()])
        glued = set().union(*(keys for _, keys in cells))
        if only - glued:
            missing[doc.as_posix()] = sorted(only - glued)
        bad = sorted(k for tags, keys in cells if "solution" not in tags for k in keys & only)
        if bad:
            wrong[doc.as_posix()] = bad
        both = sorted(k for tags, keys in cells if "solution" in tags for k in keys & outside)
        if both:
            shared[doc.as_posix()] = both
    assert total >= 50, f"只在答案中引用的粘贴值太少（{total}），查找本身可能出错"
    assert not missing, f"对照失败：执行过的笔记本中找不到这些只在答案中引用的键：{missing}"
    assert not wrong, f"这些只在答案中引用的值由共用的单元格粘贴，应移到标有 solution 的单元格：{wrong}"
    assert not shared, f"solution 单元格粘贴了答案之外也引用的值：{shared}"


def test_student_manifest_leaves_out_the_solution_values(html_dir):
    """学生版网站的版本清单不含 solution 单元格粘贴的值；对照：正常版的清单中都有。"""
    from quyu import site
    from quyu.edition import solution_glue_keys

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    hidden = solution_glue_keys(executed_notebooks(html_dir).items())
    assert sum(map(len, hidden.values())) >= 50
    for root, student in ((html_dir, False), (STUDENT, True)):
        values = json.loads((root / site.DOWNLOADS / site.MANIFEST).read_text(encoding="utf-8"))["values"]
        for doc, keys in hidden.items():
            listed = keys & set(values.get(doc, {}))
            assert listed == (set() if student else keys), (root, doc, sorted(listed ^ keys)[:5])


@pytest.fixture(scope="module")
def cell_fragments():
    """“章节:第几个 solution 单元格” → 有区分度的代码行：学生版照样有的文字（去掉答案块与
    solution 单元格的各章）与学生版提供的包代码中都没有。"""
    from quyu import site

    texts = {p: p.read_text(encoding="utf-8") for p in sorted((ROOT / "book").rglob("*.md"))}

    def student_lines(text):
        lines = text.splitlines()
        gone = {i for a, b in solution_block_spans(text) + solution_cell_spans(text) for i in range(a, b)}
        return "\n".join(line for i, line in enumerate(lines) if i not in gone)

    package = [p for p in sorted((ROOT / "quyu").rglob("*.py"))
               if p.relative_to(ROOT / "quyu").as_posix() not in site.STUDENT_LEAVE_OUT]
    outside = "\n".join([_squash(student_lines(t)) for t in texts.values()]
                        + [_squash(p.read_text(encoding="utf-8")) for p in package])
    found = {}
    for path, text in texts.items():
        for n, cell in enumerate(solution_cells(text), 1):
            found[f"{path.relative_to(ROOT).as_posix()}:{n}"] = [
                p for p in dict.fromkeys(_squash(line) for line in cell) if len(p) >= MIN_CHARS and p not in outside]
    assert len(found) >= 10, "源文件中找不到足够的 solution 单元格"
    bare = [k for k, v in found.items() if not v]
    assert not bare, f"这些 solution 单元格取不出有区分度的代码行：{bare}"
    return found


def test_solution_cells_are_in_no_student_file(html_dir, cell_fragments):
    """solution 单元格的代码不在学生版的任何文件中；对照：正常版下载的 .md 与 .ipynb 中每个都找得到。"""
    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    teacher = [t for t in site_texts(html_dir / "_sources") if t[0].endswith((".md", ".ipynb"))]
    for suffix in (".md", ".ipynb"):
        hits = {k for ks in leaks([t for t in teacher if t[0].endswith(suffix)], cell_fragments).values() for k in ks}
        assert set(cell_fragments) - hits == set(), f"对照失败：正常版下载的 {suffix} 中找不到这些单元格"
    found = leaks(site_texts(STUDENT), cell_fragments)
    assert not found, "\n".join(f"{name}: {keys[:5]}" for name, keys in sorted(found.items())[:40])


def test_strip_solution_cells_removes_only_solution_cells():
    """只去掉标有 solution 的代码单元格（连同其后的一个空行）；其他单元格、代码块里写着的同样文字原样保留。"""
    from quyu.edition import strip_solution_cells, student_text

    text = "\n".join([
        "# 题", "", "```{code-cell} ipython3", ":tags: [remove-cell]", "shared = 1", "```", "",
        "```{code-cell} ipython3", ":tags: [remove-cell, solution]", "secret = shared + 1", "```", "",
        "````{code-cell} ipython3", ":tags: [solution, remove-cell]", "also_secret = 2", "````", "",
        "```{code-cell} ipython3", "kept_untagged = 3", "```", "",
        "````markdown", "```{code-cell} ipython3", ":tags: [remove-cell, solution]", "example = 4", "```", "````",
        "", "```{exercise} 题一", ":label: ex-1", "算一算。", "```", "",
        "```{solution} ex-1", "答案。", "```", "", "结尾。", ""])
    out = strip_solution_cells(text)
    for gone in ("secret", "also_secret"):
        assert f"{gone} =" not in out, gone
    for kept in ("shared = 1", "kept_untagged = 3", "example = 4", "算一算。", "答案。", "结尾。"):
        assert kept in out, kept
    assert "\n\n\n" not in out and strip_solution_cells(out) == out
    assert "答案。" not in student_text(text) and "secret" not in student_text(text)
    assert [line for line in out.splitlines() if line.strip()] == [
        line for i, line in enumerate(text.splitlines())
        if line.strip() and not any(a <= i < b for a, b in solution_cell_spans(text))]


def test_student_pdf_holds_no_solution(fragments):
    """学生版 PDF 的文字中没有答案；对照：正常版 PDF 中每个答案都找得到。"""
    import os
    import shutil

    need = os.environ.get("QUYU_REQUIRE_STUDENT") == "1" and os.environ.get("QUYU_REQUIRE_PDF") == "1"
    have = PDF.exists() and STUDENT_PDF.exists() and shutil.which("pdftotext")
    if not have:
        if need:
            pytest.fail("正常版或学生版 PDF 尚未构建（./book.sh pdf；./book.sh student --pdf），或缺少 pdftotext")
        pytest.skip("正常版或学生版 PDF 尚未构建（./book.sh pdf；./book.sh student --pdf）")
    teacher = list(file_texts("teacher.pdf", PDF.read_bytes()))
    hits = {k for ks in leaks(teacher, fragments).values() for k in ks}
    assert set(fragments) - hits == set(), "对照失败：正常版 PDF 中找不到这些答案"
    assert leaks(file_texts("student.pdf", STUDENT_PDF.read_bytes()), fragments) == {}


def test_student_wheel_leaves_out_the_answer_functions(html_dir):
    """学生版的 wheel 不含计算标准答案的模块，但有自查用的散列答案文件；正常版的 wheel 两样都有。"""
    from quyu import site

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    for root, student in ((html_dir, False), (STUDENT, True)):
        with zipfile.ZipFile(root / site.DOWNLOADS / site.wheel_name()) as z:
            names = set(z.namelist())
        assert "quyu/answers.json" in names and "quyu/check.py" in names
        for leave_out in site.STUDENT_LEAVE_OUT:
            assert (f"quyu/{leave_out}" in names) is not student, (root, leave_out)


def test_strip_solutions_removes_only_solution_blocks():
    """去掉 ``` 与 ::: 两种围栏的答案块、嵌在其他指令中的答案块、成对的 solution-start/end；
    代码块里写着的 ``{solution}`` 与其余文字原样保留。"""
    from quyu.edition import strip_solutions

    text = "\n".join([
        "# 题", "", "```{exercise} 题一", ":label: ex-1", "", "算一算。", "```", "",
        "````{solution} ex-1", ":class: dropdown", "", "```python", "secret_code()", "```", "", "答案甲。", "````", "",
        ":::{solution} ex-1", "答案乙。", ":::", "",
        "`````{admonition} 提示", "````{solution} ex-1", "答案丙。", "````", "保留的提示。", "`````", "",
        "```{solution-start} ex-1", "```", "答案丁。", "```{solution-end}", "```", "",
        "````markdown", "```{solution} ex-1", "示例写法。", "```", "````", "", "结尾。", ""])
    out = strip_solutions(text)
    for gone in ("secret_code", "答案甲", "答案乙", "答案丙", "答案丁", "solution-start", "solution-end"):
        assert gone not in out, gone
    for kept in ("算一算。", ":label: ex-1", "保留的提示。", "示例写法。", "```{solution} ex-1", "结尾。"):
        assert kept in out, kept
    assert "\n\n\n" not in out
    assert strip_solutions(out) == out and strip_solutions("没有答案。\n") == "没有答案。\n"
