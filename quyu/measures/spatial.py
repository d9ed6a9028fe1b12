"""空间结构：空间权重、全局与局部 Moran's I（LISA）、空间马尔可夫链（libpysal、esda、giddy）。"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import MeasureError, _fail
from .dynamics import _check_classes, _empty_rows, _positive_wide, classify, ergodic

__all__ = ["PERMUTATIONS_RANGE", "check_permutations", "spatial_weights", "MoranResult", "moran", "LISA_LABELS",
           "lisa", "fdr_threshold", "knn_neighbours", "SpatialMarkovResult", "spatial_markov"]

# 函数都是纯函数：邻接关系以 {代码: [邻省代码]} 的字典传入，不读任何文件。

#: 置换检验次数的允许范围（含两端）。
PERMUTATIONS_RANGE = (99, 9999)


def check_permutations(permutations, allow_zero: bool = False) -> int:
    """置换检验次数须为 :data:`PERMUTATIONS_RANGE` 之内的整数（``allow_zero`` 时 0 表示不做置换检验），
    否则抛出 MeasureError；组件在计算之前用它给出同样的提示。返回 int。"""
    lo, hi = PERMUTATIONS_RANGE
    if allow_zero and isinstance(permutations, (int, np.integer)) and not isinstance(permutations, bool) \
            and permutations == 0:
        return 0
    if isinstance(permutations, bool) or not isinstance(permutations, (int, np.integer)) \
            or not lo <= permutations <= hi:
        _fail(f"置换次数应为 {lo}—{hi} 之间的整数，收到 {permutations!r}",
              f"permutations must be an integer in [{lo}, {hi}], got {permutations!r}")
    return int(permutations)


def spatial_weights(neighbours: dict, ids) -> "object":
    """由邻接字典构造行标准化的 libpysal 权重（只保留 ``ids`` 中的地区，顺序同 ``ids``）。

    没有邻居的地区（“孤岛”）不允许出现：请先把它从 ``ids`` 中去掉。
    """
    from libpysal.weights import W

    ids = [str(i) for i in ids]
    keep = set(ids)
    unknown = keep - set(neighbours)
    if unknown:
        _fail("邻接表中没有这些地区", "units missing from the neighbour table", sorted(unknown))
    nb = {i: [j for j in neighbours[i] if j in keep] for i in ids}
    islands = [i for i, v in nb.items() if not v]
    if islands:
        _fail("这些地区没有邻居（孤岛），请先去掉或补充连接", "units without neighbours (islands)", islands)
    w = W(nb, id_order=ids, silence_warnings=True)
    w.transform = "r"
    return w


@dataclass
class MoranResult:
    """全局 Moran's I：统计量、零假设下的期望、正态近似的 z 与 p、置换检验的 p（单尾，见 esda）。"""

    I: float
    EI: float
    z_norm: float
    p_norm: float
    p_sim: float
    permutations: int


