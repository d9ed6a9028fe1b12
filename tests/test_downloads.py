"""数据下载：CSV 的格式（BOM、中文列名、说明行）；构建出的网站中每张粘贴的表都有 CSV，
数字与网页上的表一致；网站提供可安装的 wheel，下载的笔记本没有输出、以安装单元格开头。"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from quyu import downloads, notebook, site


def test_csv_text_has_bom_note_and_plain_numbers():
    df = pd.DataFrame({"地区": ["东部", "西部"], "人均 GDP（元）": ["1,234.5", "−12"], "比值": [1.5, float("nan")]})
    text = downloads.csv_text(df, note="四经普修订；国家统计局")
    assert text.startswith("\ufeff# 说明：四经普修订；国家统计局")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["地区", "人均 GDP（元）", "比值"]
    assert rows[2] == ["东部", "1234.5", "1.5"] and rows[3] == ["西部", "-12", ""]


def test_glued_table_carries_csv_and_is_found_by_its_text():
    df = pd.DataFrame({"地区": ["东部"], "份额": [0.52]})
    md = "| 地区 | 份额 |\n|---|---|\n| **东部** | 52.0% |"
    bundle = downloads.GluedTable("k1", md, df)._repr_mimebundle_()
    assert bundle["text/markdown"] == md and "0.52" in bundle[downloads.CSV_MIME]
    html_table = ('<table><thead><tr><th><p>地区</p></th><th><p>份额</p></th></tr></thead>'
                  '<tbody><tr><td><p><strong>东部</strong></p></td><td><p>52.0%</p></td></tr></tbody></table>')
    assert site._markdown_signature(md) == site._html_signature(html_table)


def _table_cells(html_table: str) -> list[list[str]]:
    rows = []
    for tr in re.findall(r"<tr.*?</tr>", html_table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def _number(text: str):
    t = text.replace(",", "").replace("−", "-").replace("%", "").replace("✓", "").strip()
    try:
        return float(t), (len(t.split(".")[1]) if "." in t else 0), "%" in text
    except ValueError:
        return None


def test_every_glued_table_has_its_csv_and_the_numbers_match(html_dir):
    pages = [p for p in html_dir.rglob("*.html") if "_static" not in p.parts]
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r'(<table\b(?:(?!</table>).)*</table>)<p class="quyu-csv-link">'
                             r'<a href="([^"]+)" download>', text, flags=re.S):
            csv_path = (page.parent / m.group(2)).resolve()
            assert csv_path.exists(), csv_path
            raw = csv_path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")
            rows = [r for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) if r and not r[0].startswith("#")]
            shown = _table_cells(m.group(1))
            assert len(rows) == len(shown), (page.name, csv_path.name)
            for r_csv, r_html in zip(rows[1:], shown[1:]):
                assert len(r_csv) == len(r_html), (csv_path.name, r_csv, r_html)
                for c_csv, c_html in zip(r_csv, r_html):
                    parsed = _number(c_html)
                    if parsed is None or c_csv == "":
                        continue
                    value, digits, percent = parsed
                    as_text = _number(c_csv)
                    assert as_text is not None, (csv_path.name, c_csv, c_html)
                    v = as_text[0]
                    ok = {round(v, digits), round(v * 100, digits)} if percent and not as_text[2] else {round(v, digits)}
                    assert any(abs(o - value) < 10 ** -digits * 0.51 for o in ok), (csv_path.name, c_csv, c_html)
            checked += 1
    # 每张粘贴的表都在网页中找到了
    glued = len(list((html_dir / site.DOWNLOADS).glob("*.csv")))
    assert checked >= glued > 0, (checked, glued)


def test_site_offers_the_wheel_and_notebooks_without_outputs(html_dir):
    wheel = html_dir / site.DOWNLOADS / site.wheel_name()
    assert wheel.exists()
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "quyu/_data/datapackage.json" in names and "quyu/answers.json" in names
        assert "quyu/static/quyu-widgets.js" in names
        meta = z.read(f"quyu-{site._project()[0]}.dist-info/METADATA").decode()
        assert "Requires-Dist: pandas" in meta
    instructors = (html_dir / "book" / "appendix" / "instructors.html").read_text(encoding="utf-8")
    assert f'href="../../{site.DOWNLOADS}/{wheel.name}"' in instructors
    notebooks = list((html_dir / "_sources").rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c["outputs"] and c["execution_count"] is None for c in code), path.name
        assert "pip" in "".join(code[0]["source"]) and wheel.name in "".join(code[0]["source"])
        assert path.stat().st_size < 200_000, (path.name, path.stat().st_size)


def test_widgets_show_their_printed_figure_without_javascript(html_dir):
    pages = [p for p in html_dir.rglob("*.html") if "quyu-widget-data" in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("没有含组件的页面")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        blocks = re.findall(r"<noscript>.*?</noscript>", text, flags=re.S)
        widgets_here = text.count('class="quyu-widget"')
        imgs = [re.search(r'<img class="quyu-print" src="([^"]+)" alt="([^"]+)"', b) for b in blocks
                if "quyu-noscript" in b]
        assert len(imgs) == widgets_here and all(imgs), page.name
        for m in imgs:
            png = (page.parent / m.group(1)).resolve()
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_launch_buttons_are_off_for_the_placeholder_repository():
    assert notebook.launch_options("https://github.com/quyu-book/quyu")["binderhub_url"] == ""
    on = notebook.launch_options("https://github.com/someone/quyu-book")
    assert on["binderhub_url"] and on["colab_url"]


def test_repository_buttons_follow_the_same_rule_as_launch_buttons():
    """仓库、问题、编辑按钮与启动按钮由同一个判断（notebook.published）决定。"""
    opts = {"repository_url": "https://github.com/quyu-book/quyu", "use_repository_button": True,
            "use_issues_button": True, "use_edit_page_button": True, "launch_buttons": {"thebe": False}}
    off = notebook.repository_options(opts)
    assert not any(off[b] for b in notebook.REPOSITORY_BUTTONS) and "repository_url" not in off
    assert off["launch_buttons"]["binderhub_url"] == "" and opts["use_issues_button"] is True   # 不改动传入的 dict
    on = notebook.repository_options({**opts, "repository_url": "https://github.com/someone/quyu-book"})
    assert all(on[b] for b in notebook.REPOSITORY_BUTTONS) and on["launch_buttons"]["binderhub_url"]
    for url in ("", "https://github.com/quyu-book/quyu/", "https://example.org/quyu"):
        assert not notebook.published(url), url


def test_built_pages_have_no_launch_buttons_while_placeholder(html_dir):
    text = (html_dir / "book" / "part2" / "results.html").read_text(encoding="utf-8")
    assert "mybinder" not in text and "colab.research" not in text
    # 仓库、问题、编辑按钮同样不出现（链接检查 tests/test_links.py 也不许任何指向占位仓库的链接）
    assert "repository-button" not in text and "issues-button" not in text and "edit-button" not in text


def test_every_figure_has_its_data_file(html_dir):
    """每张 matplotlib 图（单元格输出中的 PNG）下方都有“下载本图数据（CSV）”，文件存在且有数。"""
    missing, checked = [], 0
    for page in html_dir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r'<img [^>]*src="([^"]+\.png)"[^>]*>(<span class="quyu-csv-link[^"]*">'
                             r'<a href="([^"]+)" download>)?', text):
            if "_images/" not in m.group(1) or "quyu-print" in m.group(0):
                continue
            if not m.group(3):
                missing.append(f"{page.relative_to(html_dir)}: {m.group(1)}")
                continue
            path = (page.parent / m.group(3)).resolve()
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf"), path.name
            rows = [r for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) if r and not r[0].startswith("#")]
            assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows[1:2]), path.name
            checked += 1
    assert not missing, "\n".join(missing)
    assert checked > 0


def test_figure_csv_holds_exactly_the_plotted_numbers():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from quyu import data, plots

    p = data.panel("census2018")
    east = p[p["region4"] == "east"].groupby("year")["gdp"].sum()
    fig, (ax1, ax2) = plt.subplots(1, 2)
    ax1.plot(east.index, east.values, label="东部")
    ax1.axvline(2012)                      # 参考线不是数据
    ax1.set_ylabel("亿元")
    ax2.bar(["东部", "西部"], [1.5, 2.5])
    text = downloads.figure_csv(fig)
    plt.close(fig)
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))]
    assert rows[0][0].startswith("# 说明")
    assert rows[1] == ["年份", "东部（亿元）"]
    body = [r for r in rows[2:2 + len(east)]]
    assert [int(r[0]) for r in body] == list(east.index)
    assert [float(r[1]) for r in body] == [float(v) for v in east.values]
    assert ["东部", "1.5"] in rows and ["西部", "2.5"] in rows
    pie = plt.figure()
    assert downloads.figure_csv(pie) is None
    plt.close(pie)


def test_for_download_strips_outputs_and_adds_the_install_cell():
    executed = {"cells": [{"cell_type": "code", "id": "a", "metadata": {"execution": {"x": 1}}, "execution_count": 3,
                           "source": "1 + 1", "outputs": [{"output_type": "execute_result", "data": {"text/plain": "2"},
                                                           "metadata": {}, "execution_count": 3}]}],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                             "widgets": {"big": "x" * 1000}},
                "nbformat": 4, "nbformat_minor": 4}
    nb = json.loads(notebook.for_download(json.dumps(executed), wheel="quyu-9.9-py3-none-any.whl"))
    assert [c["cell_type"] for c in nb["cells"]] == ["markdown", "code", "code"]
    assert "quyu-9.9-py3-none-any.whl" in nb["cells"][1]["source"]
    assert nb["cells"][2]["outputs"] == [] and nb["cells"][2]["execution_count"] is None
    assert "execution" not in nb["cells"][2]["metadata"]
    assert set(nb["metadata"]) == {"kernelspec"}
    import nbformat

    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
