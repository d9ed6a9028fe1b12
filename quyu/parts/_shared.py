"""几个部分共用的小工具（第一、二部分的理论章，第四部分的分布动态一章）：数据版本的中文名称
（取自 data/vintages.csv 的 label_zh）、可以构成逐年序列的版本，以及汇编口径是唯一来源的年份到哪一年为止。"""
from __future__ import annotations

from collections.abc import Mapping

from .. import data

class _VintageLabels(Mapping):
    """数据版本 → 中文名称，每次读取都取自 data/vintages.csv 的 label_zh（不在导入时抄一份）。"""

    def __getitem__(self, vintage: str) -> str:
        if vintage not in data.VINTAGES:
            raise KeyError(vintage)
        return data.vintage_info(vintage)["label_zh"]

    def __iter__(self):
        return iter(data.VINTAGES)

    def __len__(self) -> int:
        return len(data.VINTAGES)


#: 读者看到的数据版本名称（正文、表格、图例、组件标签都用这些，不用代码名）。
VINTAGE_ZH = _VintageLabels()

#: 可以构成逐年序列的四个版本，按时间先后排列。
SERIES_VINTAGES = ("compendium", "yearbook", "census2018", "current")


def vintage_zh(vintage: str) -> str:
    """数据版本的中文名称；未知版本给出中文错误。"""
    try:
        return VINTAGE_ZH[vintage]
    except KeyError:
        raise data.DataError(f"未知的数据版本：{vintage}", f"unknown vintage {vintage!r}") from None


def second_source_year() -> int:
    """汇编口径不再是唯一来源的第一年：其他数据版本所用的 GDP 发布在省级面板中最早有数的年份
    （data/vintages.csv 与 province_panel.csv；此前只有汇编口径）。"""
    compendium = {s["source_id"] for s in data.vintage_info("compendium")["sources"]}
    return min(int(data.indicator("gdp", s["source_id"])["year"].min())
               for v in data.VINTAGES if v != "compendium" for s in data.vintage_info(v)["sources"]
               if s["indicator"] == "gdp" and s["source_id"] not in compendium)
