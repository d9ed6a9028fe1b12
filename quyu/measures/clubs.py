"""Phillips–Sul 俱乐部收敛：HP 滤波、log t 检验、俱乐部聚类（2007）与俱乐部合并（2009）。"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import _fail

__all__ = ["hp_trend", "LOG_T_CRITICAL", "LogTResult", "log_t_test", "ClubResult", "club_convergence",
           "merge_clubs"]


# ---------------------------------------------------------------------------
# Phillips–Sul（2007）log t 检验与俱乐部聚类，Phillips–Sul（2009）俱乐部合并
#
# 选择与文献的对应（章节与方法附录据此说明）：
# - 输入：检验与聚类函数本身不做滤波。章节先用 hp_trend 对每个地区的对数人均 GDP 做 HP 滤波
#   （年度数据 λ = 400，与 Phillips & Sul 2009 及 R 包 ConvergenceClubs 的示例相同），只用趋势成分。
# - 舍去比例 r = 1/3：回归只用 t = [rT]+1, …, T（[·] 为四舍五入），H_1 仍取第一期。
# - 标准误：残差的标量长期方差 × (X'X)^{-1}，长期方差用二次谱（QS）核、Andrews（1991）
#   AR(1) 插入法带宽，逐项照 ConvergenceClubs 默认选项 "FQSB" 的代码（该包说明它移植自
#   Phillips–Sul 的 GAUSS 程序）：除以 T − 1，自协方差略去最后一个残差。这一细节并非无关紧要：
#   HP 滤波后的残差很平滑，带宽往往超过样本长度，若按教科书写法用全部残差、除以 T，各阶
#   自协方差之和趋近 (Σu)²/T = 0（OLS 残差之和为零），t 值会被成倍放大。参数 ``hac`` 可换用
#   别的估计量（测试中用它按 R 包 sandwich 的 vcovHAC，即 ConvergenceClubs 的 "AQSB"，
#   复现已发表的结果）。
# ---------------------------------------------------------------------------

def hp_trend(wide, lamb: float = 400.0) -> pd.DataFrame:
    """逐行（逐个地区）做 Hodrick–Prescott 滤波，返回趋势成分（statsmodels 的 ``hpfilter``）。

    年度数据取 λ = 400，与 Phillips & Sul（2009）以及 ConvergenceClubs 的示例一致
    （季度数据的惯例是 1600）。``wide`` 为以地区为行、时期为列的宽表。
    """
    from statsmodels.tsa.filters.hp_filter import hpfilter

    frame = wide if isinstance(wide, pd.DataFrame) else pd.DataFrame(np.asarray(wide, dtype=float))
    if not np.isfinite(frame.to_numpy(dtype=float)).all():
        _fail("HP 滤波的输入不能有缺失值", "HP filter input must not contain missing values")
    return frame.apply(lambda row: pd.Series(hpfilter(row.to_numpy(dtype=float), lamb=lamb)[1],
                                             index=frame.columns), axis=1)


#: log t 检验的单尾 5% 临界值（Phillips & Sul 2007）。
LOG_T_CRITICAL = -1.65


def _qs_long_run_variance(u: np.ndarray) -> float:
    """残差的长期方差：二次谱（QS）核，带宽按 Andrews（1991）的 AR(1) 插入法选取。

    写法照 Phillips–Sul 的 GAUSS 程序（ConvergenceClubs 中的移植 ``ps_andrews_hac``）：AR(1) 系数
    不含截距；方差与各阶自协方差都除以 T − 1，自协方差只用前 T − 1 个残差。
    """
    u = np.asarray(u, dtype=float)
    n = len(u)
    rho = float(np.dot(u[:-1], u[1:]) / np.dot(u[:-1], u[:-1]))
    bandwidth = 1.3221 * (4 * rho ** 2 / (1 - rho) ** 4 * n) ** 0.2
    m = n - 1
    lrv = float(np.dot(u, u) / m)
    if bandwidth <= 0:
        return lrv
    v = u[:m]
    for j in range(1, m):
        a = 6 * np.pi * (j / bandwidth) / 5
        kernel = 3 / a ** 2 * (np.sin(a) / a - np.cos(a))
        lrv += 2 * kernel * float(np.dot(v[:m - j], v[j:]) / m)
    return lrv


def _ps_slope_variance(X: np.ndarray, resid: np.ndarray) -> float:
    """Phillips–Sul 的做法：斜率方差 = 残差的 QS 长期方差 × (X'X)^{-1} 的对应元素。"""
    return _qs_long_run_variance(resid) * float(np.linalg.inv(X.T @ X)[1, 1])


@dataclass
class LogTResult:
    """log t 回归 log(H_1/H_t) − 2 log(log t) = a + b log t 的结果（b 即 Phillips–Sul 的 b = 2α）。"""

    b: float
    se: float
    t: float
    n_units: int
    periods: int

    @property
    def converges(self) -> bool:
        return self.t > LOG_T_CRITICAL


def log_t_test(logy, trim: float = 1 / 3, hac=None) -> LogTResult:
    """Phillips–Sul（2007）的 log t 收敛检验。

    ``logy``：地区 × 时期的数组或宽表（通常是去除周期成分后的对数人均收入，须为正）。
    相对转移路径 :math:`h_{it} = x_{it} / \\bar x_t`，横截面离散 :math:`H_t = N^{-1}\\sum_i (h_{it}-1)^2`；
    舍去前 ``trim`` 比例的时期（t = [rT]+1, …, T，[·] 为四舍五入）后做回归
    :math:`\\log(H_1/H_t) - 2\\log\\log t = a + b\\log t + u_t`。
    斜率的方差默认为残差的 QS 核长期方差（Andrews 1991 的 AR(1) 插入法带宽）乘以
    :math:`(X'X)^{-1}` 的对应元素；``hac`` 可传入别的函数 ``hac(X, resid) -> 方差``。
    t 值小于 −1.65 时在 5% 水平上拒绝“全体收敛”。
    """
    x = np.asarray(logy, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        _fail("log t 检验需要至少两个地区的面板", "the log t test needs a panel of at least two units")
    if not np.isfinite(x).all() or (x <= 0).any():
        _fail("log t 检验的数值须为正且不缺失（请用对数人均收入，且单位使其为正）",
              "log t test values must be positive and finite")
    if not 0 < trim < 1:
        _fail(f"舍去比例应在 0 与 1 之间，收到 {trim!r}", f"trim must be in (0, 1), got {trim!r}")
    T = x.shape[1]
    start = int(round(T * trim)) + 1  # 与 R 的 round 相同：恰为 .5 时取偶数
    if T - start + 1 < 3:
        _fail(f"时期太短：{T} 期舍去 {start - 1} 期后不足 3 期", f"too few periods: {T} periods, {start - 1} trimmed")
    h = x / x.mean(axis=0)
    H = ((h - 1) ** 2).mean(axis=0)
    if (H <= 0).any():
        _fail("某些时期各地区完全相同（H_t = 0），无法检验", "H_t = 0 in some period")
    t = np.arange(start, T + 1)
    lhs = np.log(H[0] / H[t - 1]) - 2 * np.log(np.log(t))
    X = np.column_stack([np.ones(len(t)), np.log(t)])
    coef = np.linalg.solve(X.T @ X, X.T @ lhs)
    resid = lhs - X @ coef
    se = float(np.sqrt((hac or _ps_slope_variance)(X, resid)))
    return LogTResult(float(coef[1]), se, float(coef[1] / se), x.shape[0], len(t))


@dataclass
class ClubResult:
    """俱乐部聚类的结果：``clubs`` 为各俱乐部的成员（按最后一期从高到低），``tests`` 为各俱乐部的
    log t 检验，``divergent`` 为不属于任何俱乐部的地区，``overall`` 为全体的 log t 检验。
    合并之后 ``merged_from`` 记下每个新俱乐部由原来的哪几个俱乐部（编号从 1 起）组成，
    ``merge_tests`` 按顺序记下每一次合并检验：``(原俱乐部编号的元组, LogTResult)``；
    未合并时两者都是 ``None``。"""

    clubs: list
    tests: list
    divergent: list
    overall: LogTResult
    merged_from: list | None = None
    merge_tests: list | None = None

    def membership(self) -> pd.Series:
        """地区 → 俱乐部编号（1 起；发散的地区为 0）。"""
        out = {u: i + 1 for i, club in enumerate(self.clubs) for u in club}
        out.update({u: 0 for u in self.divergent})
        return pd.Series(out, name="club")


def _core_group(x: np.ndarray, trim: float, hac=None):
    """第 2 步：按最后一期排序后，找到第一对 t > −1.65 的相邻地区，再逐个加入，直到 t ≤ −1.65 为止；
    在这些都通过检验的规模中取 t 最大者（Phillips & Sul 2007：k* = argmax t_k，min t_k > −1.65）。"""
    n = x.shape[0]
    for i in range(n - 1):
        t_pair = log_t_test(x[[i, i + 1]], trim, hac).t
        if t_pair > LOG_T_CRITICAL:
            best, best_t = [i, i + 1], t_pair
            for j in range(i + 2, n):
                tj = log_t_test(x[i:j + 1], trim, hac).t
                if tj <= LOG_T_CRITICAL:
                    break
                if tj > best_t:
                    best, best_t = list(range(i, j + 1)), tj
            return best
    return None


def club_convergence(logy, trim: float = 1 / 3, cstar: float = 0.0, cstar_step: float | None = 0.1,
                     hac=None) -> ClubResult:
    """Phillips–Sul（2007, 2009）的俱乐部聚类算法。

    1. 按最后一期从高到低排序；
    2. 形成核心组（见 :func:`_core_group`）；找不到任何一对收敛的地区时，余下的全部判为发散；
    3. 筛选：核心组之外的地区逐个加入核心组做 log t 检验，t > ``cstar`` 者入选；若入选后的俱乐部
       整体 t ≤ −1.65，把 ``cstar`` 每次提高 ``cstar_step`` 直到通过（Phillips & Sul 2007 的建议；
       提高到只剩核心组时就取核心组）。``cstar_step=None`` 时 ``cstar`` 固定不变，俱乐部整体
       不通过检验也照样保留（R 包 ConvergenceClubs 的默认做法）；
    4. 余下的地区整体做 log t 检验，t > −1.65 则自成一个俱乐部，否则对它们重复 1—3；
       只剩一个地区时判为发散。

    ``logy`` 为以地区为行、时期为列的宽表（索引为地区名或代码）；``trim`` 与 ``hac`` 见
    :func:`log_t_test`。聚类之后相邻俱乐部能否合并，见 :func:`merge_clubs`（Phillips & Sul 2009）。
    """
    frame = logy if isinstance(logy, pd.DataFrame) else pd.DataFrame(np.asarray(logy, dtype=float))
    overall = log_t_test(frame.to_numpy(dtype=float), trim, hac)
    frame = frame.iloc[np.argsort(-frame.iloc[:, -1].to_numpy(), kind="stable")]
    clubs, tests, divergent = [], [], []
    rest = frame
    while len(rest) > 0:
        x = rest.to_numpy(dtype=float)
        if len(rest) == 1:
            divergent += list(rest.index)
            break
        whole = log_t_test(x, trim, hac)
        if whole.converges:
            clubs.append(list(rest.index))
            tests.append(whole)
            break
        core = _core_group(x, trim, hac)
        if core is None:
            divergent += list(rest.index)
            break
        others = [i for i in range(len(rest)) if i not in core]
        t_add = {i: log_t_test(x[core + [i]], trim, hac).t for i in others}
        c = cstar
        while True:
            members = sorted(core + [i for i in others if t_add[i] > c])
            test = log_t_test(x[members], trim, hac)
            if cstar_step is None or test.converges or len(members) == len(core):
                break
            c += cstar_step
        if cstar_step is not None and not test.converges:  # 仅核心组（核心组本身满足 t > −1.65）
            members, test = core, log_t_test(x[core], trim, hac)
        clubs.append([rest.index[i] for i in members])
        tests.append(test)
        rest = rest.drop(index=[rest.index[i] for i in members])
    return ClubResult(clubs, tests, divergent, overall)


def merge_clubs(logy, result: ClubResult, trim: float = 1 / 3, hac=None) -> ClubResult:
    """Phillips–Sul（2009）的俱乐部合并：聚类得到的俱乐部可能被分得过细（筛选门槛 c* 越高越细），
    于是检验相邻俱乐部能否合并。

    从第 1 个俱乐部起，把它与下一个俱乐部合在一起做 log t 检验：t > −1.65 则合并，再与下一个
    俱乐部合在一起检验，如此继续；一旦 t ≤ −1.65，已合并的部分就是一个新俱乐部，从未能并入的那个
    俱乐部重新开始。发散的地区不参与合并。``logy`` 须与聚类时用的是同一张宽表。
    """
    frame = logy if isinstance(logy, pd.DataFrame) else pd.DataFrame(np.asarray(logy, dtype=float))

    def test_of(units):
        return log_t_test(frame.loc[units].to_numpy(dtype=float), trim, hac)

    clubs, tests, origin, attempts = [], [], [], []
    i, n = 0, len(result.clubs)
    while i < n:
        units, parts, test = list(result.clubs[i]), [i + 1], result.tests[i]
        k = i + 1
        while k < n:
            candidate = test_of(units + list(result.clubs[k]))
            attempts.append((tuple(parts + [k + 1]), candidate))
            if not candidate.converges:
                break
            units, test = units + list(result.clubs[k]), candidate
            parts.append(k + 1)
            k += 1
        clubs.append(units)
        tests.append(test)
        origin.append(parts)
        i = k
    return ClubResult(clubs, tests, list(result.divergent), result.overall, origin, attempts)
