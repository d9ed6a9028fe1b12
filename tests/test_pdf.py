"""PDF：中文可检索、可复制；书名与各部分标题都在。"""
from __future__ import annotations

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


def test_few_overfull_lines(pdf_path):
    """LaTeX 日志中伸出版心超过 10pt 的行不多：长表按内容分配列宽、可以折行（WrapLongTables）。
    这样做之前有 109 处（50pt 以上 53 处，最宽 1588pt），之后 63 处（50pt 以上 8 处，最宽 177pt，
    都是代码块中的长行）。阈值就是现在的数目：新内容不应让它变多。"""
    import re

    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    big = [w for w in widths if w > 10]
    assert len(big) <= OVERFULL_MAX, (len(big), sorted(big)[-5:])
    assert max(widths, default=0) < 200


OVERFULL_MAX = 63
