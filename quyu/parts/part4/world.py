"""第四部分“大国之中的中国：地区差距的国际比较”一章（``book/part4/world.md``）的计算与组件。

把中国 31 个省级行政区与美国 50 州 + 哥伦比亚特区、欧盟 27 国的 NUTS-2 地区、印度各邦放在同一组度量下：
人口加权变异系数、泰尔 T 指数及其组间/组内分解、最大最小比、对数标准差（σ 收敛）。日本只有都道府县
GDP 总量、没有人口，不能算人均值，只报告东京都的份额。

约定（与全书一致）：一次计算只用一个发布版本；数值照原表，不插值；缺人口时不加权；价格口径不可得时报错。

- 取数：``unit_panel(country, variable, price)`` → 每个（地区, 年）一行：code, name, year, y, pop, group。
- 度量：``path(country, measure, variable, price, weighted)`` → 以年份为索引的 Series。
- 专题表：``snapshot``、``maup_table``、``within_country_table``、``flag_table``、``tokyo_share``。
- 组件：``world_views``（计算函数）与 ``world_widget``。

出错时抛出 :class:`WorldError`（ValueError 的子类），信息为“中文 / English”。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import data, measures, widgets
from ...errors import BookError

__all__ = [
    "WorldError", "COUNTRIES", "COUNTRY_ZH", "MEASURE_ZH", "VARIABLE_ZH", "PRICE_ZH", "GROUP_ZH",
    "unit_panel", "years", "path", "one_year", "snapshot", "maup_table", "within_country_table",
    "flag_table", "eu_population_gap", "tokyo_share", "unit_sizes", "world_views", "world_widget",
]

CN_VINTAGE = "current"
SOURCES = {
    "US_income": "bea_sainc1_1929_2024_v2025mar",
    "US_output": "bea_sasummary_1998_2024_v2025mar",
    "EU": "estat_nama_10r_3gdp_2000_2021_v2023",
    "JP": "jp_cao_kenmin_gdp_2011base_v2021",
    "IN": "rbi_hsis_nsdp_pc_2011_2024_v2025dec_wiki",
    "CN_income": "nbs_dispinc_all_2016_2024_v2025",
}


def _full_years(frame: pd.DataFrame) -> list[int]:
    """每个地区都有数值的年份（``region_code``、``year``、``value`` 三列的长表）。"""
    counts = frame.dropna(subset=["value"]).groupby("year")["region_code"].nunique()
    return sorted(int(y) for y in counts.index[counts == frame["region_code"].nunique()])


def _eu_first() -> int:
    eu = data.world_regions("EU", source_id=SOURCES["EU"])
    return _full_years(eu[(eu["region_code"].str.len() == 4) & (eu["indicator"] == "gdp_pc")])[0]


def _in_last() -> int:
    ind = data.world_regions("IN", "nsdp_pc", SOURCES["IN"])
    return _full_years(ind[ind["region_code"].map(data.world_groups("IN", "unit_type")).eq("state")])[-1]


#: 欧盟 NUTS-2 地区的分析年份从所有地区都有数的第一年起（比利时各区较晚才有数，此前的年份不完整；取自数据）。
EU_FIRST = _eu_first()
#: 印度：只用 28 个邦都有数的财年，到最后一个齐全的年份为止（古吉拉特邦缺较近的年份；取自数据）。
IN_LAST = _in_last()

COUNTRIES = ("CN", "US", "EU", "IN", "JP")
COUNTRY_ZH = {"CN": "中国（31 个省级行政区）", "US": "美国（50 州 + 哥伦比亚特区）",
              "EU": "欧盟（27 国的 NUTS-2 地区）", "IN": "印度（28 个邦）", "JP": "日本（47 个都道府县）"}
SHORT_ZH = {"CN": "中国", "US": "美国", "EU": "欧盟", "IN": "印度", "JP": "日本"}
COLORS = {"CN": "#c0392b", "US": "#1f5fa8", "EU": "#2e8b57", "IN": "#d68910", "JP": "#7d3c98"}
MEASURE_ZH = {"cv": "变异系数", "theil": "泰尔 T 指数", "between": "泰尔指数中组间部分的占比",
              "maxmin": "最大最小比", "sigma": "对数标准差（σ）"}
VARIABLE_ZH = {"output": "人均 GDP（印度为人均邦内生产净值）", "income": "人均居民收入"}
PRICE_ZH = {"nominal": "名义值（本币现价）", "adjusted": "按地区价格水平调整"}
GROUP_ZH = {"CN": "四大区域", "US": "人口普查局四大区", "EU": "成员国", "IN": "地区理事会"}
US_REGION_ZH = {"Northeast": "东北部", "Midwest": "中西部", "South": "南部", "West": "西部"}
UNIT_ZH = {("CN", "output"): "元/人", ("CN", "income"): "元/人（全体居民人均可支配收入）",
           ("US", "output"): "美元/人", ("US", "income"): "美元/人（人均个人收入）",
           ("EU", "output"): "欧元/人", ("IN", "output"): "卢比/人"}


class WorldError(BookError):
    """国际比较的请求无效；中英文说明分别在 ``zh``、``en`` 中。"""


# ---------------------------------------------------------------- 取数

def _check(country: str, variable: str, price: str) -> None:
    if country not in COUNTRIES:
        raise WorldError(f"未知的国家（地区）{country!r}；可选：{', '.join(COUNTRIES)} / unknown country {country!r}")
    if variable not in VARIABLE_ZH:
        raise WorldError(f"未知的指标 {variable!r}；可选：output, income / unknown variable {variable!r}")
    if price not in PRICE_ZH:
        raise WorldError(f"未知的价格口径 {price!r}；可选：nominal, adjusted / unknown price basis {price!r}")
    if country == "JP":
        raise WorldError("日本：本书数据中只有都道府县 GDP 总量，没有都道府县人口，无法计算人均值 / "
                         "Japan: prefectural GDP only, no prefectural population, so no per-capita values")
    if variable == "income" and country in ("EU", "IN"):
        raise WorldError(f"{SHORT_ZH[country]}：本书数据中没有地区居民收入，只有人均 GDP；请把指标换成人均 GDP / "
                         f"{country}: no regional household income in the data, only per-capita GDP")
    if price == "adjusted" and country in ("CN", "IN"):
        raise WorldError(f"{SHORT_ZH[country]}：统计机构没有发布地区价格平价，只能比较名义值；"
                         "按价格调整只适用于美国（地区价格平价）和欧盟（购买力标准） / "
                         f"{country}: no official regional price parities; only nominal values")


@data.cached
def _unit_panel(country: str, variable: str, price: str) -> pd.DataFrame:
    _check(country, variable, price)
    if country == "CN":
        p = data.panel(CN_VINTAGE)
        df = p[["code", "name", "year", "gdp_pc", "pop_mean", "region4"]].rename(
            columns={"gdp_pc": "y", "pop_mean": "pop", "region4": "group"})
        if variable == "income":
            inc = data.indicator("disp_income_pc_all", SOURCES["CN_income"])
            inc = inc[inc["code"] != data.NATIONAL][["code", "year", "value"]]
            df = df.drop(columns="y").merge(inc.rename(columns={"value": "y"}), on=["code", "year"])
        df["pop"] = df["pop"] * 1e4  # 万人 → 人
    elif country == "US":
        inc = data.world_regions("US", source_id=SOURCES["US_income"])
        inc = inc[inc["region_code"] != "US"]
        wide = inc.pivot_table(index=["region_code", "name_zh", "year"], columns="indicator",
                               values="value").reset_index()
        wide = wide.rename(columns={"region_code": "code", "name_zh": "name", "pop_midyear": "pop"})
        if variable == "income":
            wide["y"] = wide["personal_income_pc"]
        else:  # GDP 与人口出自 BEA 同一次发布（2025 年 3 月 28 日）的两张表
            gdp = data.world_regions("US", "gdp_current", SOURCES["US_output"])
            gdp = gdp[gdp["region_code"] != "US"][["region_code", "year", "value"]]
            wide = wide.merge(gdp.rename(columns={"region_code": "code", "value": "gdp"}), on=["code", "year"])
            wide["y"] = wide["gdp"] * 1e6 / wide["pop"]
        if price == "adjusted":
            rpp = data.world_regions("US", "rpp", SOURCES["US_output"])
            rpp = rpp[rpp["region_code"] != "US"][["region_code", "year", "value"]]
            wide = wide.merge(rpp.rename(columns={"region_code": "code", "value": "rpp"}), on=["code", "year"])
            wide["y"] = wide["y"] / wide["rpp"] * 100
        wide["group"] = wide["code"].map(data.world_groups("US", "census_region")).map(US_REGION_ZH)
        df = wide.dropna(subset=["y", "pop"])
    elif country == "EU":
        eu = data.world_regions("EU", source_id=SOURCES["EU"])
        eu = eu[eu["region_code"].str.len() == 4]
        wide = eu.pivot_table(index=["region_code", "region_name", "year"], columns="indicator",
                              values="value").reset_index()
        wide = wide[wide["year"] >= EU_FIRST]
        # 权重：同一发布的 GDP 总量 ÷ 人均 GDP = 欧盟统计局所用的年均人口（人均值取整，误差约 ≤0.5%）
        wide["pop"] = wide["gdp_current"] * 1e6 / wide["gdp_pc"]
        wide["y"] = wide["gdp_pc_pps"] if price == "adjusted" else wide["gdp_pc"]
        country_zh = data.world_names("EU").set_index("region_code")["name_zh"]
        wide["group"] = wide["region_code"].str[:2].map(country_zh)
        # NUTS-2 地区没有通行的中文名：用欧盟统计局公布的当地官方名称，括号内注明所属国家
        wide["name"] = wide["region_name"] + "（" + wide["group"].fillna(wide["region_code"].str[:2]) + "）"
        df = wide.rename(columns={"region_code": "code"})
    else:  # IN
        ind = data.world_regions("IN", "nsdp_pc", SOURCES["IN"])
        states = data.world_groups("IN", "unit_type")
        ind = ind[ind["region_code"].map(states).eq("state") & (ind["year"] <= IN_LAST)]
        df = ind.rename(columns={"region_code": "code", "name_zh": "name", "value": "y"})
        df["pop"] = np.nan
        df["group"] = df["code"].map(data.world_groups("IN", "zonal_council"))
    df = df[["code", "name", "year", "y", "pop", "group"]].sort_values(["year", "code"]).reset_index(drop=True)
    df["year"] = df["year"].astype(int)
    return df


def unit_panel(country: str, variable: str = "output", price: str = "nominal") -> pd.DataFrame:
    """一个国家（地区）的地区 × 年份表：code, name, year, y（人均值，单位见 ``UNIT_ZH``）, pop（人）, group。

    中国：现行数据版本的人均 GDP 与年平均常住人口（或 2016 年起的全体居民人均可支配收入）；美国：BEA 2025 年
    3 月发布的人均个人收入（1929 年起；阿拉斯加、夏威夷 1950 年起）或州 GDP ÷ 年中人口（1998 年起），按地区价格
    平价调整时只有 2008—2023 年；欧盟：2003—2021 年 NUTS-2 人均 GDP（欧元或购买力标准）；印度：28 个邦
    2011—2022 财年的人均邦内生产净值，无人口。
    """
    return _unit_panel(country, variable, price)


def years(country: str, variable: str = "output", price: str = "nominal") -> list[int]:
    return sorted(unit_panel(country, variable, price)["year"].unique().tolist())


def one_year(df: pd.DataFrame, weighted: bool = True) -> dict:
    """一年的全部度量：cv, theil, between, within, between_share, maxmin, sigma, n, max/min 地区。"""
    y = df["y"].to_numpy(float)
    if weighted and df["pop"].isna().any():
        raise WorldError("这一组地区没有人口数据，不能按人口加权；请选“不加权” / "
                         "no population for these regions: choose unweighted")
    w = df["pop"].to_numpy(float) if weighted else None
    t = measures.theil_t(y, w, df["group"].to_numpy())
    names = df["name"].to_numpy()
    hi, lo = int(np.argmax(y)), int(np.argmin(y))
    return {"cv": measures.cv(y, w), "theil": t.total, "between": t.between, "within": t.within,
            "between_share": t.between_share, "maxmin": measures.max_min_ratio(y), "sigma": measures.sigma(y),
            "n": len(df), "max_name": names[hi], "min_name": names[lo], "max": y[hi], "min": y[lo]}


@data.cached
def _path(country: str, variable: str, price: str, weighted: bool) -> pd.DataFrame:
    df = _unit_panel(country, variable, price)
    if weighted and df["pop"].isna().all():
        raise WorldError(f"{SHORT_ZH[country]}：本书数据中没有这些地区的人口，不能按人口加权；请选“不加权” / "
                         f"{country}: no population in the data, so no population weighting; choose unweighted")
    rows = {int(yr): one_year(g, weighted) for yr, g in df.groupby("year")}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")


def path(country: str, measure: str = "cv", variable: str = "output", price: str = "nominal",
         weighted: bool = True) -> pd.Series:
    """逐年的一种度量（``measure`` 为 cv、theil、between、maxmin、sigma；between = 组间占泰尔指数的比例）。"""
    if measure not in MEASURE_ZH:
        raise WorldError(f"未知的度量 {measure!r}；可选：{', '.join(MEASURE_ZH)} / unknown measure {measure!r}")
    column = "between_share" if measure == "between" else measure
    return _path(country, variable, price, bool(weighted))[column].astype(float).rename(measure)


def table_path(country: str, variable: str = "output", price: str = "nominal", weighted: bool = True) -> pd.DataFrame:
    """全部度量的逐年表（副本）。"""
    return _path(country, variable, price, bool(weighted))


# ---------------------------------------------------------------- 专题表

def snapshot(year: int, weighted_for: tuple = ("CN", "US", "EU")) -> pd.DataFrame:
    """同一年、各国（地区）人均 GDP 的度量并列（名义值）；印度不加权并取最近的年份。"""
    rows = []
    for c in ("CN", "US", "EU", "IN"):
        df = _unit_panel(c, "output", "nominal")
        yr = year if year in set(df["year"]) else int(df["year"].max())
        r = one_year(df[df["year"] == yr], weighted=c in weighted_for)
        r.update(country=c, year=yr, weighted=c in weighted_for)
        rows.append(r)
    return pd.DataFrame(rows).set_index("country")


def _coarse(df: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """把细的地区合并成粗的单位：人均值 = Σ(人均值 × 人口) / Σ人口（即总量 ÷ 总人口）。"""
    d = df.assign(total=df["y"] * df["pop"], key=key.to_numpy())
    g = d.groupby("key").agg(total=("total", "sum"), pop=("pop", "sum"))
    return pd.DataFrame({"code": g.index, "name": g.index, "y": g["total"] / g["pop"], "pop": g["pop"],
                         "group": g.index})


def maup_table(year: int) -> pd.DataFrame:
    """可变面积单元问题：同一年、同一批人口，在粗细不同的地区划分下的人口加权变异系数与最大最小比。"""
    out = []

    def add(country, level_zh, df):
        r = one_year(df, weighted=True)
        out.append({"country": country, "level": level_zh, "n": r["n"], "cv": r["cv"],
                    "theil": r["theil"], "maxmin": r["maxmin"]})

    cn = _unit_panel("CN", "output", "nominal")
    cn = cn[cn["year"] == year]
    add("CN", "31 个省级行政区", cn)
    add("CN", "四大区域", _coarse(cn, cn["group"]))
    us = _unit_panel("US", "output", "nominal")
    us = us[us["year"] == year]
    add("US", "50 州 + 哥伦比亚特区", us)
    add("US", "人口普查局 9 个分区", _coarse(us, us["code"].map(data.world_groups("US", "census_division"))))
    add("US", "人口普查局 4 个大区", _coarse(us, us["group"]))
    eu = _unit_panel("EU", "output", "nominal")
    eu = eu[eu["year"] == year]
    add("EU", "NUTS-2 地区", eu)
    add("EU", "27 个成员国", _coarse(eu, eu["group"]))
    return pd.DataFrame(out)


def within_country_table(year: int, price: str = "adjusted", min_regions: int = 5) -> pd.DataFrame:
    """欧盟各成员国内部 NUTS-2 地区的人口加权变异系数与最大最小比（地区数不少于 ``min_regions``）。"""
    eu = _unit_panel("EU", "output", price)
    eu = eu[eu["year"] == year]
    rows = []
    for name, g in eu.groupby("group"):
        if len(g) < min_regions:
            continue
        r = one_year(g.assign(group="all"), weighted=True)
        rows.append({"成员国": name, "地区数": len(g), "cv": r["cv"], "maxmin": r["maxmin"],
                     "最高": r["max_name"], "最低": r["min_name"]})
    return pd.DataFrame(rows).sort_values("cv", ascending=False).reset_index(drop=True)


def flag_table() -> pd.DataFrame:
    """欧盟 NUTS-2 人均 GDP（欧元）中带估计值（e）、初步值（p）标记的地区数，及其人口占比，逐年。"""
    f = data.world_flags()
    f = f[(f["indicator"] == "gdp_pc") & (f["source_id"] == SOURCES["EU"]) & (f["region_code"].str.len() == 4)]
    eu = _unit_panel("EU", "output", "nominal")
    rows = []
    for yr, g in eu.groupby("year"):
        fy = f[f["year"] == yr]
        est = set(fy.loc[fy["flag"].str.contains("e"), "region_code"])
        prov = set(fy.loc[fy["flag"].str.contains("p"), "region_code"])
        either = est | prov
        share = g.loc[g["code"].isin(either), "pop"].sum() / g["pop"].sum()
        rest = g[~g["code"].isin(either)]
        cv_rest = measures.cv(rest["y"].to_numpy(float), rest["pop"].to_numpy(float)) if either else np.nan
        rows.append({"year": int(yr), "estimated": len(est), "provisional": len(prov), "flagged": len(either),
                     "pop_share": share, "cv_all": measures.cv(g["y"].to_numpy(float), g["pop"].to_numpy(float)),
                     "cv_unflagged": cv_rest})
    return pd.DataFrame(rows).set_index("year")


def eu_population_gap() -> pd.Series:
    """欧盟：各国 NUTS-2 地区“隐含人口”（GDP ÷ 人均 GDP）之和相对该国同样算出的人口的偏差，按（国家, 年）。

    偏差来自三处：人均值取整到百欧元、丹麦未分配到地区的区外 GDP，以及个别国家（罗马尼亚）地区人均值
    所用的人口与全国数不一致。"""
    eu = data.world_regions("EU", source_id=SOURCES["EU"])
    wide = eu.pivot_table(index=["region_code", "year"], columns="indicator", values="value").reset_index()
    wide["pop"] = wide["gdp_current"] * 1e6 / wide["gdp_pc"]
    n2 = wide[wide["region_code"].str.len() == 4].assign(cc=lambda d: d["region_code"].str[:2])
    n0 = wide[wide["region_code"].str.len() == 2].set_index(["region_code", "year"])["pop"]
    sums = n2.groupby(["cc", "year"])["pop"].sum()
    n0.index.names = sums.index.names
    return (sums / n0.reindex(sums.index) - 1).dropna().rename("gap")


def tokyo_share() -> pd.DataFrame:
    """日本：东京都占 47 个都道府县 GDP 合计的份额与最大最小比（名义 GDP 总量，不是人均），逐财年。"""
    jp = data.world_regions("JP", "gdp_current", SOURCES["JP"])
    jp = jp[jp["region_code"] != "00"]
    rows = []
    for yr, g in jp.groupby("year"):
        s = g.set_index("region_code")["value"]
        rows.append({"year": int(yr), "tokyo_share": s["13"] / s.sum(), "n": len(s)})
    return pd.DataFrame(rows).set_index("year")


def unit_sizes(year: int) -> pd.DataFrame:
    """各组地区的平均人口与人口最多、最少地区的人口（人）——可比性的第一道门槛。"""
    rows = []
    for c in ("CN", "US", "EU"):
        df = _unit_panel(c, "output", "nominal")
        df = df[df["year"] == year]
        rows.append({"country": c, "n": len(df), "mean_pop": df["pop"].mean(), "max_pop": df["pop"].max(),
                     "min_pop": df["pop"].min(), "max_name": df.loc[df["pop"].idxmax(), "name"],
                     "min_name": df.loc[df["pop"].idxmin(), "name"]})
    return pd.DataFrame(rows).set_index("country")


# ---------------------------------------------------------------- 组件

SETS = (("中国、美国、欧盟、印度并列", "all"), ("中国", "CN"), ("美国", "US"), ("欧盟", "EU"), ("印度", "IN"),
        ("日本", "JP"))
_DIGITS = {"cv": 3, "theil": 3, "between": 3, "maxmin": 2, "sigma": 3}


def world_views(countries: str, measure: str, variable: str, price: str, weighted: bool) -> list[dict]:
    """组件的计算函数：选定的国家（地区）、度量、指标、价格口径与加权方式下的逐年路径。"""
    chosen = ("CN", "US", "EU", "IN") if countries == "all" else (countries,)
    notes, series, skipped = [], {}, []
    if measure in ("maxmin", "sigma") and weighted:
        notes.append("最大最小比与对数标准差不使用人口权重，加权与不加权的结果相同。")
    for c in chosen:
        try:
            s = path(c, measure, variable, price, weighted)
        except (WorldError, measures.MeasureError) as error:
            if len(chosen) == 1:
                raise
            skipped.append(f"{SHORT_ZH[c]}（{str(error).split(' / ')[0].split('：', 1)[-1]}）")
            continue
        series[c] = s
    if not series:
        raise WorldError("所选的国家（地区）都不能按这组选项计算；请改选指标、价格口径或加权方式 / "
                         "no country can be computed with these choices")
    lo = min(int(s.index.min()) for s in series.values())
    hi = max(int(s.index.max()) for s in series.values())
    x = list(range(lo, hi + 1))
    lines = [{"id": c, "label": SHORT_ZH[c], "color": COLORS[c],
              "y": [s.get(yr) if yr in s.index else None for yr in x]} for c, s in series.items()]
    unit_bits = "；".join(f"{SHORT_ZH[c]} {UNIT_ZH.get((c, variable), '')}" for c in series)
    price_note = {"nominal": "名义值", "adjusted": "美国按地区价格平价（全国 = 100）折算，欧盟用购买力标准（PPS）"}[price]
    notes.append(f"指标：{VARIABLE_ZH[variable]}，{price_note}；单位：{unit_bits}。各组地区的数目和大小不同，"
                 "数值只在同一组内随时间比较最可靠。")
    if skipped:
        notes.append("未画出：" + "；".join(skipped) + "。")
    views = [widgets.chart(f"{MEASURE_ZH[measure]}（{'人口加权' if weighted else '不加权'}）", x, lines,
                           ylabel=MEASURE_ZH[measure], digits=_DIGITS[measure], note=" ".join(notes))]
    last = []
    for c, s in series.items():
        last.append((f"{SHORT_ZH[c]}（{int(s.index.max())} 年）", f"{s.iloc[-1]:.{_DIGITS[measure]}f}"))
    views.append(widgets.stats(last))
    return views


def world_widget() -> widgets.BookWidget:
    """大国比较组件：国家（地区）、度量、指标、价格口径、加权方式；年份范围与标出年份只影响显示。"""
    # 年份范围取自数据：各国（地区）地区数据与中国现行版本的全部年份
    have = {int(y) for c in data.WORLD_COUNTRIES for y in data.world_regions(c)["year"]}
    have |= set(data.vintage_info("current")["years"])
    all_years = tuple(range(min(have), max(have) + 1))
    controls = [
        widgets.choice("countries", "国家（地区）", SETS, "all"),
        widgets.choice("measure", "度量", [(v, k) for k, v in MEASURE_ZH.items()], "cv"),
        widgets.choice("variable", "指标", [("人均 GDP", "output"), ("人均居民收入", "income")], "output"),
        widgets.choice("price", "价格口径", [("名义值", "nominal"), ("按地区价格调整", "adjusted")], "nominal"),
        widgets.choice("weighted", "加权", [("按人口加权", True), ("不加权", False)], True),
        widgets.choice("xmin", "起始年份", all_years, 2000, role="xmin"),
        widgets.choice("xmax", "结束年份", all_years, all_years[-1], role="xmax"),
        widgets.choice("xmark", "读出某年", (("不标出", None),) + tuple((str(y), y) for y in all_years), None,
                       role="xmark"),
    ]
    gaps = [  # 数据本身没有的组合（组件给出中文说明）
        widgets.Gap({"countries": ("CN", "IN"), "price": "adjusted"}, "中国与印度没有地区价格平价"),
        widgets.Gap({"countries": ("EU", "IN"), "variable": "income"}, "欧盟与印度没有地区居民收入"),
        widgets.Gap({"countries": "IN", "weighted": True}, "印度没有各邦人口，不能加权"),
        widgets.Gap({"countries": "JP"}, "日本没有都道府县人口，无法计算人均值"),
    ]
    return widgets.BookWidget(
        "中国与其他大型经济体的地区差距", controls, world_views, gaps=gaps,
        description="选择国家（地区）、度量、指标、价格口径和加权方式，比较各组地区差距的逐年路径。"
                    "印度没有各邦人口，只能不加权；中国和印度没有地区价格平价；日本没有都道府县人口。",
        alt="中国、美国、欧盟、印度地区差距的逐年路径")
