"""中文数字格式：供 myst-nb ``glue`` 把计算结果写进正文（均返回 str）。

约定：

- 四舍五入按十进制"四舍五入"（2.675 → 2.68），不按二进制浮点的"银行家舍入"；
- 负号用数学减号"−"（U+2212），不用连字符"-"；
- 千位分隔用英文逗号（95,093）；
- 缺失值（None、NaN、pd.NA）一律写成 ``MISSING``，绝不出现 "nan"。

>>> yuan(95093.4)
'95,093 元'
>>> pct(float("nan"))
'—（数据缺失）'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

import pandas as pd

__all__ = [
    "MISSING",
    "MINUS",
    "num",
    "yuan",
    "wan_yuan",
    "yi_yuan",
    "wan_yi_yuan",
    "pct",
    "pp",
    "times",
    "ratio",
    "year_span",
]

MISSING = "—（数据缺失）"
MINUS = "\u2212"  # 数学减号 −
_WIDE = Context(prec=60)  # 足够的有效位数，很大的数也能舍入


def _is_missing(x) -> bool:
    """None、NaN、pd.NA、NaT 都算缺失。"""
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # 数组等非标量
        return False


def _decimal(x) -> Decimal:
    """把数值转为十进制数；经由 repr 取最短表示，使 2.675 就是 2.675。"""
    if isinstance(x, (bool, str, bytes)):
        raise TypeError(f"需要数值 / number expected: {x!r}")
    return Decimal(repr(float(x)))


def _format(value: Decimal, digits: int, signed: bool) -> str:
    """四舍五入到 ``digits`` 位小数，加千位分隔符和符号。"""
    if value.is_infinite():
        if value < 0:
            return MINUS + "∞"
        return "+∞" if signed else "∞"
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=_WIDE)
    text = f"{abs(rounded):,.{digits}f}"
    if rounded < 0:  # 舍入后为 0 时不带符号（不写 "−0.0"）
        return MINUS + text
    if signed and rounded > 0:
        return "+" + text
    return text


def num(x, digits: int = 0, signed: bool = False) -> str:
    """带千位分隔符的数字，``digits`` 位小数；``signed=True`` 时正数前加"+"。

    >>> num(1234567.891, 1)
    '1,234,567.9'
    >>> num(-0.75, 1)
    '−0.8'
    >>> num(0.7, 1, signed=True)
    '+0.7'
    >>> num(None)
    '—（数据缺失）'
    """
    if _is_missing(x):
        return MISSING
    return _format(_decimal(x), digits, signed)


def _with_unit(x, digits: int, unit: str, shift: int = 0, signed: bool = False) -> str:
    """数字乘以 10^shift（在十进制下换算，避免 0.2135×100 = 21.349999…）后格式化并接上单位。"""
    if _is_missing(x):
        return MISSING
    return _format(_decimal(x).scaleb(shift), digits, signed) + unit


def yuan(x, digits: int = 0) -> str:
    """以元为单位的金额。

    >>> yuan(95093)
    '95,093 元'
    """
    return _with_unit(x, digits, " 元")


def wan_yuan(x_in_yuan, digits: int = 2) -> str:
    """把以元为单位的金额写成万元。

    >>> wan_yuan(95093)
    '9.51 万元'
    """
    return _with_unit(x_in_yuan, digits, " 万元", shift=-4)


def yi_yuan(x, digits: int = 0) -> str:
    """以亿元为单位的金额（不换算）。

    >>> yi_yuan(543063.4)
    '543,063 亿元'
    """
    return _with_unit(x, digits, " 亿元")


def wan_yi_yuan(x_in_yi_yuan, digits: int = 2) -> str:
    """把以亿元为单位的金额写成万亿元。

    >>> wan_yi_yuan(543063)
    '54.31 万亿元'
    """
    return _with_unit(x_in_yi_yuan, digits, " 万亿元", shift=-4)


def pct(x, digits: int = 1, signed: bool = False) -> str:
    """把比例（0.213）写成百分数。

    >>> pct(0.213)
    '21.3%'
    >>> pct(-0.05, signed=True)
    '−5.0%'
    """
    return _with_unit(x, digits, "%", shift=2, signed=signed)


def pp(x, digits: int = 1, signed: bool = False) -> str:
    """两个比例之差，写成"个百分点"（0.007 → 0.7 个百分点）。

    >>> pp(0.213 - 0.206)
    '0.7 个百分点'
    >>> pp(-0.007)
    '−0.7 个百分点'
    >>> pp(0.007, signed=True)
    '+0.7 个百分点'
    """
    return _with_unit(x, digits, " 个百分点", shift=2, signed=signed)


def times(x, digits: int = 1) -> str:
    """倍数。

    >>> times(5)
    '5.0 倍'
    """
    return _with_unit(x, digits, " 倍")


def ratio(x, digits: int = 2) -> str:
    """无单位的比值（如最大最小比、变异系数）。

    >>> ratio(1.6875)
    '1.69'
    """
    return _with_unit(x, digits, "")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power10(k: int) -> str:
    """10 的整数次幂，幂次写成上标字符（正文、组件与 PDF 中都能显示，不依赖数学公式排版）。

    >>> power10(-12)
    '10⁻¹²'
    """
    if int(k) != k:
        raise ValueError(f"幂次须为整数 / the exponent must be an integer: {k!r}")
    return "10" + str(int(k)).translate(_SUPERSCRIPT)


#: 年份区间的三种写法：段内的连接号、段与段之间的连接、是否带“年”、没有年份时的写法。
_YEAR_STYLES = {
    "prose": "正文：2010—2011 年和 2015—2016 年",
    "list": "组件：连续时写一段，否则逐年列出（2019、2021、2023 年），与网页脚本的 span() 相同",
    "plain": "中英文对照的报错信息，不带“年”：2000–2017, 2019",
}


def year_span(start, end=None, style: str = "prose") -> str:
    """年份区间：``year_span(start, end)`` 写从 start 到 end 的一段，``year_span(years)`` 把一组年份
    写成若干连续的段。起止相同时只写一年；两端有缺失时为 ``MISSING``。

    ``style``：``"prose"``（默认，正文）、``"list"``（组件的提示）、``"plain"``（报错信息），见下例。

    >>> year_span(2012, 2021)
    '2012—2021 年'
    >>> year_span(2021, 2021)
    '2021 年'
    >>> year_span([2010, 2011, 2015, 2016])
    '2010—2011 年和 2015—2016 年'
    >>> year_span([2019, 2021, 2023], style="list")
    '2019、2021、2023 年'
    >>> year_span([2000, 2001, 2002, 2005], style="plain")
    '2000–2002, 2005'
    """
    if style not in _YEAR_STYLES:
        raise ValueError(f"未知的写法 {style!r}；可选：{', '.join(_YEAR_STYLES)} / "
                         f"unknown style {style!r}; valid: {', '.join(_YEAR_STYLES)}")
    if end is not None or not _is_iterable(start):
        if _is_missing(start) or _is_missing(end):
            return MISSING
        return _year_run(int(start), int(end), style)
    years = list(start)
    if style == "list":  # 保持给定的顺序，与网页脚本相同
        if not years:
            return "无"
        if len(years) == max(years) - min(years) + 1:
            return _year_run(min(years), max(years), style)
        return "、".join(str(y) for y in years) + " 年"
    ys = sorted(int(y) for y in years)
    runs, first = [], None
    for i, y in enumerate(ys):
        first = y if first is None else first
        if i + 1 == len(ys) or ys[i + 1] != y + 1:
            runs.append(_year_run(first, y, style))
            first = None
    if style == "plain":
        return ", ".join(runs)
    if not runs:
        return "没有年份"
    return "、".join(runs[:-1]) + ("和 " if len(runs) > 1 else "") + runs[-1]


def _is_iterable(x) -> bool:
    return not isinstance(x, (str, bytes)) and hasattr(x, "__iter__")


def _year_run(start: int, end: int, style: str) -> str:
    """一段连续的年份。"""
    if style == "plain":
        return str(start) if start == end else f"{start}–{end}"
    return f"{start} 年" if start == end else f"{start}—{end} 年"
