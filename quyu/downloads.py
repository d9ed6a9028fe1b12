"""数据下载：每张关键表、每张图、每个组件显示的数字都可以下载为 CSV，不写代码也能做练习。

- **组件**：网页脚本（``quyu/static/quyu-widgets.js``）按当前选项从页面中已有的数据生成 CSV，
  不另带数据。
- **表**（``quyu.page.glue_table``）：粘贴的输出除了 Markdown 表格，
  还带一份 CSV（MIME 类型 :data:`CSV_MIME`，网页不显示）。构建结束后 :mod:`quyu.site` 把它写成
  ``_downloads/quyu/<key>.csv``，按表格的文字在网页中找到这张表，在其下方加上下载链接。
- **图**（matplotlib）：:func:`register_figure_csv` 让每张显示的图多带一份 CSV（图中画出的线、柱、
  散点的数值，由 :func:`figure_csv` 从图中读出；方格地图用 ``ax._quyu_data``），构建后同样在图的
  下方加链接。章节不需要任何改动。

文件一律是 UTF-8 带 BOM（电子表格能正确识别中文）、中文列名（含单位），第一行是说明
（数据版本与来源）。多层行索引（MultiIndex）的每一层各占一列（电子表格中可以按任何一层筛选、排序）；
多层列名只有一行表头，各层用“ · ”连成一个可读的列名。

表的键与图的名称会成为文件名（``_downloads/quyu/<键>.csv``）：只许 ASCII 字母、数字、``_``、``-``、``.``，
见 :func:`file_stem`；不合规时给出点名的中英文错误。取不到一张图的数据（:func:`figure_csv` 出错）时，
图的输出带上一条错误记录（:data:`CSV_ERROR`），构建后的步骤据此使构建失败并点出这张图。
"""
from __future__ import annotations

import csv
import io
import math
import re

from .errors import BookError

#: 粘贴输出中携带 CSV 的 MIME 类型（myst-nb 不显示它，只由构建后的步骤读取）。
CSV_MIME = "text/vnd.quyu.csv"

#: 说明行的默认文字：没有另给说明时使用。
DEFAULT_NOTE = ("数值由本书根据国家统计局等官方统计计算；数据版本与出处见正文中本表的表注，"
                "以及附录“数据与来源”。")

#: 已格式化的数：可带千位分隔（必须是规范的三位一组，如 1,234,567.8）；“2020,2021”这样的列举不是数。
_NUMBER = re.compile(r"^[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")

#: 文件名中允许的键与图名：ASCII 字母或数字开头，其后字母、数字、_ - .，至多 100 个字符，不含“..”。
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")

#: 图的 CSV 取不到时，图的输出中 CSV_MIME 的内容以此开头，其后是错误说明（构建后的步骤据此失败）。
CSV_ERROR = "# quyu-figure-csv-error: "


def file_stem(name, what: str = "表的键") -> str:
    """检查将要成为文件名的键或图名（``_downloads/quyu/<name>.csv``）：只许 ASCII 字母、数字、``_``、``-``、
    ``.``，以字母或数字开头，不含 ``..``，至多 100 个字符。不合规时抛出点名的 :class:`BookError`。"""
    text = str(name) if name is not None else ""
    if isinstance(name, str) and _SAFE_NAME.fullmatch(text) and ".." not in text:
        return text
    what_en = {"表的键": "table key", "图的名称": "figure name"}.get(what, what)
    raise BookError(
        f"{what}“{text}”不能用作下载文件的文件名：只能用 ASCII 字母、数字、下划线、连字符和点，"
        "以字母或数字开头，不含“..”与路径分隔符，至多 100 个字符。",
        f"{what_en} {text!r} cannot be used as a download file name: use ASCII letters, digits, '_', '-' and '.', "
        "starting with a letter or digit, without '..' or path separators, at most 100 characters.")


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


def _column_name(label) -> str:
    """列名：多层列名（元组）的各层用“ · ”连起来，略去空的层（电子表格只有一行表头）。"""
    if isinstance(label, tuple):
        parts = [str(p) for p in label if p is not None and str(p).strip() and not
                 (isinstance(p, float) and math.isnan(p))]
        return " · ".join(parts)
    return str(label)


def _index_names(index) -> list[str]:
    """行索引各层的列名：有名字用名字，没有时单层为“项目”，多层为“项目 1”“项目 2”……"""
    names = list(index.names)
    if len(names) == 1:
        return [str(names[0]) if names[0] is not None else "项目"]
    return [str(n) if n is not None else f"项目 {i + 1}" for i, n in enumerate(names)]