def moran(y, neighbours: dict, permutations: int = 999, seed: int = 12345) -> MoranResult:
    """全局 Moran's I（esda.Moran，行标准化权重），置换检验用固定的随机数种子。

    ``y`` 为以地区代码为索引的 Series。``permutations=0`` 表示不做置换检验（p_sim 为 NaN）。
    """
    import esda

    permutations = check_permutations(permutations, allow_zero=True)
    y = pd.Series(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
    if y.isna().any():
        _fail("数值缺失", "missing values", list(y.index[y.isna()]))
    w = spatial_weights(neighbours, y.index)
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        mi = esda.Moran(y.to_numpy(), w, transformation="r", permutations=permutations)
    finally:
        np.random.set_state(state)
    p_sim = float(mi.p_sim) if permutations else float("nan")
    return MoranResult(float(mi.I), float(mi.EI), float(mi.z_norm), float(mi.p_norm), p_sim, permutations)


#: LISA 象限（esda 的编号 1—4）对应的中文名。
LISA_LABELS = {1: "高—高", 2: "低—高", 3: "低—低", 4: "高—低"}


def lisa(y, neighbours: dict, permutations: int = 999, seed: int = 12345, alpha: float = 0.05) -> pd.DataFrame:
    """局部 Moran's I（esda.Moran_Local）：每个地区的 Is、象限、置换 p 值与显著的聚类类型。

    返回以地区代码为索引的表：``I``、``quadrant``（1 高—高，2 低—高，3 低—低，4 高—低）、
    ``p_sim``、``cluster``（p_sim < alpha 时为象限名，否则为“不显著”），以及控制错误发现率后的
    ``cluster_fdr``（p_sim 低于 :func:`fdr_threshold` 的门槛时为象限名）。

    n 个地区各做一次检验：不做校正时，即使没有任何空间结构，也预期有约 alpha × n 个地区“显著”。
    """
    import esda

    permutations = check_permutations(permutations)
    if not 0 < alpha < 1:
        _fail(f"显著性水平应在 0 与 1 之间，收到 {alpha!r}", f"alpha must be in (0, 1), got {alpha!r}")
    y = pd.Series(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
    if y.isna().any():
        _fail("数值缺失", "missing values", list(y.index[y.isna()]))
    w = spatial_weights(neighbours, y.index)
    # 统计量与象限取自 esda；置换检验见 _conditional_p（原因见该函数说明）。
    lm = esda.Moran_Local(y.to_numpy(), w, transformation="r", permutations=0)
    p_sim = _conditional_p(np.asarray(lm.z, dtype=float), w, np.asarray(lm.Is, dtype=float), permutations, seed)
    out = pd.DataFrame({"I": lm.Is, "quadrant": lm.q, "p_sim": p_sim}, index=y.index)
    out["cluster"] = [LISA_LABELS[q] if p < alpha else "不显著" for q, p in zip(out["quadrant"], out["p_sim"])]
    cut = fdr_threshold(p_sim, alpha)
    out["cluster_fdr"] = [LISA_LABELS[q] if p < cut else "不显著" for q, p in zip(out["quadrant"], out["p_sim"])]
    return out


def fdr_threshold(p_values, alpha: float = 0.05) -> float:
    """控制错误发现率（Benjamini–Hochberg）的 p 值门槛（esda.fdr）：p 值严格低于门槛的检验被拒绝。

    一个也拒绝不了时 esda 返回 alpha/n（此时没有 p 值低于它）。"""
    import esda

    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1 or p.size == 0 or not ((p >= 0) & (p <= 1)).all():
        _fail("p 值应为 0 与 1 之间的一组数", "p-values must be a non-empty vector in [0, 1]")
    if not 0 < alpha < 1:
        _fail(f"显著性水平应在 0 与 1 之间，收到 {alpha!r}", f"alpha must be in (0, 1), got {alpha!r}")
    return float(esda.fdr(p, alpha))


def knn_neighbours(coords, k: int) -> dict:
    """k 近邻邻接字典：``coords`` 为以地区代码为索引、两列坐标的表（如方格地图的行、列）。

    每个地区的邻居是欧氏距离最近的 k 个其他地区；第 k 近的距离有并列时，并列者全部算作邻居
    （方格坐标的距离多为整数，并列很常见，按排列顺序截断会让结果取决于地区的排列）。
    k 近邻关系不对称；:func:`spatial_weights` 按行标准化后照常使用。
    """
    xy = pd.DataFrame(coords).astype(float)
    n = len(xy)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k < n:
        _fail(f"近邻数应为 1—{n - 1} 之间的整数，收到 {k!r}", f"k must be an integer in [1, {n - 1}], got {k!r}")
    a = xy.to_numpy()
    d = np.sqrt(((a[:, None, :] - a[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    ids = [str(i) for i in xy.index]
    out = {}
    for i, c in enumerate(ids):
        kth = np.sort(d[i])[k - 1]
        out[c] = [ids[j] for j in np.where(d[i] <= kth + 1e-12)[0]]
    return out


def _conditional_p(z: np.ndarray, w, Is: np.ndarray, permutations: int, seed: int) -> np.ndarray:
    """局部 Moran's I 的条件置换检验（Anselin 1995）：固定地区 i 的值，把其余 n−1 个值随机分配给
    它的邻居，重算 I_i；p 值按 esda 的做法取折叠的单尾比例 (min(#≥, #<) + 1)/(置换次数 + 1)。

    esda 自己的实现（``esda.crand``）依赖 numba，在本书的构建环境中首次编译要两分钟以上，
    而每个笔记本都要重新编译一次；这里用 numpy 写出同一算法（n 只有 31，向量化足够快），
    tests 中与 esda 的结果对照。
    """
    rng = np.random.default_rng(seed)
    n = len(z)
    den = float((z * z).sum())
    p = np.empty(n)
    for i in range(n):
        nbrs, weights = w.neighbors[w.id_order[i]], np.asarray(w.weights[w.id_order[i]], dtype=float)
        others = np.delete(z, i)
        draws = rng.random((permutations, n - 1)).argsort(axis=1)[:, :len(nbrs)]
        lag = (others[draws] * weights).sum(axis=1)
        sims = (n - 1) * z[i] * lag / den
        larger = int((sims >= Is[i]).sum())
        larger = min(larger, permutations - larger)
        p[i] = (larger + 1) / (permutations + 1)
    return p


@dataclass
class SpatialMarkovResult:
    """空间马尔可夫链：``counts[l, i, j]``、``P[l]`` 为邻居平均水平处于第 l 类时，从第 i 类到第 j 类的
    转移次数与概率（没有观测的行为 NaN）；``ergodic[l]`` 为对应的遍历分布（无法估计时为 NaN）。
    ``lag_cutoffs`` 为空间滞后（邻居的加权平均相对水平）的分界。"""

    counts: np.ndarray
    P: np.ndarray
    ergodic: np.ndarray
    cutoffs: np.ndarray
    lag_cutoffs: np.ndarray
    k: int
    chi2: float
    chi2_p: float
    dof: int


def spatial_markov(rel, neighbours: dict, k: int, scheme: str = "quantile") -> SpatialMarkovResult:
    """空间马尔可夫链（giddy.markov.Spatial_Markov，Rey 2001）：按邻居的平均相对水平分组估计转移矩阵。

    ``rel`` 为地区 × 年份的相对水平宽表；自身的类别与 :func:`classify` 相同，空间滞后按合并后的
    分位数分成 k 类。总的类别不得有空类（同 :func:`markov`）；条件矩阵中没有观测的行记为 NaN。
    """
    from giddy.markov import Spatial_Markov

    rel = _positive_wide(rel)
    k = _check_classes(k)
    ids, cutoffs = classify(rel, k, scheme)
    counts_all = np.zeros((k, k))
    a = ids.to_numpy()
    np.add.at(counts_all, (a[:, :-1].ravel(), a[:, 1:].ravel()), 1)
    _empty_rows(counts_all)
    w = spatial_weights(neighbours, rel.index)
    sm = Spatial_Markov(rel.to_numpy(), w, k=k, m=k, fixed=True, cutoffs=list(cutoffs),
                        fill_empty_classes=True)
    counts = np.asarray(sm.T, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = counts / counts.sum(axis=2, keepdims=True)
    erg = np.full((k, k), np.nan)
    for l in range(k):
        if (counts[l].sum(axis=1) > 0).all():
            try:
                erg[l] = ergodic(P[l])
            except MeasureError:  # 可约：遍历分布不唯一，记为 NaN
                pass
    return SpatialMarkovResult(counts, P, erg, np.asarray(cutoffs, dtype=float),
                               np.asarray(sm.lag_cutoffs, dtype=float), k,
                               float(sm.Q), float(sm.Q_p_value), int(sm.dof_hom))
