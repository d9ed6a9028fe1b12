"""把计算结果放进页面：文字、表格与日期的 glue（各章共用，章节中不再自定义）。

    from quyu.page import glue_text, glue_table, date_zh

    glue_text("p1_peak_year", fmt.num(1990))     # 正文中写 {glue:md}`p1_peak_year`
    glue_table("p2_regions", df)                  # 正文中放在 {table} 指令里，得到“表 x.y”
    date_zh("2018-11-18")                         # → "2018 年 11 月 18 日"
"""
from __future__ import annotations

import re


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
    from .plots import table_markdown

    # 网页中表格下方另有“下载本表数据（CSV）”的链接（见 quyu.downloads）
    glue_table_with_csv(key, table_markdown(table, index=index), table, index=index)


_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def date_zh(value) -> str:
    """ISO 形式的日期（``2018-11-18``、``2019-02``、``2016``）或 ``datetime.date`` → 中文日期。

    >>> date_zh("2018-11-18"), date_zh("2019-02"), date_zh("2016")
    ('2018 年 11 月 18 日', '2019 年 2 月', '2016 年')
    """
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10]
    match = _DATE.match(str(value))
    if not match:
        raise ValueError(f"无法识别的日期：{value!r}（应为 YYYY、YYYY-MM 或 YYYY-MM-DD） / "
                         f"unrecognised date: {value!r}")
    parts = [int(p) for p in match.groups() if p]
    return " ".join(f"{v} {u}" for v, u in zip(parts, ("年", "月", "日")))
