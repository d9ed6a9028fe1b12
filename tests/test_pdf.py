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
