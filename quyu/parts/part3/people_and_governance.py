"""第三部分“以人民为中心与统分结合”一章（``book/part3/people_and_governance.md``）的计算与组件：收入与产出差距、
城乡收入比、社科院协调发展指数、按区域方案的泰尔分解与随机分组的基准。

计算函数只用 ``data``、``measures``、``analysis``；文件末尾是本章的组件（``*_views`` 计算，
``*_widget`` 构造），供正文和测试共用。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, fmt, measures, plots, widgets
from ._shared import _error, annual_rate

#: 收入数据（全体居民人均可支配收入）所配的 GDP/人口版本：两者同为 2025 年数据库的导出。
INCOME_VINTAGE = "current"
INCOME_INDICATOR = "disp_income_pc_all"

#: 泰尔分解组件可选的数据版本。
THEIL_VINTAGES = ("current", "census2018", "yearbook", "compendium", "first_release")

#: 可以作组间、组内分解的指标。
THEIL_MEASURES = ("theil_t", "theil_l")


# ---------------------------------------------------------------- 人民中心论：收入与产出

@data.cached
def income_panel() -> pd.DataFrame:
    """各省人均可支配收入与同年人均 GDP（现行版本）并列，2016—2024 年。"""
    p = analysis.panel(INCOME_VINTAGE)
    inc = data.indicator(INCOME_INDICATOR)[["code", "year", "value"]].rename(columns={"value": "income"})
    df = p.merge(inc, on=["code", "year"], how="inner")
    return df[["code", "name", "year", "income", "gdp_pc", "pop_mean", "region4"]]


def income_vs_output(measure: str = "cv", weighted: bool = False) -> pd.DataFrame:
    """逐年的省际差距：``income``（人均可支配收入）与 ``output``（人均 GDP），同一指标、同一权重。"""
    df = income_panel()
    weight = analysis.WEIGHT_COLUMN if weighted else None
    out = {}
    for column, label in (("income", "income"), ("gdp_pc", "output")):
        out[label] = measures.disparity_by_year(df, measure, value=column, weight=weight,
                                                unit="code")["value"]
    return pd.DataFrame(out)


def urban_rural_ratio() -> pd.DataFrame:
    """全国城乡居民收入比（城镇 ÷ 农村）。

    ``basis`` 为 ``net``（2012 年及以前：农村人均纯收入）或 ``disposable``（2013 年起：
    城乡一体化住户调查的可支配收入）。两段口径不同，不能连成一条线。
    """
    urban = data.national("disp_income_pc_urban")
    rural = data.national("income_pc_rural_net_to2012_disp_from2013")
    df = pd.DataFrame({"urban": urban, "rural": rural}).dropna()
    df["ratio"] = measures.ratio(df["urban"], df["rural"])
    df["basis"] = np.where(df.index <= 2012, "net", "disposable")
    return df


def coordination_subindices() -> pd.DataFrame:
    """社科院区域协调发展指数：总指数与五个分项（2012 = 100），附中文名。"""
    ci = data.coordination_index()
    ci = ci.assign(label=ci["index_name"].str.extract(r"[（(]([^）)]*)[）)]", expand=False),
                   kind=np.where(ci["index_name"].str.startswith("composite"), "composite", "sub"))
    return ci[["year", "kind", "label", "value", "index_name"]]


# ---------------------------------------------------------------- 统分结合论：泰尔分解

def scheme_groups(scheme: str) -> int:
    """一个区域方案的组数。"""
    return int(data.scheme(scheme).nunique())


def theil_by_scheme(vintage: str = "current", measure: str = "theil_t", weighted: bool = True,
                    scheme: str = "region4") -> pd.DataFrame:
    """逐年的泰尔指数及其组间、组内分解（即 ``analysis.disparity`` 加上检查）。"""
    if measure not in THEIL_MEASURES:
        raise _error(f"只有泰尔指数 T、L 可以分组分解，不能用“{measure}”",
                     f"only theil_t and theil_l decompose, not {measure!r}")
    data.scheme(scheme)  # 未知的方案：中文 DataError
    data.vintage_info(vintage)  # 未知的版本：中文 DataError
    return analysis.disparity(vintage, measure, weighted=weighted, scheme=scheme)


def theil_scheme_table(years, vintage: str = "current", measure: str = "theil_t",
                       weighted: bool = True) -> pd.DataFrame:
    """各区域方案在给定年份的组间占比（行 = 方案，列 = 年份），附方案中文名与组数。"""
    rows = []
    for s in data.schemes().itertuples():
        d = theil_by_scheme(vintage, measure, weighted, s.scheme)
        row = {"scheme": s.scheme, "scheme_zh": s.scheme_zh, "groups": scheme_groups(s.scheme)}
        for y in years:
            row[y] = d["between_share"].get(y, np.nan)
        rows.append(row)
    return pd.DataFrame(rows).set_index("scheme")


@data.cached
def random_between_shares(year: int, scheme: str = "region4", vintage: str = "current",
                          draws: int = 1000, seed: int = 2012) -> np.ndarray:
    """基准：把各省随机分成与 ``scheme`` 组数、组大小相同的组，人口加权泰尔 T 的组间占比（每次抽取一个值）。"""
    p = analysis.panel(vintage, pop_basis="mean")
    block = p[p["year"] == year].set_index("code")
    if block.empty:
        raise _error(f"{widgets.vintage_label(vintage)}版本没有 {year} 年", f"vintage {vintage} has no year {year}")
    labels = block[scheme].to_numpy()
    rng = np.random.default_rng(seed)
    out = np.empty(draws)
    for k in range(draws):
        res = measures.theil_t(block["gdp_pc"], block[analysis.WEIGHT_COLUMN], rng.permutation(labels))
        out[k] = res.between_share
    return out


def relative_to_average(year: int, vintage: str = "current") -> pd.Series:
    """各省人均 GDP ÷ 31 省合计的人均 GDP（ΣGDP ÷ Σ年均人口）。"""
    p = analysis.panel(vintage)
    block = p[p["year"] == year].set_index("code")
    average = measures.per_capita(block["gdp"].sum(), block[analysis.WEIGHT_COLUMN].sum())
    return measures.ratio(block["gdp_pc"], pd.Series(average, index=block.index)).rename(year)


# ---------------------------------------------------------------- 组件（正文与测试共用）

def _measure_zh(measure: str) -> str:
    return measures.MEASURES[measure].label_zh if measure in measures.MEASURES else measure


def income_views(measure: str = "cv", weighted: bool = False, scale: str = "level") -> list[dict]:
    """组件 (a) 的计算：人均可支配收入与人均 GDP 的省际差距，水平值或 2016 = 100 的指数。"""
    if scale not in ("level", "index"):
        raise _error("显示方式只能是“水平值”或“指数”", "scale must be level or index")
    df = income_vs_output(measure, weighted)
    shown = df if scale == "level" else df / df.iloc[0] * 100
    wtxt = "人口加权" if weighted else "不加权"
    series = [{"id": "income", "label": "人均可支配收入", "y": list(shown["income"])},
              {"id": "output", "label": "人均 GDP", "y": list(shown["output"])}]
    chart = widgets.chart(f"省际差距：{_measure_zh(measure)}（{wtxt}）", list(df.index), series,
                          ylabel=_measure_zh(measure) if scale == "level" else f"{df.index[0]} 年 = 100",
                          digits=3 if scale == "level" else 1, events=plots.chart_events(),
                          bands=plots.stage_bands(),
                          note=f"收入：全体居民人均可支配收入；GDP 与人口：{widgets.vintage_label(INCOME_VINTAGE)}")
    y0, y1 = df.index[0], df.index[-1]
    stats = widgets.stats([
        (f"收入差距 {y0}→{y1}", f"{fmt.num(df['income'].iloc[0], 3)} → {fmt.num(df['income'].iloc[-1], 3)}"),
        (f"产出差距 {y0}→{y1}", f"{fmt.num(df['output'].iloc[0], 3)} → {fmt.num(df['output'].iloc[-1], 3)}"),
        ("收入差距年均变化", fmt.pct(annual_rate(df["income"]), 2, signed=True)),
        ("产出差距年均变化", fmt.pct(annual_rate(df["output"]), 2, signed=True)),
    ])
    return [stats, chart]


def income_widget():
    """组件 (a)：收入与产出的省际差距（指标 × 加权 × 显示方式）。"""
    measure_opts = [(_measure_zh(m), m) for m in ("cv", "gini", "theil_t", "theil_l", "sigma", "max_min_ratio")]
    years = list(income_panel()["year"].drop_duplicates().sort_values())
    controls = [
        widgets.choice("measure", "差距指标", measure_opts, "cv"),
        widgets.choice("weighted", "人口加权", [("不加权", False), ("人口加权", True)], False),
        widgets.choice("scale", "显示", [("水平值", "level"), (f"指数（{years[0]} = 100）", "index")], "level"),
        widgets.choice("mark", "读数年份", [("不标", None)] + [(str(y), y) for y in years], years[-1], role="xmark"),
    ]
    unweighted = tuple(m for _, m in measure_opts if not measures.MEASURES[m].supports_weights)
    gaps = [widgets.Gap({"measure": unweighted, "weighted": True}, "对数标准差与最大最小比没有人口加权的版本")]
    return widgets.BookWidget("收入差距与产出差距", controls, income_views, gaps=gaps,
                              description="同一种指标、同一种加权下，比较各省人均可支配收入与人均 GDP 的离散程度。"
                                          "最大最小比与对数标准差不能加权：选了加权会给出提示。")


def theil_views(scheme: str = "region4", vintage: str = "current", measure: str = "theil_t",
                weighted: bool = True) -> list[dict]:
    """组件 (b) 的计算：某区域方案下泰尔指数的组间、组内分解。"""
    d = theil_by_scheme(vintage, measure, weighted, scheme)
    if d.empty:
        raise _error(f"{widgets.vintage_label(vintage)}版本没有可以计算的年份", f"no computable years in {vintage}")
    name = data.schemes().set_index("scheme").loc[scheme, "scheme_zh"]
    note = analysis.skipped_note(d.attrs.get("skipped", {}))
    # 事件与阶段只画在第一张图上（组间占比）。
    parts = widgets.chart(f"{_measure_zh(measure)}：总体 = 组间 + 组内（{name}）", list(d.index),
                          [{"id": "total", "label": "总体", "y": list(d["value"])},
                           {"id": "between", "label": "组间", "y": list(d["between"])},
                           {"id": "within", "label": "组内", "y": list(d["within"]), "dash": True}],
                          ylabel=_measure_zh(measure), digits=4, note=note)
    share = widgets.chart("组间差距占总体的比重", list(d.index),
                          [{"id": "between_share", "label": "组间占比", "y": list(d["between_share"] * 100)}],
                          ylabel="%", unit="%", digits=1, events=plots.chart_events(), bands=plots.stage_bands(),
                          note=note)
    y0, y1 = d.index[0], d.index[-1]
    stats = widgets.stats([
        ("组数", str(scheme_groups(scheme))),
        (f"组间占比 {y0} 年", fmt.pct(d["between_share"].iloc[0])),
        (f"组间占比 {y1} 年", fmt.pct(d["between_share"].iloc[-1])),
    ], note=widgets.vintage_label(vintage))
    return [stats, share, parts]


def theil_widget():
    """组件 (b)：泰尔分解（区域方案 × 数据版本 × 指标 × 加权）。"""
    sch = data.schemes()
    controls = [
        widgets.choice("scheme", "区域方案", list(zip(sch["scheme_zh"], sch["scheme"])), "region4"),
        widgets.choice("vintage", "数据版本",
                       widgets.vintage_options(THEIL_VINTAGES), "current"),
        widgets.choice("measure", "指标", [(_measure_zh(m), m) for m in THEIL_MEASURES], "theil_t"),
        widgets.choice("weighted", "人口加权", [("人口加权", True), ("不加权", False)], True),
    ]
    return widgets.BookWidget("差距在区域之间还是区域内部", controls, theil_views,
                              description="选择一种区域划分，看省际人均 GDP 差距中有多少是组与组之间的差距。"
                                          "战略区方案只有两组：区内与其余省份。")
