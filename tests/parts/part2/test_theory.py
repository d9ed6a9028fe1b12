"""第二部分理论章（quyu.parts.part2.theory）：相异指数（产出—人口不重合度）与“人是否追随产出”的组件。

数值对照独立的计算（逐项手算、另一种等价公式），不与代码自身比较；年份从 data/vintages.csv 推出。
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from quyu import analysis, data, measures, widgets
from quyu.parts.part2 import theory


# ---------------------------------------------------------------- 相异指数


# ---------------------------------------------------------------- 第二部分：人是否追随产出

@pytest.mark.parametrize("vintage", theory.SERIES_VINTAGES)
def test_shares_and_dissimilarity(vintage):
    s = theory.shares(vintage)
    by_year = s.groupby("year")[["gdp_share", "pop_share"]].sum()
    assert np.allclose(by_year, 1.0)
    D = theory.dissimilarity_series(vintage)
    y = int(D.index.max())
    b = s[s["year"] == y]
    assert D[y] == pytest.approx(0.5 * (b["gdp_share"] - b["pop_share"]).abs().sum())
    # 份额之比就是相对人均 GDP（同一版本的人均值除以 ΣGDP/Σ人口）
    p = analysis.panel(vintage)
    p = p[p["year"] == y].set_index("code")
    rel = p["gdp_pc"] / (p["gdp"].sum() * 1e4 / p[analysis.WEIGHT_COLUMN].sum())
    assert np.allclose(b.set_index("code")["ratio"].reindex(rel.index), rel)


def test_follow_test_rejects_missing_year():
    with pytest.raises(ValueError, match="没有 1990 年"):
        theory.follow_test("current", 1990, 2010)


def test_cluster_table_against_scheme_members():
    years = data.vintage_info("current")["years"]
    y = max(years)
    ct = theory.cluster_table("current", [y])
    s = theory.shares("current")
    members = data.scheme("yrd")
    codes = members[members == "yrd"].index
    expected = s[(s["year"] == y) & s["code"].isin(codes)]["gdp_share"].sum()
    assert ct[ct["scheme"] == "yrd"]["gdp_share"].iloc[0] == pytest.approx(expected)


def test_city_dissimilarity_finer_units_are_less_coincident():
    cd = theory.city_dissimilarity_2010()
    assert cd["n_cities"] > cd["n_provinces"] > 1
    assert cd["D_city"] >= cd["D_province"]  # 合并单元不会增大 D（三角不等式）


def test_follow_widget_readout_and_year_message():
    w = theory.follow_widget(vintage="current", code="44")
    last = max(data.vintage_info("current")["years"])
    views = w.views(year=last)
    assert views[0]["type"] == "stats"
    s = theory.shares("current")
    gd = s[(s["code"] == "44") & (s["year"] == last)]["gdp_share"].iloc[0]
    assert f"{gd * 100:.2f}" in str(views[0]["items"])
    first_comp = min(data.vintage_info("compendium")["years"])
    msg = w.views(year=first_comp)[0]
    assert msg["type"] == "message" and "不在当前数据的年份范围内" in msg["text"]
    size = len(widgets.json.dumps(w.payload(), ensure_ascii=False).encode())
    assert size < 300_000


# ---------------------------------------------------------------- 核心—边缘模型：正文的数字、战斧图、组件

from quyu.models import core_periphery as cp  # noqa: E402


def test_cp_points_closed_and_numeric_agree():
    p = theory.cp_points()
    assert (p["mu"], p["sigma"]) == (theory.CP_MU, theory.CP_SIGMA)
    assert p["phi_B"] == pytest.approx(0.24 / 1.68, abs=1e-12)
    assert abs(p["phi_B"] - p["phi_B_numeric"]) < 1e-6 and abs(p["phi_S"] - p["phi_S_numeric"]) < 1e-6
    assert p["T_B"] == pytest.approx(p["phi_B"] ** (1 / (1 - p["sigma"])))
    assert p["phi_S"] < p["phi_B"] and p["T_S"] > p["T_B"]


def test_cp_agreement_bound_is_tight():
    """正文说两种算法“相差不到 10^-k”：差确实小于 10^-k，而不小于 10^-(k+1)（k 不是随手写大的）。"""
    p = theory.cp_points()
    k = theory.cp_agreement_exponent()
    diff = max(abs(p["phi_B"] - p["phi_B_numeric"]), abs(p["phi_S"] - p["phi_S_numeric"]))
    assert diff < 10.0 ** -k and diff >= 10.0 ** -(k + 1)
    assert k >= 8


def test_cp_caption_states_the_parameters_used():
    """战斧图题注中写明的 μ、σ 必须就是画图所用的 CP_MU、CP_SIGMA。"""
    import re
    from quyu import fmt
    md = (Path(__file__).resolve().parents[3] / "book" / "part2" / "theory.md").read_text(encoding="utf-8")
    cap = re.search(r"caption: 核心边缘模型的战斧图（μ = ([0-9.]+)，σ = ([0-9.]+)）", md)
    assert cap, "tomahawk caption not found"
    assert cap.group(1) == fmt.num(theory.CP_MU, 1) and cap.group(2) == fmt.num(theory.CP_SIGMA, 0)
    assert f"只画到 {fmt.num(theory.CP_FIG_XMAX, 1)}" in md
    assert theory.CP_FIG_XMAX > theory.cp_points()["phi_B"]


def test_cp_tomahawk_data():
    df = theory.cp_tomahawk()
    p = theory.cp_points()
    sym = df[df["kind"] == "symmetric"]
    assert (sym["lam"] == 0.5).all()
    # 对称分布：突破点以下稳定、以上不稳定（突破点本身是两段共同的端点）
    assert sym[sym["stable"]]["phi"].max() == pytest.approx(p["phi_B"], abs=1e-12)
    assert sym[~sym["stable"]]["phi"].min() == pytest.approx(p["phi_B"], abs=1e-12)
    core = df[df["kind"] == "core"]
    assert core["stable"].all() and core["phi"].min() == pytest.approx(p["phi_S"], abs=1e-9)
    inner = df[df["kind"] == "interior"]
    assert not inner["stable"].any()
    assert inner["phi"].between(p["phi_S"], p["phi_B"]).all()
    up = inner[inner["branch"] == "上"].sort_values("phi")
    assert np.max(np.abs(cp.real_wage_gap(up["lam"].to_numpy(), up["phi"].to_numpy(), p["mu"], p["sigma"]))) < 1e-10
    csv = theory.cp_tomahawk_csv(df)
    assert list(csv.columns) == ["均衡", "贸易自由度 φ", "运输成本 T", "地区 1 的制造业份额 λ", "稳定性"]
    assert set(csv["稳定性"]) == {"稳定", "不稳定"} and len(csv) == len(df)


def test_cp_grid_matches_the_general_equilibrium_search():
    """组件的整批计算（二分求内部均衡）与逐个参数的一般搜索（网格找变号再求根）给出相同的均衡。"""
    g = theory.cp_grid()
    assert len(g) == sum(1 for m in theory.CP_MUS for s in theory.CP_SIGMAS if cp.rho(s) > m) * len(theory.CP_PHIS)
    for r in g.sample(25, random_state=0).itertuples():
        case = theory.cp_case(r.phi, r.mu, r.sigma)
        general = cp.equilibria(r.phi, r.mu, r.sigma)
        assert [(e["kind"], e["stable"]) for e in case["equilibria"]] == [(e["kind"], e["stable"]) for e in general]
        assert np.allclose([e["lam"] for e in case["equilibria"]], [e["lam"] for e in general], atol=1e-9)
        lam = np.array(theory.CP_LAMBDA_PCT) / 100
        assert np.allclose(case["gap"], cp.real_wage_gap(lam, r.phi, r.mu, r.sigma), atol=1e-13)


def test_cp_widget_callbacks():
    w = theory.cp_widget()
    box = w.ipywidget()
    # 默认参数 φ = 0.12：介于维持点与突破点之间，两种格局都稳定
    assert "取决于工人原来怎样分布" in box.output.value
    box.inputs["phi"].value = 0.3          # 高于突破点
    assert "对称分布不稳定" in box.output.value
    box.inputs["phi"].value = 0.05         # 低于维持点
    assert "只有对称分布是稳定的" in box.output.value
    box.inputs["sigma"].value = 2.0
    box.inputs["mu"].value = 0.5           # 黑洞：中文提示
    assert "无黑洞条件" in box.output.value and "Traceback" not in box.output.value
    # 数字卡片与图的数据来自模型
    views = w.views(phi=0.2, mu=0.4, sigma=5.0)
    stats = dict(views[0]["items"])
    assert stats["突破点 φ（运输成本 T）"].startswith("0.143")
    assert stats["维持点 φ（运输成本 T）"].startswith("0.094")
    chart = views[-1]
    assert chart["xlabel"] and chart["x"] == list(theory.CP_LAMBDA_PCT)
    gap = cp.real_wage_gap(np.array(chart["x"]) / 100, 0.2, 0.4, 5.0)
    assert np.allclose(chart["series"][0]["y"], gap, rtol=1e-5, atol=1e-12)


def test_cp_widget_payload_is_small():
    import json

    payload = theory.cp_widget().payload()
    assert payload["csv_note"] == theory.CP_NOTE
    assert len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()) < 250_000
