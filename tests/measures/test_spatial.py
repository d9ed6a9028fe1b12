"""quyu.measures.spatial 的测试（手算的小例子；用本书相邻关系的 Moran's I、LISA 测试在第四部分的测试中）。"""
from __future__ import annotations

import pandas as pd
import pytest

from quyu import measures


LINE = {"A": ["B"], "B": ["A", "C"], "C": ["B", "D"], "D": ["C"]}


def test_moran_matches_hand_computation_on_four_regions():
    # 链状 A—B—C—D，y = 1,2,3,4，行标准化：z = (−1.5, −0.5, 0.5, 1.5)，
    # 空间滞后 Wz = (−0.5, −0.5, 0.5, 0.5)，Σ z·Wz = 2，Σ z² = 5，S0 = 4，I = (4/4)·2/5 = 0.4。
    y = pd.Series([1.0, 2.0, 3.0, 4.0], index=list("ABCD"))
    r = measures.moran(y, LINE, permutations=99, seed=1)
    assert r.I == pytest.approx(0.4)
    assert r.EI == pytest.approx(-1 / 3)


def test_fdr_threshold_is_benjamini_hochberg_by_hand():
    import numpy as np

    rng = np.random.default_rng(1)
    for p in (rng.uniform(0, 1, 31) ** 3, np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212,
                                                        0.216]), np.array([0.3, 0.5, 0.9])):
        n = len(p)
        order = np.sort(p)
        ok = [i for i in range(1, n + 1) if order[i - 1] <= i * 0.05 / n]
        hand = set(np.where(p <= order[max(ok) - 1])[0]) if ok else set()
        cut = measures.fdr_threshold(p, 0.05)
        assert set(np.where(p < cut)[0]) == hand
    with pytest.raises(measures.MeasureError, match="p 值"):
        measures.fdr_threshold([0.2, 1.5])


def test_knn_neighbours_include_ties_and_are_checked():
    # 一行四格：B 的两个最近邻 A、C 距离相同；k = 1 时两者都算
    xy = pd.DataFrame({"r": [0, 0, 0, 0], "c": [0, 1, 2, 4]}, index=list("ABCD"))
    nb = measures.knn_neighbours(xy, 1)
    assert sorted(nb["B"]) == ["A", "C"] and nb["A"] == ["B"] and nb["D"] == ["C"]
    assert sorted(measures.knn_neighbours(xy, 2)["D"]) == ["B", "C"]
    with pytest.raises(measures.MeasureError, match="近邻数"):
        measures.knn_neighbours(xy, 4)
