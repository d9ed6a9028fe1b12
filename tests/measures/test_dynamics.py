"""quyu.measures.dynamics 的测试（不依赖 data/ 的部分；用本书数据的马尔可夫链测试在第四部分的测试中）。"""
from __future__ import annotations

import pandas as pd
import pytest

from quyu import measures


def test_empty_class_gets_a_chinese_message():
    ids = pd.DataFrame([[0, 0, 1], [1, 1, 0], [0, 1, 1]])
    with pytest.raises(measures.MeasureError, match="第 3 类"):
        measures.markov(ids, 3)
    with pytest.raises(measures.MeasureError, match="分类数"):
        measures.classify(pd.DataFrame([[1.0, 2.0], [2.0, 1.0]]), 12)


# ---------------------------------------------------------------- 遍历分布、重抽样与 Bickenbach–Bode 检验

import numpy as np  # noqa: E402


def test_ergodic_matches_hand_solution_and_refuses_reducible_chains():
    # 两类链：π1 = 0.9π1 + 0.05π2 → π = (1/3, 2/3)
    assert np.allclose(measures.ergodic([[0.9, 0.1], [0.05, 0.95]]), [1 / 3, 2 / 3])
    # 第 1 类一旦进入就不再离开：旧的手写特征向量法会悄悄给出 [1, 0, 0]
    absorbing = np.array([[1.0, 0.0, 0.0], [0.2, 0.5, 0.3], [0.0, 0.4, 0.6]])
    with pytest.raises(measures.MeasureError, match="可约"):
        measures.ergodic(absorbing)
    # 只有一个封闭类时，重抽样可用它唯一的平稳分布
    assert np.allclose(measures.ergodic(absorbing, allow_reducible=True), [1, 0, 0])
    two_closed = np.array([[0.5, 0.5, 0.0], [0.2, 0.8, 0.0], [0.0, 0.0, 1.0]])
    with pytest.raises(measures.MeasureError, match="可约"):
        measures.ergodic(two_closed, allow_reducible=True)
    with pytest.raises(measures.MeasureError, match="没有观测"):
        measures.ergodic([[0.5, 0.5], [0.0, 0.0]])


def _toy_classes(seed=0, n=12, T=15, k=3):
    rng = np.random.default_rng(seed)
    ids = np.zeros((n, T), dtype=int)
    ids[:, 0] = rng.integers(0, k, n)
    for t in range(1, T):
        step = rng.choice([-1, 0, 0, 0, 1], size=n)
        ids[:, t] = np.clip(ids[:, t - 1] + step, 0, k - 1)
    return pd.DataFrame(ids, columns=range(2000, 2000 + T))


def test_bootstrap_replicate_equals_the_chain_of_the_resampled_units():
    ids = _toy_classes()
    boot = measures.markov_bootstrap(ids, 3, reps=99, seed=4)
    again = measures.markov_bootstrap(ids, 3, reps=99, seed=4)
    assert np.array_equal(boot.draws, again.draws) and np.allclose(boot.P, again.P, equal_nan=True)
    for r in (0, 17, 98):
        sample = ids.iloc[boot.draws[r]]           # 被抽中的整条路径，重复抽中的地区出现多次
        ref = measures.markov(sample, 3)
        assert np.allclose(boot.P[r], ref.P)
        assert np.allclose(boot.initial[r], ref.initial)
        if np.isfinite(ref.ergodic).all():
            assert np.allclose(boot.ergodic[r], ref.ergodic)
    # 手工复制第 1 个地区：它的转移次数正好多算一遍
    doubled = measures.markov(pd.concat([ids, ids.iloc[[0]]]), 3).counts
    own = np.zeros((3, 3))
    np.add.at(own, (ids.iloc[0, :-1].to_numpy(), ids.iloc[0, 1:].to_numpy()), 1)
    assert np.allclose(doubled, measures.markov(ids, 3).counts + own)
    with pytest.raises(measures.MeasureError, match="重复次数"):
        measures.markov_bootstrap(ids, 3, reps=10)


def _hand_homogeneity(M):
    """Bickenbach & Bode（2003）的 Q、LR 与自由度，逐格手算。"""
    M = np.asarray(M, dtype=float)
    pooled = M.sum(axis=0)
    p = pooled / pooled.sum(axis=1, keepdims=True)
    Q = LR = 0.0
    for m in range(M.shape[0]):
        for i in range(M.shape[1]):
            n_im = M[m, i].sum()
            if n_im == 0:
                continue
            for j in range(M.shape[2]):
                pm = M[m, i, j] / n_im
                if p[i, j] > 0:
                    Q += n_im * (pm - p[i, j]) ** 2 / p[i, j]
                if M[m, i, j] > 0:
                    LR += 2 * M[m, i, j] * np.log(pm / p[i, j])
    a = (M.sum(axis=2) > 0).sum(axis=0)          # 每行有观测的组数
    b = (p > 0).sum(axis=1)                        # 每行概率非零的格数
    return Q, LR, int(((a - 1) * (b - 1)).sum())


def test_bickenbach_bode_tests_match_hand_computation():
    from scipy.stats import chi2

    ids = _toy_classes(seed=2, n=20, T=16)
    h = measures.time_homogeneity(ids, 3, 2008)
    M = np.zeros((2, 3, 3))
    a = ids.to_numpy()
    for t in range(a.shape[1] - 1):
        for u in range(a.shape[0]):
            M[0 if ids.columns[t] < 2008 else 1, a[u, t], a[u, t + 1]] += 1
    Q, LR, dof = _hand_homogeneity(M)
    assert np.allclose(h.counts, M) and h.n == 20 * 15
    assert h.Q == pytest.approx(Q) and h.LR == pytest.approx(LR) and h.dof == dof
    assert h.LR_p == pytest.approx(chi2.sf(LR, dof))
    # 一阶马尔可夫性：按前一年所在类分组
    o = measures.markov_property_test(ids, 3)
    T3 = np.zeros((3, 3, 3))
    for u in range(a.shape[0]):
        for t in range(a.shape[1] - 2):
            T3[a[u, t], a[u, t + 1], a[u, t + 2]] += 1
    Q, LR, dof = _hand_homogeneity(T3)
    assert o.Q == pytest.approx(Q) and o.LR == pytest.approx(LR) and o.dof == dof
    with pytest.raises(measures.MeasureError, match="分段年份"):
        measures.time_homogeneity(ids, 3, 2000)


def test_markov_property_test_rejects_a_chain_with_memory():
    # 二阶依赖：上一步向上走的地区这一步接着向上（动量），一阶马尔可夫链描述不了
    rng = np.random.default_rng(0)
    n, T = 60, 30
    ids = np.zeros((n, T), dtype=int)
    ids[:, :2] = rng.integers(0, 3, (n, 2))
    for t in range(2, T):
        trend = np.sign(ids[:, t - 1] - ids[:, t - 2])
        move = np.where(trend != 0, trend, rng.choice([-1, 0, 1], n))
        ids[:, t] = np.clip(ids[:, t - 1] + np.where(rng.random(n) < 0.8, move, 0), 0, 2)
        stuck = ids[:, t] == ids[:, t - 1]
        ids[stuck, t] = np.clip(ids[stuck, t] + rng.choice([-1, 1], stuck.sum()), 0, 2)
    assert measures.markov_property_test(ids, 3).LR_p < 0.01
