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


def _independent_wild_p(df, seed, n_boot):
    """前导项检验的约束型野聚类自助法，另写一遍：每次抽样用 statsmodels 的公式接口重新估计、用它的聚类
    协方差做 F 检验（不用 design()、_cluster_wald()）。权重与被测函数的约定相同：
    ``default_rng(seed).integers(0, 2, size=(G, B)) * 2 - 1``，聚类按单位名称排序。"""
    import statsmodels.formula.api as smf

    d = df.reset_index(drop=True).copy()
    ks = sorted({t - 2006 for t in d["t"]} - {-1})
    names = [f"e{k + 100}" for k in ks]
    for k, nm in zip(ks, names):
        d[nm] = ((d["t"] - 2006 == k) & d["d"]).astype(float)
    leads = [nm for k, nm in zip(ks, names) if k < -1]
    lags = [nm for nm in names if nm not in leads]
    units = sorted(d["u"].unique())
    g = d["u"].map({u: i for i, u in enumerate(units)}).to_numpy()
    full = "y ~ C(u) + C(t) + " + " + ".join(names)
    hyp = ", ".join(f"{nm} = 0" for nm in leads)

    def fstat(data):
        fit = smf.ols(full, data=data).fit(cov_type="cluster", cov_kwds={"groups": g}, use_t=True)
        return float(np.squeeze(fit.f_test(hyp).fvalue))

    f0 = fstat(d)
    restricted = smf.ols("y ~ C(u) + C(t) + " + " + ".join(lags), data=d).fit()
    w = np.random.default_rng(seed).integers(0, 2, size=(len(units), n_boot)) * 2.0 - 1.0
    fs = []
    for b in range(n_boot):
        db = d.copy()
        db["y"] = restricted.fittedvalues + restricted.resid * w[g, b]
        fs.append(fstat(db))
    return f0, (1 + sum(f >= f0 - 1e-12 for f in fs)) / (1 + n_boot)


def test_wild_bootstrap_matches_an_independent_implementation():
    df = synthetic(seed=11, n_units=14, pre_trend=0.01)
    f0, p = measures.wild_bootstrap_p(df, "y", "u", "t", "d", 2006, n_boot=99, seed=3)
    g0, q = _independent_wild_p(df, seed=3, n_boot=99)
    assert f0 == pytest.approx(g0, rel=1e-8)
    assert p == q


def test_wild_bootstrap_p_approaches_the_exact_enumeration_over_all_sign_vectors():
    """G = 8 个聚类时 Rademacher 权重只有 2^8 = 256 种：逐一枚举得到自助法 p 值的精确值（不抽样），
    大量抽样的 p 值应在蒙特卡罗误差之内与之相符。"""
    import itertools

    df = synthetic(seed=21, n_units=8, pre_trend=0.01).reset_index(drop=True)
    X, names, ks, g = event.design(df, "u", "t", "d", 2006)
    y = df["y"].to_numpy()
    n, k = X.shape
    G = g.max() + 1
    lead = [i for i, nm in enumerate(names) if nm.startswith("event[") and int(nm[6:-1]) < -1]
    A = np.linalg.pinv(X.T @ X)

    def fstats(Y):                      # Y: N × M，每列一个因变量
        B = A @ X.T @ Y
        E = Y - X @ B
        out = []
        for m in range(Y.shape[1]):
            meat = sum(np.outer(X[g == j].T @ E[g == j, m], X[g == j].T @ E[g == j, m]) for j in range(G))
            V = G / (G - 1) * (n - 1) / (n - k) * A @ meat @ A
            r = B[lead, m]
            out.append(r @ np.linalg.solve(V[np.ix_(lead, lead)], r) / len(lead))
        return np.array(out)

    keep = [i for i in range(k) if i not in lead]
    br = np.linalg.lstsq(X[:, keep], y, rcond=None)[0]
    fit, res = X[:, keep] @ br, y - X[:, keep] @ br
    signs = np.array(list(itertools.product([-1.0, 1.0], repeat=G))).T          # G × 256
    f0 = fstats(y[:, None])[0]
    exact = np.mean(fstats(fit[:, None] + res[:, None] * signs[g]) >= f0 - 1e-12)
    f_mc, p_mc = measures.wild_bootstrap_p(df, "y", "u", "t", "d", 2006, n_boot=4999, seed=5)
    assert f_mc == pytest.approx(f0, rel=1e-8)
    se = np.sqrt(exact * (1 - exact) / 4999)
    assert abs(p_mc - exact) < 4 * se + 2 / 5000
    assert 0.02 < exact < 0.98            # 不是一个平凡的 0 或 1
