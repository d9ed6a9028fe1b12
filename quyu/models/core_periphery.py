"""克鲁格曼（Krugman 1991）的两地区核心—边缘模型，按 Fujita、Krugman 与 Venables（1999）第 5 章的标准化。

经济中有两个部门：农业（规模报酬不变、无运输成本、工资为计价单位 1）与制造业（Dixit–Stiglitz 垄断竞争，
替代弹性 ``sigma`` = σ > 1）。消费者把收入的 ``mu`` = μ 花在制造品上。制造业工人共 μ 人，可以在两地区之间
流动，地区 1 占其中的 λ；农民共 1 − μ 人，两地区各半，不流动。制造品运到另一地区要损耗（冰山运输成本
T ≥ 1），用贸易自由度 φ = T^(1−σ) ∈ (0, 1] 表示：φ = 1 没有运输成本，φ → 0 不能贸易。

短期均衡（λ 给定）是下面四组方程的解（r = 1, 2；s 为另一地区）::

    Y_r = μ λ_r w_r + (1 − μ)/2                                  （收入）
    G_r^(1−σ) = λ_r w_r^(1−σ) + φ λ_s w_s^(1−σ)                    （价格指数）
    w_r^σ = Y_r G_r^(σ−1) + φ Y_s G_s^(σ−1)                        （工资方程）
    ω_r = w_r G_r^(−μ)                                          （实际工资）

其中 λ_1 = λ，λ_2 = 1 − λ。:func:`short_run` 用不动点迭代加牛顿法求解（数组可广播，一次算许多组参数）。
长期里工人流向实际工资高的地区：内部的 λ 若使 ω_1 = ω_2 是长期均衡，它稳定当且仅当
d(ω_1 − ω_2)/dλ < 0；全部集中于一个地区（λ = 1 或 0）是长期均衡当且仅当核心的实际工资不低于边缘。

两个临界点（ρ = (σ − 1)/σ，要求“无黑洞条件” ρ > μ）：

- 突破点（break point）φ_B = (ρ − μ)(1 − μ) / [(ρ + μ)(1 + μ)]：φ 超过它，对称分布不再稳定；
- 维持点（sustain point）φ_S：λ = 1 时边缘与核心的实际工资之比
  ω_2/ω_1 = φ^(μ/(σ−1)) [(1 + μ)/2 · φ + (1 − μ)/2 · φ^(−1)]^(1/σ) 等于 1 的那个 φ（φ < 1）；
  φ ≥ φ_S 时核心—边缘格局可以维持。

两者都有闭式（:func:`break_point`、:func:`sustain_point`），也都可以只用短期均衡的数值解求出
（:func:`break_point_numeric`：λ = 1/2 处 d(ω_1 − ω_2)/dλ 变号；:func:`sustain_point_numeric`：
λ = 1 处 ω_2/ω_1 = 1），测试核对二者一致。
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import BookError


class ModelError(BookError):
    """模型参数不合要求（中英文对照）。"""


#: 短期均衡迭代的收敛标准（工资的最大相对变化）与迭代上限。
TOL = 1e-13
MAX_ITER = 20000
#: 开头的不动点迭代步数与阻尼（新值的权重），此后用牛顿法。
FIXED_POINT_STEPS = 5
DAMPING = 1.0


def check_params(mu, sigma) -> None:
    """μ 须在 (0, 1) 内，σ 须大于 1。"""
    mu_a, sigma_a = np.asarray(mu, float), np.asarray(sigma, float)
    if np.any(~((mu_a > 0) & (mu_a < 1))):
        raise ModelError(f"制造品支出份额 μ 须在 0 与 1 之间（现为 {mu}）", f"mu must lie in (0, 1), got {mu}")
    if np.any(~(sigma_a > 1)):
        raise ModelError(f"替代弹性 σ 须大于 1（现为 {sigma}）", f"sigma must exceed 1, got {sigma}")


def rho(sigma):
    """ρ = (σ − 1)/σ。"""
    return (np.asarray(sigma, float) - 1) / np.asarray(sigma, float)


def check_no_black_hole(mu: float, sigma: float) -> None:
    """无黑洞条件 ρ > μ；不满足时抛出 :class:`ModelError`（中文说明为什么这一组参数没有突破点与维持点）。"""
    check_params(mu, sigma)
    r = float(rho(sigma))
    if not r > mu:
        raise ModelError(
            f"σ = {_g(sigma)}、μ = {_g(mu)} 时 ρ = (σ − 1)/σ = {r:.3f}，不大于 μ：不满足“无黑洞条件”。"
            "这时无论运输成本多高，对称分布都不稳定，制造业总会集中到一个地区，突破点与维持点都不存在。"
            "请选更大的替代弹性 σ 或更小的支出份额 μ。",
            f"no-black-hole condition fails: rho = {r:.3f} <= mu = {mu}")


def _g(v) -> str:
    return f"{float(v):g}"


def freeness(T, sigma):
    """贸易自由度 φ = T^(1−σ)。"""
    return np.asarray(T, float) ** (1 - np.asarray(sigma, float))


def trade_cost(phi, sigma):
    """与贸易自由度 φ 对应的冰山运输成本 T = φ^(1/(1−σ))。"""
    return np.asarray(phi, float) ** (1 / (1 - np.asarray(sigma, float)))


@dataclass(frozen=True)
class ShortRun:
    """短期均衡（各字段是同形状的数组）：名义工资、价格指数、收入、实际工资，以及迭代次数。"""

    w1: np.ndarray
    w2: np.ndarray
    G1: np.ndarray
    G2: np.ndarray
    Y1: np.ndarray
    Y2: np.ndarray
    omega1: np.ndarray
    omega2: np.ndarray
    iterations: int

    @property
    def gap(self) -> np.ndarray:
        """实际工资差 ω_1 − ω_2。"""
        return self.omega1 - self.omega2


def short_run(lam, phi, mu, sigma, tol: float = TOL, max_iter: int = MAX_ITER) -> ShortRun:
    """给定地区 1 的制造业工人份额 λ，求短期均衡（参数可以是可广播的数组）。

    从 w_1 = w_2 = 1 出发，先按工资方程做几步不动点迭代（每一步先由工资算收入与价格指数），再用牛顿法
    （雅可比矩阵用差分求）解“工资方程两边相等”，直到两边的最大相对差小于 ``tol``；不收敛时抛出
    :class:`ModelError`。
    """
    check_params(mu, sigma)
    lam, phi, mu, sigma = np.broadcast_arrays(*(np.asarray(v, float) for v in (lam, phi, mu, sigma)))
    if np.any((lam < 0) | (lam > 1)):
        raise ModelError("制造业工人份额 λ 须在 0 与 1 之间", "lambda must lie in [0, 1]")
    if np.any((phi <= 0) | (phi > 1)):
        raise ModelError("贸易自由度 φ 须在 0（不含）与 1 之间", "phi must lie in (0, 1]")
    a = 1 - sigma

    def update(w1, w2):
        """工资方程的右边：由工资算收入与价格指数，再算出新的工资。"""
        Y1, Y2 = mu * lam * w1 + (1 - mu) / 2, mu * (1 - lam) * w2 + (1 - mu) / 2
        P1 = lam * w1 ** a + (1 - lam) * phi * w2 ** a      # G_1^(1−σ)
        P2 = lam * phi * w1 ** a + (1 - lam) * w2 ** a      # G_2^(1−σ)
        return (Y1 / P1 + phi * Y2 / P2) ** (1 / sigma), (phi * Y1 / P1 + Y2 / P2) ** (1 / sigma)

    w1 = np.ones(lam.shape)
    w2 = np.ones(lam.shape)
    for it in range(1, max_iter + 1):
        n1, n2 = update(w1, w2)
        f1, f2 = n1 - w1, n2 - w2
        step = max(np.max(np.abs(f1 / w1), initial=0.0), np.max(np.abs(f2 / w2), initial=0.0))
        if step < tol:
            break
        if it <= FIXED_POINT_STEPS:
            w1, w2 = w1 + DAMPING * f1, w2 + DAMPING * f2
            continue
        # 牛顿步：F(w) = 更新(w) − w 的雅可比矩阵用前向差分求，2×2 方程组直接解出
        h1, h2 = 1e-7 * w1, 1e-7 * w2
        a1, a2 = update(w1 + h1, w2)
        b1, b2 = update(w1, w2 + h2)
        j11, j21 = (a1 - w1 - h1 - f1) / h1, (a2 - w2 - f2) / h1
        j12, j22 = (b1 - w1 - f1) / h2, (b2 - w2 - h2 - f2) / h2
        det = j11 * j22 - j12 * j21
        d1 = (-f1 * j22 + f2 * j12) / det
        d2 = (-f2 * j11 + f1 * j21) / det
        c1, c2 = w1 + d1, w2 + d2
        bad = ~(np.isfinite(c1) & np.isfinite(c2) & (c1 > 0) & (c2 > 0))
        w1, w2 = np.where(bad, n1, c1), np.where(bad, n2, c2)   # 牛顿步不可用处退回不动点步
    else:
        raise ModelError(f"短期均衡的迭代在 {max_iter} 步内没有收敛", "short-run iteration did not converge")
    Y1, Y2 = mu * lam * w1 + (1 - mu) / 2, mu * (1 - lam) * w2 + (1 - mu) / 2
    G1 = (lam * w1 ** a + (1 - lam) * phi * w2 ** a) ** (1 / a)
    G2 = (lam * phi * w1 ** a + (1 - lam) * w2 ** a) ** (1 / a)
    return ShortRun(w1, w2, G1, G2, Y1, Y2, w1 * G1 ** (-mu), w2 * G2 ** (-mu), it)


def real_wage_gap(lam, phi, mu, sigma) -> np.ndarray:
    """实际工资差 ω_1 − ω_2（λ 的函数；正值表示工人想迁入地区 1）。"""
    return short_run(lam, phi, mu, sigma).gap


def symmetric_slope(phi, mu, sigma, h: float = 1e-3) -> np.ndarray:
    """对称均衡处 d(ω_1 − ω_2)/dλ 的数值导数（中心差分，外推一次，误差约为 h⁴ 量级）。

    负值：对称分布稳定（多出的工人会流回去）；正值：不稳定。"""
    def central(step):
        hi = short_run(0.5 + step, phi, mu, sigma).gap
        lo = short_run(0.5 - step, phi, mu, sigma).gap
        return (hi - lo) / (2 * step)

    return (4 * central(h / 2) - central(h)) / 3


def core_ratio(phi, mu, sigma) -> np.ndarray:
    """全部制造业在地区 1（λ = 1）时，边缘与核心的实际工资之比 ω_2/ω_1（由短期均衡的数值解算出）。"""
    s = short_run(1.0, phi, mu, sigma)
    return s.omega2 / s.omega1


def core_ratio_closed(phi, mu, sigma) -> np.ndarray:
    """同一比值的闭式：φ^(μ/(σ−1)) [(1 + μ)/2 · φ + (1 − μ)/2 · φ^(−1)]^(1/σ)。

    推导：λ = 1 时 w_1 = 1、G_1 = 1、G_2 = T = φ^(1/(1−σ))、Y_1 = (1 + μ)/2、Y_2 = (1 − μ)/2，
    代入地区 2 的工资方程得 w_2^σ = Y_1 φ + Y_2 φ^(−1)，再除以 G_2^μ。"""
    phi, mu, sigma = (np.asarray(v, float) for v in (phi, mu, sigma))
    return phi ** (mu / (sigma - 1)) * ((1 + mu) / 2 * phi + (1 - mu) / 2 / phi) ** (1 / sigma)


def break_point(mu: float, sigma: float) -> float:
    """突破点的闭式 φ_B = (ρ − μ)(1 − μ) / [(ρ + μ)(1 + μ)]；要求无黑洞条件。"""
    check_no_black_hole(mu, sigma)
    r = float(rho(sigma))
    return (r - mu) * (1 - mu) / ((r + mu) * (1 + mu))


def _first_crossing(f, grid: np.ndarray, values: np.ndarray, from_sign: int) -> float:
    """``values``（f 在 ``grid`` 上的值）第一次从 ``from_sign`` 变为相反符号处，用 brentq 求 f 的根。"""
    from scipy.optimize import brentq  # 按需导入（导入较慢）

    s = np.sign(values)
    hits = np.nonzero((s[:-1] == from_sign) & (s[1:] == -from_sign))[0]
    if not len(hits):
        raise ModelError("在所给范围内找不到变号的位置", "no sign change on the grid")
    i = int(hits[0])
    return float(brentq(f, grid[i], grid[i + 1], xtol=1e-14, rtol=1e-13, maxiter=200))


def sustain_point(mu: float, sigma: float) -> float:
    """维持点的闭式条件 ω_2/ω_1 = 1（:func:`core_ratio_closed`）在 (0, 1) 内的根；要求无黑洞条件。

    比值在 φ → 0 时趋于无穷（ρ > μ），在 φ = 1 时等于 1 且由下方趋近，于是 (0, 1) 内恰有一次由大于 1 变为
    小于 1：取对数后在对数网格上找到它，再用 brentq 求精。"""
    check_no_black_hole(mu, sigma)
    grid = np.geomspace(1e-12, 1 - 1e-6, 600)

    def f(p):
        return float(np.log(core_ratio_closed(p, mu, sigma)))

    return _first_crossing(f, grid, np.log(core_ratio_closed(grid, mu, sigma)), +1)


def break_point_numeric(mu: float, sigma: float) -> float:
    """只用短期均衡的数值解求突破点：λ = 1/2 处 d(ω_1 − ω_2)/dλ 由负变正的 φ。"""
    check_no_black_hole(mu, sigma)
    grid = np.linspace(0.002, 0.998, 250)
    return _first_crossing(lambda p: float(symmetric_slope(p, mu, sigma)), grid,
                           symmetric_slope(grid, mu, sigma), -1)


def sustain_point_numeric(mu: float, sigma: float) -> float:
    """只用短期均衡的数值解求维持点：λ = 1 时 ω_2/ω_1 由大于 1 变为小于 1 的 φ。"""
    check_no_black_hole(mu, sigma)
    grid = np.geomspace(1e-10, 0.998, 400)
    return _first_crossing(lambda p: float(core_ratio(p, mu, sigma) - 1), grid,
                           core_ratio(grid, mu, sigma) - 1, +1)


def interior_equilibrium(phi, mu, sigma, iterations: int = 48) -> np.ndarray:
    """(1/2, 1) 内的非对称长期均衡 λ*（ω_1 = ω_2），对一组 φ 同时二分求出。

    只在“对称分布稳定而核心—边缘可以维持”的 φ（φ_S < φ < φ_B）上有定义：那里 λ 略大于 1/2 时
    ω_1 < ω_2、λ = 1 时 ω_1 > ω_2，其间必有根；其余的 φ 返回 NaN。另一个根是 1 − λ*（两地区对称）。
    φ 贴近 φ_B 时 λ* 趋于 1/2，可能落到下界 1/2 + 10^-9 之内，这时按上面的判据也返回 NaN；
    战斧图因此在 φ_B 处另加 λ = 1/2 的端点，而不依赖这里的解。
    """
    phi = np.atleast_1d(np.asarray(phi, float))
    lo = np.full(phi.shape, 0.5 + 1e-9)
    hi = np.ones(phi.shape)
    ok = (short_run(lo, phi, mu, sigma).gap < 0) & (short_run(hi, phi, mu, sigma).gap > 0)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        neg = short_run(mid, phi, mu, sigma).gap < 0
        lo, hi = np.where(neg, mid, lo), np.where(neg, hi, mid)
    return np.where(ok, (lo + hi) / 2, np.nan)


def equilibria(phi: float, mu: float, sigma: float, n: int = 200) -> list[dict]:
    """给定 φ 的全部长期均衡：``{"lam", "kind", "stable"}``，kind 为 symmetric、core、interior。

    对称分布 λ = 1/2 总是均衡，按 :func:`symmetric_slope` 的符号判断稳定性；λ = 1 与 λ = 0 在核心的实际
    工资不低于边缘时是（稳定的）均衡；内部均衡是 (1/2, 1) 网格上 ω_1 − ω_2 的变号处（brentq 求精），
    由正变负为稳定，由负变正为不稳定，并按对称性给出 1 − λ。
    """
    from scipy.optimize import brentq  # 按需导入（导入较慢）

    out = [{"lam": 0.5, "kind": "symmetric", "stable": bool(symmetric_slope(phi, mu, sigma) < 0)}]
    grid = np.concatenate([[0.5 + 1e-6], np.linspace(0.5, 1, n + 1)[1:]])
    gap = short_run(grid, phi, mu, sigma).gap
    s = np.sign(gap)
    for i in np.nonzero(s[:-1] * s[1:] < 0)[0]:
        lam = brentq(lambda x: float(short_run(x, phi, mu, sigma).gap), grid[i], grid[i + 1], xtol=1e-13)
        stable = bool(s[i] > 0)
        out += [{"lam": float(lam), "kind": "interior", "stable": stable},
                {"lam": float(1 - lam), "kind": "interior", "stable": stable}]
    if gap[-1] >= 0:
        out += [{"lam": 1.0, "kind": "core", "stable": True}, {"lam": 0.0, "kind": "core", "stable": True}]
    return sorted(out, key=lambda e: e["lam"])


def tomahawk(mu: float, sigma: float, phi) -> dict[str, np.ndarray]:
    """战斧图的数据：对每个 φ，给出对称均衡是否稳定、核心—边缘是否为均衡、内部（不稳定）均衡的 λ*。

    返回 ``{"phi", "symmetric_stable", "core", "interior"}``（``interior`` 在没有内部均衡处为 NaN）。
    全部由短期均衡的数值解判断，不用闭式。"""
    phi = np.atleast_1d(np.asarray(phi, float))
    return {"phi": phi,
            "symmetric_stable": symmetric_slope(phi, mu, sigma) < 0,
            "core": core_ratio(phi, mu, sigma) <= 1,
            "interior": interior_equilibrium(phi, mu, sigma)}
