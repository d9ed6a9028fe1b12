"""正文不用“上一章”“下文”一类相对指代：章节会调整顺序，这类说法随之失效（曾有五处“上一章”指向了错误的章）。

要指向别处，用带标签的 {ref} 或 {numref}，Sphinx 会检查目标是否存在，编号和标题也会跟着目录变。
检查范围是读者看到的文字：代码单元之外的 Markdown、代码单元的图注等元数据，以及代码里的字符串
（表格单元格、组件说明等会显示给读者）；代码注释不在其内。
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
POINTERS = re.compile(r"上一章|下一章|前一章|后一章|前几章|后几章|前面各章|前面几章|前文|上文|下文|[上下前后]一(?:小)?节")
CODE_CELL = re.compile(r"^```\{code-cell\}")


def reader_text(path: Path) -> list[tuple[int, str]]:
    """(行号, 读者可见的文字)：Markdown 行、代码单元的元数据行，以及代码中的字符串字面量。"""
    out: list[tuple[int, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if CODE_CELL.match(lines[i]):
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            body = lines[start:j]
            k = 0
            while k < len(body) and body[k].startswith(":"):   # 单元元数据（图注、标签等）
                out.append((start + k + 1, body[k]))
                k += 1
            source = "\n".join(body[k:]) + "\n"
            try:
                for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                    if tok.type == tokenize.STRING:
                        out.append((start + k + tok.start[0], tok.string))
            except (tokenize.TokenError, IndentationError, SyntaxError):
                out.extend((start + k + n + 1, line) for n, line in enumerate(body[k:]))
            i = j + 1
            continue
        out.append((i + 1, lines[i]))
        i += 1
    return out


def pointer_hits(path: Path) -> list[str]:
    return [f"{path.relative_to(BOOK.parent)}:{n}: {text.strip()[:80]}"
            for n, text in reader_text(path) for _ in [0] if POINTERS.search(text)]


def test_no_relative_chapter_pointers_in_reader_text():
    hits = [h for f in sorted(BOOK.rglob("*.md")) for h in pointer_hits(f)]
    assert not hits, "用 {ref}/{numref} 指向带标签的目标，不要写相对指代：\n" + "\n".join(hits)


@pytest.mark.parametrize("snippet, found", [
    ("上一章看到，东北……\n", True),
    ("```{code-cell} ipython3\n:tags: [remove-cell]\nx = 1  # 收敛速度：上一章的估计\n```\n", False),
    ("```{code-cell} ipython3\nrows = {\"指标\": \"见下文“城市群”一节\"}\n```\n", True),
    ("```{code-cell} ipython3\n:mystnb:\n:  figure:\n:    caption: 见下文的表。\nplt.plot()\n```\n", True),
    ("见{ref}`p4o-clusters`一节。\n", False),
])
def test_the_check_sees_reader_text_only(tmp_path, snippet, found):
    f = tmp_path / "chapter.md"
    f.write_text(snippet, encoding="utf-8")
    assert bool([n for n, t in reader_text(f) if POINTERS.search(t)]) is found
