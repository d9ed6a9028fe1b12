"""PDF：中文可检索、可复制；书名与各部分标题都在。"""
from __future__ import annotations

import re
import subprocess

import yaml

from conftest import ROOT


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True)
    return out.stdout


def _squash(s: str) -> str:
    return "".join(s.split())


def test_pdf_has_title_and_parts(pdf_path):
    text = _squash(pdf_text(pdf_path))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert _squash(config["title"]) in text
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        assert _squash(part["caption"]) in text, part["caption"]


def test_pdf_headings_are_chinese(pdf_path):
    text = _squash(pdf_text(pdf_path))
    assert "目录" in text
    assert "Contents" not in text
    assert "CHAPTER" not in text.upper().replace("CHAPTERS", "")


def test_pdf_chinese_is_real_text_not_glyph_ids(pdf_path):
    text = pdf_text(pdf_path)
    assert "这本书写给谁" in text
    assert "区域协调发展" in _squash(text)


def test_pdf_has_no_unresolved_references_or_object_dumps(pdf_path):
    """交叉引用都已解析（没有“??”），输出都有印刷形式（没有对象的文字描述）。"""
    text = pdf_text(pdf_path)
    assert "??" not in text
    assert "Styler at 0x" not in text
    assert "object at 0x" not in text
    assert "VBox(children" not in text and "HTML(value=" not in text  # ipywidgets 的文字描述


def _pages(path, first: int, last: int) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(path), "-"],
                         check=True, capture_output=True, text=True)
    return out.stdout


def _spaced(s: str) -> str:
    return " ".join(s.split())


def test_part_titles_keep_the_space_after_the_part_number(pdf_path):
    """目录与部分页上，“第一部分”与标题之间有空白（xeCJK 会吞掉两个汉字之间的空格）。"""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [p["caption"] for p in toc.get("parts", []) if " " in p["caption"]]
    assert captions
    front = _spaced(_pages(pdf_path, 1, 12))  # 标题页与目录
    body = _spaced(pdf_text(pdf_path))
    for caption in captions:
        assert _spaced(caption) in front, caption
        # 目录一次，部分页一次（部分页上的大字标题可能折行，只比较开头）
        assert body.count(_spaced(caption)[:9]) >= 2, caption


def test_each_doi_is_printed_once_per_entry(pdf_path):
    """参考文献中的 DOI 只印一次：条目中有“DOI: 10.…”，不再把同一个网址印成脚注。
    每个 DOI 在 PDF 中出现的次数等于印出它的文献条目数（各章的参考文献与书末的总表各算一次）。"""
    import re

    text = _squash(pdf_text(pdf_path)).lower()
    bibs = [ROOT / "book" / "references.bib", *sorted((ROOT / "book" / "bib").glob("*.bib"))]
    dois = {d.strip().lower() for b in bibs
            for d in re.findall(r"^\s*doi\s*=\s*[{\"]([^}\"]+)", b.read_text(encoding="utf-8"), re.M | re.I)}
    printed = sorted(d for d in dois if d in text)
    assert len(printed) >= 10
    for doi in printed:
        assert text.count(doi) == text.count("doi:" + doi), doi
        assert "doi.org/" + doi not in text, doi


def test_exercise_numbers_match_the_website(pdf_path, html_dir):
    """PDF 中的习题编号与网页版相同（“练习 6.2”，不是“练习 6.13.2”）。"""
    import re

    pdf = _squash(pdf_text(pdf_path))
    found = []
    title = re.compile(r'<p class="admonition-title">\s*<span class="caption-number">练习 ([\d.]+)\s*</span>\s*'
                       r'(?:\(|（)([^<]{2,12})')
    for page in sorted(html_dir.glob("book/part*/*.html")):
        for number, subtitle in title.findall(page.read_text(encoding="utf-8")):
            found.append((page.stem, number, subtitle))
    assert len(found) >= 20
    missing = [f for f in found if f"练习{f[1]}({_squash(f[2])}" not in pdf]
    assert not missing, missing[:5]
    assert not re.search(r"练习\d+\.\d+\.\d+", pdf)


