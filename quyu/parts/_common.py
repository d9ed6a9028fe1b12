"""第一、二部分理论章共用的小工具：数据版本的中文名称。"""
from __future__ import annotations

#: 读者看到的数据版本名称（正文、表格、图例、组件标签都用这些，不用代码名）。
VINTAGE_ZH = {
    "current": "五经普修订（现行）",
    "census2018": "四经普修订",
    "yearbook": "年鉴口径（四经普前）",
    "compendium": "汇编口径",
    "first_release": "初步核算",
}

#: 可以构成逐年序列的四个版本，按时间先后排列。
SERIES_VINTAGES = ("compendium", "yearbook", "census2018", "current")


def vintage_zh(vintage: str) -> str:
    """数据版本的中文名称；未知版本给出中文错误。"""
    try:
        return VINTAGE_ZH[vintage]
    except KeyError:
        raise ValueError(f"未知的数据版本：{vintage} / unknown vintage {vintage!r}") from None
