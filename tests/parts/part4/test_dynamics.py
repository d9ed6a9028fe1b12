"""第四部分“超越 β 与 σ”一章（quyu.parts.part4.dynamics）：相邻关系数据、giddy/esda/libpysal 包装、Phillips–Sul 实现与组件。"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from quyu import data, measures
from quyu.parts.part4 import dynamics as dyn


# ---------------------------------------------------------------- 相邻关系数据

def test_contiguity_counts_and_hainan_link():
    c = data.contiguity()
    assert len(c) == 69
    assert (c["link"] == "land_border").sum() == 68
    conv = c[c["link"] == "island_convention"]
    assert conv[["code_a", "code_b"]].values.tolist() == [["44", "46"]]
    assert (c["code_a"] < c["code_b"]).all()
    assert not c.duplicated(["code_a", "code_b"]).any()
    assert len(data.contiguity(hainan_link=False)) == 68
    with pytest.raises(data.DataError, match="hainan_link"):
        data.contiguity("yes")


def test_neighbour_counts_match_the_standard_description():
    nb = data.neighbours(hainan_link=False)
    expected = {"15": 8, "61": 8, "13": 7, "51": 7, "11": 2, "31": 2, "23": 2, "65": 3, "44": 4, "46": 0}
    assert {c: len(nb[c]) for c in expected} == expected
    assert set(nb["13"]) == {"11", "12", "14", "15", "21", "37", "41"}
    with_link = data.neighbours()
    assert with_link["46"] == ["44"] and "46" in with_link["44"]
    for a, bs in with_link.items():  # 对称
        for b in bs:
            assert a in with_link[b]


# ---------------------------------------------------------------- Moran's I 与 LISA

LINE = {"A": ["B"], "B": ["A", "C"], "C": ["B", "D"], "D": ["C"]}


def test_permutation_inference_is_reproducible_and_checked():
    y = np.log(dyn._complete_gdp_pc("current")[2024])
    nb = data.neighbours()
    a = measures.moran(y, nb, permutations=199, seed=7)
    b = measures.moran(y, nb, permutations=199, seed=7)
    assert a.p_sim == b.p_sim
    for bad in (-1, 19, 10_000, 99.5, True):
        with pytest.raises(measures.MeasureError, match="置换次数"):
            measures.moran(y, nb, permutations=bad)
    assert np.isnan(measures.moran(y, nb, permutations=0).p_sim)  # 0 = 只算统计量
    with pytest.raises(measures.MeasureError, match="置换次数"):
        measures.lisa(y, nb, permutations=0)


def test_lisa_quadrants_agree_with_signs():
    y = np.log(dyn._complete_gdp_pc("current")[2024])
    nb = data.neighbours()
    out = measures.lisa(y, nb, permutations=99, seed=3)
    z = y - y.mean()
    lag = pd.Series({c: z[nb[c]].mean() for c in z.index})
    expect = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    assert (out["quadrant"].to_numpy() == expect).all()
    assert set(out["cluster"]) <= {"高—高", "低—高", "低—低", "高—低", "不显著"}


# esda 预告下一个大版本会改变条件置换的默认备择假设；这里比较的是现行（单侧、“directed”）的 p 值。
@pytest.mark.filterwarnings("ignore:The alternative hypothesis for conditional randomization:DeprecationWarning")
def test_lisa_p_values_agree_with_esda():
    # 与 esda 自己的条件置换（numba 实现，首次编译较慢）对照：同一算法，随机数不同，p 值应当接近。
    import esda

    y = np.log(dyn._complete_gdp_pc("current")[2024])
    nb = data.neighbours()
    ours = measures.lisa(y, nb, permutations=9999, seed=5)["p_sim"].to_numpy()
    w = measures.spatial_weights(nb, y.index)
    ref = esda.Moran_Local(y.to_numpy(), w, permutations=9999, seed=5, keep_simulations=False).p_sim
    assert np.abs(ours - ref).max() < 0.02


def test_islands_are_refused():
    y = pd.Series(np.arange(1.0, 32.0), index=data.provinces()["code"])
    with pytest.raises(measures.MeasureError, match="孤岛"):
        measures.moran(y, data.neighbours(hainan_link=False))
    no_hainan = dyn.moran_by_year("current", hainan_link=False, permutations=99)
    assert len(no_hainan) == len(dyn.vintage_years("current"))


# ---------------------------------------------------------------- 马尔可夫链

def test_transition_counts_equal_a_direct_count():
    rel = measures.relative_levels(dyn.gdp_pc_wide("current", 2006, 2024))
    ids, _ = measures.classify(rel, 4)
    res = measures.markov(ids, 4)
    pairs = pd.DataFrame({"a": ids.iloc[:, :-1].to_numpy().ravel(), "b": ids.iloc[:, 1:].to_numpy().ravel()})
    direct = pd.crosstab(pairs["a"], pairs["b"]).reindex(index=range(4), columns=range(4), fill_value=0)
    assert (res.counts == direct.to_numpy()).all()
    assert res.n_transitions == 31 * 18
    assert np.allclose(res.P.sum(axis=1), 1)
    assert np.allclose(res.P, direct.to_numpy() / direct.to_numpy().sum(axis=1, keepdims=True))


def test_ergodic_distribution_is_the_unit_eigenvector():
    res, _ = dyn.markov_result("current", 2006, 2024, 4, "quantile")
    vals, vecs = np.linalg.eig(res.P.T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    assert np.allclose(res.ergodic, v / v.sum())
    assert np.allclose(res.ergodic @ res.P, res.ergodic)
    assert res.ergodic.sum() == pytest.approx(1)


def test_quantile_classes_are_balanced_and_fixed_cutoffs_symmetric():
    rel = measures.relative_levels(dyn.gdp_pc_wide("current", 2006, 2024))
    ids, cut = measures.classify(rel, 4)
    counts = np.bincount(ids.to_numpy().ravel(), minlength=4)
    assert counts.max() - counts.min() <= 4
    f = measures.fixed_cutoffs(4)
    assert np.allclose(f, [0.5, 1.0, 2.0])
    assert np.allclose(measures.fixed_cutoffs(5), [0.25, 0.5, 1.0, 2.0])  # Quah (1993)


def test_spatial_markov_counts_add_up_to_the_plain_chain():
    sm = dyn.spatial_markov_result("current", 2006, 2024, 3, True)
    plain, _ = dyn.markov_result("current", 2006, 2024, 3, "quantile")
    assert np.allclose(sm.counts.sum(axis=0), plain.counts)
    up = dyn.upward_probability(plain.P)
    assert up[-1] == 0 and np.allclose(up[0], plain.P[0, 1:].sum())


# ---------------------------------------------------------------- Phillips–Sul

# ---------------------------------------------------------------- 组件

def test_markov_widget_messages():
    w = dyn.markov_widget()
    assert w.views()[0]["type"] == "stats"
    v = w.views(vintage="yearbook", start=2000, end=2012)
    assert v[0]["type"] == "message" and "2000" in v[0]["text"] and "/" not in v[0]["text"]
    v = w.views(vintage="current", start=2012, end=2008)
    assert v[0]["type"] == "message"
    # 固定分界、较多类时会出现空类
    msgs = [w.views(vintage=vv, start=s, end=e, k=5, scheme="fixed")[0]
            for vv in dyn.VINTAGES for s in dyn.MARKOV_STARTS for e in dyn.MARKOV_ENDS]
    assert any(m["type"] == "message" and "没有任何观测" in m["text"] for m in msgs)


def test_spatial_widget_permutation_range_message():
    w = dyn.spatial_widget()
    v = w.views(permutations=19)
    assert v[0]["type"] == "message" and "置换次数" in v[0]["text"]
    ok = w.views(hainan_link=False)
    assert ok[0]["type"] == "chart" and "不含海南" in ok[0]["note"]


def test_spatial_markov_widget_defaults():
    v = dyn.spatial_markov_widget().views()
    assert v[0]["type"] == "table" and len(v[0]["rows"]) == 2


def test_club_reading_follows_the_size_of_b():
    """Phillips & Sul（2007）：0 ≤ b < 2 是增长率收敛，b ≥ 2 是水平收敛；t ≤ −1.65 拒绝收敛。"""
    kind = dyn.club_convergence_kind
    assert kind(2.4, 3.0) == "level"
    assert kind(2.0, 1.0) == "level"
    assert kind(0.8, 1.0) == "growth"
    assert kind(-0.1, -0.5) == "weak"
    assert kind(-1.0, -2.0) == "rejected"
    assert kind(3.0, -1.65) == "rejected"
    assert "水平收敛" in dyn.club_reading_zh(2.4, 3.0)
    precise = dyn.club_reading_zh(0.5, 10.0)      # 标准误 0.05：b ≥ 2 被明确拒绝
    vague = dyn.club_reading_zh(1.5, 0.5)         # 标准误 3：分不清
    assert "增长率收敛" in precise and "被拒绝" in precise
    assert "分不清" in vague
    assert "拒绝这些地区" in dyn.club_reading_zh(0.3, -2.0)
    with pytest.raises(ValueError):
        kind(float("nan"), 1.0)


def test_every_club_in_the_book_gets_a_reading():
    res = dyn.club_result("current", *(lambda y: (y[0], y[-1]))(dyn.vintage_years("current")))
    for t in res.tests:
        assert t.converges
        assert dyn.club_convergence_kind(t.b, t.t) in ("weak", "growth", "level")
        assert dyn.club_reading_zh(t.b, t.t)


def test_club_reading_does_not_call_an_insignificant_b_growth_convergence():
    """b 的点估计在 0 与 2 之间但 t < 1.65 时，不能说增长率在趋同；b 为负而未被拒绝时，也不能说离散没有缩小。"""
    assert dyn.b_significantly_positive(0.5, 10.0) and not dyn.b_significantly_positive(0.004, 0.10)
    weak_b = dyn.club_reading_zh(0.004, 0.10)
    assert "不能确认增长率在趋同" in weak_b and "成员的增长率趋同" not in weak_b
    negative = dyn.club_reading_zh(-0.001, -0.05)
    assert "并没有缩小" not in negative and "不能拒绝收敛" in negative


# ---------------------------------------------------------------- 推断：区间、检验与稳健性

def _years():
    y = dyn.vintage_years("current")
    return y[0], y[-1]


def test_markov_verdict_is_chosen_by_the_interval():
    from types import SimpleNamespace

    res = SimpleNamespace(initial=np.array([0.25, 0.25, 0.25, 0.25]), ergodic=np.array([0.1, 0.35, 0.35, 0.2]))

    def boot(changes):  # 每次重抽样：首年中间比重 0.5，遍历分布中间比重 0.5 + change
        changes = np.asarray(changes, dtype=float)
        mid = 0.5 + changes
        return SimpleNamespace(initial=np.tile([0.25, 0.25, 0.25, 0.25], (len(changes), 1)),
                               ergodic=np.column_stack([(1 - mid) / 2, mid / 2, mid / 2, (1 - mid) / 2]),
                               interval=measures.MarkovBootstrap.interval)

    firm = dyn.markov_verdict_zh(res, boot(np.linspace(0.05, 0.3, 101)))
    vague = dyn.markov_verdict_zh(res, boot(np.linspace(-0.2, 0.3, 101)))
    assert firm.startswith("向中间集中") and "不含零" in firm
    assert "包含零" in vague and "不足以" in vague
    assert dyn.mid_change(res.initial, res.ergodic) == pytest.approx(0.2)


def test_book_bootstrap_and_tests_are_consistent():
    a, b = _years()
    res, _ = dyn.markov_result("current", a, b, 4, "quantile")
    boot = dyn.markov_boot("current", a, b, 4)
    assert boot.reps == dyn.BOOT_REPS and boot.P.shape == (dyn.BOOT_REPS, 4, 4)
    lo, hi = boot.interval(boot.P)
    assert ((lo <= res.P + 1e-12) | (res.P == 0)).all() and (hi >= res.P - 0.05).all()
    # 每一次重抽样的转移次数都是 31 个省份 × 转移年数
    assert np.allclose(np.nansum(boot.P, axis=2)[~np.isnan(boot.P).any(axis=2)], 1)
    t = dyn.markov_tests("current", a, b, 4)
    assert t["time"].n == res.n_transitions and t["order"].n == 31 * (b - a - 1)
    assert 0 <= t["time"].LR_p <= 1 and t["order"].dof > 0
    assert dyn.markov_tests_meaning_zh(t)


def test_count_table_shows_counts_beside_probabilities():
    a, b = _years()
    res, cut = dyn.markov_result("current", a, b, 4, "quantile")
    t = dyn.markov_count_table(res, cut)
    assert t.loc[2, "→ 4"].endswith(f"（{int(res.counts[2, 3])}）")
    assert sum(int(c.split("（")[1].rstrip("）")) for c in t["→ 1"]) == int(res.counts[:, 0].sum())


def test_lisa_fdr_clusters_are_a_subset_and_robust_ones_hold_everywhere():
    year = dyn.vintage_years("current")[-1]
    for spec in dyn.LISA_SPECS:
        li = dyn.lisa_spec("current", year, spec)
        fdr = li["cluster_fdr"] != "不显著"
        assert (li.loc[fdr, "cluster"] == li.loc[fdr, "cluster_fdr"]).all()   # 校正后显著 ⊆ 未校正显著
        assert len(li) == (31 if dyn.LISA_SPECS[spec][2] else 30)
    rob = dyn.lisa_robustness("current", year)
    for code in rob.index[rob["robust"]]:
        kinds = {dyn.lisa_spec("current", year, s).loc[code, "cluster"] for s in dyn.LISA_SPECS
                 if code in dyn.lisa_spec("current", year, s).index}
        assert len(kinds) == 1 and "不显著" not in kinds
    assert not rob.loc[~rob["robust"], "robust_fdr"].any()
    nb = dyn.tile_neighbours()
    assert all(len(v) >= dyn.KNN_K for v in nb.values())
    assert "44" in nb["46"]


def test_club_robustness_compares_partners_not_numbers():
    rob = pd.DataFrame({("a", 1): [1, 1, 2, 2, 0], ("b", 1): [2, 2, 1, 3, 0], ("c", 1): [1, 1, 2, 2, 0]},
                       index=list("ABCDE"))
    assert dyn.club_robust(rob).to_dict() == {"A": True, "B": True, "C": False, "D": False, "E": True}
    a, b = _years()
    real = dyn.club_robustness("current", a, b)
    assert real.shape == (31, len(dyn.PS_TRIMS) * len(dyn.PS_LAMBDAS))
    base = dyn.club_merged("current", a, b)
    assert (real[(1 / 3, 400.0)] == pd.Series(base.membership())[real.index]).all()
    sizes = dyn.club_sizes(real)
    assert sizes[(1 / 3, 400.0)] == "/".join(str(len(c)) for c in base.clubs)


def test_p_text_never_prints_zero():
    assert dyn.p_text(0.0004) == "p 值小于 0.001"
    assert dyn.p_text(0.0471) == "p 值 0.047"


def test_spatial_widget_shows_clusters_before_and_after_fdr():
    """组件的 LISA 表把未校正与控制错误发现率后的聚类并列：校正后的省份是未校正的子集，说明中的个数与表一致。"""
    views = dyn.spatial_views("current", True, 99)
    lisa = next(v for v in views if v["type"] == "table")
    assert lisa["columns"][1].startswith("p < 0.05") and "错误发现率" in lisa["columns"][2]
    n_raw = n_fdr = 0
    for _, raw, fdr in lisa["rows"]:
        raw_set = set() if raw == "（无）" else set(raw.split("、"))
        fdr_set = set() if fdr == "（无）" else set(fdr.split("、"))
        assert fdr_set <= raw_set
        n_raw, n_fdr = n_raw + len(raw_set), n_fdr + len(fdr_set)
    assert f"由 {n_raw} 个变为 {n_fdr} 个" in lisa["note"]


def test_homogeneity_verdict_needs_both_statistics():
    """似然比与 Q 的结论不一时不下确定的结论（处在边缘）；两者一致时才拒绝或不拒绝。"""
    from types import SimpleNamespace as NS

    both = NS(LR=20.0, Q=21.0, LR_p=0.01, Q_p=0.02, dof=6)
    none = NS(LR=2.0, Q=2.1, LR_p=0.6, Q_p=0.5, dof=6)
    edge = NS(LR=12.8, Q=12.3, LR_p=0.047, Q_p=0.053, dof=6)
    assert dyn.test_decision(both) == "reject" and "两者都拒绝" in dyn.test_reading_zh(both)
    assert dyn.test_decision(none) == "keep" and "两者都不能拒绝" in dyn.test_reading_zh(none)
    assert dyn.test_decision(edge) == "edge" and "边缘" in dyn.test_reading_zh(edge)
    assert "边缘" in dyn.markov_tests_meaning_zh({"time": edge, "order": none})
    assert "并无不妥" in dyn.markov_tests_meaning_zh({"time": none, "order": none})


# ---------------------------------------------------------------- 位次流动：Kendall τ、空间 τ、区域分解

def test_rank_mobility_on_the_book_data_agrees_with_scipy_and_adds_up():
    from scipy import stats

    start, end = dyn.rank_period_years("current", "all")
    years = dyn.vintage_years("current")
    assert (start, end) == (years[0], years[-1])
    w = data.panel("current").pivot(index="code", columns="year", values="gdp_pc")
    res = dyn.rank_mobility("current", start, end)
    ref = stats.kendalltau(w[start], w[end], method="asymptotic")
    assert res["tau"].tau == pytest.approx(ref.statistic) and res["tau"].p == pytest.approx(ref.pvalue, rel=1e-5)
    assert -1 <= res["tau"].tau <= 1 and -1 <= res["spatial"].tau_spatial <= 1
    # 空间 τ 只数相邻的对：对数等于相邻关系表的行数（含海南连接）
    assert res["spatial"].pairs_spatial == len(data.contiguity(True))
    r = res["regional"]
    assert sorted(r.matrix.index) == sorted(set(data.scheme(dyn.RANK_SCHEME)))
    assert (r.n_intra * r.intra + r.n_inter * r.inter) / (r.n_intra + r.n_inter) == pytest.approx(res["tau"].tau)
    # 区域内的对数：各板块省份数 n_r 的 n_r(n_r − 1)/2 之和
    sizes = data.scheme(dyn.RANK_SCHEME).value_counts()
    assert r.n_intra == int((sizes * (sizes - 1) // 2).sum())


def test_rank_periods_come_from_the_data_and_refuse_vintages_without_the_new_era():
    era = data.stage_start("new_era")
    assert dyn.rank_period_years("current", "before")[1] == era == dyn.rank_period_years("current", "after")[0]
    with pytest.raises(data.DataError, match="不跨过新时代起点"):
        dyn.rank_period_years("compendium", "after")


def test_rank_verdicts_are_chosen_by_the_tests():
    from types import SimpleNamespace as NS

    persist = dyn.tau_verdict_zh(NS(tau=0.6, p=0.001, discordant=10, pairs=100))
    assert "拒绝" in persist and "持续性" in persist
    reverse = dyn.tau_verdict_zh(NS(tau=-0.6, p=0.001, discordant=80, pairs=100))
    assert "反向相关" in reverse and "持续性" not in reverse      # 显著为负的 τ 不是持续性
    keep = dyn.tau_verdict_zh(NS(tau=0.05, p=0.2, discordant=40, pairs=100))
    assert keep.startswith("不能拒绝") and "看不出" in keep and "洗牌" not in keep
    assert "没有显著差别" in dyn.spatial_tau_verdict_zh(NS(p_two=0.6, tau_spatial=0.5, expected=0.6))
    assert "更频繁" in dyn.spatial_tau_verdict_zh(NS(p_two=0.02, tau_spatial=0.3, expected=0.6))
    assert "更少" in dyn.spatial_tau_verdict_zh(NS(p_two=0.02, tau_spatial=0.9, expected=0.6))
    assert "没有显著不同" in dyn.regional_verdict_zh(NS(intra=0.5, inter=0.6, intra_p_two=0.8))
    assert "显著：" in dyn.regional_verdict_zh(NS(intra=0.5, inter=0.6, intra_p_two=0.02))
    assert "没有显著差别" in dyn.regional_summary_zh(NS(intra_p_two=0.8))
    assert "有显著差别" in dyn.regional_summary_zh(NS(intra_p_two=0.02))


def test_rank_verdicts_use_the_two_sided_p_value():
    """两个方向都是可检验的含义：单尾伪 p 值 0.037 对应双侧 0.074，在 5% 水平上不显著。"""
    from quyu.measures.rank import RegionalTauResult, SpatialTauResult

    s = SpatialTauResult(0.8, 0.0, 0.68, 0.79, 0.037, 70, 57, 13, 999, 0.037, np.zeros(999))
    assert s.p_two == pytest.approx(0.074)
    assert "没有显著差别" in dyn.spatial_tau_verdict_zh(s)
    assert "更频繁" in dyn.spatial_tau_verdict_zh(s, alpha=0.1)
    empty = pd.DataFrame()
    r = RegionalTauResult(0.7, empty, empty, empty, 0.85, 0.72, 0.034, 0.034, 100, 365, 999)
    assert r.intra_p_two == pytest.approx(0.068)
    assert "没有显著不同" in dyn.regional_verdict_zh(r) and "没有显著差别" in dyn.regional_summary_zh(r)


def test_rank_split_and_mover_readings_claim_no_untested_difference():
    for a, b in ((6, 12), (6, 6)):
        text = dyn.split_reading_zh(a, b)
        assert "没有经过检验" in text and "更稳定" not in text
    assert "不限于某一个板块" in dyn.mover_regions_zh(["西部", "东部"], ["东北"])
    assert "少数板块" in dyn.mover_regions_zh(["西部", "西部"], ["东北"])
    assert dyn.mover_regions_zh([], ["东北"]).startswith("上升者来自（无）")
    assert dyn.rank_zh(3.0) == "3" and dyn.rank_zh(12.5) == "12.5"


def test_movers_split_into_risers_and_fallers():
    start, end = dyn.rank_period_years("current", "all")
    r = dyn.rank_paths("current", start, end)
    up, down = dyn.movers_up_down("current", start, end)
    assert set(up) | set(down) <= set(dyn.top_movers("current", start, end)) and not set(up) & set(down)
    assert all(r.loc[c, end] < r.loc[c, start] for c in up) and all(r.loc[c, end] > r.loc[c, start] for c in down)


def test_top_movers_are_the_largest_rank_changes():
    start, end = dyn.rank_period_years("current", "all")
    r = dyn.rank_paths("current", start, end)
    assert sorted(r[end]) == list(range(1, 32))
    movers = dyn.top_movers("current", start, end)
    change = (r[start] - r[end]).abs()
    assert change[movers].min() >= change.drop(movers).max()


def test_rank_widget_views_and_kernel_callback():
    w = dyn.rank_widget()
    v = w.views()
    assert [x["type"] for x in v] == ["stats", "message", "message", "message", "table", "chart"]
    assert {x["level"] for x in v[1:4]} == {"info"}
    start, end = dyn.rank_period_years("current", "all")
    names = data.provinces().set_index("code")["name_zh_short"]
    assert [s["label"] for s in v[5]["series"]] == [names[c] for c in dyn.top_movers("current", start, end)]
    assert v[4]["columns"][1:] == list(dict.fromkeys(data.scheme(dyn.RANK_SCHEME, labels=True)))  # 板块的中文名
    box0 = w.ipywidget()
    assert f"{start} 年与 {end} 年" in box0.output.value
    msg = w.views(vintage="compendium", period="before")[0]
    assert msg["type"] == "message" and "新时代起点" in msg["text"] and "/" not in msg["text"]
    box = w.ipywidget()
    box.inputs["period"].value = "after"
    html = box.output.value
    era = data.stage_start("new_era")
    assert f"{era} 年与 {dyn.vintage_years('current')[-1]} 年" in html
