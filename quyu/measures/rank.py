"""位次流动：Kendall τ、空间 τ（Rey 2004）及其区域间与区域内分解（Rey 2016），包装 giddy.rank。

函数都是纯函数：两期的数值以地区代码为索引的 Series 传入，邻接关系以 {代码: [邻省代码]} 的字典、
分组以 Series 传入，不读任何文件。置换检验用固定的随机数种子，调用前后恢复 numpy 的全局随机状态。

- τ 的意义：地区两两成对，两期高低顺序相同的对为“一致”，相反的为“不一致”；
  τ = (一致 − 不一致) / 对数（无并列时），τ = 1 表示位次没有任何交换。
- 空间 τ 只数相邻的对；置换检验把地区的位置随机打乱（两期一起打乱），问相邻的对是否比随机的对
  更少（或更多）交换位次。
- 伪 p 值：``p_sim`` 等是观测值所在一侧（较近的一尾）的单尾伪 p 值，两侧都把与观测值相等的置换算进去；
  两个方向都可能的假设应当用双侧伪 p 值 ``min(1, 2·p_sim)``（各结果的 ``*_two`` 属性）。
- 区域分解：把全部地区对按两端所属的区域分组，每组一个 τ；区域内与区域间的 τ 按对数加权平均，
  恰好等于总的 τ（giddy 的 Tau_Regional 与 Tau_Local 用同一个一致性矩阵 S）。
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._checks import _fail
from .spatial import check_permutations, spatial_weights

__all__ = ["TauResult", "kendall_tau", "SpatialTauResult", "spatial_tau", "RegionalTauResult", "regional_tau",
           "ranks"]


def _pair(x, y) -> tuple[pd.Series, pd.Series]:
    """两期数值按索引对齐；缺失或索引不同则报错。"""
    x = pd.Series(x, dtype=float) if not isinstance(x, pd.Series) else x.astype(float)
    y = pd.Series(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
    if set(x.index) != set(y.index):
        _fail("两期的地区不同", "the two periods cover different units",
              sorted(set(x.index) ^ set(y.index), key=str))
    y = y.reindex(x.index)
    bad = x.index[x.isna() | y.isna()]
    if len(bad):
        _fail("数值缺失", "missing values", list(bad))
    if len(x) < 3:
        _fail("至少需要 3 个地区", "at least 3 units are needed")
    return x, y


def ranks(values: pd.Series) -> pd.Series:
    """位次：数值最高的为 1（并列取平均位次）。"""
    return pd.Series(values, dtype=float).rank(ascending=False, method="average")


@dataclass
class TauResult:
    """Kendall τ（giddy.rank.Tau；有并列时为 τ_b）与零假设 τ = 0 的渐近（正态近似）双尾 p 值。"""

    tau: float
    p: float
    concordant: int
    discordant: int
    n: int

    @property
    def pairs(self) -> int:
        return self.n * (self.n - 1) // 2


def kendall_tau(x, y) -> TauResult:
    """两期数值之间的 Kendall τ（giddy.rank.Tau）。"""
    from giddy.rank import Tau

    x, y = _pair(x, y)
    t = Tau(x.to_numpy(), y.to_numpy())
    return TauResult(float(t.tau), float(t.tau_p), int(t.concordant), int(t.discordant), len(x))


def _seeded(seed: int, func):
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        return func()
    finally:
        np.random.set_state(state)


def _two_sided(p):
    """较近一尾的单尾伪 p 值 → 双侧伪 p 值 min(1, 2p)。"""
    return np.minimum(1.0, 2 * p) if isinstance(p, (pd.DataFrame, np.ndarray)) else min(1.0, 2 * float(p))


@dataclass
class SpatialTauResult:
    """空间 τ（giddy.rank.SpatialTau，Rey 2004）：相邻地区对的 τ、置换分布的均值与伪 p 值。

    ``p_sim`` 由置换分布重算（:func:`_pseudo_p`，两侧都计并列）；``p_sim_giddy`` 是 giddy 自己的
    ``tau_spatial_psim``，只为对照保留（见 :func:`spatial_tau`）；``p_two`` 是双侧伪 p 值；``taus`` 是置换分布。"""

    tau: float
    tau_p: float
    tau_spatial: float
    expected: float
    p_sim: float
    pairs_spatial: int
    concordant_spatial: int
    discordant_spatial: int
    permutations: int
    p_sim_giddy: float
    taus: np.ndarray = field(repr=False)

    @property
    def p_two(self) -> float:
        return _two_sided(self.p_sim)


def spatial_tau(x, y, neighbours: dict, permutations: int = 999, seed: int = 12345) -> SpatialTauResult:
    """空间 τ：只计相邻的地区对（邻接字典见 :func:`~quyu.measures.spatial.spatial_weights`，不允许孤岛）。

    置换检验（``permutations`` 次，须在 99—9999 之间）把地区的位置随机打乱后重算；``expected`` 是
    置换分布的均值，``p_sim`` 是较近一尾的单尾伪 p 值 (1 + min(#{τ* ≤ τ}, #{τ* ≥ τ})) / (1 + 置换次数)。

    不直接用 giddy 的 ``tau_spatial_psim``：giddy.rank.pseudop 先数上尾 #{τ* ≥ τ}（含并列），翻到下尾时
    却用“置换次数 − 上尾个数”，即 #{τ* < τ}，把与观测值相等的置换排除在外。空间 τ 只能取有限个值
    （相邻对数 m 时最多 m + 1 个），并列的置换很多，giddy 的下尾 p 值因此偏小。这里用置换分布
    ``taus`` 按 :func:`_pseudo_p` 重算，两侧都计并列；giddy 的值留在 ``p_sim_giddy`` 中备查。
    """
    from giddy.rank import SpatialTau
    from libpysal.weights import W

    permutations = check_permutations(permutations)
    x, y = _pair(x, y)
    ids = [str(i) for i in x.index]
    w_named = spatial_weights(neighbours, ids)   # 检查邻接表、去掉范围外的邻居、拒绝孤岛
    pos = {c: k for k, c in enumerate(ids)}
    # giddy 的 SpatialTau 用 id_order 中的值直接索引数组，所以 id 必须是 0…n−1 的位置
    w = W({pos[c]: [pos[j] for j in w_named.neighbors[c]] for c in ids}, id_order=list(range(len(ids))),
          silence_warnings=True)
    res = _seeded(seed, lambda: SpatialTau(x.to_numpy(), y.to_numpy(), w, permutations))
    taus = np.asarray(res.taus, dtype=float)
    return SpatialTauResult(float(res.tau), float(res.tau_p), float(res.tau_spatial), float(np.mean(taus)),
                            _pseudo_p(taus, float(res.tau_spatial), permutations), int(res.pairs_spatial),
                            int(res.concordant_spatial), int(res.discordant_spatial), permutations,
                            float(res.tau_spatial_psim), taus)


@dataclass
class RegionalTauResult:
    """τ 的区域分解（giddy.rank.Tau_Regional，Rey 2016）。

    ``matrix``：行、列为区域，对角线是区域内的 τ，非对角线是两区域之间的 τ；``p_sim``：各格较近一尾的
    单尾伪 p 值（giddy 的 ``tau_reg_pvalues``，两侧都计并列）；``pairs``：各格包含的（有序）地区对数。
    ``intra``、``inter``：全部区域内的对、全部区域间的对合起来的 τ，``intra_p``、``inter_p`` 是它们在同一组
    置换下的单尾伪 p 值。``tau`` = 按对数加权的 ``intra`` 与 ``inter``。``*_two`` 属性是双侧伪 p 值 min(1, 2p)。
    """

    tau: float
    matrix: pd.DataFrame
    p_sim: pd.DataFrame
    pairs: pd.DataFrame
    intra: float
    inter: float
    intra_p: float
    inter_p: float
    n_intra: int
    n_inter: int
    permutations: int

    @property
    def p_two(self) -> pd.DataFrame:
        return _two_sided(self.p_sim)

    @property
    def intra_p_two(self) -> float:
        return _two_sided(self.intra_p)

    @property
    def inter_p_two(self) -> float:
        return _two_sided(self.inter_p)


def _pseudo_p(sims: np.ndarray, observed: float, permutations: int) -> float:
    """较近一尾的单尾伪 p 值 (1 + min(#{sims ≥ observed}, #{sims ≤ observed})) / (1 + permutations)。

    两侧都计并列，与 giddy 的 Tau_Regional、Tau_Local 相同（不同于 giddy.rank.pseudop，见 :func:`spatial_tau`）。"""
    larger = int((sims >= observed).sum())
    smaller = int((sims <= observed).sum())
    return (1 + min(larger, smaller)) / (1 + permutations)


def regional_tau(x, y, groups, permutations: int = 999, seed: int = 12345) -> RegionalTauResult:
    """τ 的区域间与区域内分解：``groups`` 是以地区代码为索引的分组标签。"""
    from giddy.rank import Tau_Regional

    permutations = check_permutations(permutations)
    x, y = _pair(x, y)
    g = pd.Series(groups).reindex(x.index)
    if g.isna().any():
        _fail("这些地区没有分组标签", "units without a group label", list(g.index[g.isna()]))
    reg = g.to_numpy()

    def run():
        with warnings.catch_warnings():   # 分块权重本来就由互不相连的几块组成，libpysal 的提示与此无关
            warnings.simplefilter("ignore", UserWarning)
            return Tau_Regional(x.to_numpy(), y.to_numpy(), reg, permutations)

    res = _seeded(seed, run)
    labels = sorted(pd.unique(reg).tolist())   # giddy 用 np.unique 的顺序
    sizes = np.array([(reg == r).sum() for r in labels], dtype=float)
    pairs = np.outer(sizes, sizes) - np.diag(sizes)       # 区域内 n_r(n_r − 1)，区域间 n_r·n_s（有序对）
    intra_mask = np.eye(len(labels), dtype=bool)
    n = len(x)

    def pooled(m: np.ndarray, mask: np.ndarray) -> float:
        return float((m * pairs)[mask].sum() / pairs[mask].sum())

    intra, inter = pooled(res.tau_reg, intra_mask), pooled(res.tau_reg, ~intra_mask)
    sims = res.tau_reg_sim
    sim_intra = np.array([pooled(s, intra_mask) for s in sims])
    sim_inter = np.array([pooled(s, ~intra_mask) for s in sims])
    frame = lambda a: pd.DataFrame(a, index=labels, columns=labels)  # noqa: E731
    n_intra, n_inter = int(pairs[intra_mask].sum()), int(pairs[~intra_mask].sum())
    assert n_intra + n_inter == n * (n - 1)
    return RegionalTauResult(float(np.asarray(res.S).sum() / (n * (n - 1))), frame(res.tau_reg),
                             frame(res.tau_reg_pvalues), frame(pairs.astype(int)), intra, inter,
                             _pseudo_p(sim_intra, intra, permutations), _pseudo_p(sim_inter, inter, permutations),
                             n_intra // 2, n_inter // 2, permutations)
