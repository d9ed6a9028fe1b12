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
from quyu.errors import BookError


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


def _run_install_cell(folder, wheel="quyu-9.9-py3-none-any.whl"):
    """在一个没有本书包的 Python 中（-I -S：不读 site-packages 与当前目录）运行下载笔记本的安装单元格。"""
    import subprocess
    import sys

    code = notebook.INSTALL_CODE.format(wheel=wheel)
    return subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=folder, capture_output=True, text=True,
                          timeout=120)


def test_install_cell_without_the_wheel_says_in_chinese_what_to_do(tmp_path):
    """wheel 不在笔记本旁边：一段中文说明（去哪里下载、放在哪个文件夹），没有 pip 的英文 traceback。"""
    done = _run_install_cell(tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "没有找到本书的 Python 包 quyu-9.9-py3-none-any.whl" in done.stdout
    assert "教师指南" in done.stdout and str(tmp_path) in done.stdout
    assert "Traceback" not in done.stdout + done.stderr and "ERROR" not in done.stdout + done.stderr


def test_install_cell_with_a_broken_wheel_explains_without_a_traceback(tmp_path):
    """wheel 在，但安装失败（这里：文件是坏的，环境里也没有 pip）：中文说明，附 pip 的最后几行，不抛异常。"""
    (tmp_path / "quyu-9.9-py3-none-any.whl").write_bytes(b"not a zip")
    done = _run_install_cell(tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "安装 quyu-9.9-py3-none-any.whl 没有成功" in done.stdout
    assert "Traceback" not in done.stdout


# ---------------------------------------------------------------- 坏输入：清楚的说明，不丢数据

@pytest.mark.parametrize("shown, value", [
    ("1,234,567.8", "1234567.8"), ("−1,234", "-1234"), ("+12,345", "12345"), ("2020", "2020"), ("0.25", "0.25"),
    ("2020,2021", "2020,2021"), ("12,34", "12,34"), ("1,2345", "1,2345"), ("1,234,56", "1,234,56"),
    (",123", ",123"), ("1,,234", "1,,234"), ("2012,2016,2021", "2012,2016,2021"),
])
def test_only_well_formed_thousands_groups_are_numbers(shown, value):
    """“2020,2021”是年份的列举，不是 20202021；只有规范的三位一组（1,234,567.8）才按数读。"""
    assert downloads.plain(shown) == value


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_lines_with_the_same_label_keep_both_series():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([2012, 2013, 2014], [1.0, 2.0, 3.0], label="东部")
    ax.plot([2012, 2013, 2014], [5.0, 6.0, 7.0], label="东部")
    ax.plot([2013, 2014], [9.0, 8.0], label="西部")
    ax.set_ylabel("万元")
    text = downloads.figure_csv(fig)
    assert downloads._safe_figure_csv(fig) == text      # 不再因同名的线而失败
    plt.close(fig)
    rows = _rows(text)
    header = rows[1]
    assert header[0] == "年份" and len(header) == len(set(header)) == 4
    assert header[1:] == ["东部（线 1）（万元）", "东部（线 2）（万元）", "西部（万元）"]
    assert rows[2:5] == [["2012", "1.0", "5.0", ""], ["2013", "2.0", "6.0", "9.0"], ["2014", "3.0", "7.0", "8.0"]]


def test_a_figure_whose_data_cannot_be_read_is_recorded_not_dropped(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    ax.set_title("人均 GDP 的差距")

    def broken(_fig):
        raise ValueError("columns overlap (simulated)")

    monkeypatch.setattr(downloads, "figure_csv", broken)
    record = downloads._safe_figure_csv(fig)
    plt.close(fig)
    assert record.startswith(downloads.CSV_ERROR)
    assert "columns overlap (simulated)" in record and "人均 GDP 的差距" in record


def _executed_book(tmp_path, cells, glued=None) -> Path:
    """一个最小的“构建结果”：_build/html 与 _build/jupyter_execute 中的笔记本（及粘贴的输出）。"""
    import nbformat

    outdir = tmp_path / "_build" / "html"
    outdir.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("plot()", metadata=meta, outputs=[nbformat.v4.new_output(
        "display_data", data=data)]) for meta, data in cells]
    target = tmp_path / "_build" / "jupyter_execute" / "book" / "part9" / "demo.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(nb, target)
    if glued is not None:
        (target.parent / "demo.glue.json").write_text(json.dumps(glued), encoding="utf-8")
    site._NOTEBOOKS.clear()
    return outdir


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_build_fails_naming_a_figure_whose_csv_could_not_be_written(tmp_path):
    good = ({"mystnb": {"figure": {"name": "fig-p9-good"}}},
            {"image/png": PNG, downloads.CSV_MIME: "\ufeff# 说明\r\n年份,值\r\n2012,1\r\n"})
    bad = ({"mystnb": {"figure": {"name": "fig-p9-broken"}}},
           {"image/png": PNG, downloads.CSV_MIME: downloads.CSV_ERROR + "ValueError: columns overlap"})
    outdir = _executed_book(tmp_path, [good, bad])
    with pytest.raises(BookError) as err:
        site.write_figure_csvs(outdir)
    message = str(err.value)
    assert "fig-p9-broken" in message and "book/part9/demo" in message and "第 2 张图" in message
    assert "columns overlap" in message and "could not be written" in message
    outdir = _executed_book(tmp_path / "ok", [good])
    found = site.write_figure_csvs(outdir)
    assert list(found.values()) == ["fig-p9-good.csv"]
    assert (outdir / site.DOWNLOADS / "figures" / "fig-p9-good.csv").exists()


@pytest.mark.parametrize("name", ["p2_regions", "fig-p2-tiles", "a3_tab_arith", "t1.v2", "X" * 100])
def test_good_keys_are_file_names(name):
    assert downloads.file_stem(name) == name


@pytest.mark.parametrize("name", ["../evil", "a/b", "a\\b", "", ".hidden", "a..b", "东部", "a b", "x" * 101,
                                  "-rf", "a\0b", "key\n", None, 3])
def test_bad_keys_are_refused_by_name(name):
    with pytest.raises(BookError) as err:
        downloads.file_stem(name, "表的键")
    assert f"“{'' if name is None else name}”" in err.value.zh and "表的键" in err.value.zh
    assert "table key" in err.value.en and repr("" if name is None else str(name)) in err.value.en


def test_glued_table_with_a_bad_key_fails_in_the_notebook():
    df = pd.DataFrame({"地区": ["东部"], "份额": [0.52]})
    with pytest.raises(BookError, match=r"\.\./p2_regions"):
        downloads.GluedTable("../p2_regions", "| 地区 | 份额 |", df)


def test_site_refuses_bad_keys_and_figure_names_and_writes_nothing_outside(tmp_path):
    csv_out = {"data": {"text/markdown": "| a |\n|---|\n| 1 |", downloads.CSV_MIME: "\ufeffa\r\n1\r\n"}}
    outdir = _executed_book(tmp_path, [], glued={"../../escaped": csv_out})
    with pytest.raises(BookError, match="escaped"):
        site.write_csvs(outdir)
    assert not list(tmp_path.rglob("escaped*"))
    bad_fig = ({"mystnb": {"figure": {"name": "../fig-out"}}},
               {"image/png": PNG, downloads.CSV_MIME: "\ufeffa\r\n1\r\n"})
    outdir = _executed_book(tmp_path / "fig", [bad_fig])
    with pytest.raises(BookError) as err:
        site.write_figure_csvs(outdir)
    assert "../fig-out" in str(err.value) and "book/part9/demo" in str(err.value)
    assert not list((tmp_path / "fig").rglob("fig-out*"))


def test_two_tables_with_one_key_do_not_overwrite_each_other(tmp_path):
    one = {"data": {"text/markdown": "| a |\n|---|\n| 1 |", downloads.CSV_MIME: "\ufeffa\r\n1\r\n"}}
    two = {"data": {"text/markdown": "| a |\n|---|\n| 2 |", downloads.CSV_MIME: "\ufeffa\r\n2\r\n"}}
    outdir = _executed_book(tmp_path, [], glued={"p9_tab": one, "P9_TAB": two})
    with pytest.raises(BookError, match="p9_tab"):
        site.write_csvs(outdir)
    outdir = _executed_book(tmp_path / "same", [], glued={"p9_tab": one})
    assert site.write_csvs(outdir)   # 同一张表（粘贴的输出与笔记本中的同一份）不算重复


def test_multiindex_rows_become_columns_and_column_levels_are_joined():
    """多层行索引每层一列（电子表格中可按任一层筛选、排序，与网页表格的列一致）；多层列名连成一行表头。"""
    idx = pd.MultiIndex.from_tuples([("东部", 2012), ("东部", 2021), ("西部", 2012)], names=["地区", "年份"])
    df = pd.DataFrame({"人均 GDP（元）": ["1,234.5", "2,345.6", "987.0"]}, index=idx)
    rows = _rows(downloads.csv_text(df, index=True))
    assert rows[1] == ["地区", "年份", "人均 GDP（元）"]
    assert rows[2:] == [["东部", "2012", "1234.5"], ["东部", "2021", "2345.6"], ["西部", "2012", "987.0"]]
    assert not any("(" in cell for row in rows for cell in row)
    unnamed = df.rename_axis([None, None])
    assert _rows(downloads.csv_text(unnamed, index=True))[1][:2] == ["项目 1", "项目 2"]
    cols = pd.DataFrame([[1.0, 2.0, 3.0]], columns=pd.MultiIndex.from_tuples(
        [("人均 GDP", "东部"), ("人均 GDP", "西部"), ("人口", "")]))
    rows = _rows(downloads.csv_text(cols))
    assert rows[1] == ["人均 GDP · 东部", "人均 GDP · 西部", "人口"] and rows[2] == ["1.0", "2.0", "3.0"]
    # 粘贴的 Styler（显示行索引）同样每层一列
    bundle = downloads.GluedTable("p9_multi", "| x |", df.style)._repr_mimebundle_()
    assert _rows(bundle[downloads.CSV_MIME])[1] == ["地区", "年份", "人均 GDP（元）"]
