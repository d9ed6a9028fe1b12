"""读者看到的文字只用中文的版本名称：正文、表格、图例说明中不出现版本代码（代码与数据附录的对照表除外）。"""
from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path

import pytest

from quyu import data

# 只有数据附录可以出现代码（全书唯一的代码与中文名称对照表，以及维护说明）
ALLOWED_PAGES = {"data.html"}
CODE_BLOCKS = re.compile(r"<(pre|code|script|style|svg)\b.*?</\1>", re.S | re.I)
TAGS = re.compile(r"<[^>]+>")
# 组件的嵌入状态（选项的取值）是代码，不是读者看到的文字
WIDGET_STATE = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>', re.S)
# 文献条目的附注来自 .bib 文件，由下面单独的测试检查
CITATIONS = re.compile(r'<div class="citation"[^>]*>.*?</div>|<ul class="simple" id="id\d+">.*?</ul>', re.S)
BIB_NOTE = re.compile(r"^\s*note\s*=\s*\{(.*)\},?\s*$", re.M)


def visible_text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    text = WIDGET_STATE.sub(" ", text)
    text = CITATIONS.sub(" ", text)
    body = text.split("<main", 1)[-1]
    body = CODE_BLOCKS.sub(" ", body)
    body = re.sub(r"<div[^>]*class=\"[^\"]*(highlight|cell_input|output_area)[^\"]*\".*?</div>", " ", body, flags=re.S)
    return htmlmod.unescape(TAGS.sub(" ", body))


def test_no_vintage_code_in_reader_text(html_dir):
    codes = [v for v in data.VINTAGES]
    pattern = re.compile(r"(?<![A-Za-z_])(?<!statistical )(" + "|".join(codes) + r")(?![A-Za-z_])(?! prices)")
    hits = []
    for page in sorted(html_dir.rglob("*.html")):
        if "_static" in page.parts or page.name in ALLOWED_PAGES or page.name in ("genindex.html", "search.html"):
            continue
        for m in pattern.finditer(visible_text(page)):
            hits.append(f"{page.relative_to(html_dir)}: …{visible_text(page)[max(0, m.start() - 30):m.end() + 30]}…")
    assert not hits, "\n".join(hits[:30])


def test_vintage_labels_are_the_readers_words():
    labels = {v: data.vintage_info(v)["label_zh"] for v in data.VINTAGES}
    assert labels == {"current": "五经普修订（现行）", "census2018": "四经普修订", "yearbook": "年鉴口径（四经普前）",
                      "compendium": "汇编口径", "first_release": "初步核算"}


def test_bib_notes_use_reader_labels():
    codes = "|".join(data.VINTAGES)
    pattern = re.compile(r"(?<![A-Za-z_])(" + codes + r")(?![A-Za-z_])")
    bib = Path(__file__).resolve().parent.parent / "book" / "bib"
    hits = [f"{f.name}: {m.group(1)[:80]}" for f in sorted(bib.glob("*.bib"))
            for m in BIB_NOTE.finditer(f.read_text(encoding="utf-8")) if pattern.search(m.group(1))]
    assert not hits, "\n".join(hits)
