"""quyu.measures.disparity 的测试：手算小例子、不变性质、与 PySAL 对照、逐年计算、报错路径。"""

import math

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from quyu import measures as m
from quyu.measures import MeasureError

Y = np.array([1.0, 2.0, 3.0, 4.0])

# 以人口为权重可用的指标（返回 float）
WEIGHTED = {
    "cv": m.cv,
    "gini": m.gini,
    "theil_t": lambda y, w=None: m.theil_t(y, w).total,
    "theil_l": lambda y, w=None: m.theil_l(y, w).total,
}
# 全部标量指标（不加权）
UNWEIGHTED = {**WEIGHTED, "max_min_ratio": m.max_min_ratio, "sigma": m.sigma}


def random_y(seed, n=31):
    rng = np.random.default_rng(seed)
    return rng.lognormal(mean=10, sigma=0.5, size=n), rng.uniform(100, 12000, size=n)


# ---------------------------------------------------------------------------
# 手算例子：y = [1, 2, 3, 4]，不加权
# ---------------------------------------------------------------------------


def test_cv_by_hand():
    # 均值 2.5；总体方差 = (1.5² + 0.5² + 0.5² + 1.5²)/4 = 1.25；CV = √1.25 / 2.5 = 1/√5
    assert m.cv(Y) == pytest.approx(1 / math.sqrt(5))
    assert m.cv(Y) == pytest.approx(np.std(Y, ddof=0) / Y.mean())


def test_gini_by_hand():
    # 两两绝对差之和（有序对）= 2 × (1+2+3+1+2+1) = 20；平均绝对差 = 20/16 = 1.25
    # G = 1.25 / (2 × 2.5) = 0.25
    assert m.gini(Y) == pytest.approx(0.25)


def test_theil_t_by_hand():
    # s_i = y_i/10，p_i = 1/4：T = Σ s_i ln(s_i/p_i) = Σ (y_i/10) ln(y_i/2.5)
    #   = 0.1·ln0.4 + 0.2·ln0.8 + 0.3·ln1.2 + 0.4·ln1.6
    #   ≈ −0.091629 − 0.044629 + 0.054697 + 0.188001 ≈ 0.106440
    expected = 0.1 * math.log(0.4) + 0.2 * math.log(0.8) + 0.3 * math.log(1.2) + 0.4 * math.log(1.6)
    assert expected == pytest.approx(0.106440, abs=1e-6)
    assert m.theil_t(Y).total == pytest.approx(expected)


def test_theil_l_by_hand():
    # L = Σ p_i ln(p_i/s_i) = (1/4) Σ ln(2.5/y_i) = ln 2.5 − ln(24)/4 ≈ 0.121777
    expected = math.log(2.5) - math.log(24) / 4
    assert expected == pytest.approx(0.121777, abs=1e-6)
    assert m.theil_l(Y).total == pytest.approx(expected)


def test_theil_decomposition_by_hand():
    # 组 a = {1, 2}，b = {3, 4}：p_a = p_b = 0.5，s_a = 0.3，s_b = 0.7
    # T 组间 = 0.3 ln(0.3/0.5) + 0.7 ln(0.7/0.5)
    # T_a = (1/3)ln((1/3)/(1/2)) + (2/3)ln((2/3)/(1/2))；组内 = 0.3·T_a + 0.7·T_b
    result = m.theil_t(Y, groups=["a", "a", "b", "b"])
    between = 0.3 * math.log(0.6) + 0.7 * math.log(1.4)
    t_a = (1 / 3) * math.log(2 / 3) + (2 / 3) * math.log(4 / 3)
    t_b = (3 / 7) * math.log(6 / 7) + (4 / 7) * math.log(8 / 7)
    assert result.between == pytest.approx(between)
    assert result.groups.loc["a", "theil"] == pytest.approx(t_a)
    assert result.groups.loc["b", "theil"] == pytest.approx(t_b)
    assert result.within == pytest.approx(0.3 * t_a + 0.7 * t_b)
    assert result.between_share == pytest.approx(between / result.total)
    table = result.groups
    assert list(table.index) == ["a", "b"]
    assert list(table["units"]) == [2, 2]
    assert table["pop_share"].tolist() == pytest.approx([0.5, 0.5])
    assert table["income_share"].tolist() == pytest.approx([0.3, 0.7])
    assert table["mean"].tolist() == pytest.approx([1.5, 3.5])
    assert table["contribution"].sum() == pytest.approx(result.within)


