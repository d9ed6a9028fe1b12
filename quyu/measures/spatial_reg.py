"""空间计量回归：普通最小二乘的空间诊断（残差的 Moran's I、拉格朗日乘数检验），空间滞后模型与空间误差模型的
最大似然估计，以及空间滞后模型的直接、间接与总效应。估计全部交给 PySAL 的 ``spreg``，这里只做包装：
统一输入（以地区代码为索引的 Series）、权重（:func:`~quyu.measures.spatial.spatial_weights`，行标准化）和输出。

- 空间滞后模型（Anselin 1988）：:math:`y = \\rho W y + X\\beta + \\varepsilon`；
- 空间误差模型（Anselin 1988）：:math:`y = X\\beta + u,\\ u = \\theta W u + \\varepsilon`
  （spreg 记作 λ；本书的 λ 已用作收敛速度，故记作 θ）；
- 效应（LeSage & Pace 2009）：:math:`S = (I-\\rho W)^{-1}\\beta`，直接效应为 S 对角线的平均，
  总效应为 S 每行之和的平均（行标准化时等于 :math:`\\beta/(1-\\rho)`），间接效应为两者之差；
  三种效应的区间按 LeSage & Pace（2009，第 2.7 节）的做法，从 (β, ρ) 的渐近正态分布抽样模拟。
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import _fail
from .spatial import MoranResult, moran, spatial_weights

__all__ = ["LMTest", "SpatialFit", "LagEffects", "SpatialRegResult", "spatial_regression"]


@dataclass
class LMTest:
    """一个拉格朗日乘数检验：统计量（自由度 1 的 χ² 分布）与 p 值。"""

    stat: float
    p: float


@dataclass
class SpatialFit:
    """一个模型的估计：系数（含常数 ``const``）、标准误与 p 值（OLS 用 t 分布，最大似然用正态分布），
    空间参数（滞后模型的 ρ、误差模型的 θ；OLS 为 NaN）及其标准误与 Wald（z）检验的 p 值，
    对数似然、AIC（−2 lnL + 2 × 系数与空间参数的个数），以及与 OLS 相比的似然比统计量与 p 值（自由度 1；OLS 为 NaN）。"""

    model: str
    coef: pd.Series
    se: pd.Series
    p: pd.Series
    spatial: float
    spatial_se: float
    spatial_p: float
    logll: float
    aic: float
    lr: float
    lr_p: float


@dataclass
class LagEffects:
    """空间滞后模型的平均效应（LeSage & Pace 2009），每个解释变量一项。

    ``lo``、``hi``、``p``：模拟得到的 95% 区间与双侧 p 值（行为解释变量，列为 ``direct``、``indirect``、
    ``total``）；``draws`` 为模拟次数。p 值为模拟值中与点估计异号者所占比例的两倍（上限 1）。"""

    direct: pd.Series
    indirect: pd.Series
    total: pd.Series
    lo: pd.DataFrame
    hi: pd.DataFrame
    p: pd.DataFrame
    draws: int


@dataclass
class SpatialRegResult:
    """:func:`spatial_regression` 的结果。

    ``lm`` 的键：``lag``、``error``（LM 滞后、LM 误差）与 ``robust_lag``、``robust_error``（稳健形式）。
    ``moran_resid`` 为 OLS 残差的 Moran's I（esda，置换检验：把残差当作可以互换的，只是近似）；
    ``moran_resid_norm`` 为 spreg 给出的 (I, z, 正态近似 p)，即 Cliff 与 Ord 针对回归残差的检验；
    ``moran_resid_ei`` 为残差的 I 在无空间相关时的期望 tr(MW)/(n − k)（M 为残差生成矩阵），
    不是原始变量的 −1/(n − 1)。``resid`` 为 OLS 残差。"""

    n: int
    ids: list
    ols: SpatialFit
    lag: SpatialFit
    error: SpatialFit
    lm: dict
    moran_resid: MoranResult
    moran_resid_norm: tuple
    moran_resid_ei: float
    effects: LagEffects
    resid: pd.Series


def _quiet(func, *args, **kwargs):
    """spreg 1.9 在估计时向标准输出打印类名，对 scipy 的容差参数发出 RuntimeWarning，并用到 pandas 将要废弃的
    ``inplace`` 参数（Pandas4Warning）：都与结果无关，只在调用 spreg 时屏蔽（否则会作为 stderr 输出使构建失败）。"""
    from pandas.errors import Pandas4Warning

    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", Pandas4Warning)
        return func(*args, **kwargs)


def _fit(model: str, reg, names: list, k: int, ols_logll: float | None) -> SpatialFit:
    from scipy import stats

    betas = np.asarray(reg.betas, dtype=float).ravel()
    se = np.sqrt(np.diag(np.asarray(reg.vm, dtype=float)))
    zt = reg.t_stat if model == "ols" else reg.z_stat
    pv = np.array([float(p) for _, p in zt])
    coef, s, p = (pd.Series(a[:k], index=names) for a in (betas, se, pv))
    logll = float(np.asarray(reg.logll).ravel()[0])
    if model == "ols":
        sp = sp_se = sp_p = lr = lr_p = float("nan")
    else:
        sp, sp_se, sp_p = float(betas[k]), float(se[k]), float(pv[k])
        lr = 2 * (logll - ols_logll)
        lr_p = float(stats.chi2.sf(lr, 1))
    # AIC 自己算：参数个数为回归系数加空间参数（spreg 的空间误差模型没有把 λ 计入，与滞后模型不可比）。
    aic = -2 * logll + 2 * (k + (model != "ols"))
    return SpatialFit(model, coef, s, p, sp, sp_se, sp_p, logll, aic, lr, lr_p)


def _simulated_effects(lag, W: np.ndarray, k: int, names: list, draws: int, seed: int):
    """从 (β, ρ) 的渐近正态分布（spreg 的协方差矩阵 ``vm``）抽样，算出每次抽样的直接、间接与总效应。

    直接效应用 W 的特征值 ω 计算：tr((I − ρW)⁻¹)/n = Σ 1/(1 − ρω)/n；ρ 落在 (1/ω_min, 1) 之外的抽样丢弃。"""
    betas = np.asarray(lag.betas, dtype=float).ravel()
    vm = np.asarray(lag.vm, dtype=float)
    idx = list(range(1, k)) + [k]                      # 斜率与 ρ（不含常数项）
    mean, cov = betas[idx], vm[np.ix_(idx, idx)]
    omega = np.linalg.eigvals(W).real
    lo_rho = 1 / omega.min()
    rng = np.random.default_rng(seed)
    sims = rng.multivariate_normal(mean, cov, size=draws, method="cholesky")
    rho = sims[:, -1]
    ok = (rho > lo_rho) & (rho < 1)
    sims, rho = sims[ok], rho[ok]
    avg_diag = (1 / (1 - rho[:, None] * omega[None, :])).mean(axis=1)
    slopes = sims[:, :-1]
    direct = slopes * avg_diag[:, None]
    total = slopes / (1 - rho[:, None])
    out = {"direct": direct, "indirect": total - direct, "total": total}
    lo = pd.DataFrame({k_: np.quantile(v, 0.025, axis=0) for k_, v in out.items()}, index=names[1:])
    hi = pd.DataFrame({k_: np.quantile(v, 0.975, axis=0) for k_, v in out.items()}, index=names[1:])
    return lo, hi, out, int(ok.sum())


def spatial_regression(y, X, neighbours: dict, permutations: int = 999, seed: int = 12345,
                       effect_draws: int = 10000) -> SpatialRegResult:
    """``y`` 对 ``X``（加常数）的 OLS、空间诊断、空间滞后与空间误差模型（spreg，最大似然，完整行列式）。

    ``y`` 为以地区代码为索引的 Series，``X`` 为同样索引的 Series 或 DataFrame（每列一个解释变量）；
    权重由邻接字典构造并行标准化（没有邻居的地区须事先去掉）。残差的 Moran's I 用
    :func:`~quyu.measures.spatial.moran`（esda），置换检验的次数与种子由参数给出；效应区间的模拟次数为
    ``effect_draws``，种子同上。
    """
    import spreg

    y = pd.Series(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
    X = X.to_frame() if isinstance(X, pd.Series) else pd.DataFrame(X).astype(float)
    if not X.index.equals(y.index):
        _fail("因变量与解释变量的地区不一致", "y and X must have the same index")
    bad = y.index[y.isna() | X.isna().any(axis=1)]
    if len(bad):
        _fail("数值缺失", "missing values", list(bad))
    k = X.shape[1] + 1
    if len(y) < k + 3:
        _fail(f"观测太少（{len(y)} 个）", f"too few observations ({len(y)})")
    ids = [str(i) for i in y.index]
    w = spatial_weights(neighbours, ids)
    yy, xx = y.to_numpy()[:, None], X.to_numpy(dtype=float)
    names = ["const", *[str(c) for c in X.columns]]
    ols = _quiet(spreg.OLS, yy, xx, w=w, spat_diag=True, moran=True)
    lag = _quiet(spreg.ML_Lag, yy, xx, w, method="full", spat_impacts="full")
    err = _quiet(spreg.ML_Error, yy, xx, w, method="full")
    fo = _fit("ols", ols, names, k, None)
    lm = {key: LMTest(float(s), float(p)) for key, (s, p) in
          (("lag", ols.lm_lag), ("error", ols.lm_error), ("robust_lag", ols.rlm_lag), ("robust_error", ols.rlm_error))}
    resid = pd.Series(np.asarray(ols.u, dtype=float).ravel(), index=y.index, name="resid")
    mi = moran(resid, neighbours, permutations=permutations, seed=seed)
    adi, _, ati = lag.sp_multipliers["full"]
    slopes = pd.Series(np.asarray(lag.betas, dtype=float).ravel()[1:k], index=names[1:])
    direct, total = slopes * float(adi), slopes * float(ati)
    Wd = w.full()[0]
    lo, hi, sims, n_ok = _simulated_effects(lag, Wd, k, names, effect_draws, seed)
    point = {"direct": direct, "indirect": total - direct, "total": total}
    p = pd.DataFrame({key: [min(1.0, 2 * float(np.mean(np.sign(sims[key][:, j]) != np.sign(point[key].iloc[j]))))
                            for j in range(k - 1)] for key in point}, index=names[1:])
    effects = LagEffects(direct, total - direct, total, lo, hi, p, n_ok)
    # 残差的 Moran's I 在无空间相关时的期望：tr(MW)/(n − k)，M = I − X(X'X)⁻¹X'
    Xc = np.column_stack([np.ones(len(y)), xx])
    M = np.eye(len(y)) - Xc @ np.linalg.solve(Xc.T @ Xc, Xc.T)
    ei = float(np.trace(M @ Wd) / (len(y) - k))
    return SpatialRegResult(len(y), ids, fo, _fit("lag", lag, names, k, fo.logll), _fit("error", err, names, k, fo.logll),
                            lm, mi, tuple(float(v) for v in ols.moran_res), ei, effects, resid)
