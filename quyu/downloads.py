"""数据下载：每张关键表、每个组件显示的数字都可以下载为 CSV，不写代码也能做练习。

- **组件**：网页脚本（``quyu/static/quyu-widgets.js``）按当前选项从页面中已有的数据生成 CSV，
  不另带数据。
- **表**（``quyu.page.glue_table`` / ``quyu.plots.glue_table``）：粘贴的输出除了 Markdown 表格，
  还带一份 CSV（MIME 类型 :data:`CSV_MIME`）；Markdown 表格的表头里有一个看不见的标记
  ``<span class="quyu-csv" data-key="…">``。构建结束后 :mod:`quyu.site` 把 CSV 写成
  ``_downloads/quyu/<key>.csv``，并在网页中表格的下方加上下载链接。
- **图**（matplotlib）：:func:`glue_figure_data` 把图中画出的数字登记为同样的 CSV，
  在图的下方加链接（网页中以 ``{glue:md}`` 引用其链接文字）。

文件一律是 UTF-8 带 BOM（电子表格能正确识别中文）、中文列名（含单位），第一行是说明
（数据版本与来源）。
"""
from __future__ import annotations

import csv
import io
import math
import re

#: 粘贴输出中携带 CSV 的 MIME 类型（myst-nb 不显示它，只由构建后的步骤读取）。
CSV_MIME = "text/vnd.quyu.csv"

#: 说明行的默认文字：没有另给说明时使用。
DEFAULT_NOTE = ("数值由本书根据国家统计局等官方统计计算；数据版本与出处见正文中本表的表注，"
                "以及附录“数据与来源”。")

_NUMBER = re.compile(r"^[+\-−]?[\d,]+(\.\d+)?$")


def plain(value):
    """表格中的一个单元格 → CSV 中的值：已格式化的数字（“1,234.5”“−0.12”）还原为数，其他原样。"""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.match(text):
            return text.replace(",", "").replace("−", "-").lstrip("+")
        return value
    return value


def frame_of(table, index: bool = False):
    """DataFrame 或 Styler → (要写进 CSV 的 DataFrame, 是否写出行索引)。

    Styler 取其原始数据（不取格式化后的文字），按其隐藏设置去掉行列与索引。"""
    from pandas.io.formats.style import Styler

    if not isinstance(table, Styler):
        return table, index
    df = table.data
    hidden_cols = list(getattr(table, "hidden_columns", []) or [])
    if hidden_cols:
        df = df.drop(columns=df.columns[hidden_cols])
    hidden_rows = list(getattr(table, "hidden_rows", []) or [])
    if hidden_rows:
        df = df.drop(index=df.index[hidden_rows])
    return df, not all(getattr(table, "hide_index_", [False]))


def csv_text(df, *, note: str = DEFAULT_NOTE, title: str = "", index: bool = False) -> str:
    """DataFrame → CSV 文字（UTF-8 带 BOM；第一行是以 # 开头的说明，其后是表头与数据）。"""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"# {title + '；' if title else ''}说明：{note}"])
    columns = [str(c) for c in df.columns]
    if index:
        name = df.index.name or "项目"
        columns = [str(name)] + columns
    writer.writerow(columns)
    for label, row in zip(df.index, df.itertuples(index=False)):
        cells = [plain(v) for v in row]
        writer.writerow(([plain(label)] if index else []) + cells)
    if df.empty:
        writer.writerow(["# 这张表没有数据。"])
    return "\ufeff" + buf.getvalue()


class GluedTable:
    """粘贴用的表格输出：Markdown 表格（带下载标记）+ CSV。"""

    def __init__(self, key: str, markdown: str, table, index: bool = False, note: str = DEFAULT_NOTE):
        self.key = key
        self.markdown = _mark(markdown, key)
        df, show_index = frame_of(table, index)
        self.csv = csv_text(df, note=note, index=show_index)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": self.markdown, CSV_MIME: self.csv, "text/plain": f"表 {self.key}"}


def _mark(markdown: str, key: str) -> str:
    """在 Markdown 表格第一个表头单元格末尾加上看不见的下载标记（只进网页，PDF 中忽略）。"""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("|"):
            cells = line.split("|")
            if len(cells) > 2:
                cells[1] = cells[1].rstrip() + f' <span class="quyu-csv" data-key="{key}"></span> '
                lines[i] = "|".join(cells)
            break
    return "\n".join(lines)


def glue_table_with_csv(key: str, markdown: str, table, index: bool = False, note: str = DEFAULT_NOTE) -> None:
    """``glue_table`` 的实现：粘贴 Markdown 表格，同时带上它的 CSV。"""
    from myst_nb import glue

    glue(key, GluedTable(key, markdown, table, index=index, note=note), display=False)


class FigureData:
    """粘贴用的“图的数据”输出：一行下载链接的 Markdown + CSV（链接地址由构建后的步骤填入）。"""

    def __init__(self, key: str, df, note: str, title: str = ""):
        self.key = key
        self.csv = csv_text(df, note=note, title=title, index=False)

    def _repr_mimebundle_(self, include=None, exclude=None):
        md = f'<span class="quyu-csv quyu-csv-figure" data-key="{self.key}"></span>'
        return {"text/markdown": md, CSV_MIME: self.csv, "text/plain": f"图的数据 {self.key}"}


def glue_figure_data(key: str, df, *, note: str = DEFAULT_NOTE, title: str = "") -> None:
    """把一张 matplotlib 图中画出的数字登记为 CSV（``df``：中文列名含单位，行是图中的点）。

    正文中在图的下方写 ``{glue:md}`key```，网页中那里出现“下载本图数据（CSV）”的链接；
    PDF 中不显示。"""
    from myst_nb import glue

    glue(key, FigureData(key, df, note=note, title=title), display=False)
