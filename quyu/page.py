"""把计算结果放进页面：文字、表格与日期的 glue（各章共用，章节中不再自定义）。

    from quyu.page import glue_text, glue_table, date_zh, event_date

    glue_text("p1_peak_year", fmt.num(1990))     # 正文中写 {glue:md}`p1_peak_year`
    glue_table("p2_regions", df)                  # 正文中放在 {table} 指令里，得到“表 x.y”
    date_zh("2018-11-18")                         # → "2018 年 11 月 18 日"
    event_date("西部地区开发领导小组")              # policy_events.csv 中该事件的中文日期

表格的 Markdown 形式（:func:`table_markdown`、:func:`styler_markdown`）也在这里：PDF 中的表格
由 :func:`register_print_tables` 注册的格式输出。
"""
from __future__ import annotations

import re

from .errors import BookError


def glue_text(key: str, text) -> None:
    """把一段已格式化的文字粘贴（glue）为 ``key``；正文中用 ``{glue:md}`key``` 引用。"""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key, Markdown(str(text)), display=False)


def glue_table(key: str, table, index: bool = False) -> None:
    """把表格以 Markdown 粘贴为 ``key``；正文中这样引用，即可得到带编号和标题的表：

    ````
    ```{table} 表题
    :name: tab-…

    ```{glue:md} key
    :format: myst
    ```
    ```
    ````
    """
    from .downloads import glue_table_with_csv

    # 网页中表格下方另有“下载本表数据（CSV）”的链接（见 quyu.downloads）
    glue_table_with_csv(key, table_markdown(table, index=index), table, index=index)


def styler_markdown(styler) -> str:
    """pandas Styler → Markdown 表格（保留格式化后的数值）。

    Styler 只有 HTML 表示，PDF 中会印出对象的文字描述；注册这个格式后，
    LaTeX 构建选用 Markdown，网页仍用 HTML。
    """
    rows = [r.split("\x1f") for r in styler.to_string(delimiter="\x1f").strip("\n").split("\n")]
    head, body = rows[0], rows[1:]
    if body and head and head[0] == "" and all(c == "" for c in body[0][1:]):
        head, body = [body[0][0], *head[1:]], body[1:]  # 行索引的名称单独占一行：并入表头

    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    text = "\n".join([line(head), "|" + "---|" * len(head), *(line(r) for r in body)])
    caption = getattr(styler, "caption", None)
    return (f"**{caption}**\n\n" if caption else "") + text


def table_markdown(table, index: bool = False) -> str:
    """DataFrame 或 Styler → Markdown 表格文字（供 ``glue`` 后放进 ``{table}`` 指令，得到“表 x.y”编号）。

    DataFrame 的行索引默认不输出（``index=True`` 时输出）；Styler 按其自身的格式与隐藏设置输出。
    """
    from pandas.io.formats.style import Styler

    if not isinstance(table, Styler):
        table = table.style if index else table.style.hide(axis="index")
    return styler_markdown(table)


def dataframe_markdown(df) -> str:
    """单元格输出的 DataFrame → Markdown 表格（PDF 中印成真正的表格，而不是折行、拉开字距的等宽文字）。

    与 pandas 在网页中的显示一致：带行索引；行数超过 ``display.max_rows`` 时只列首尾各 ``display.min_rows``
    的一半，中间一行省略号。"""
    import pandas as pd

    max_rows, min_rows = pd.get_option("display.max_rows"), pd.get_option("display.min_rows") or 10
    precision = pd.get_option("display.precision")

    def cell(v):
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, float):   # 按 pandas 的显示精度取有效数字，不印出 0.30000000000000004
            return f"{v:.{precision}g}"
        return " ".join(str(v).split())

    shown = df.astype(object).map(cell)
    if max_rows and len(df) > max_rows:
        half = max(min_rows // 2, 1)
        gap = pd.DataFrame([["…"] * df.shape[1]], columns=df.columns, index=["…"])
        shown = pd.concat([shown.head(half), gap, shown.tail(half)])
    return table_markdown(shown, index=True)


def register_print_tables() -> None:
    """让 pandas Styler 与 DataFrame 在 LaTeX/PDF 构建中以 Markdown 表格输出（由 ``plots.setup`` 调用）；
    网页仍用 HTML（myst-nb 在网页中优先选 HTML，在 PDF 中优先选 Markdown）。"""
    try:
        from IPython import get_ipython
        from pandas.io.formats.style import Styler
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is not None:
        import pandas as pd

        shell.display_formatter.formatters["text/markdown"].for_type(Styler, styler_markdown)
        shell.display_formatter.formatters["text/markdown"].for_type(pd.DataFrame, dataframe_markdown)



_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def date_en(value) -> str:
    """ISO 形式的日期 → 英文版的写法（``2026-12-04`` → ``4 December 2026``；只有年月、只有年时同样省略）。

    >>> date_en("2026-12-04"), date_en("2019-02"), date_en("2016")
    ('4 December 2026', 'February 2019', '2016')
    """
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    m = _DATE.match(str(value))
    if not m:
        raise ValueError(f"不是 ISO 日期 / not an ISO date: {value!r}")
    year, month, day = m.groups()
    if month is None:
        return year
    name = _MONTHS_EN[int(month) - 1]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def date_zh(value) -> str:
    """ISO 形式的日期（``2018-11-18``、``2019-02``、``2016``）或 ``datetime.date`` → 中文日期。

    >>> date_zh("2018-11-18"), date_zh("2019-02"), date_zh("2016")
    ('2018 年 11 月 18 日', '2019 年 2 月', '2016 年')
    """
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10]
    match = _DATE.match(str(value))
    if not match:
        raise BookError(f"无法识别的日期：{value!r}（应为 YYYY、YYYY-MM 或 YYYY-MM-DD）", f"unrecognised date: {value!r}")
    parts = [int(p) for p in match.groups() if p]
    return " ".join(f"{v} {u}" for v, u in zip(parts, ("年", "月", "日")))


def _event(contains: str = "", date_prefix: str = ""):
    """policy_events.csv 中第一个符合条件的事件（一行）；没有时给出中英文对照的错误。"""
    from . import data

    hit = data.events()
    if contains:
        hit = hit[hit["event_zh"].str.contains(contains, regex=False)]
    if date_prefix:
        hit = hit[hit["date"].astype(str).str.startswith(date_prefix)]
    if hit.empty:
        raise BookError(f"policy_events.csv 中没有符合条件的事件（{contains or date_prefix}）",
                        f"no event matches {contains or date_prefix!r}")
    return hit.iloc[0]


def event_date(contains: str = "", *, date_prefix: str = "") -> str:
    """policy_events.csv 中第一个符合条件的事件的中文日期。

    ``contains``：事件名称（``event_zh``）中的一段文字；``date_prefix``：日期的开头（如 ``"2013-12"``）。
    """
    return date_zh(_event(contains, date_prefix)["date"])


def event_year(contains: str = "", *, date_prefix: str = "") -> int:
    """同 :func:`event_date`，只取年份（整数）。"""
    return int(str(_event(contains, date_prefix)["date"])[:4])