def csv_text(df, *, note: str = DEFAULT_NOTE, title: str = "", index: bool = False) -> str:
    """DataFrame → CSV 文字（UTF-8 带 BOM；第一行是以 # 开头的说明，其后是表头与数据）。

    ``index=True`` 时写出行索引；多层行索引每层一列。多层列名各层用“ · ”连成一个列名。"""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"# {title + '；' if title else ''}说明：{note}"])
    columns = [_column_name(c) for c in df.columns]
    levels = df.index.nlevels
    if index:
        columns = _index_names(df.index) + columns
    writer.writerow(columns)
    for label, row in zip(df.index, df.itertuples(index=False)):
        cells = [plain(v) for v in row]
        if index:
            labels = list(label) if levels > 1 else [label]
            cells = [plain(v) for v in labels] + cells
        writer.writerow(cells)
    if df.empty:
        writer.writerow(["# 这张表没有数据。"])
    return "\ufeff" + buf.getvalue()


class GluedTable:
    """粘贴用的表格输出：Markdown 表格 + CSV（构建后按表格内容在网页中找到这张表）。"""

    def __init__(self, key: str, markdown: str, table, index: bool = False, note: str = DEFAULT_NOTE):
        self.key = file_stem(key, "表的键")
        self.markdown = markdown
        df, show_index = frame_of(table, index)
        self.csv = csv_text(df, note=note, index=show_index)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": self.markdown, CSV_MIME: self.csv, "text/plain": f"表 {self.key}"}


def glue_table_with_csv(key: str, markdown: str, table, index: bool = False, note: str = DEFAULT_NOTE) -> None:
    """``glue_table`` 的实现：粘贴 Markdown 表格，同时带上它的 CSV。"""
    from myst_nb import glue

    glue(key, GluedTable(key, markdown, table, index=index, note=note), display=False)


# ---------------------------------------------------------------- 每张 matplotlib 图的数据（自动）

FIGURE_NOTE = ("图中画出的数值，由本书根据国家统计局等官方统计计算；数据版本与出处见网页上本图的图注，"
               "以及附录“数据与来源”。")


def _axes_frames(ax):
    """一个坐标轴中画出的数：折线（Line2D）、柱（BarContainer）、散点（PathCollection）。
    ``ax._quyu_data``（DataFrame）存在时直接用它（例如方格地图，见 ``plots.tile_map``）。"""
    import numpy as np
    import pandas as pd

    own = getattr(ax, "_quyu_data", None)
    if own is not None:
        return [own]
    xlabel = ax.get_xlabel() or "横轴"
    ylabel = ax.get_ylabel()
    unit = f"（{ylabel}）" if ylabel else ""
    frames = []
    def is_data(ln) -> bool:
        """数据线：有图例标签的线；没有标签时，排除参考线（axvline 的 x 不变，axhline 的 y 不变）。"""
        x, y = np.atleast_1d(ln.get_xdata()), np.atleast_1d(ln.get_ydata())
        if len(x) < 2:
            return False
        if not str(ln.get_label()).startswith("_"):
            return True
        try:
            xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            return True
        return not (np.nanmin(xs) == np.nanmax(xs) or (len(ys) == 2 and ys[0] == ys[1]))

    lines = [ln for ln in ax.get_lines() if is_data(ln)]
    if lines:
        wide = None
        labels = []
        for ln in lines:
            label = str(ln.get_label())
            labels.append(None if label.startswith("_") else label)
        used = {xlabel, "年份"}   # 列名不能与横轴的列名相同
        for k, ln in enumerate(lines):
            x = [v.item() if hasattr(v, "item") else v for v in np.atleast_1d(ln.get_xdata())]
            y = np.asarray(ln.get_ydata(), dtype=float)
            label = labels[k]
            if label is None:
                label = ax.get_title() or ylabel or "数值"
                label = label if len(lines) == 1 else f"{label}（线 {k + 1}）"
            elif labels.count(label) > 1:   # 同名的线：按线的次序区分，不让一条线顶掉另一条
                label = f"{label}（线 {k + 1}）"
            base, n = label, 2
            while label + unit in used:
                label, n = f"{base}（{n}）", n + 1
            used.add(label + unit)
            name = label
            s = pd.Series(y, index=pd.Index(x, name=xlabel), name=name + unit)
            s = s[~s.index.duplicated()]
            wide = s.to_frame() if wide is None else wide.join(s, how="outer")
        if not ax.get_xlabel():
            years = [v for v in wide.index if isinstance(v, (int, float)) and float(v).is_integer()
                     and 1900 <= v <= 2100]
            if len(years) == len(wide.index):
                wide.index = wide.index.astype(int).rename("年份")
        frames.append(wide.reset_index())
    ticks = {round(float(t), 6): lab.get_text() for t, lab in zip(ax.get_xticks(), ax.get_xticklabels())}
    yticks = {round(float(t), 6): lab.get_text() for t, lab in zip(ax.get_yticks(), ax.get_yticklabels())}
    for k, cont in enumerate(getattr(ax, "containers", [])):
        patches = getattr(cont, "patches", None)
        if not patches:
            continue
        horizontal = getattr(cont, "orientation", "vertical") == "horizontal"
        rows = []
        for p in patches:
            if horizontal:
                pos = round(p.get_y() + p.get_height() / 2, 6)
                rows.append((yticks.get(pos, pos), p.get_width()))
            else:
                pos = round(p.get_x() + p.get_width() / 2, 6)
                rows.append((ticks.get(pos, pos), p.get_height()))
        label = str(cont.get_label())
        label = f"柱 {k + 1}" if not label or label.startswith("_") else label
        value_unit = ax.get_xlabel() if horizontal else ylabel
        frames.append(pd.DataFrame(rows, columns=["类别", label + (f"（{value_unit}）" if value_unit else "")]))
    for img in getattr(ax, "images", []):   # 热力图（imshow）：行、列取坐标轴的刻度文字
        arr = np.asarray(img.get_array(), dtype=float)
        if arr.ndim != 2:
            continue
        cols = [t.get_text() for t in ax.get_xticklabels()]
        rows = [t.get_text() for t in ax.get_yticklabels()]
        cols = cols if len(cols) == arr.shape[1] and all(cols) else [str(j) for j in range(arr.shape[1])]
        rows = rows if len(rows) == arr.shape[0] and all(rows) else [str(i) for i in range(arr.shape[0])]
        df = pd.DataFrame(arr, index=pd.Index(rows, name="行"), columns=cols)
        frames.append(df.reset_index())
    for k, coll in enumerate(ax.collections):
        if type(coll).__name__ != "PathCollection":
            continue
        off = np.asarray(coll.get_offsets(), dtype=float)
        if off.ndim != 2 or not len(off):
            continue
        label = str(coll.get_label())
        df = pd.DataFrame(off, columns=[xlabel, ylabel or "纵轴"])
        if label and not label.startswith("_"):
            df.insert(0, "系列", label)
        frames.append(df)
    return frames


