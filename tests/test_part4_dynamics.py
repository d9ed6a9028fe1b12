"""分布动态与空间结构：相邻关系数据、用本书数据检验 giddy/esda/libpysal 的包装、组件。

不依赖 data/ 的度量测试（手算的 Moran's I、Phillips–Sul 的构造面板等）在 tests/measures/。"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from quyu import data, measures
from quyu.parts import part4_dynamics as dyn


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

def test_permutation_inference_is_reproducible_and_checked():
    y = np.log(dyn._wide("current")[2024])
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
    y = np.log(dyn._wide("current")[2024])
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

    y = np.log(dyn._wide("current")[2024])
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