def test_title_page_has_edition_date_licence_and_citation(pdf_path):
    """标题页及其背面：版本、日期、许可（CC BY 4.0、MIT）与“如何引用”。"""
    from quyu import __date__, __version__
    from quyu.page import date_zh

    front = _squash(_pages(pdf_path, 1, 2))
    assert __version__ in front
    assert _squash(date_zh(__date__)) in front
    assert "CCBY4.0" in front and "MIT" in front
    assert "引用" in front
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert _squash(cff["title"]) in front


def _overfull_widths(pdf_path) -> list[float]:
    import re

    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    return [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]


def test_few_overfull_lines(pdf_path):
    """LaTeX 日志中伸出版心超过 10pt 的行不多：长表按内容分配列宽、可以折行（WrapLongTables）；
    代码块中的长行折行，含中文字符串和注释的行也在汉字之间折行（_config.yml 中的 quyuVerbAddon 与
    verbatimforcewraps）；行内代码与文件名可以在下划线、括号、等号之后折行。
    最早有 109 处（最宽 1588pt）；长表折行之后 63 处（最宽 177pt），到第 0.2.0 版的内容增至 83 处
    （50pt 以上 23 处，最宽 177pt）；代码折行等之后 29 处，最宽 20pt（表格中的数字与长单词）。
    阈值就是现在的数目：新内容不应让它变多。"""
    widths = _overfull_widths(pdf_path)
    big = [w for w in widths if w > 10]
    assert len(big) <= OVERFULL_MAX, (len(big), sorted(big)[-5:])
    assert max(widths, default=0) < OVERFULL_WIDEST_PT, sorted(widths)[-5:]


OVERFULL_MAX = 29
OVERFULL_WIDEST_PT = 21


def test_running_header_is_tall_enough(pdf_path):
    """页眉的高度够用：fancyhdr 不再警告 \\headheight 太小（否则每页都把版心往下推一点，页与页不齐）。"""
    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "headheight is too small" not in log


def _loose_chinese_lines(pdf_path) -> list[str]:
    """LaTeX 报告为 Underfull 的正文行（宋体汉字）：字距被拉开的行。"""
    import re

    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"Underfull \\hbox \(badness \d+\) in paragraph at lines (\d+)--\d+\s*\n(.{0,120})", log)
    return [f"{line}: {ctx}" for line, ctx in found if "NotoSerifCJK" in ctx]


def test_few_letter_spaced_chinese_lines(pdf_path):
    """中文行很少被拉开字距：长表每列至少容得下内容，
    表格单元格左对齐（tabulary 的 T 列与给定列宽的 \\X 列），行内代码可以折行。这样做之前有 689 行，
    之后 18 行（多是含长代码的“自查”行）；含长行内代码的中文段落左对齐（RaggedCodeParagraphs）之后，
    加上新的南北差距一章，只剩 1 行。"""
    loose = _loose_chinese_lines(pdf_path)
    assert len(loose) <= LOOSE_LINES_MAX, (len(loose), loose[:5])


LOOSE_LINES_MAX = 1

#: 每章末尾依次是这几节（规则第 7 条）；参考文献在其后。
CHAPTER_END_SECTIONS = ["小结", "关键术语", "习题", "延伸阅读"]


def test_every_chapter_ends_with_the_same_sections_in_order(pdf_path):
    """PDF 中每一章（四个部分的各章）都有小结、关键术语、习题、延伸阅读四节，依此顺序；附录中有其中
    几节的，顺序也相同。按 PDF 文字中的节标题（“3.6 小结”）检查，目录中的行带点线，不算。"""
    import re

    text = pdf_text(pdf_path)
    found: dict[int, list[tuple[int, str]]] = {}
    names = "|".join(CHAPTER_END_SECTIONS)
    for m in re.finditer(rf"^(\d+)\.(\d+) ({names})$", text, re.M):
        found.setdefault(int(m.group(1)), []).append((int(m.group(2)), m.group(3)))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    n_chapters = sum(len(p.get("chapters", [])) for p in toc.get("parts", []) if p["caption"].startswith("第"))
    assert n_chapters >= 10
    for chapter in range(1, n_chapters + 1):
        got = [name for _, name in sorted(found.get(chapter, []))]
        assert got == CHAPTER_END_SECTIONS, (chapter, got)
    for chapter, sections in found.items():
        got = [name for _, name in sorted(sections)]
        assert got == [s for s in CHAPTER_END_SECTIONS if s in got], (chapter, got)
        assert len(got) == len(set(got)), (chapter, got)


