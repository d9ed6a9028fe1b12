"""quyu.fmt 的测试：各格式函数、缺失值、负号、四舍五入。"""

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from quyu import fmt
from quyu.fmt import MISSING


def test_doctests():
    result = doctest.testmod(fmt)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: fmt.yuan(95093), "95,093 元"),
        (lambda: fmt.yuan(95093.5), "95,094 元"),
        (lambda: fmt.wan_yuan(95093), "9.51 万元"),
        (lambda: fmt.wan_yuan(95093, digits=1), "9.5 万元"),
        (lambda: fmt.yi_yuan(543063.4), "543,063 亿元"),
        (lambda: fmt.wan_yi_yuan(543063), "54.31 万亿元"),
        (lambda: fmt.wan_yi_yuan(1_260_582.1, digits=1), "126.1 万亿元"),
        (lambda: fmt.pct(0.213), "21.3%"),
        (lambda: fmt.pct(0.2, digits=0), "20%"),
        (lambda: fmt.pct(1.5), "150.0%"),
        (lambda: fmt.pp(0.213 - 0.206), "0.7 个百分点"),
        (lambda: fmt.times(5), "5.0 倍"),
        (lambda: fmt.times(12.345, digits=2), "12.35 倍"),
        (lambda: fmt.ratio(1.6875), "1.69"),
        (lambda: fmt.num(1234567.891, 2), "1,234,567.89"),
        (lambda: fmt.num(999.96, 1), "1,000.0"),
        (lambda: fmt.num(42), "42"),
        (lambda: fmt.year_span(2012, 2021), "2012—2021 年"),
        (lambda: fmt.year_span(np.int64(2021), 2021.0), "2021 年"),
    ],
)
def test_formatters(call, expected):
    assert call() == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, np.float64("nan")])
@pytest.mark.parametrize(
    "formatter",
    [fmt.num, fmt.yuan, fmt.wan_yuan, fmt.yi_yuan, fmt.wan_yi_yuan, fmt.pct, fmt.pp, fmt.times, fmt.ratio],
)
def test_missing_values(formatter, missing):
    text = formatter(missing)
    assert text == MISSING
    assert "nan" not in text.lower()


def test_missing_year_span():
    assert fmt.year_span(None, 2021) == MISSING
    assert fmt.year_span(2012, float("nan")) == MISSING


def test_minus_sign():
    assert fmt.num(-1234.5, 1) == "\u22121,234.5"
    assert fmt.pp(-0.007) == "−0.7 个百分点"
    assert fmt.pct(-0.05) == "−5.0%"
    assert "-" not in fmt.yuan(-95093)


def test_signed():
    assert fmt.pp(0.007, signed=True) == "+0.7 个百分点"
    assert fmt.pp(-0.007, signed=True) == "−0.7 个百分点"
    assert fmt.pct(0.1, signed=True) == "+10.0%"
    assert fmt.num(0.0, 1, signed=True) == "0.0"


def test_negative_zero_after_rounding():
    # 舍入后为零时不写 "−0.0"
    assert fmt.num(-0.04, 1) == "0.0"
    assert fmt.pp(-0.0004) == "0.0 个百分点"
    assert fmt.num(-0.0) == "0"


@pytest.mark.parametrize(
    "x, digits, expected",
    [
        (2.675, 2, "2.68"),  # 十进制四舍五入（二进制浮点的 round 得 2.67）
        (0.125, 2, "0.13"),  # 不是银行家舍入（0.12）
        (2.5, 0, "3"),
        (-2.5, 0, "−3"),
        (1.05, 1, "1.1"),
        (0.0001, 2, "0.00"),
    ],
)
def test_rounding_half_up(x, digits, expected):
    assert fmt.num(x, digits) == expected


def test_pct_rounding_uses_scaled_value():
    assert fmt.pct(0.2135) == "21.4%"
    assert fmt.pct(0.12345, digits=2) == "12.35%"


def test_numpy_and_integer_inputs():
    assert fmt.yuan(np.float64(95093.2)) == "95,093 元"
    assert fmt.yuan(np.int64(95093)) == "95,093 元"
    assert fmt.num(10**9) == "1,000,000,000"


def test_infinity():
    assert fmt.num(math.inf) == "∞"
    assert fmt.num(-math.inf) == "−∞"


def test_rejects_non_numbers():
    with pytest.raises(TypeError):
        fmt.num("12")
    with pytest.raises(TypeError):
        fmt.num(True)



@pytest.mark.parametrize("years, text", [
    ([2012], "2012 年"),
    ([2010, 2011, 2015, 2016, 2017, 2018], "2010—2011 年和 2015—2018 年"),
    ([2001, 2003, 2005], "2001 年、2003 年和 2005 年"),
    ([], "没有年份"),
])
def test_year_runs(years, text):
    assert fmt.year_span(years) == text


@pytest.mark.parametrize("years, style, text", [
    ([2019, 2021, 2023], "list", "2019、2021、2023 年"),      # 组件：与网页脚本的 span() 相同
    ([2021, 2019, 2020], "list", "2019—2021 年"),
    ([], "list", "无"),
    ([2000, 2001, 2002, 2005], "plain", "2000–2002, 2005"),  # 中英文对照的报错信息
    ([2019, 2021], "plain", "2019, 2021"),
    ((y for y in (2012, 2013)), "prose", "2012—2013 年"),
])
def test_year_span_styles(years, style, text):
    assert fmt.year_span(years, style=style) == text


def test_year_span_rejects_unknown_style():
    with pytest.raises(ValueError, match="未知的写法"):
        fmt.year_span([2012], style="fancy")
