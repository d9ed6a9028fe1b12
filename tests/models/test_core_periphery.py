"""核心—边缘模型（quyu.models.core_periphery）：短期均衡的方程逐条代回检查；突破点与维持点的闭式解
与只用数值解求出的值相互核对（容差 1e-6）；战斧图与长期均衡的稳定性和两个临界点一致。

闭式在测试中独立写出（不调用被测模块的闭式函数），与模块的闭式、数值解三方比较。
"""
from __future__ import annotations

import numpy as np
import pytest

from quyu.models import ModelError
from quyu.models import core_periphery as cp

#: 几组满足无黑洞条件的参数（含题面与正文的默认值）。
PARAMS = [(0.4, 5.0), (0.3, 4.0), (0.2, 2.0), (0.5, 3.0), (0.1, 8.0), (0.6, 10.0)]


def phi_b_formula(mu, sigma):
    rho = (sigma - 1) / sigma
    return (rho - mu) * (1 - mu) / ((rho + mu) * (1 + mu))


def sustain_residual(phi, mu, sigma):
    """λ = 1 时 (ω₂/ω₁)^σ − 1 = φ^(μσ/(σ−1)) [(1+μ)/2 φ + (1−μ)/2 φ⁻¹] − 1（独立写出的闭式）。"""
    return phi ** (mu * sigma / (sigma - 1)) * ((1 + mu) / 2 * phi + (1 - mu) / 2 / phi) - 1


# ---------------------------------------------------------------- 短期均衡

@pytest.mark.parametrize("mu,sigma", PARAMS)
def test_short_run_satisfies_every_equation(mu, sigma):
    lam = np.linspace(0, 1, 11)[:, None]
    phi = np.array([0.05, 0.2, 0.6, 1.0])[None, :]
    s = cp.short_run(lam, phi, mu, sigma)
    a = 1 - sigma
    # 收入、价格指数、工资方程（两地区），把解代回去
    assert np.allclose(s.Y1, mu * lam * s.w1 + (1 - mu) / 2, atol=1e-14)
    assert np.allclose(s.Y2, mu * (1 - lam) * s.w2 + (1 - mu) / 2, atol=1e-14)
    assert np.allclose(s.G1 ** a, lam * s.w1 ** a + (1 - lam) * phi * s.w2 ** a, rtol=1e-12)
    assert np.allclose(s.G2 ** a, lam * phi * s.w1 ** a + (1 - lam) * s.w2 ** a, rtol=1e-12)
    r1 = s.w1 ** sigma - (s.Y1 * s.G1 ** (sigma - 1) + phi * s.Y2 * s.G2 ** (sigma - 1))
    r2 = s.w2 ** sigma - (phi * s.Y1 * s.G1 ** (sigma - 1) + s.Y2 * s.G2 ** (sigma - 1))
    assert np.max(np.abs(r1 / s.w1 ** sigma)) < 1e-11 and np.max(np.abs(r2 / s.w2 ** sigma)) < 1e-11
    # 收入之和：制造业工资总额等于制造品支出，于是 λw₁ + (1−λ)w₂ = 1、Y₁ + Y₂ = 1
    assert np.allclose(lam * s.w1 + (1 - lam) * s.w2, 1, atol=1e-11)
    assert np.allclose(s.Y1 + s.Y2, 1, atol=1e-11)
    assert np.allclose(s.omega1, s.w1 * s.G1 ** (-mu))


@pytest.mark.parametrize("mu,sigma", PARAMS)
def test_symmetry(mu, sigma):
    phi = np.array([0.03, 0.1, 0.3, 0.7])
    half = cp.short_run(0.5, phi, mu, sigma)
    assert np.allclose(half.w1, half.w2, atol=1e-13) and np.allclose(half.omega1, half.omega2, atol=1e-13)
    assert np.allclose(half.w1, 1, atol=1e-12)            # 对称时名义工资等于 1
    # 两地区互换：λ 与 1 − λ 的实际工资差互为相反数
    lam = np.array([0.1, 0.3, 0.45])
    assert np.allclose(cp.real_wage_gap(lam, 0.2, mu, sigma), -cp.real_wage_gap(1 - lam, 0.2, mu, sigma),
                       atol=1e-12)


def test_no_trade_costs_means_no_geography():
    gap = cp.real_wage_gap(np.linspace(0, 1, 21), 1.0, 0.4, 5.0)
    assert np.max(np.abs(gap)) < 1e-12


def test_core_closed_form_values():
    """λ = 1：w₁ = 1、G₁ = 1、G₂ = T、Y₁ = (1+μ)/2、Y₂ = (1−μ)/2（正文的推导）。"""
    mu, sigma, phi = 0.4, 5.0, 0.2
    s = cp.short_run(1.0, phi, mu, sigma)
    T = phi ** (1 / (1 - sigma))
    assert (float(s.w1), float(s.G1), float(s.G2)) == pytest.approx((1, 1, T), abs=1e-12)
    assert (float(s.Y1), float(s.Y2)) == pytest.approx(((1 + mu) / 2, (1 - mu) / 2), abs=1e-12)
    assert float(cp.core_ratio(phi, mu, sigma)) == pytest.approx(float(cp.core_ratio_closed(phi, mu, sigma)),
                                                                 rel=1e-12)