def test_chapter_reference_notes_close_the_further_reading(pdf_path):
    """PDF 把全书引用的文献集中印在书末；各章不再有只剩一句话的“参考文献”一节（它常常独占一页），
    说明“以上引用的 n 种文献列在书末……”印在延伸阅读一节的末尾，在下一章开始之前。"""
    import re

    text = pdf_text(pdf_path)
    assert not re.search(r"^\d+\.\d+ 参考文献$", text, re.M)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    n_chapters = sum(len(p.get("chapters", [])) for p in toc.get("parts", []) if p["caption"].startswith("第"))
    # 四个部分的各章（附录中的“参考文献”页本身就是文献表，不在此列）
    heads = [m for m in re.finditer(r"^(\d+)\.\d+ 延伸阅读$", text, re.M) if int(m.group(1)) <= n_chapters]
    assert len(heads) >= 10
    for m in heads:
        nxt = re.search(r"^第\s*\d+\s*章$|^第[一二三四五六七八九十]+部分|^附录|^参考文献$", text[m.end():], re.M)
        chunk = _squash(text[m.end():m.end() + (nxt.start() if nxt else 20000)])
        assert "以上引用的" in chunk, (m.group(0), chunk[-80:])


def test_titles_do_not_leave_one_or_two_characters_on_the_last_line(pdf_path):
    """章题与部分题折行时不把最后一两个字单独留在一行（“……以地方为本还是以人为 / 本”）。"""
    import re

    text = "\n".join(_squash(line) for line in pdf_text(pdf_path).splitlines())
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    # 部分题以“第某部分”开头；章题前一行是“第 N 章”（只查章首页，不查表格中引到的章名）
    titles = [("", p["caption"]) for p in toc.get("parts", [])]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            src = (ROOT / f"{chapter['file']}.md").read_text(encoding="utf-8")
            titles.append(("章\n", re.search(r"^# (.+)$", src, re.M).group(1)))
    assert len(titles) >= 15
    for before, title in ((b, _squash(t)) for b, t in titles if len(_squash(t)) > 6):
        assert f"{before}{title[:4]}" in text, title  # 标题确实印在那里（否则下面的检查是空的）
        for k in (1, 2):
            assert f"{before}{title[:-k]}\n{title[-k:]}\n" not in text, title


def test_print_figures_have_text_of_at_least_7pt():
    """各章的图宽度不一，印进版心时缩小；plots.legible 把缩小后小于 7 磅的字放大到 7 磅
    （内核、网页与 PDF 中是同一张图）。13 英寸宽的图上 5 磅的标注原来只印出 2.4 磅。"""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from quyu import plots

    plots.setup()
    for size in [(13, 13), (9.6, 4.0), (7.2, 4.0), (5, 3)]:
        fig, ax = plt.subplots(figsize=size)
        ax.plot([1978, 2024], [0.2, 0.5], label="东部地区")
        ax.text(2000, 0.3, "标注", fontsize=5)
        ax.legend(fontsize=6)
        ax.set_title("标题", fontsize=9)
        before = min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text()) * plots.print_scale(fig)
        plots.legible(fig)
        texts = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
        printed = min(t.get_fontsize() for t in texts) * plots.print_scale(fig)
        assert printed >= plots.MIN_PRINT_PT - 0.01, (size, printed)
        if size[0] > 8:
            assert before < 6.5, (size, before)  # 宽图原来确实印得太小：这个检查不是空的
        assert ax.title.get_fontsize() >= 9  # 本来够大的字不缩小
        plt.close(fig)


def test_pages_do_not_run_past_the_footer(pdf_path):
    """表格、组件的图与框里的代码不伸出页底（LaTeX 的 Overfull \\vbox：不能跨页的东西整块排在一页上，
    下面的行印到页脚之下、读者看不到）。正文中多于 12 行或字多的表改用可跨页的 longtable 之前，超出 40pt
    的有 9 处（最多 939pt）；之后还剩第 16 章的对照表（245pt，行少而字多）与附录中一个解答框的代码
    （40pt，压进页脚）。现在字多的表也跨页，框里不长的代码块放不下时整块换页，所有超出都在 TALL_PT 以内。"""
    import re

    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    tall = [float(h) for h in re.findall(r"Overfull \\vbox \(([\d.]+)pt too high\)", log) if float(h) > TALL_PT]
    assert tall == [], sorted(tall)


