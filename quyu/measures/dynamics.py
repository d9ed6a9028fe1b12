"""分布动态：相对水平、分类与离散马尔可夫链（转移矩阵与遍历分布，giddy）。"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import MeasureError, _fail

__all__ = ["CLASSES_RANGE", "relative_levels", "fixed_cutoffs", "classify", "MarkovResult", "markov", "ergodic",
           "MarkovBootstrap", "markov_bootstrap", "HomogeneityResult", "time_homogeneity", "markov_property_test"]

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


def _class_ids(classes, k: int) -> np.ndarray:
    """类别宽表（地区 × 年份，0…k−1）检查后的整数数组。"""
    ids = np.asarray(classes, dtype=int)
    if ids.ndim != 2 or ids.shape[1] < 2:
        _fail("类别表应为地区 × 年份、至少两个年份", "classes must be units x periods with at least two periods")
    if ids.min() < 0 or ids.max() >= k:
        _fail(f"类别编号应在 0—{k - 1} 之间", f"class ids must be in 0..{k - 1}")
    return ids


def markov(classes, k: int) -> MarkovResult:
    """离散马尔可夫链（giddy.markov.Markov）：相邻两年之间类别的转移。

    ``classes`` 为地区 × 年份的类别宽表（0…k−1）。每一类在起始年份（除最后一年外的各年）中
    必须至少有一个观测，否则抛出 MeasureError。遍历分布取自 giddy（:func:`ergodic`）；
    转移矩阵可约时遍历分布不唯一，记为 NaN。
    """
    from giddy.markov import Markov

    k = _check_classes(k)
    ids = _class_ids(classes, k)
    counts = np.zeros((k, k))
    np.add.at(counts, (ids[:, :-1].ravel(), ids[:, 1:].ravel()), 1)
    _empty_rows(counts)
    m = Markov(ids, classes=np.arange(k), summary=False)
    P = np.asarray(m.p, dtype=float)
    try:
        erg = ergodic(P)
    except MeasureError:  # 可约：遍历分布不唯一（组件与正文给出说明）
        erg = np.full(k, np.nan)
    first = np.bincount(ids[:, 0], minlength=k) / ids.shape[0]
    last = np.bincount(ids[:, -1], minlength=k) / ids.shape[0]
    return MarkovResult(np.asarray(m.transitions, dtype=float), P, erg, first, last, k)


def ergodic(P, allow_reducible: bool = False) -> np.ndarray:
    """转移矩阵的遍历分布（giddy.ergodic.steady_state）：满足 π = πP、分量和为 1 的唯一分布。

    只有不可约的链（任意两类都能相互到达）才有这样一个描述“长期分布”的答案。
    可约的链（例如某一类一旦进入就不再离开，或几类之间互不可达）抛出 MeasureError，
    信息中指出哪些类互相可达；有全零行（某一类没有观测）时同样抛出 MeasureError。

    ``allow_reducible=True`` 时（供重抽样使用），可约但只有一个封闭类的链返回它唯一的平稳分布
    （只进不出的类之外的各类比重为 0）；有两个以上封闭类时平稳分布不唯一，仍抛出 MeasureError。
    """
    from giddy.ergodic import steady_state

    P = np.asarray(P, dtype=float)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or not np.isfinite(P).all():
        _fail("转移矩阵应为有限值的方阵", "the transition matrix must be a finite square matrix")
    empty = np.where(P.sum(axis=1) == 0)[0]
    if len(empty):
        _fail(f"转移矩阵中{'、'.join(f'第 {j + 1} 类' for j in empty)}没有观测（整行为 0），遍历分布无法计算",
              f"row(s) {', '.join(str(j + 1) for j in empty)} of the transition matrix are empty")
    pi = np.asarray(steady_state(P), dtype=float)
    if pi.ndim == 2 and allow_reducible and pi.shape[0] == 1:
        return pi[0]
    if pi.ndim != 1:
        import quantecon as qe

        parts = "；".join("、".join(f"第 {j + 1} 类" for j in c) for c in qe.MarkovChain(P).communication_classes)
        _fail(f"转移矩阵可约（互相可达的类分成几组：{parts}），有的类一旦进入就不再离开或无法到达，"
              "遍历分布不唯一或只由初始状态决定，不能当作“长期分布”来读",
              "the transition matrix is reducible: the ergodic distribution is not unique or depends on the start")
    return pi


# ---------------------------------------------------------------- 推断：重抽样与检验

@dataclass
class MarkovBootstrap:
    """按地区整块重抽样（province-block bootstrap）的马尔可夫链。

    每次重复从 n 个地区中有放回地抽取 n 个，保留每个被抽中地区的整条路径，按原来的分界重新数转移。
    ``draws[r]`` 为第 r 次抽中的地区位置；``P[r]``、``ergodic[r]``、``initial[r]`` 为该次的转移矩阵、
    遍历分布与首年各类比重（转移矩阵中无观测的行为 NaN）。重抽样中可能漏掉某一类仅有的几次
    向上或向下的转移，链因而可约：只有一个封闭类时取它唯一的平稳分布（:func:`ergodic` 的
    ``allow_reducible``），``reducible[r]`` 记为真；平稳分布不唯一或有空类时该次的遍历分布为 NaN。
    """

    draws: np.ndarray
    P: np.ndarray
    ergodic: np.ndarray
    initial: np.ndarray
    reducible: np.ndarray
    reps: int
    seed: int

    @property
    def n_undefined(self) -> int:
        """遍历分布无法计算（有空类或链可约）的重复次数。"""
        return int(np.isnan(self.ergodic).any(axis=1).sum())

    @staticmethod
    def interval(values, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """沿第 0 轴（各次重复）的百分位区间，忽略 NaN。"""
        values = np.asarray(values, dtype=float)
        a = (1 - level) / 2
        return np.nanpercentile(values, 100 * a, axis=0), np.nanpercentile(values, 100 * (1 - a), axis=0)


def _unit_counts(ids: np.ndarray, k: int) -> np.ndarray:
    """每个地区自己的转移次数矩阵：``C[u, i, j]``。"""
    n = ids.shape[0]
    C = np.zeros((n, k, k))
    rows = np.repeat(np.arange(n), ids.shape[1] - 1)
    np.add.at(C, (rows, ids[:, :-1].ravel(), ids[:, 1:].ravel()), 1)
    return C


def markov_bootstrap(classes, k: int, reps: int = 999, seed: int = 0) -> MarkovBootstrap:
    """转移概率与遍历分布的地区整块重抽样（见 :class:`MarkovBootstrap`）。

    同一地区相邻年份的转移并不独立；把每个地区的整条路径当作一个抽样单位，区间才反映
    “换一批同样性质的地区会得到什么”。``reps`` 为重复次数，``seed`` 为随机数种子（结果可重复）。
    分界不重新计算（与点估计相同）；遍历分布逐次用 :func:`ergodic` 计算。
    """
    k = _check_classes(k)
    ids = _class_ids(classes, k)
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or not 99 <= reps <= 99_999:
        _fail(f"重复次数应为 99—99999 之间的整数，收到 {reps!r}", f"reps must be an integer in [99, 99999], got {reps!r}")
    n = ids.shape[0]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(reps, n))
    mult = np.zeros((reps, n))
    np.add.at(mult, (np.repeat(np.arange(reps), n), draws.ravel()), 1)
    counts = np.einsum("ru,uij->rij", mult, _unit_counts(ids, k))
    with np.errstate(invalid="ignore", divide="ignore"):
        P = counts / counts.sum(axis=2, keepdims=True)
    erg = np.full((reps, k), np.nan)
    reducible = np.zeros(reps, dtype=bool)
    for r in range(reps):
        if np.isfinite(P[r]).all():
            try:
                erg[r] = ergodic(P[r], allow_reducible=True)
            except MeasureError:
                pass
            reducible[r] = not _irreducible(P[r])
    initial = mult @ np.eye(k)[ids[:, 0]] / n
    return MarkovBootstrap(draws, P, erg, initial, reducible, int(reps), int(seed))


def _irreducible(P: np.ndarray) -> bool:
    """任意两类都能相互到达（图论：转移图强连通）。"""
    k = P.shape[0]
    reach = (np.eye(k) + (P > 0)) > 0
    for _ in range(k):
        reach = (reach.astype(int) @ reach.astype(int)) > 0
    return bool(reach.all())


@dataclass
class HomogeneityResult:
    """Bickenbach & Bode（2003）的齐性检验：各组（时期或前一年所在类）的转移矩阵是否相同。

    ``counts[m]`` 为第 m 组的转移次数矩阵；``Q`` 为皮尔逊型统计量，``LR`` 为似然比统计量，
    两者在零假设下近似服从自由度 ``dof`` 的 χ² 分布（自由度按 Bickenbach & Bode 的办法扣除空行与零概率）。"""

    counts: np.ndarray
    Q: float
    Q_p: float
    LR: float
    LR_p: float
    dof: int

    @property
    def n(self) -> int:
        return int(self.counts.sum())


def _homogeneity(matrices: np.ndarray) -> HomogeneityResult:
    from giddy.markov import homogeneity

    M = np.asarray(matrices, dtype=float)
    if (M.sum(axis=(0, 2)) == 0).any():
        _fail("合并后的转移矩阵有空行，无法检验", "the pooled transition matrix has empty rows")
    h = homogeneity(list(M))
    return HomogeneityResult(M, float(h.Q), float(h.Q_p_value), float(h.LR), float(h.LR_p_value), int(h.dof))


def time_homogeneity(classes, k: int, split) -> HomogeneityResult:
    """时间齐性检验（Bickenbach & Bode 2003，giddy.markov.homogeneity）：
    起始年份早于 ``split`` 的转移为第 1 组，其余为第 2 组，检验两组的转移概率是否相同。

    ``classes`` 为类别宽表（列为年份）；``split`` 为第 2 组第一个转移的起始年份。
    """
    k = _check_classes(k)
    if not isinstance(classes, pd.DataFrame):
        classes = pd.DataFrame(np.asarray(classes))
    ids = _class_ids(classes, k)
    cols = list(classes.columns)
    if split not in cols[1:-1]:
        _fail(f"分段年份 {split!r} 应是类别表中除首尾之外的一列", f"split {split!r} must be an interior column")
    cut = cols.index(split)
    M = np.zeros((2, k, k))
    for t in range(len(cols) - 1):
        np.add.at(M[0 if t < cut else 1], (ids[:, t], ids[:, t + 1]), 1)
    return _homogeneity(M)


def markov_property_test(classes, k: int) -> HomogeneityResult:
    """一阶马尔可夫性检验（Bickenbach & Bode 2003）：今年在第 i 类、明年去第 j 类的概率是否与
    去年所在的类 h 无关。按 h 把连续三年的 (h, i, j) 分成 k 组，对这 k 个转移矩阵做齐性检验
    （giddy.markov.homogeneity）；拒绝零假设说明链有“记忆”，一阶马尔可夫链的遍历分布不可靠。
    """
    k = _check_classes(k)
    ids = _class_ids(classes, k)
    if ids.shape[1] < 3:
        _fail("至少需要三个年份", "need at least three periods")
    M = np.zeros((k, k, k))
    np.add.at(M, (ids[:, :-2].ravel(), ids[:, 1:-1].ravel(), ids[:, 2:].ravel()), 1)
    return _homogeneity(M)
