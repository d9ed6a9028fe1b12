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
    """答案块中的连续文字：代码行整行，正文按记号切开。"""
    out, code = [], False
    for line in block:
        if _FENCE.match(line):
            code = not code
            continue
        if code:
            out.append(_squash(line))
        elif not re.match(r"^\s*:[\w-]+:", line):   # 指令的选项行
            out += [_squash(p) for p in _MARKUP.split(re.sub(r"^\s*([-#>]+|\d+\.)\s", "", line))]
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
    """学生版下载的 .md 是去掉答案块的原文（其余一字不差），.ipynb 中也没有答案块；正常版的下载仍有答案。"""
    from quyu.edition import strip_solutions

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    chapters = [p for p in sorted((ROOT / "book").rglob("*.md")) if solution_blocks(p.read_text(encoding="utf-8"))]
    assert chapters
    for src in chapters:
        rel = src.relative_to(ROOT)
        original = src.read_text(encoding="utf-8")
        assert "{solution}" in (html_dir / "_sources" / rel).read_text(encoding="utf-8")
        student_md = (STUDENT / "_sources" / rel).read_text(encoding="utf-8")
        assert "{solution}" not in student_md and student_md == strip_solutions(original), rel
        # 去掉的只有答案块：剩下的每一行都是原文的行，且顺序不变
        kept = iter(original.splitlines())
        assert all(any(line == o for o in kept) for line in student_md.splitlines()), rel
        nb = json.loads((STUDENT / "_sources" / rel.with_suffix(".ipynb")).read_text(encoding="utf-8"))
        cells = "\n".join("".join(c["source"]) for c in nb["cells"])
        assert "{solution}" not in cells and "{exercise}" in cells, rel


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