def test_max_min_and_sigma_by_hand():
    assert m.max_min_ratio(Y) == 4.0
    logs = np.log(Y)
    assert m.sigma(Y) == pytest.approx(math.sqrt(np.mean((logs - logs.mean()) ** 2)))


def test_ratio():
    assert m.ratio(6.0, 4.0) == 1.5
    east = pd.Series([2.0, 9.0], index=["2000", "2020"])
    west = pd.Series([3.0, 1.0], index=["2020", "2000"])  # 顺序不同，按索引对齐
    assert m.ratio(east, west).tolist() == [2.0, 3.0]
    with pytest.raises(MeasureError, match="分母"):
        m.ratio(1.0, 0.0)


# ---------------------------------------------------------------------------
# 手算例子：人口加权，y = [1, 3]，人口 = [3, 1]
# ---------------------------------------------------------------------------


def test_weighted_by_hand():
    y, pop = [1.0, 3.0], [3.0, 1.0]
    # p = (0.75, 0.25)，全国人均 ȳ = 0.75·1 + 0.25·3 = 1.5；收入份额 s = (0.5, 0.5)
    # CV = √(0.75·0.5² + 0.25·1.5²) / 1.5 = √0.75 / 1.5 = 1/√3
    assert m.cv(y, pop) == pytest.approx(1 / math.sqrt(3))
    # Gini = (2 · 0.75 · 0.25 · 2) / (2 · 1.5) = 0.25
    assert m.gini(y, pop) == pytest.approx(0.25)
    # T = 0.5 ln(0.5/0.75) + 0.5 ln(0.5/0.25) = 0.5 ln(4/3)
    assert m.theil_t(y, pop).total == pytest.approx(0.5 * math.log(4 / 3))
    # L = 0.75 ln(0.75/0.5) + 0.25 ln(0.25/0.5)
    assert m.theil_l(y, pop).total == pytest.approx(0.75 * math.log(1.5) - 0.25 * math.log(2))


def test_weighted_series_align_by_index():
    y = pd.Series([1.0, 3.0], index=["A", "B"])
    pop = pd.Series([1.0, 3.0], index=["B", "A"])
    assert m.cv(y, pop) == pytest.approx(1 / math.sqrt(3))


# ---------------------------------------------------------------------------
# 不变性质
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(UNWEIGHTED))
@pytest.mark.parametrize("factor", [1e-4, 3.0, 1e4])
def test_scale_invariance(name, factor):
    y, _ = random_y(1)
    measure = UNWEIGHTED[name]
    assert measure(y * factor) == pytest.approx(measure(y), rel=1e-9)


@pytest.mark.parametrize("name", sorted(WEIGHTED))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_splitting_units_leaves_weighted_measures_unchanged(name, seed):
    # 把每个地区拆成两个人均值相同、人口各半的地区，加权指标不变（人口原则）
    y, pop = random_y(seed)
    measure = WEIGHTED[name]
    split = measure(np.repeat(y, 2), np.repeat(pop / 2, 2))
    assert split == pytest.approx(measure(y, pop), rel=1e-9)
    # 人口整体放大也不变
    assert measure(y, pop * 7) == pytest.approx(measure(y, pop), rel=1e-9)


@pytest.mark.parametrize("name", sorted(UNWEIGHTED))
def test_replicating_units_leaves_unweighted_measures_unchanged(name):
    y, _ = random_y(3)
    measure = UNWEIGHTED[name]
    assert measure(np.tile(y, 3)) == pytest.approx(measure(y), rel=1e-9)


