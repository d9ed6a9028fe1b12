"""第三部分“以人民为中心与统分结合”“协同创新与对口帮扶”两章共用的小工具：中文错误与年均变化率。"""
from __future__ import annotations

import pandas as pd

from ... import data


def _error(zh: str, en: str) -> ValueError:
    return data.DataError(zh, en)


def annual_rate(series: pd.Series) -> float:
    """首末两年之间的年均变化率 (末/首)^(1/年数) − 1（负数表示差距在缩小）。"""
    s = series.dropna()
    years = s.index[-1] - s.index[0]
    if years < 1:
        raise _error("至少需要两个年份", "needs at least two years")
    return float((s.iloc[-1] / s.iloc[0]) ** (1 / years) - 1)
