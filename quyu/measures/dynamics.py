"""分布动态：相对水平、分类与离散马尔可夫链（转移矩阵与遍历分布，giddy）。"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import _fail

__all__ = ["CLASSES_RANGE", "relative_levels", "fixed_cutoffs", "classify", "MarkovResult", "markov"]

# 函数都是纯函数：输入是地区 × 年份的宽表，不读任何文件。

#: 分类数的允许范围（含两端）。
CLASSES_RANGE = (2, 8)


def _check_classes(k) -> int:
    """分类数须为 :data:`CLASSES_RANGE` 之内的整数，否则抛出 MeasureError。"""
    lo, hi = CLASSES_RANGE
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not lo <= k <= hi:
        _fail(f"分类数应为 {lo}—{hi} 之间的整数，收到 {k!r}",
              f"number of classes must be an integer in [{lo}, {hi}], got {k!r}")
    return int(k)


def _positive_wide(frame) -> pd.DataFrame:
    """地区 × 年份的宽表（行 = 地区，列 = 年份），不得有缺失或非正值。"""
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(np.asarray(frame, dtype=float))
    if frame.shape[0] < 2 or frame.shape[1] < 2:
        _fail("至少需要两个地区、两个年份", "need at least two units and two periods")
    values = frame.to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        rows = [str(r) for r, b in zip(frame.index, bad.any(axis=1)) if b]
        cols = [str(c) for c, b in zip(frame.columns, bad.any(axis=0)) if b]
        _fail(f"数值缺失或非正（年份：{'、'.join(cols)}）", f"missing or non-positive values (periods: {', '.join(cols)})",
              rows)
    return frame.astype(float)


def relative_levels(wide) -> pd.DataFrame:
    """相对水平：每年各地区的值除以当年各地区的简单平均（行 = 地区，列 = 年份）。

    Relative levels: each unit's value divided by the cross-section (unweighted) mean of its year.
    """
    w = _positive_wide(wide)
    return w / w.mean(axis=0)


def fixed_cutoffs(k: int) -> np.ndarray:
    """k 类的固定分界（相对于当年平均）：以 2 为上端、逐次减半的 k−1 个点。

    k=4 时为 1/2、1、2；k=5 时为 1/4、1/2、1、2，即 Quah（1993）的分组。
    """
    k = _check_classes(k)
    return 2.0 ** np.arange(3 - k, 2)


def classify(rel, k: int, scheme: str = "quantile") -> tuple[pd.DataFrame, np.ndarray]:
    """把相对水平分成 k 类（0 = 最低）。

    ``scheme="quantile"``：按全部地区 × 年份合并后的分位数分界（各类观测数大致相等）；
    ``scheme="fixed"``：按 :func:`fixed_cutoffs` 的固定分界（k=5 时即 Quah 1993 的分组）。
    返回 ``(类别宽表, 分界)``；第 j 类为 ``cutoffs[j-1] < x <= cutoffs[j]``。
    """
    rel = _positive_wide(rel)
    k = _check_classes(k)
    if scheme == "quantile":
        import mapclassify

        cutoffs = np.asarray(mapclassify.Quantiles(rel.to_numpy().ravel(), k=k).bins[:-1], dtype=float)
        if len(cutoffs) != k - 1:
            _fail(f"数据中不同的数值太少，分不出 {k} 类", f"too few distinct values for {k} classes")
    elif scheme == "fixed":
        cutoffs = fixed_cutoffs(k)
    else:
        _fail(f"未知的分类方法 {scheme!r}（可选：quantile、fixed）",
              f"unknown classification scheme {scheme!r} (valid: quantile, fixed)")
    ids = np.searchsorted(cutoffs, rel.to_numpy(), side="left")
    return pd.DataFrame(ids, index=rel.index, columns=rel.columns), cutoffs


@dataclass
class MarkovResult:
    """马尔可夫链的估计结果。``counts[i, j]`` 为从第 i 类到第 j 类的转移次数，``P`` 为行归一化的
    转移概率矩阵，``ergodic`` 为遍历（稳态）分布（链可约、稳态不唯一时全为 NaN），
    ``initial``、``final`` 为首末年份各类的比重。"""

    counts: np.ndarray
    P: np.ndarray
    ergodic: np.ndarray
    initial: np.ndarray
    final: np.ndarray
    k: int

    @property
    def n_transitions(self) -> int:
        return int(self.counts.sum())

    @property
    def stay(self) -> float:
        """留在原类的转移所占比重（对角线之和 ÷ 全部转移）。"""
        return float(np.trace(self.counts) / self.counts.sum())


def _empty_rows(counts: np.ndarray) -> None:
    """转移次数矩阵中有全零的行（某一类在起始年份没有观测）时抛出 MeasureError。"""
    empty = np.where(counts.sum(axis=1) == 0)[0]
    if len(empty):
        names = "、".join(f"第 {j + 1} 类" for j in empty)
        _fail(f"{names}在转移的起始年份中没有任何观测，转移概率无法估计；请减少类数或改用等频分组",
              f"class(es) {', '.join(str(j + 1) for j in empty)} have no observations in the origin periods; "
              f"use fewer classes or quantile classes")


def markov(classes, k: int) -> MarkovResult:
    """离散马尔可夫链（giddy.markov.Markov）：相邻两年之间类别的转移。

    ``classes`` 为地区 × 年份的类别宽表（0…k−1）。每一类在起始年份（除最后一年外的各年）中
    必须至少有一个观测，否则抛出 MeasureError。遍历分布取自 giddy。
    """
    from giddy.markov import Markov

    k = _check_classes(k)
    ids = np.asarray(classes, dtype=int)
    if ids.ndim != 2 or ids.shape[1] < 2:
        _fail("类别表应为地区 × 年份、至少两个年份", "classes must be units x periods with at least two periods")
    if ids.min() < 0 or ids.max() >= k:
        _fail(f"类别编号应在 0—{k - 1} 之间", f"class ids must be in 0..{k - 1}")
    counts = np.zeros((k, k))
    np.add.at(counts, (ids[:, :-1].ravel(), ids[:, 1:].ravel()), 1)
    _empty_rows(counts)
    m = Markov(ids, classes=np.arange(k), summary=False)
    P = np.asarray(m.p, dtype=float)
    ergodic = np.asarray(m.steady_state, dtype=float)
    # 可约的链（例如某一类一旦进入就不再离开）有不止一个稳态分布：遍历分布不唯一，记为 NaN。
    ergodic = ergodic.ravel() if ergodic.size == k else np.full(k, np.nan)
    first = np.bincount(ids[:, 0], minlength=k) / ids.shape[0]
    last = np.bincount(ids[:, -1], minlength=k) / ids.shape[0]
    return MarkovResult(np.asarray(m.transitions, dtype=float), P, ergodic, first, last, k)


def _ergodic(P: np.ndarray) -> np.ndarray:
    """转移矩阵的遍历分布：P' 属于特征值 1 的左特征向量，归一化为和为 1（不可约时唯一）。"""
    vals, vecs = np.linalg.eig(np.asarray(P, dtype=float).T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    return v / v.sum()