@pytest.mark.parametrize("name", sorted(UNWEIGHTED))
def test_equal_incomes(name):
    y = np.full(8, 42_000.0)
    expected = 1.0 if name == "max_min_ratio" else 0.0
    assert UNWEIGHTED[name](y) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_gini_in_unit_interval(seed):
    y, pop = random_y(seed, n=10)
    y[0] = 0.0  # 零收入允许
    assert 0 <= m.gini(y) < 1
    assert 0 <= m.gini(y, pop) < 1
    extreme = np.r_[np.zeros(99), 1.0]
    assert m.gini(extreme) == pytest.approx(0.99)


@pytest.mark.parametrize("kind", ["theil_t", "theil_l"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_theil_between_plus_within_equals_total(kind, weighted, seed):
    y, pop = random_y(seed)
    groups = np.random.default_rng(100 + seed).integers(0, 1 + seed + 2, size=y.size)
    result = getattr(m, kind)(y, pop if weighted else None, groups)
    assert result.between + result.within == pytest.approx(result.total, rel=1e-12, abs=1e-15)
    assert result.between >= 0 and result.within >= 0
    assert result.groups["pop_share"].sum() == pytest.approx(1.0)
    assert result.groups["income_share"].sum() == pytest.approx(1.0)


def test_theil_without_groups():
    result = m.theil_t(Y)
    assert math.isnan(result.between) and math.isnan(result.within)
    assert result.groups is None
    assert float(result) == result.total


def test_theil_groups_categorical_order():
    groups = pd.Categorical(["西部", "东部", "西部", "东部"], categories=["东部", "中部", "西部"])
    result = m.theil_t(Y, groups=groups)
    assert list(result.groups.index) == ["东部", "西部"]  # 按类别顺序，未出现的组不列出


# ---------------------------------------------------------------------------
# 与 PySAL inequality 对照
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_theil_matches_pysal(seed):
    y, _ = random_y(seed)
    partition = np.random.default_rng(seed).integers(0, 4, size=y.size)
    assert m.theil_t(y).total == pytest.approx(Theil(y).T, rel=1e-10)
    ours = m.theil_t(y, groups=partition)
    theirs = TheilD(y, partition)
    assert ours.between == pytest.approx(float(np.squeeze(theirs.bg)), rel=1e-10)
    assert ours.within == pytest.approx(float(np.squeeze(theirs.wg)), rel=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_gini_matches_pysal(seed):
    y, _ = random_y(seed)
    assert m.gini(y) == pytest.approx(Gini(y).g, rel=1e-10)


# ---------------------------------------------------------------------------
# 人均值与地区份额
# ---------------------------------------------------------------------------


def test_per_capita():
    # 1,000 亿元 ÷ 500 万人 × 10⁴ = 20,000 元/人
    assert m.per_capita(1000, 500) == pytest.approx(20_000)
    gdp = pd.Series([1000.0, 300.0], index=["11", "12"])
    pop = pd.Series([100.0, 500.0], index=["12", "11"])
    result = m.per_capita(gdp, pop)
    assert result.to_dict() == pytest.approx({"11": 20_000.0, "12": 30_000.0})
    assert np.allclose(m.per_capita([10.0, 20.0], [1.0, 4.0], scale=1), [10.0, 5.0])


def test_regional_shares_and_per_capita():
    gdp = pd.Series([60.0, 20.0, 20.0], index=["a", "b", "c"])
    pop = pd.Series([2.0, 3.0, 5.0], index=["a", "b", "c"])
    groups = pd.Series(["东部", "西部", "西部"], index=["a", "b", "c"])
    shares = m.regional_shares(gdp, groups)
    assert shares.to_dict() == pytest.approx({"东部": 0.6, "西部": 0.4})
    assert shares.sum() == pytest.approx(1.0)
    per_capita = m.regional_per_capita(gdp, pop, groups, scale=1)
    # 西部：(20 + 20) / (3 + 5) = 5，不是 (20/3 + 20/5)/2
    assert per_capita.to_dict() == pytest.approx({"东部": 30.0, "西部": 5.0})


# ---------------------------------------------------------------------------
# 逐年计算
# ---------------------------------------------------------------------------


def panel(n_years=50, n_units=31, seed=0):
    rng = np.random.default_rng(seed)
    units = [f"P{i:02d}" for i in range(n_units)]
    region = np.array(["东部", "中部", "西部", "东北"])[np.arange(n_units) % 4]
    frame = pd.DataFrame(
        {
            "code": np.tile(units, n_years),
            "year": np.repeat(np.arange(1975, 1975 + n_years), n_units),
            "gdp_pc": rng.lognormal(10, 0.5, size=n_years * n_units),
            "pop": rng.uniform(100, 12000, size=n_years * n_units),
            "region": np.tile(region, n_years),
        }
    )
    return frame


@pytest.mark.parametrize("name", sorted(m.MEASURES))
def test_disparity_by_year_matches_single_year(name):
    frame = panel(n_years=3)
    info = m.MEASURES[name]
    weight = "pop" if info.supports_weights else None
    group = "region" if info.decomposable else None
    out = m.disparity_by_year(frame, name, weight=weight, group=group, unit="code")
    assert list(out.index) == [1975, 1976, 1977]
    one = frame[frame["year"] == 1976]
    if info.decomposable:
        expected = getattr(m, name)(one["gdp_pc"], one["pop"].to_numpy(), one["region"].to_numpy())
        assert out.loc[1976, "value"] == pytest.approx(expected.total)
        assert out.loc[1976, "between"] == pytest.approx(expected.between)
        assert out.loc[1976, "within"] == pytest.approx(expected.within)
        assert out.loc[1976, "between_share"] == pytest.approx(expected.between / expected.total)
    elif info.supports_weights:
        assert out.loc[1976, "value"] == pytest.approx(getattr(m, name)(one["gdp_pc"], one["pop"].to_numpy()))
    else:
        assert list(out.columns) == ["value"]
        assert out.loc[1976, "value"] == pytest.approx(getattr(m, name)(one["gdp_pc"]))


def test_disparity_by_year_missing_values():
    frame = panel(n_years=3)
    frame.loc[(frame["year"] == 1976) & (frame["code"] == "P03"), "gdp_pc"] = np.nan
    with pytest.raises(MeasureError, match=r"1976 年.*P03"):
        m.disparity_by_year(frame, "cv", unit="code")
    out = m.disparity_by_year(frame, "cv", unit="code", dropna=True)
    assert list(out.index) == [1975, 1977]
    assert out.attrs["skipped"] == {1976: ["P03"]}


def test_disparity_by_year_absent_unit():
    frame = panel(n_years=3)
    frame = frame[~((frame["year"] == 1977) & (frame["code"] == "P05"))]
    with pytest.raises(MeasureError, match=r"1977 年.*P05"):
        m.disparity_by_year(frame, "gini", unit="code")


# 报错路径：信息须含中文
# ---------------------------------------------------------------------------

CHINESE = r"[\u4e00-\u9fff]"


@pytest.mark.parametrize(
    "call, where",
    [
        (lambda: m.cv([]), "为空"),
        (lambda: m.theil_t(np.array([])), "为空"),
        (lambda: m.cv([1.0, 2.0], [1.0, 2.0, 3.0]), "不一致"),
        (lambda: m.theil_t([1.0, 2.0, 3.0], groups=["a", "b"]), "不一致"),
        (lambda: m.theil_l(pd.Series([1.0, 0.0, 2.0], index=["京", "津", "冀"])), "津"),
        (lambda: m.sigma(pd.Series([1.0, np.nan], index=["沪", "苏"])), "苏"),
        (lambda: m.max_min_ratio([1.0, -2.0]), "非正"),
        (lambda: m.gini([1.0, -2.0]), "为负"),
        (lambda: m.gini([0.0, 0.0]), "全为零"),
        (lambda: m.cv([1.0, 2.0], [1.0, 0.0]), "人口"),
        (lambda: m.cv([1.0, 2.0], [1.0, np.nan]), "人口"),
        (lambda: m.theil_t([1.0, 2.0], groups=["a", None]), "分组"),
        (lambda: m.cv(pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([1.0], index=["a"])), "b"),
        (lambda: m.per_capita(pd.Series([1.0, 2.0], index=["京", "津"]), pd.Series([3.0, 0.0], index=["京", "津"])), "津"),
        (lambda: m.per_capita(5.0, float("nan")), "人口为零、为负或缺失"),
        (lambda: m.disparity_by_year(panel(2), "atkinson"), "未知的指标"),
        (lambda: m.disparity_by_year(panel(2), "sigma", weight="pop"), "不支持人口加权"),
        (lambda: m.disparity_by_year(panel(2), "gini", group="region"), "不能分组分解"),
        (lambda: m.disparity_by_year(panel(2), "cv", value="gdp"), "缺少这些列"),
    ],
)
def test_errors(call, where):
    with pytest.raises(MeasureError, match=CHINESE) as info:
        call()
    assert where in str(info.value)
    assert " / " in str(info.value)  # 中英文对照



def test_unknown_measure_lists_valid_ones():
    with pytest.raises(MeasureError) as info:
        m.disparity_by_year(panel(2), "atkinson")
    for name in m.MEASURES:
        assert name in str(info.value)


def test_error_names_year_for_bad_values():
    frame = panel(n_years=2)
    frame.loc[(frame["year"] == 1976) & (frame["code"] == "P07"), "gdp_pc"] = 0.0
    with pytest.raises(MeasureError, match=r"1976.*P07"):
        m.disparity_by_year(frame, "theil_t", unit="code")


# ---------------------------------------------------------------------------
# 相异指数
# ---------------------------------------------------------------------------


def test_dissimilarity_hand_example():
    # 三省：GDP 50、30、20，人口 30、30、40 → D = ½(0.2 + 0 + 0.2) = 0.2
    assert m.dissimilarity([50, 30, 20], [30, 30, 40]) == pytest.approx(0.2)


def test_dissimilarity_equals_half_weighted_relative_mean_deviation():
    rng = np.random.default_rng(7)
    gdp = rng.uniform(1, 100, 31)
    pop = rng.uniform(1, 100, 31)
    p = pop / pop.sum()
    y = gdp / pop
    ybar = gdp.sum() / pop.sum()
    expected = 0.5 * np.sum(p * np.abs(y / ybar - 1))
    assert m.dissimilarity(gdp, pop) == pytest.approx(expected, rel=1e-12)


def test_dissimilarity_properties():
    assert m.dissimilarity([1, 2, 3], [2, 4, 6]) == pytest.approx(0.0)        # 成比例 → 0
    assert m.dissimilarity([1, 0], [0, 1]) == pytest.approx(1.0)              # 完全不重合 → 1
    a, b = [5, 1, 4], [1, 3, 3]
    assert m.dissimilarity(a, b) == pytest.approx(m.dissimilarity(b, a))  # 对称


def test_dissimilarity_aligns_series_and_rejects_bad_input():
    a = pd.Series({"x": 50.0, "y": 30.0, "z": 20.0})
    b = pd.Series({"z": 40.0, "y": 30.0, "x": 30.0})  # 顺序不同，按索引对齐
    assert m.dissimilarity(a, b) == pytest.approx(0.2)
    with pytest.raises(m.MeasureError, match="数值为负"):
        m.dissimilarity([1, -1], [1, 1])
    with pytest.raises(m.MeasureError, match="合计为零"):
        m.dissimilarity([0, 0], [1, 1])