def figure_csv(fig) -> str | None:
    """matplotlib 图 → CSV 文字（图中每个坐标轴的数据依次排列，以 # 行隔开）；没有可取的数时为 None。

    第一行的说明缺省为 :data:`FIGURE_NOTE`；图有 ``fig._quyu_note`` 时用它（例如理论模型的数值解）。"""
    parts = []
    for ax in fig.get_axes():
        if ax.get_label() == "<colorbar>":
            continue
        for df in _axes_frames(ax):
            if df is None or df.empty:
                continue
            title = ax.get_title() or ""
            parts.append((title, df))
    if not parts:
        return None
    note = getattr(fig, "_quyu_note", None) or FIGURE_NOTE   # 理论模型的图另给说明（数值不来自统计）
    out = ["\ufeff" + csv_text(parts[0][1], note=note, title=parts[0][0]).lstrip("\ufeff")]
    for title, df in parts[1:]:
        body = csv_text(df, note=f"子图：{title}" if title else "下一子图").lstrip("\ufeff")
        out.append(body)
    return "".join(out)


def register_figure_csv() -> None:
    """在 IPython 中为 matplotlib 图多登记一种输出（CSV_MIME）：网页不显示它，构建后的步骤据此
    在每张图下方加“下载本图数据（CSV）”。不在 IPython 中时什么也不做。

    matplotlib 的 inline 后端在载入时会清掉所有格式化器中为 Figure 登记的函数，所以先建一张空图
    （让后端载入）再登记，并在每个单元格运行前检查一次登记是否还在。"""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    import matplotlib.pyplot as plt

    plt.close(plt.figure())  # 先让 inline 后端完成它的设置（后端在第一次建图时才载入）

    _install_figure_csv(ip)
    if not getattr(ip, "_quyu_figure_csv_hook", False):
        ip.events.register("pre_run_cell", lambda *_: _install_figure_csv(ip))
        ip._quyu_figure_csv_hook = True


def _safe_figure_csv(fig):
    """图的 CSV；出错时不打断作图（在 Jupyter 中读者照样看到图），而是带上一条错误记录，
    构建后的步骤（``quyu.site.write_figure_csvs``）见到它就使构建失败，并点出这张图。"""
    try:
        return figure_csv(fig)
    except Exception as error:  # noqa: BLE001 - 记下来，由构建报告
        titles = [t for t in [fig.get_suptitle(), *(ax.get_title() for ax in fig.get_axes())] if t]
        where = f"（图题：{titles[0]}）" if titles else ""
        return f"{CSV_ERROR}{type(error).__name__}: {error}{where}"


def _install_figure_csv(ip) -> None:
    from matplotlib.figure import Figure

    formatters = ip.display_formatter.formatters
    formatter = formatters.get(CSV_MIME)
    if formatter is None:
        from IPython.core.formatters import BaseFormatter
        from traitlets import ObjectName, Unicode

        class _CSVFormatter(BaseFormatter):
            format_type = Unicode(CSV_MIME)
            print_method = ObjectName("_repr_quyu_csv_")

        formatter = _CSVFormatter(parent=ip.display_formatter)
        formatters[CSV_MIME] = formatter
    if CSV_MIME not in ip.display_formatter.active_types:  # 只输出 active_types 中列出的类型
        ip.display_formatter.active_types.append(CSV_MIME)
    if Figure not in formatter.type_printers:
        formatter.for_type(Figure, _safe_figure_csv)
