"""事件研究（quyu.measures.event）：系数与独立的最小二乘一致，聚类标准误与 statsmodels 的聚类协方差一致，
前导项的 F 检验与手算一致，野聚类自助法在同一种子下可以重现、换种子时只有蒙特卡罗误差。"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from quyu import measures
from quyu.measures import event


def synthetic(seed=1, n_units=24, years=range(2000, 2012), treat_year=2006, pre_trend=0.0, effect=0.1):
    """合成面板：单位效应、年份效应、按单位相关的误差；处理组（前一半单位）在 treat_year 之后多出 effect。"""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_units):
        a, shock = rng.normal(), rng.normal(scale=0.05)
        treated = i < n_units // 2
        for t in years:
            k = t - treat_year
            y = a + 0.03 * (t - 2000) + shock * (t - 2000) / 10 + rng.normal(scale=0.05)
            if treated:
                y += (effect if k >= 0 else 0.0) + pre_trend * min(k, 0)
            rows.append({"u": f"u{i:02d}", "t": t, "y": y, "d": treated})
    return pd.DataFrame(rows)


def test_coefficients_equal_independent_lstsq_and_statsmodels_formula():
    import statsmodels.formula.api as smf

    df = synthetic()
    res = measures.event_study(df, "y", "u", "t", "d", 2006, n_boot=0)
    # 1) numpy 最小二乘，显式写出的虚拟变量（与 design() 无关）
    units, years = sorted(df["u"].unique()), sorted(df["t"].unique())
    cols = [np.ones(len(df))]
    cols += [(df["u"] == u).to_numpy(float) for u in units[1:]]
    cols += [(df["t"] == t).to_numpy(float) for t in years[1:]]
    ks = [t - 2006 for t in years if t - 2006 != -1]
    cols += [((df["t"] - 2006 == k) & df["d"]).to_numpy(float) for k in ks]
    beta = np.linalg.lstsq(np.column_stack(cols), df["y"].to_numpy(), rcond=None)[0]
    assert np.allclose(res.coefs.drop(index=-1)["coef"].to_numpy(), beta[-len(ks):], atol=1e-10)
    # 2) statsmodels 公式接口（C() 虚拟变量），按单位聚类的标准误
    d = df.copy()
    for k in ks:
        d[f"e{k + 100}"] = ((d["t"] - 2006 == k) & d["d"]).astype(float)
    names = [f"e{k + 100}" for k in ks]
    fit = smf.ols("y ~ C(u) + C(t) + " + " + ".join(names), data=d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["u"])[0]}, use_t=True)
    assert np.allclose(res.coefs.drop(index=-1)["coef"], fit.params[names], atol=1e-10)
    assert np.allclose(res.coefs.drop(index=-1)["se"], fit.bse[names], rtol=1e-8)
    ci = fit.conf_int().loc[names]
    assert np.allclose(res.coefs.drop(index=-1)["ci_low"], ci[0], rtol=1e-8)
    # 参照期的系数规定为 0
    assert res.coefs.loc[-1, "coef"] == 0 and np.isnan(res.coefs.loc[-1, "se"])


def test_balanced_panel_coefficient_is_a_difference_in_differences_of_means():
    df = synthetic(seed=3)
    res = measures.event_study(df, "y", "u", "t", "d", 2006, n_boot=0)
    m = df.groupby(["d", "t"])["y"].mean()
    for t in (2000, 2003, 2008, 2011):
        did = (m[True][t] - m[True][2005]) - (m[False][t] - m[False][2005])
        assert res.coefs.set_index("time").loc[t, "coef"] == pytest.approx(did, abs=1e-10)


def test_lead_f_test_matches_hand_computed_cluster_wald():
    df = synthetic(seed=4, pre_trend=0.02)
    res = measures.event_study(df, "y", "u", "t", "d", 2006, n_boot=0)
    X, names, ks, g = event.design(df, "u", "t", "d", 2006)
    n, k = X.shape
    G = g.max() + 1
    A = np.linalg.inv(X.T @ X)
    b = A @ X.T @ df["y"].to_numpy()
    e = df["y"].to_numpy() - X @ b
    meat = sum(np.outer(X[g == j].T @ e[g == j], X[g == j].T @ e[g == j]) for j in range(G))
    V = G / (G - 1) * (n - 1) / (n - k) * A @ meat @ A
    idx = [names.index(f"event[{kk}]") for kk in ks if kk < -1]
    r = b[idx]
    F = r @ np.linalg.solve(V[np.ix_(idx, idx)], r) / len(idx)
    assert res.lead_f == pytest.approx(F, rel=1e-8)
    assert res.lead_df == (len(idx), G - 1)
    # 自助法里用的同一个统计量
    f0, _ = measures.wild_bootstrap_p(df, "y", "u", "t", "d", 2006, n_boot=9, seed=0)
    assert f0 == pytest.approx(F, rel=1e-8)
    assert res.lead_p < 0.05   # 处理前有趋势：检验应当拒绝


def test_wild_bootstrap_is_deterministic_under_its_seed_and_sensible():
    df = synthetic(seed=5)
    a = measures.wild_bootstrap_p(df, "y", "u", "t", "d", 2006, n_boot=499, seed=7)
    b = measures.wild_bootstrap_p(df, "y", "u", "t", "d", 2006, n_boot=499, seed=7)
    c = measures.wild_bootstrap_p(df, "y", "u", "t", "d", 2006, n_boot=499, seed=8)
    assert a == b
    assert a[0] == c[0] and a[1] != c[1]
    assert 0 < a[1] <= 1 and (a[1] * 500) == pytest.approx(round(a[1] * 500))  # p = (1 + #) / (1 + B)
    # 没有处理前趋势：p 值不应很小；有很强的处理前趋势：p 值很小
    strong = synthetic(seed=5, pre_trend=0.08)
    assert measures.wild_bootstrap_p(strong, "y", "u", "t", "d", 2006, n_boot=499, seed=7)[1] < 0.01


def test_bad_inputs_are_chinese_errors():
    df = synthetic()
    with pytest.raises(measures.MeasureError, match="对照组"):
        measures.event_study(df.assign(d=True), "y", "u", "t", "d", 2006)
    with pytest.raises(measures.MeasureError, match="参照期"):
        measures.event_study(df, "y", "u", "t", "d", 2030)
    with pytest.raises(measures.MeasureError, match="缺失"):
        measures.event_study(df.assign(y=df["y"].where(df.index != 3)), "y", "u", "t", "d", 2006)
