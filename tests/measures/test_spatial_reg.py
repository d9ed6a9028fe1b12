"""quyu.measures.spatial_reg 的测试：spreg 的每一个结果都与独立的 numpy 计算对照——
两个模型的对数似然按公式在 spreg 的估计值处重算、用自己的一维优化重新估计空间参数，LM 检验按 Anselin（1988）的公式，
滞后模型的效应由 (I − ρW)⁻¹ 直接求出，残差的 Moran's I 按定义计算；再用已知参数的模拟数据检验估计能否找回参数。
（本书数据上的空间 β 收敛在第四部分的测试中。）"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from quyu import measures


def _lattice(rows: int, cols: int) -> dict:
    """rows × cols 方格的车式相邻（上下左右）。"""
    nb = {}
    for r in range(rows):
        for c in range(cols):
            nb[f"{r}_{c}"] = [f"{r + dr}_{c + dc}" for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1))
                              if 0 <= r + dr < rows and 0 <= c + dc < cols]
    return nb


def _dense(nb: dict, ids: list) -> np.ndarray:
    """行标准化的权重矩阵（手工构造，不经 libpysal）。"""
    pos = {c: i for i, c in enumerate(ids)}
    W = np.zeros((len(ids), len(ids)))
    for c in ids:
        for d in nb[c]:
            W[pos[c], pos[d]] = 1.0
    return W / W.sum(axis=1, keepdims=True)


@pytest.fixture(scope="module")
def sim():
    """7 × 7 方格上由空间滞后过程生成的数据（ρ = 0.5，β = −0.8），固定种子。"""
    nb = _lattice(7, 7)
    ids = list(nb)
    W = _dense(nb, ids)
    rng = np.random.default_rng(7)
    x = rng.normal(size=len(ids))
    y = np.linalg.solve(np.eye(len(ids)) - 0.5 * W, 1.0 - 0.8 * x + rng.normal(scale=0.5, size=len(ids)))
    y, x = pd.Series(y, index=ids), pd.Series(x, index=ids, name="x")
    return {"nb": nb, "ids": ids, "W": W, "y": y, "x": x,
            "res": measures.spatial_regression(y, x, nb, permutations=99, seed=3)}


def _ols(y, X):
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    return b, y - X @ b


def _lag_loglik(rho, y, X, W):
    """空间滞后模型的对数似然（β、σ² 集中掉，含常数项）。"""
    n = len(y)
    A = np.eye(n) - rho * W
    b, e = _ols(A @ y, X)
    s2 = e @ e / n
    return -n / 2 * np.log(2 * np.pi) - n / 2 * np.log(s2) - n / 2 + np.linalg.slogdet(A)[1]


def _err_loglik(theta, y, X, W):
    """空间误差模型的对数似然（β 由空间滤波后的最小二乘集中掉）。"""
    n = len(y)
    B = np.eye(n) - theta * W
    b, e = _ols(B @ y, B @ X)
    s2 = e @ e / n
    return -n / 2 * np.log(2 * np.pi) - n / 2 * np.log(s2) - n / 2 + np.linalg.slogdet(B)[1]


def _design(s):
    return np.column_stack([np.ones(len(s["x"])), s["x"].to_numpy()]), s["y"].to_numpy()


def test_ols_part_is_ordinary_least_squares(sim):
    X, y = _design(sim)
    b, e = _ols(y, X)
    r = sim["res"]
    assert r.ols.coef.to_numpy() == pytest.approx(b, rel=1e-10)
    assert r.resid.to_numpy() == pytest.approx(e, abs=1e-12)
    assert list(r.ols.coef.index) == ["const", "x"] and r.n == 49
    n = len(y)
    assert r.ols.logll == pytest.approx(-n / 2 * (np.log(2 * np.pi) + np.log(e @ e / n) + 1))


def test_lag_model_likelihood_and_estimate_match_numpy(sim):
    X, y = _design(sim)
    r = sim["res"]
    # spreg 的对数似然等于手算公式在 spreg 的 ρ 处的值
    assert r.lag.logll == pytest.approx(_lag_loglik(r.lag.spatial, y, X, sim["W"]), abs=1e-8)
    # 自己做一维优化，找回同一个 ρ 与 β
    opt = optimize.minimize_scalar(lambda p: -_lag_loglik(p, y, X, sim["W"]), bounds=(-0.99, 0.99),
                                   method="bounded", options={"xatol": 1e-10})
    assert r.lag.spatial == pytest.approx(opt.x, abs=1e-5)
    b, _ = _ols((np.eye(len(y)) - opt.x * sim["W"]) @ y, X)
    assert r.lag.coef.to_numpy() == pytest.approx(b, abs=1e-5)
    # 似然比检验：2(lnL_lag − lnL_ols)，自由度 1
    assert r.lag.lr == pytest.approx(2 * (r.lag.logll - r.ols.logll))
    assert r.lag.lr_p == pytest.approx(stats.chi2.sf(r.lag.lr, 1))
    assert r.lag.aic == pytest.approx(-2 * r.lag.logll + 2 * 3)


def test_error_model_concentrated_likelihood_matches_spreg(sim):
    X, y = _design(sim)
    r = sim["res"]
    assert r.error.logll == pytest.approx(_err_loglik(r.error.spatial, y, X, sim["W"]), abs=1e-8)
    opt = optimize.minimize_scalar(lambda t: -_err_loglik(t, y, X, sim["W"]), bounds=(-0.99, 0.99),
                                   method="bounded", options={"xatol": 1e-10})
    assert r.error.spatial == pytest.approx(opt.x, abs=1e-4)
    B = np.eye(len(y)) - r.error.spatial * sim["W"]
    assert r.error.coef.to_numpy() == pytest.approx(_ols(B @ y, B @ X)[0], rel=1e-8)
    # AIC 把 θ 计入参数（与滞后模型可比）
    assert r.error.aic == pytest.approx(-2 * r.error.logll + 2 * 3)


def test_simulated_parameters_are_recovered(sim):
    r = sim["res"]
    assert abs(r.lag.spatial - 0.5) < 2.5 * r.lag.spatial_se
    assert abs(r.lag.coef["x"] + 0.8) < 2.5 * r.lag.se["x"]
    assert r.lag.spatial_p < 0.05 and r.lm["lag"].p < 0.05


def test_lm_tests_match_anselin_formulas(sim):
    X, y = _design(sim)
    W = sim["W"]
    n = len(y)
    b, e = _ols(y, X)
    s2 = e @ e / n
    T = np.trace(W.T @ W + W @ W)
    M = np.eye(n) - X @ np.linalg.solve(X.T @ X, X.T)
    WXb = W @ X @ b
    D = WXb @ M @ WXb / s2 + T
    de, dl = e @ W @ e / s2, e @ W @ y / s2
    expect = {"error": de ** 2 / T, "lag": dl ** 2 / D,
              "robust_error": (de - T / D * dl) ** 2 / (T - T ** 2 / D), "robust_lag": (dl - de) ** 2 / (D - T)}
    for key, stat in expect.items():
        assert sim["res"].lm[key].stat == pytest.approx(stat, rel=1e-8), key
        assert sim["res"].lm[key].p == pytest.approx(stats.chi2.sf(stat, 1), rel=1e-8), key


def test_lag_effects_match_the_inverse_matrix(sim):
    r = sim["res"]
    n = r.n
    S = np.linalg.inv(np.eye(n) - r.lag.spatial * sim["W"]) * r.lag.coef["x"]
    assert r.effects.direct["x"] == pytest.approx(np.trace(S) / n, rel=1e-10)
    assert r.effects.total["x"] == pytest.approx(S.sum() / n, rel=1e-10)
    assert r.effects.total["x"] == pytest.approx(r.lag.coef["x"] / (1 - r.lag.spatial), rel=1e-10)
    assert r.effects.indirect["x"] == pytest.approx((S.sum() - np.trace(S)) / n, rel=1e-10)


def test_simulated_effect_intervals_agree_with_the_delta_method(sim):
    """效应区间由 (β, ρ) 的抽样模拟得到：与对 β/(1 − ρ) 的 delta 法区间对照（独立的解析计算），
    点估计落在区间内，强效应的 p 值很小。"""
    import spreg

    r = sim["res"]
    e = r.effects
    assert 0.99 * 10000 < e.draws <= 10000
    for key in ("direct", "indirect", "total"):
        point = getattr(e, key)["x"]
        assert e.lo.loc["x", key] < point < e.hi.loc["x", key]
    # delta 法：总效应 β/(1 − ρ) 的梯度 (1/(1 − ρ), β/(1 − ρ)²)，协方差取 spreg 的 (β, ρ) 块
    y, X, W = sim["y"].to_numpy()[:, None], sim["x"].to_numpy()[:, None], None
    from quyu.measures.spatial import spatial_weights
    lag = spreg.ML_Lag(y, X, spatial_weights(sim["nb"], sim["ids"]), method="full")
    b, rho = lag.betas.ravel()[1], lag.betas.ravel()[2]
    V = np.asarray(lag.vm)[np.ix_([1, 2], [1, 2])]
    g = np.array([1 / (1 - rho), b / (1 - rho) ** 2])
    se = float(np.sqrt(g @ V @ g))
    half = (e.hi.loc["x", "total"] - e.lo.loc["x", "total"]) / 2
    assert half == pytest.approx(1.96 * se, rel=0.25)
    assert e.p.loc["x", "total"] < 0.01 and e.p.loc["x", "direct"] < 0.01


def test_residual_moran_expectation_is_trace_mw(sim):
    """残差莫兰指数的期望 tr(MW)/(n − k)，用手工构造的 W 与 M 独立计算。"""
    r, W = sim["res"], sim["W"]
    n = len(sim["ids"])
    X = np.column_stack([np.ones(n), sim["x"].to_numpy()])
    M = np.eye(n) - X @ np.linalg.inv(X.T @ X) @ X.T
    assert r.moran_resid_ei == pytest.approx(np.trace(M @ W) / (n - 2), rel=1e-10)


def test_residual_moran_matches_definition_and_spreg(sim):
    r = sim["res"]
    z = r.resid.to_numpy() - r.resid.mean()
    W = sim["W"]
    n = len(z)
    hand = n / W.sum() * (z @ W @ z) / (z @ z)
    assert r.moran_resid.I == pytest.approx(hand, rel=1e-10)
    assert r.moran_resid_norm[0] == pytest.approx(hand, rel=1e-10)
    assert r.moran_resid.permutations == 99


def test_bad_inputs_are_refused():
    nb = _lattice(3, 3)
    ids = list(nb)
    y = pd.Series(np.arange(9.0), index=ids)
    x = pd.Series(np.arange(9.0) ** 2, index=ids)
    with pytest.raises(measures.MeasureError, match="不一致"):
        measures.spatial_regression(y, x.iloc[::-1], nb)
    with pytest.raises(measures.MeasureError, match="缺失"):
        measures.spatial_regression(y.where(y > 0), x, nb)
    with pytest.raises(measures.MeasureError, match="孤岛"):
        measures.spatial_regression(y, x, {**nb, "0_0": []})
    with pytest.raises(measures.MeasureError, match="观测太少"):
        measures.spatial_regression(y.iloc[:4], x.iloc[:4], nb)