#: 伸出页底不到这么多（pt，约半行）看不出来
TALL_PT = 6


def test_ragged_right_only_for_chinese_paragraphs_with_long_code():
    """左对齐的判断：中文段落里有长行内代码才左对齐；短代码或纯英文段落照常两端对齐。"""
    from docutils import nodes

    from quyu.sphinxext import LONG_INLINE_CODE, ragged_in_print

    def para(*parts):
        p = nodes.paragraph()
        for part in parts:
            p += part
        return p

    long_code = nodes.literal(text='check("ex-p4ns-1", [s0, s1])')
    assert len(long_code.astext()) >= LONG_INLINE_CODE
    assert ragged_in_print(para(nodes.Text("自查：在 Jupyter 中运行 "), long_code))
    assert not ragged_in_print(para(nodes.Text("自查：运行 "), nodes.literal(text="check()")))
    assert not ragged_in_print(para(nodes.Text("Run "), nodes.literal(text='check("ex-p4ns-1", [s0, s1])')))


def test_print_column_widths_fit_every_unbreakable_number():
    """PDF 表格的列宽：每一列放得下它最长的数字或英文词（否则 0.069 被截成“0.06(”），省名至少两个字一行；
    放不下时改用小一号的字，总宽不超过那个字号的版心。"""
    from quyu.sphinxext import (PRINT_FOOTNOTESIZE_LINE_UNITS, PRINT_LINE_UNITS, PRINT_SMALL_LINE_UNITS,
                                TABLE_CELL_PADDING, column_widths)

    cells = [["", "年份", "单元数", "变异系数", "泰尔 T", "组间占比", "最大最小比", "对数标准差", "最高", "最低", "单位"],
             ["中国", "2021", "31", "0.395", "0.069", "47.5%", "4.77", "0.377", "北京 202,607", "甘肃 42,509", "元/人"],
             ["欧盟", "2021", "242", "0.501", "0.121", "70.7%", "16.59", "0.554", "Luxembourg（卢森堡）112,800",
              "Yuzhen tsentralen（保加利亚）6,800", "欧元/人"]]
    widths, size = column_widths(cells)
    line = {"": PRINT_LINE_UNITS, "small": PRINT_SMALL_LINE_UNITS, "footnotesize": PRINT_FOOTNOTESIZE_LINE_UNITS}[size]
    assert sum(widths) <= line
    for i, w in enumerate(widths):
        longest = max(len(tok) for row in cells for tok in re.findall(r"[\x21-\x7e]+", row[i]) or [""])
        assert w >= min(longest, 22) + TABLE_CELL_PADDING, (i, w)
    assert widths[0] >= 4 + TABLE_CELL_PADDING          # 中国、欧盟：两个字一行
    narrow = column_widths([["a", "b"], ["1", "2"]])
    assert narrow[1] == "" and sum(narrow[0]) <= PRINT_LINE_UNITS


def test_dataframes_print_as_tables_not_as_monospaced_text():
    import pandas as pd

    from quyu import page

    df = pd.DataFrame({"source_id": [f"s_{i}" for i in range(100)], "table": ["分省 | 年度"] * 100})
    md = page.dataframe_markdown(df)
    rows = [ln for ln in md.splitlines() if ln.startswith("|")]
    assert len(rows) == 2 + pd.get_option("display.min_rows") + 1      # header, rule, head, …, tail
    assert "| … |" in md and "分省 \\| 年度" in md and "| s_0 |" in md


def test_the_preface_has_its_title_and_its_own_running_footer(pdf_path):
    """书首（前言）在 PDF 中有章题，页脚印“前言”而不是上一页的“目录”；它的“参考文献”标题与说明不单独占页。"""
    import subprocess

    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True,
                                                       text=True).stdout).group(1))
    first = next(p for p in range(1, min(n, 40)) if "这本书写给谁" in _pages(pdf_path, p, p))
    text = _pages(pdf_path, first, first)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert "前言" in lines[:6], lines[:6]
    assert not any(ln.startswith("目录") for ln in lines[-3:]), lines[-3:]
    preface = _pages(pdf_path, first, first + 3)
    assert "以上引用的" not in preface.split("第一部分")[0]
