"""quyu.measures.rank（Kendall τ、空间 τ、区域分解；包装 giddy.rank）：与 scipy 和手算对照，检查不变量。"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from quyu import measures

LINE = {"A": ["B"], "B": ["A", "C"], "C": ["B", "D"], "D": ["C", "E"], "E": ["D"]}
IDX = list("ABCDE")


def _random_pair(seed, n=31):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(size=n)
    y = x * rng.lognormal(sigma=0.3, size=n)
    idx = [f"{i:02d}" for i in range(n)]
    return pd.Series(x, index=idx), pd.Series(y, index=idx)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tau_and_its_p_value_match_scipy(seed):
    x, y = _random_pair(seed)
    t = measures.kendall_tau(x, y)
    ref = stats.kendalltau(x, y, method="asymptotic")
    assert t.tau == pytest.approx(ref.statistic)
    assert t.p == pytest.approx(ref.pvalue, rel=1e-5)   # 同一个正态近似
    assert t.concordant + t.discordant == t.pairs == 31 * 30 // 2


def test_hand_example_and_decomposition_add_up():
    x = pd.Series([1, 2, 3, 4, 5], index=IDX, dtype=float)
    y = pd.Series([2, 1, 3, 5, 4], index=IDX, dtype=float)
    assert measures.kendall_tau(x, y).tau == pytest.approx(0.6)
    r = measures.regional_tau(x, y, pd.Series(list("甲甲甲乙乙"), index=IDX), permutations=99, seed=1)
    assert r.matrix.loc["甲", "甲"] == pytest.approx(1 / 3)
    assert r.matrix.loc["乙", "乙"] == pytest.approx(-1)
    assert r.matrix.loc["甲", "乙"] == r.matrix.loc["乙", "甲"] == pytest.approx(1)
    assert (r.n_intra, r.n_inter) == (4, 6)
    assert r.tau == pytest.approx(0.6)


@pytest.mark.parametrize("seed", [4, 5])
def test_regional_decomposition_is_consistent_on_random_data(seed):
    x, y = _random_pair(seed)
    groups = pd.Series(np.random.default_rng(seed).choice(list("abcd"), size=len(x)), index=x.index)
    r = measures.regional_tau(x, y, groups, permutations=99, seed=seed)
    tau = measures.kendall_tau(x, y).tau
    # giddy 的定义：各格的 τ 以（有序）对数为权，加权平均就是总的 τ；区域内与区域间的合计同理
    assert (r.matrix * r.pairs).to_numpy().sum() / r.pairs.to_numpy().sum() == pytest.approx(tau)
    assert (r.n_intra * r.intra + r.n_inter * r.inter) / (r.n_intra + r.n_inter) == pytest.approx(tau)
    assert r.tau == pytest.approx(tau)
    assert ((r.matrix >= -1) & (r.matrix <= 1)).all().all()
    assert np.allclose(r.matrix, r.matrix.T) and np.allclose(r.p_sim, r.p_sim.T)
    assert ((r.p_sim > 0) & (r.p_sim <= 1)).all().all()
    # 总 τ 在置换下不变，所以区域内与区域间合计的检验是同一个检验
    assert r.intra_p == pytest.approx(r.inter_p)


def test_spatial_tau_counts_neighbour_pairs_by_hand():
    x = pd.Series([1, 2, 3, 4, 5], index=IDX, dtype=float)
    y = pd.Series([2, 1, 3, 5, 4], index=IDX, dtype=float)
    s = measures.spatial_tau(x, y, LINE, permutations=99, seed=7)
    # 链 A—B—C—D—E 的 4 对邻居中 (A,B)、(D,E) 颠倒，(B,C)、(C,D) 一致：空间 τ = (2 − 2)/4 = 0
    assert (s.pairs_spatial, s.concordant_spatial, s.discordant_spatial) == (4, 2, 2)
    assert s.tau_spatial == pytest.approx(0)
    assert s.tau == pytest.approx(0.6)
    assert 0 < s.p_sim <= 0.5 + 1e-9 and -1 <= s.expected <= 1
    again = measures.spatial_tau(x, y, LINE, permutations=99, seed=7)
    assert again.p_sim == s.p_sim and again.expected == s.expected   # 种子固定，结果可重复
    state = np.random.get_state()[1].copy()
    measures.spatial_tau(x, y, LINE, permutations=99, seed=8)
    assert (np.random.get_state()[1] == state).all()   # 不改变调用者的随机状态


@pytest.mark.parametrize("seed", [1, 2])
def test_spatial_p_counts_ties_on_both_sides(seed):
    x, y = _random_pair(seed, n=12)
    ring = {f"{i:02d}": [f"{(i - 1) % 12:02d}", f"{(i + 1) % 12:02d}"] for i in range(12)}
    s = measures.spatial_tau(x, y, ring, permutations=199, seed=seed)
    le, ge = int((s.taus <= s.tau_spatial).sum()), int((s.taus >= s.tau_spatial).sum())
    assert len(s.taus) == 199
    assert s.p_sim == pytest.approx((1 + min(le, ge)) / (1 + 199))
    assert s.p_two == pytest.approx(min(1.0, 2 * s.p_sim))
    assert s.expected == pytest.approx(s.taus.mean())


def test_giddy_drops_ties_in_the_lower_tail_on_a_small_discrete_example():
    # 链上 4 对邻居，空间 τ 只能取 −1、−0.5、0、0.5、1：观测值 0 已是置换分布的最小值，
    # 但有许多置换与它相等。giddy.rank.pseudop 翻到下尾时只数严格更小的置换（0 个），给出 1/(1+99)；
    # 两侧都计并列的伪 p 值把相等的置换算进去，远大于它。
    x = pd.Series([1, 2, 3, 4, 5], index=IDX, dtype=float)
    y = pd.Series([2, 1, 3, 5, 4], index=IDX, dtype=float)
    s = measures.spatial_tau(x, y, LINE, permutations=99, seed=7)
    below, tied = int((s.taus < s.tau_spatial).sum()), int((s.taus == s.tau_spatial).sum())
    assert below == 0 and tied > 5
    assert s.p_sim_giddy == pytest.approx((1 + below) / 100)
    assert s.p_sim == pytest.approx((1 + tied) / 100) and s.p_sim > 5 * s.p_sim_giddy
    # 两期位次完全相同：每一次置换的空间 τ 都是 1，观测值毫不特殊，伪 p 值应为 1（giddy 给 0.01）
    same = measures.spatial_tau(x, x, LINE, permutations=99, seed=7)
    assert (same.taus == 1).all() and same.p_sim == 1 and same.p_two == 1
    assert same.p_sim_giddy == pytest.approx(0.01)


def test_regional_two_sided_p_values():
    x, y = _random_pair(6)
    groups = pd.Series(np.random.default_rng(6).choice(list("abc"), size=len(x)), index=x.index)
    r = measures.regional_tau(x, y, groups, permutations=99, seed=6)
    assert r.intra_p_two == pytest.approx(min(1.0, 2 * r.intra_p))
    assert np.allclose(r.p_two, np.minimum(1.0, 2 * r.p_sim))


def test_inputs_are_checked():
    x = pd.Series([1, 2, 3], index=list("ABC"), dtype=float)
    with pytest.raises(measures.MeasureError, match="两期的地区不同"):
        measures.kendall_tau(x, pd.Series([1, 2, 3], index=list("ABD"), dtype=float))
    with pytest.raises(measures.MeasureError, match="数值缺失"):
        measures.kendall_tau(x, pd.Series([1, np.nan, 3], index=list("ABC")))
    with pytest.raises(measures.MeasureError, match="分组标签"):
        measures.regional_tau(x, x * 2, pd.Series(["a", "b"], index=list("AB")), permutations=99)
    with pytest.raises(measures.MeasureError, match="置换次数"):
        measures.spatial_tau(x, x, {"A": ["B"], "B": ["A", "C"], "C": ["B"]}, permutations=19)


def test_ranks_put_the_highest_first():
    r = measures.ranks(pd.Series([3.0, 1.0, 2.0], index=list("abc")))
    assert r.tolist() == [1, 3, 2]
