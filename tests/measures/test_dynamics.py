"""quyu.measures.dynamics 的测试（不依赖 data/ 的部分；用本书数据的马尔可夫链测试在第四部分的测试中）。"""
from __future__ import annotations

import pandas as pd
import pytest

from quyu import measures


def test_empty_class_gets_a_chinese_message():
    ids = pd.DataFrame([[0, 0, 1], [1, 1, 0], [0, 1, 1]])
    with pytest.raises(measures.MeasureError, match="第 3 类"):
        measures.markov(ids, 3)
    with pytest.raises(measures.MeasureError, match="分类数"):
        measures.classify(pd.DataFrame([[1.0, 2.0], [2.0, 1.0]]), 12)
