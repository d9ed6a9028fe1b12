"""各度量共用的输入检查，以及输入不合要求时抛出的 MeasureError（中英文说明）。"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BookError

__all__ = ["MeasureError"]


class MeasureError(BookError):
    """度量的输入不合要求（中英文说明：``error.zh``、``error.en``）。

    例如：空输入、长度不一致、需要取对数或作分母的数值非正或缺失、
    人口为零或缺失、地区缺少分组标签、未知的指标名。
    """


# ---------------------------------------------------------------------------
# 输入检查（内部工具）
# ---------------------------------------------------------------------------

_MAX_NAMED = 10  # 错误信息中最多列出的地区数
_POSITION = "位置"  # 数组输入没有地区名，报错时只能给出位置（从 0 起）
_ZERO_POP = ("人口为零、为负或缺失", "zero, negative or missing population")


def _name_units(labels) -> str:
    """把出问题的地区（或位置）列成一串，过长时截断。"""
    names = [str(label) for label in labels]
    if len(names) > _MAX_NAMED:
        names = names[:_MAX_NAMED] + [f"…（共 {len(names)} 个 / {len(names)} in total）"]
    return ", ".join(names)


def _fail(zh: str, en: str, units=None) -> None:
    """抛出中英文对照的 MeasureError；``units`` 给出时附上地区名单。"""
    if units is None:
        raise MeasureError(zh, en)
    where = _name_units(units)
    if getattr(units, "name", None) == _POSITION:
        zh, en = f"{zh}（位置，从 0 起）", f"{en} (positions, from 0)"
    raise MeasureError(f"{zh}：{where}", f"{en}: {where}")


def _floats(values) -> np.ndarray:
    """转为浮点数组；pandas 的缺失值（pd.NA）转为 NaN。"""
    if isinstance(values, (pd.Series, pd.api.extensions.ExtensionArray)):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def _as_values(x, what_zh: str = "数据", what_en: str = "data"):
    """把一维输入转为浮点数组，并返回用于报错的标签（Series 的索引或位置）。"""
    raw = _floats(x)
    labels = x.index if isinstance(x, pd.Series) else pd.RangeIndex(raw.size, name=_POSITION)
    if raw.ndim != 1:
        _fail(f"{what_zh}应为一维", f"{what_en} must be one-dimensional")
    if raw.size == 0:
        _fail(f"{what_zh}为空", f"{what_en} is empty")
    return raw, labels


def _align(x, other, what_zh: str, what_en: str):
    """让 ``other`` 与 ``x`` 对齐：两者都是 Series 时按索引，否则按位置（长度须相同）。"""
    if isinstance(x, pd.Series) and isinstance(other, pd.Series):
        missing = x.index.difference(other.index)
        if len(missing) > 0:
            _fail(f"{what_zh}缺少这些地区", f"{what_en} missing for", missing)
        return other.reindex(x.index)
    values = other.array if isinstance(other, pd.Series) else other
    if not isinstance(values, pd.api.extensions.ExtensionArray):  # 保留分类型（category）等
        values = np.asarray(values)
    size = len(values) if values.ndim == 1 else values.size
    if values.ndim != 1 or size != len(x):
        _fail(
            f"{what_zh}的长度（{size}）与数据（{len(x)}）不一致",
            f"length of {what_en} ({size}) does not match data ({len(x)})",
        )
    return values


_RULES = {
    "finite": ("数值缺失", "missing values"),
    "nonnegative": ("数值为负或缺失", "negative or missing values"),
    "positive": (
        "数值非正或缺失（取对数或作分母需要正数）",
        "non-positive or missing values (log/ratio needs positive values)",
    ),
}


def _require(values, labels, rule: str, message: tuple[str, str] | None = None) -> None:
    """检查数值：rule 为 "finite"（不缺失）、"nonnegative"（≥ 0）或 "positive"（> 0）。"""
    bad = ~np.isfinite(values)
    if rule == "nonnegative":
        bad |= values < 0
    elif rule == "positive":
        bad |= values <= 0
    if bad.any():
        zh, en = message or _RULES[rule]
        _fail(zh, en, labels[bad])


def _population_shares(weights, n: int, labels) -> np.ndarray:
    """人口份额 p_i = P_i / ΣP；没有权重时 p_i = 1/n。"""
    if weights is None:
        return np.full(n, 1.0 / n)
    pop = _floats(weights)
    _require(pop, labels, "positive", _ZERO_POP)
    return pop / pop.sum()


def _prepare(y, weights=None, rule: str = "positive"):
    """公共入口：检查 y（及人口权重），返回 (y, p, labels)。"""
    values, labels = _as_values(y)
    _require(values, labels, rule)
    if weights is not None:
        weights = _floats(_align(y, weights, "人口（权重）", "population (weights)"))
    return values, _population_shares(weights, values.size, labels), labels


def _group_codes(groups, x, labels):
    """把分组标签转为整数编码 0..G-1；分类型（category）按类别顺序，否则按出现顺序。"""
    groups = _align(x, groups, "分组标签", "group labels")
    if isinstance(groups, pd.Series):
        groups = groups.array
    is_categorical = isinstance(groups.dtype, pd.CategoricalDtype)
    codes, uniques = pd.factorize(groups, sort=is_categorical)
    if (codes < 0).any():
        _fail("这些地区缺少分组标签", "group label missing for", labels[codes < 0])
    return codes, pd.Index(uniques, name="group")