def test_freeness_and_trade_cost_are_inverse():
    assert float(cp.trade_cost(cp.freeness(1.7, 5.0), 5.0)) == pytest.approx(1.7)
    assert float(cp.freeness(1.0, 3.0)) == 1.0


# ---------------------------------------------------------------- 突破点与维持点

@pytest.mark.parametrize("mu,sigma", PARAMS)
def test_break_point_closed_form_equals_numerical(mu, sigma):
    expected = phi_b_formula(mu, sigma)
    assert cp.break_point(mu, sigma) == pytest.approx(expected, abs=1e-15)
    assert cp.break_point_numeric(mu, sigma) == pytest.approx(expected, abs=1e-6)
    # 斜率在 φ_B 两侧变号
    assert cp.symmetric_slope(0.95 * expected, mu, sigma) < 0 < cp.symmetric_slope(1.05 * expected, mu, sigma)


@pytest.mark.parametrize("mu,sigma", PARAMS)
def test_sustain_point_closed_form_equals_numerical(mu, sigma):
    phi_s = cp.sustain_point(mu, sigma)
    assert 0 < phi_s < 1
    assert sustain_residual(phi_s, mu, sigma) == pytest.approx(0, abs=1e-10)
    assert cp.sustain_point_numeric(mu, sigma) == pytest.approx(phi_s, abs=1e-6)
    # 维持点以下核心不能维持（边缘的实际工资更高），以上可以
    assert cp.core_ratio(0.9 * phi_s, mu, sigma) > 1 > cp.core_ratio(min(1.1 * phi_s, 0.99), mu, sigma)
    # 滞后：维持点低于突破点
    assert phi_s < cp.break_point(mu, sigma)


def test_textbook_numbers():
    """正文的默认参数与习题 ex-t2-6 的参数。"""
    assert cp.break_point(0.4, 5.0) == pytest.approx(1 / 7, abs=1e-12)        # 0.24 / 1.68
    assert round(cp.break_point(0.4, 5.0), 3) == 0.143
    assert round(cp.sustain_point(0.4, 5.0), 3) == 0.094
    phi = cp.break_point(0.3, 4.0)
    assert phi == pytest.approx(0.315 / 1.365, abs=1e-12)
    assert round(phi, 3) == 0.231 and round(float(cp.trade_cost(phi, 4.0)), 2) == 1.63


@pytest.mark.parametrize("mu,sigma", [(0.5, 2.0), (0.6, 2.0), (0.7, 3.0)])
def test_black_hole_is_a_chinese_error(mu, sigma):
    for f in (cp.break_point, cp.sustain_point, cp.break_point_numeric, cp.sustain_point_numeric):
        with pytest.raises(ModelError) as info:
            f(mu, sigma)
        assert "无黑洞条件" in info.value.zh


@pytest.mark.parametrize("bad", [dict(mu=0.0, sigma=5.0), dict(mu=1.2, sigma=5.0), dict(mu=0.4, sigma=1.0)])
def test_bad_parameters(bad):
    with pytest.raises(ModelError):
        cp.short_run(0.5, 0.2, **bad)
    with pytest.raises(ModelError):
        cp.short_run(1.5, 0.2, 0.4, 5.0)
    with pytest.raises(ModelError):
        cp.short_run(0.5, 0.0, 0.4, 5.0)


# ---------------------------------------------------------------- 长期均衡与战斧图

@pytest.mark.parametrize("mu,sigma", [(0.4, 5.0), (0.3, 4.0)])
def test_equilibria_in_the_three_regimes(mu, sigma):
    b, s = cp.break_point(mu, sigma), cp.sustain_point(mu, sigma)
    low = cp.equilibria(0.8 * s, mu, sigma)
    assert [(e["kind"], e["stable"]) for e in low] == [("symmetric", True)]
    mid = cp.equilibria((s + b) / 2, mu, sigma)
    assert [(e["kind"], e["stable"]) for e in mid] == [("core", True), ("interior", False), ("symmetric", True),
                                                       ("interior", False), ("core", True)]
    for e in mid:   # 内部均衡处实际工资相等
        if e["kind"] == "interior":
            assert abs(float(cp.real_wage_gap(e["lam"], (s + b) / 2, mu, sigma))) < 1e-10
    high = cp.equilibria(min(1.5 * b, 0.95), mu, sigma)
    assert [(e["kind"], e["stable"]) for e in high] == [("core", True), ("symmetric", False), ("core", True)]


def test_tomahawk_agrees_with_the_critical_points():
    mu, sigma = 0.4, 5.0
    b, s = cp.break_point(mu, sigma), cp.sustain_point(mu, sigma)
    phi = np.linspace(0.01, 0.99, 99)
    t = cp.tomahawk(mu, sigma, phi)
    assert np.array_equal(t["symmetric_stable"], phi < b)
    assert np.array_equal(t["core"], phi >= s)
    inside = (phi > s) & (phi < b)
    assert np.all(np.isfinite(t["interior"][inside])) and np.all(np.isnan(t["interior"][~inside]))
    lam = t["interior"][inside]
    assert np.all((lam > 0.5) & (lam < 1)) and np.all(np.diff(lam) < 0)   # 从 1 附近降向 1/2
    assert np.max(np.abs(cp.real_wage_gap(lam, phi[inside], mu, sigma))) < 1e-10
