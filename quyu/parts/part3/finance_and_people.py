"""第三部分“预算与人民”一章（``book/part3/finance_and_people.md``）的计算与组件。

- 财政：各省人均地方一般公共预算支出与收入（收入有数据的各年），二者之差 = 本省支出中由省外资金
  （中央转移支付、债务等）支撑的部分；它与人均 GDP 的关系（statsmodels 回归的斜率与置信区间）。
- 人民：人均消费、人均可支配收入与人均 GDP 的差距，用同一组度量（quyu.measures）。
- 理论检验：市场维护型联邦主义（自有收入弹性）、晋升锦标赛（共同冲击占增长方差的份额）、
  财政均等化（支出差距与产出差距）、对口支援（受援省的外部资金是否高于产出所能解释）。

不混用发布：收支比较只用国家统计局数据库导出的支出（``EXP_NBS``）；
长序列只用汇编的支出（``EXP_LONG``）；各序列的发布由序列登记 data/series.csv 给出。人口与人均 GDP 取现行版本（``VINTAGE``）；
旧口径城镇收入配第四次经济普查修订版本，因为现行版本开始得更晚。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import data, measures

VINTAGE = "current"
OLD_VINTAGE = "census2018"
#: 本章的分省序列在序列登记（data/series.csv）中的名称；所用发布（source_id）每次从登记中读，
#: 新发布取代旧发布时只改登记，不改代码。``EXP_NBS`` 等名称仍可作模块属性读取（见 ``__getattr__``）。
REGISTERED = {"EXP_NBS": "fiscal_expenditure_nbs", "EXP_LONG": "fiscal_expenditure_long", "REV": "fiscal_revenue",
              "CONS": "consumption", "INCOME": "income", "URBAN_OLD": "urban_income_old", "GROWTH": "gdp_index"}


def _src(name: str) -> str:
    """登记序列当前的 source_id。"""
    return data.series_source(REGISTERED[name])


def _indicator_src(name: str) -> tuple[str, str]:
    """登记序列的（指标, source_id），可直接传给 ``data.indicator``。"""
    reg = data.series_registry().set_index("series").loc[REGISTERED[name]]
    return str(reg["indicator"]), str(reg["source_id"])


def __getattr__(name: str):
    if name in ("INCOME", "GROWTH"):
        return _indicator_src(name)
    if name in REGISTERED:
        return _src(name)
    raise AttributeError(name)


REGION_ORDER = ("east", "central", "west", "northeast")


def region_zh() -> dict[str, str]:
    """四大区域的中文名（取自 data/region_schemes.csv 的 group_zh），另加 ``all``：全部省份的合计。"""
    names = dict(zip(data.scheme("region4"), data.scheme("region4", labels=True)))
    names["all"] = f"{len(data.provinces())} 省合计"
    return names


#: 差距比较可选的序列：id → (中文名, 单位, 名称中年份前的说明)。名称中的年份取自数据，见 :func:`series_names`。
SERIES_BASE = {
    "exp_long": ("人均地方财政支出", "元/人", "汇编，"),
    "exp": ("人均地方财政支出", "元/人", "国家统计局，"),
    "rev": ("人均地方财政收入", "元/人", ""),
    "consumption": ("全体居民人均消费支出", "元", ""),
    "income": ("全体居民人均可支配收入", "元", ""),
    "urban_old": ("城镇居民人均可支配收入", "元", "旧口径，"),
}


def series_names() -> dict[str, tuple[str, str]]:
    """差距比较可选的序列：id → (中文名（含数据的起止年份）, 单位)。"""
    from ... import fmt

    out = {}
    for k, (name, unit, qualifier) in SERIES_BASE.items():
        years = sorted({int(y) for y in _series_frame(k)["year"]})
        out[k] = (f"{name}（{qualifier}{fmt.year_span(years[0], years[-1]).removesuffix(' 年')}）", unit)
    return out


#: 没有对应人口可作权重的序列（城镇收入需要城镇人口，data/ 中没有）。
NO_WEIGHTS = {"urban_old": "城镇居民收入应按城镇人口加权，而本书的数据中没有分省城镇人口，所以这一序列只能不加权"}


def _wls(y, X, weights=None, cluster=None):
    """statsmodels 的 WLS；只导入回归模块（不载入 statsmodels 的全部子包），首次调用快得多。

    ``cluster`` 给出分组时用聚类稳健标准误，否则用 HC1。按全书的约定（附录“方法”），区间与 p 值用 t 分布：
    HC1 时自由度 n − k，聚类时自由度为组数 − 1（statsmodels 的 ``use_t=True``）。"""
    from statsmodels.regression.linear_model import WLS
    from statsmodels.tools.tools import add_constant

    X = add_constant(X, has_constant="add")
    model = WLS(y, X, weights=np.ones(len(y)) if weights is None else weights)
    if cluster is not None:
        return model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(cluster)[0]}, use_t=True)
    return model.fit(cov_type="HC1", use_t=True)


def _year_dummies(years: pd.Series) -> pd.DataFrame:
    return pd.get_dummies(years, prefix="y", drop_first=True, dtype=float)


def _error(zh: str, en: str) -> data.DataError:
    return data.DataError(f"{zh} / {en}")


def _province_series(indicator: str, source_id: str, name: str) -> pd.DataFrame:
    """一个指标、一个来源的各省逐年数值（长表）：code, year, ``name``。"""
    return data.people(indicator, source_id)[["code", "year", "value"]].rename(columns={"value": name})


# ---------------------------------------------------------------- 财政

@data.cached
def _fiscal() -> pd.DataFrame:
    exp = _province_series("fiscal_expenditure_local", _src("EXP_NBS"), "exp")
    rev = _province_series("fiscal_revenue_local", _src("REV"), "rev")
    years = sorted(set(exp["year"]) & set(rev["year"]))
    p = data.panel(VINTAGE, years=years)[["code", "name", "year", "pop_mean", "gdp_pc", "region4"]]
    df = p.merge(exp, on=["code", "year"]).merge(rev, on=["code", "year"])
    df["exp_pc"] = df["exp"] * 1e4 / df["pop_mean"]   # 亿元 / 万人 → 元/人
    df["rev_pc"] = df["rev"] * 1e4 / df["pop_mean"]
    df["gap_pc"] = df["exp_pc"] - df["rev_pc"]
    df["own_share"] = df["rev"] / df["exp"]
    return df


def fiscal_panel() -> pd.DataFrame:
    """各省逐年：exp、rev（亿元），pop_mean（万人），exp_pc、rev_pc、gap_pc、gdp_pc（元/人），own_share。"""
    return _fiscal()


def fiscal_years() -> list[int]:
    return sorted(_fiscal()["year"].unique())


def _check_year(year: int, years: list[int], what: str) -> int:
    if int(year) not in years:
        span = f"{years[0]}—{years[-1]}"
        raise _error(f"{what}没有 {year} 年的数据（可选 {span} 年）", f"{what}: no data for {year}; valid {span}")
    return int(year)


def region_fiscal(year: int) -> pd.DataFrame:
    """四大区域与 31 省合计的人均支出、人均收入、差额和自有收入占支出比（合计 ÷ 合计人口）。"""
    year = _check_year(year, fiscal_years(), "地方财政收支")
    df = _fiscal()
    df = df[df["year"] == year]
    names = region_zh()
    groups = [(names[r], df[df["region4"] == r]) for r in REGION_ORDER] + [(names["all"], df)]
    rows = []
    for label, g in groups:
        pop = g["pop_mean"].sum()
        rows.append({"region": label, "exp_pc": g["exp"].sum() * 1e4 / pop, "rev_pc": g["rev"].sum() * 1e4 / pop,
                     "gap_pc": (g["exp"].sum() - g["rev"].sum()) * 1e4 / pop,
                     "own_share": g["rev"].sum() / g["exp"].sum(), "provinces": len(g)})
    return pd.DataFrame(rows).set_index("region")


def gap_slope(year: int | None = None, weighted: bool = False, level: float = 0.95) -> dict:
    """人均“省外资金”（元）对人均 GDP（万元）的回归斜率与置信区间（statsmodels）。

    ``year`` 给定时为当年 31 省截面（HC1 稳健标准误）；``None`` 时为收入有数据的各年的混合回归，
    含年份固定效应、按省聚类的标准误。``weighted=True`` 时按平均人口加权（WLS）。
    斜率为负 = 人均 GDP 越高的省，支出中由省外资金支撑的人均数额越小。
    """
    df = _fiscal()
    if year is not None:
        df = df[df["year"] == _check_year(year, fiscal_years(), "地方财政收支")]
    X = pd.DataFrame({"gdp_pc_10k": df["gdp_pc"] / 1e4})
    if year is None:
        X = X.join(_year_dummies(df["year"]))
    fit = _wls(df["gap_pc"], X, df["pop_mean"] if weighted else None,
               cluster=df["code"] if year is None else None)
    lo, hi = fit.conf_int(alpha=1 - level).loc["gdp_pc_10k"]
    return {"slope": float(fit.params["gdp_pc_10k"]), "lo": float(lo), "hi": float(hi),
            "se": float(fit.bse["gdp_pc_10k"]), "n": int(fit.nobs), "r2": float(fit.rsquared)}


def gap_slopes(weighted: bool = False) -> pd.DataFrame:
    """逐年截面斜率及置信区间。"""
    return _gap_slopes(bool(weighted))


@data.cached
def _gap_slopes(weighted: bool) -> pd.DataFrame:
    return pd.DataFrame({y: gap_slope(y, weighted) for y in fiscal_years()}).T


def own_revenue_elasticity(weighted: bool = False) -> dict:
    """log(人均支出) 对 log(人均自有收入) 的弹性（混合回归，年份固定效应，按省聚类）。

    没有任何省际再分配、各省只花自己收来的钱时，弹性为 1；均等化越强，弹性越低于 1。"""
    df = _fiscal()
    X = pd.DataFrame({"log_rev_pc": np.log(df["rev_pc"])}).join(_year_dummies(df["year"]))
    fit = _wls(np.log(df["exp_pc"]), X, df["pop_mean"] if weighted else None, cluster=df["code"])
    lo, hi = fit.conf_int().loc["log_rev_pc"]
    return {"elasticity": float(fit.params["log_rev_pc"]), "lo": float(lo), "hi": float(hi), "n": int(fit.nobs)}


# ---------------------------------------------------------------- 差距：支出、收入、消费与产出

@data.cached
def _series_frame(series: str) -> pd.DataFrame:
    """一条序列与同年份、同一 GDP 版本的人均 GDP：code, year, value, gdp_pc, pop_mean。"""
    if series not in SERIES_BASE:
        raise data._unknown("序列", "series", series, list(SERIES_BASE))
    if series in ("exp", "rev"):
        f = _fiscal()
        return f[["code", "year", f"{series}_pc", "gdp_pc", "pop_mean"]].rename(columns={f"{series}_pc": "value"})
    if series == "exp_long":
        v = _province_series("fiscal_expenditure_local", _src("EXP_LONG"), "exp")
        years = sorted(set(v["year"]) & set(data.vintage_info(VINTAGE)["years"]))
        p = data.panel(VINTAGE, years=years)[["code", "year", "pop_mean", "gdp_pc"]]
        df = p.merge(v, on=["code", "year"])
        df["value"] = df["exp"] * 1e4 / df["pop_mean"]
        return df[["code", "year", "value", "gdp_pc", "pop_mean"]]
    if series == "urban_old":
        v = _province_series("disp_income_pc_urban_oldsurvey", _src("URBAN_OLD"), "value")
        vintage = OLD_VINTAGE
    elif series == "consumption":
        v = _province_series("consumption_pc_all", _src("CONS"), "value")
        vintage = VINTAGE
    else:  # income
        v = data.indicator(*_indicator_src("INCOME"))[["code", "year", "value"]]
        vintage = VINTAGE
    years = sorted(set(v["year"]) & set(data.vintage_info(vintage)["years"]))
    p = data.panel(vintage, years=years)[["code", "year", "pop_mean", "gdp_pc"]]
    return p.merge(v, on=["code", "year"])[["code", "year", "value", "gdp_pc", "pop_mean"]]


def series_frame(series: str) -> pd.DataFrame:
    return _series_frame(series)


def dispersion(series: str, measure: str = "cv", weighted: bool = False) -> pd.DataFrame:
    """逐年差距：列 ``series``（所选序列）与 ``gdp``（同年份的人均 GDP），同一度量、同一权重。"""
    return _dispersion(series, measure, bool(weighted))


@data.cached
def _dispersion(series: str, measure: str, weighted: bool) -> pd.DataFrame:
    """逐年差距：列 ``series``（所选序列）与 ``gdp``（同年份的人均 GDP），同一度量、同一权重。"""
    if measure not in measures.MEASURES:
        raise data._unknown("度量", "measure", measure, list(measures.MEASURES))
    info = measures.MEASURES[measure]
    if weighted and series in NO_WEIGHTS:
        raise _error(NO_WEIGHTS[series] + "。请选“不加权”。", f"{series} has no population weights")
    if weighted and not info.supports_weights:
        raise _error(f"{info.label_zh}没有人口加权的版本，请选“不加权”", f"{info.label_en} takes no weights")
    df = _series_frame(series)
    w = "pop_mean" if weighted else None
    a = measures.disparity_by_year(df, measure, "value", weight=w, unit="code")["value"]
    b = measures.disparity_by_year(df, measure, "gdp_pc", weight=w, unit="code")["value"]
    return pd.DataFrame({series: a, "gdp": b})


# ---------------------------------------------------------------- 理论检验

def growth_variance_shares(years=None) -> dict:
    """各省实际增速（上年 = 100）的方差中，年份共同冲击与省份固定差异各占多少（statsmodels OLS 的 R²）。

    晋升锦标赛的相对绩效评价之所以有信息价值，是因为它能滤掉各省共同承受的冲击；
    共同冲击所占份额越大，按“相对名次”评价就越比按“绝对增速”评价准确。
    ``years``：只用这些年份（默认全部）。"""
    df = data.indicator(*_indicator_src("GROWTH"))
    if years is not None:
        df = df[df["year"].isin(list(years))]
    g = df["value"] - 100
    prov = pd.get_dummies(df["code"], prefix="p", drop_first=True, dtype=float)
    years = _year_dummies(df["year"])
    r2_year = _wls(g, years).rsquared
    r2_prov = _wls(g, prov).rsquared
    r2_both = _wls(g, years.join(prov)).rsquared
    return {"year": float(r2_year), "province": float(r2_prov), "both": float(r2_both),
            "n": int(len(df)), "years": (int(df["year"].min()), int(df["year"].max()))}


@data.cached
def growth_variance_windows(width: int = 4) -> pd.DataFrame:
    """稳健性：在每一段连续 ``width`` 年的窗口内重做方差分解；共同冲击的份额随窗口变化多大。"""
    all_years = sorted(int(y) for y in data.indicator(*_indicator_src("GROWTH"))["year"].unique())
    rows = []
    for i in range(len(all_years) - width + 1):
        ys = all_years[i:i + width]
        r = growth_variance_shares(ys)
        rows.append({"start": ys[0], "end": ys[-1], "year": r["year"], "province": r["province"], "n": r["n"]})
    return pd.DataFrame(rows)


@data.cached
def growth_variance_bootstrap(reps: int = 999, seed: int = 20261204) -> np.ndarray:
    """按省份整块重抽样（保留每省的整条增速序列）的共同冲击份额：返回 ``reps`` 个份额，用于区间。"""
    df = data.indicator(*_indicator_src("GROWTH"))[["code", "year", "value"]]
    codes = sorted(df["code"].unique())
    by_code = {c: d for c, d in df.groupby("code")}
    rng = np.random.default_rng(seed)
    out = np.empty(reps)
    for k in range(reps):
        pick = rng.choice(codes, size=len(codes), replace=True)
        boot = pd.concat([by_code[c] for c in pick], ignore_index=True)
        out[k] = year_share(boot["value"].to_numpy(), boot["year"].to_numpy())
    return out


def year_share(values, years) -> float:
    """只用年份虚拟变量回归的 R²，即组间（年份之间）平方和占总平方和的比重（与 OLS 的 R² 相同）。"""
    v = np.asarray(values, dtype=float)
    y = np.asarray(years)
    total = ((v - v.mean()) ** 2).sum()
    between = sum((y == t).sum() * (v[y == t].mean() - v.mean()) ** 2 for t in np.unique(y))
    return float(between / total)


def assisted_provinces() -> dict[str, str]:
    """受援省份（简称 → 方案）：2021 年起东西部协作的协作地区，以及对口支援西藏、新疆、青海藏区。"""
    pa = data.paired_assistance()
    keep = pa[pa["scheme"].str.startswith("东西部协作(2021") | pa["scheme"].str.startswith("对口支援")]
    out: dict[str, str] = {}
    for r in keep.itertuples():
        kind = "对口支援" if r.scheme.startswith("对口支援") else "东西部协作"
        out[r.receiving_province] = "对口支援" if out.get(r.receiving_province) == "对口支援" else kind
    return out


def assistance_test(weighted: bool = False) -> dict:
    """混合回归：人均省外资金 ~ 人均 GDP + 受援省虚拟变量 + 年份固定效应（按省聚类）。

    虚拟变量的系数 = 同等人均 GDP 下，受援省份人均多得的省外资金（元）。它混合了中央转移支付对
    民族地区、边疆地区的倾斜，不能单独归功于对口支援——这正是本检验的局限。"""
    df = _fiscal()
    names = assisted_provinces()
    short = data.provinces().set_index("code")["name_zh_short"]
    aided = df["code"].map(short).isin(names).astype(float)
    X = pd.DataFrame({"gdp_pc_10k": df["gdp_pc"] / 1e4, "aided": aided}).join(_year_dummies(df["year"]))
    fit = _wls(df["gap_pc"], X, df["pop_mean"] if weighted else None, cluster=df["code"])
    lo, hi = fit.conf_int().loc["aided"]
    return {"aided": float(fit.params["aided"]), "lo": float(lo), "hi": float(hi),
            "slope": float(fit.params["gdp_pc_10k"]), "n_aided": int(aided.groupby(df["code"]).first().sum())}


# ---------------------------------------------------------------- 闽宁协作

def pair_profile(helper: str = "35", receiver: str = "64") -> pd.DataFrame:
    """援助省与受援省的逐年比值：人均 GDP（现行版本）、人均消费、人均财政支出（汇编）、
    人均省外资金、旧口径城镇收入（第四次经济普查修订版本的年份）。列为“受援 ÷ 援助”。"""
    rows = {}
    for key in ("exp_long", "consumption", "urban_old"):
        df = _series_frame(key).set_index(["code", "year"])["value"].unstack("code")
        rows[key] = df[receiver] / df[helper]
    g = data.panel(VINTAGE).set_index(["code", "year"])["gdp_pc"].unstack("code")
    rows["gdp_pc"] = g[receiver] / g[helper]
    f = _fiscal().set_index(["code", "year"])
    rows["gap_pc"] = f["gap_pc"].unstack("code")[receiver] / f["gap_pc"].unstack("code")[helper]
    return pd.DataFrame(rows).sort_index()


def minning_aid() -> dict:
    """闽宁协作 1996—2011 年援助额（亿元，新华社 2012 年报道）与宁夏同期财政支出的比较。"""
    facts = data.history_facts().set_index("fact_id")
    total = float(facts.loc["MN01", "value"])
    parts = {k: float(facts.loc[k, "value"]) for k in ("MN02", "MN03", "MN04")}
    y0, y1 = (int(v) for v in facts.loc["MN01", "years"].split("-"))
    exp = data.people("fiscal_expenditure_local", _src("EXP_LONG"))
    nx = exp[(exp["code"] == "64") & exp["year"].between(y0, y1)]
    years_exp = (int(nx["year"].min()), int(nx["year"].max()))
    mean_exp = float(nx["value"].mean())
    per_year = total / (y1 - y0 + 1)
    return {"total": total, "parts": parts, "years": (y0, y1), "per_year": per_year,
            "exp_years": years_exp, "exp_mean": mean_exp, "share": per_year / mean_exp}


# ---------------------------------------------------------------- 组件

def _measure_zh_weighted(measure: str, weighted: bool) -> str:
    return measures.MEASURES[measure].label_zh + ("（人口加权）" if weighted else "")


def disparity_views(series: str = "consumption", measure: str = "cv", weighted: bool = False) -> list[dict]:
    from ... import plots, widgets

    d = dispersion(series, measure, weighted)
    name, _ = series_names()[series]
    x = [int(v) for v in d.index]
    label = _measure_zh_weighted(measure, weighted)
    vint = "第四次经济普查修订" if series == "urban_old" else "五经普修订（现行）"
    chart = widgets.chart(
        f"{name}与人均 GDP 的省际差距：{label}", x,
        [{"id": "s", "label": name.split("（")[0], "y": list(d[series]),
          "color": plots.COLORS["accent"]},
         {"id": "gdp", "label": "人均 GDP", "y": list(d["gdp"]),
          "color": plots.COLORS["east"], "dash": True}],
        ylabel=label, digits=3,
        note=f"31 省；人均 GDP 与人口：{vint}版本；单位无量纲（{label}）")
    last = x[-1]
    r = d.loc[last, series] / d.loc[last, "gdp"]
    chart["note"] += f"；{last} 年该序列差距 ÷ 人均 GDP 差距 = {fmt_ratio(r)}（小于 1 即差距小于产出）"
    return [chart]


def fmt_ratio(x) -> str:
    from ... import fmt

    return fmt.num(x, 2)


def disparity_widget():
    """组件：序列（支出、收入、消费、旧口径城镇收入）× 度量 × 加权，年份范围只影响显示。"""
    from ... import widgets

    years = sorted({int(y) for s in SERIES_BASE for y in _series_frame(s)["year"]})
    year_opts = tuple((str(y), y) for y in years)
    controls = [
        widgets.Control("series", "指标", tuple((v[0], k) for k, v in series_names().items()), "consumption"),
        widgets.Control("measure", "度量", tuple((i.label_zh, k) for k, i in measures.MEASURES.items()), "cv"),
        widgets.Control("weighted", "加权", (("不加权（每省一票）", False), ("按人口加权", True)), False),
        widgets.Control("start", "起始年", year_opts, years[0], "xmin"),
        widgets.Control("end", "结束年", year_opts, years[-1], "xmax"),
        widgets.Control("mark", "读数年份", (("（不读数）", None),) + year_opts, None, "xmark"),
    ]
    unweighted = tuple(k for k, i in measures.MEASURES.items() if not i.supports_weights)
    gaps = [widgets.Gap({"measure": unweighted, "weighted": True}, "最大最小比与对数标准差没有人口加权的版本"),
            widgets.Gap({"series": "urban_old", "weighted": True}, "没有分省城镇人口，旧口径城镇收入只能不加权")]
    return widgets.BookWidget("生活水平与财政支出的差距是否小于产出差距", controls, disparity_views, gaps=gaps,
                              description="选择指标、度量和加权方式；虚线是同年份、同一度量下的人均 GDP 差距。"
                                          "年份范围之外没有数据的指标会给出提示。")


def fiscal_views(year: int | None = None, weighted: bool = False) -> list[dict]:
    from ... import fmt, plots, widgets

    years = fiscal_years()
    year = years[-1] if year is None else year
    if int(year) not in years:
        raise _error(f"地方一般公共预算收入只有 {years[0]}—{years[-1]} 年的数据；{year} 年只有支出，算不出省外资金。"
                     "请选择这一范围内的年份。", f"no revenue data for {year}")
    reg = region_fiscal(year)
    rows = [[idx, fmt.num(r.exp_pc), fmt.num(r.rev_pc), fmt.num(r.gap_pc), fmt.pct(r.own_share, 1)]
            for idx, r in reg.iterrows()]
    table = widgets.table(f"{year} 年各区域人均地方财政收支（元/人）",
                          ["区域", "人均支出", "人均自有收入", "差额（省外资金）", "自有收入占支出"], rows,
                          note="区域值 = 区域合计 ÷ 区域平均人口；来源：国家统计局分省年度数据。")
    s = gap_slope(year, weighted)
    stats = widgets.stats([
        (f"{year} 年斜率（元/人，每万元人均 GDP）", fmt.num(s["slope"], 0, signed=True)),
        ("95% 置信区间", f"{fmt.num(s['lo'], 0, signed=True)} 至 {fmt.num(s['hi'], 0, signed=True)}"),
    ], note=("按人口加权（WLS）" if weighted else "不加权（每省一票）") + "，HC1 稳健标准误，31 省。")
    sl = gap_slopes(weighted)
    chart = widgets.chart("人均省外资金对人均 GDP 的斜率（逐年，含 95% 置信区间）", [int(v) for v in sl.index], [
        {"id": "slope", "label": "斜率", "y": list(sl["slope"]), "color": plots.COLORS["ink"]},
        {"id": "lo", "label": "下限", "y": list(sl["lo"]), "color": plots.COLORS["other"], "dash": True},
        {"id": "hi", "label": "上限", "y": list(sl["hi"]), "color": plots.COLORS["other"], "dash": True},
    ], ylabel="元/人 每万元", unit="元", digits=0)
    return [table, stats, chart]


def fiscal_widget():
    """组件：年份 × 加权。选择没有收入数据的年份时给出中文提示。"""
    from ... import widgets

    exp_years = sorted(data.people("fiscal_expenditure_local", _src("EXP_LONG"))["year"].unique())
    controls = [
        widgets.Control("year", "年份", tuple((str(y), int(y)) for y in exp_years), int(fiscal_years()[-1])),
        widgets.Control("weighted", "加权", (("不加权（每省一票）", False), ("按人口加权", True)), False),
    ]
    gaps = [widgets.Gap(lambda p: p["year"] not in fiscal_years(), "地方一般公共预算收入只有部分年份，其余年份算不出省外资金")]
    return widgets.BookWidget("各区域的人均财政收支与省外资金", controls, fiscal_views, gaps=gaps,
                              description=f"地方一般公共预算收入只有 {fiscal_years()[0]} 年起的数据；更早的年份只有支出，无法计算差额。")


def combos_smaller(series: str) -> tuple[int, int, int]:
    """在全部“度量 × 加权”有效组合中，末年该序列差距小于人均 GDP 差距的组合数、差距缩小更快的组合数、总数。"""
    smaller = faster = total = 0
    for m, info in measures.MEASURES.items():
        for w in ([False, True] if info.supports_weights and series not in NO_WEIGHTS else [False]):
            d = dispersion(series, m, w)
            total += 1
            smaller += bool(d[series].iloc[-1] < d["gdp"].iloc[-1])
            faster += bool(d[series].iloc[-1] / d[series].iloc[0] < d["gdp"].iloc[-1] / d["gdp"].iloc[0])
    return smaller, faster, total
