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
