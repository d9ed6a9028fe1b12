"""读取 data/ 中的官方统计与资料表 / Load the official statistics and reference tables in data/.

规则 Rules
----------
* 只读 data/ 里的文件；不绘图，不联网。Reads only files in data/; no plotting, no network.
* 数值原样保留：不估计、不插值、不填补。Values as published: never estimated, interpolated or filled.
* 一次计算只用一个数据版本（vintage），版本定义见 data/vintages.csv。
  One calculation uses one vintage; vintages are defined as data in data/vintages.csv.

* 列的类型与缺失值按 data/datapackage.json 的表结构读入（代码“01”是文本，不是 1）。
  Column types and missing values follow the table schemas in data/datapackage.json.

数据目录默认为包旁边的 ``data/``，可用环境变量 ``QUYU_DATA`` 改到别处。读入的表和 :func:`cached`
记住的计算都按数据目录分开，每次返回副本。
The data directory defaults to ``data/`` next to the package; override with ``QUYU_DATA``. Tables read
and computations memoised with :func:`cached` are kept per data directory and returned as copies.
"""
from __future__ import annotations

import copy
import types
import functools
import json
import os
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from . import fmt
from .errors import BookError

__all__ = [
    # 读取与缓存 / reading and caching
    "DataError", "data_dir", "cached", "package_tables",
    # 数据版本与省级面板 / vintages and the provincial panel
    "NATIONAL", "POPULATION_KINDS", "POP_BASES", "VINTAGES", "vintages", "vintage_info", "check_one_vintage",
    "provinces", "schemes", "scheme", "north_south", "north_south_splits", "north_south_table", "panel", "panel_records", "missing_report", "population_breaks",
    "latest_year", "years_of",
    "indicators", "indicator", "national", "PEOPLE_INDICATORS", "people_sources", "people",
    "series_registry", "series_source", "series_years",
    # 城市、相邻关系与资料表 / cities, contiguity and reference tables
    "stage_start", "cities", "city", "contiguity", "neighbours", "events", "stages", "tile_grid", "course_plans", "coordination_index",
    "history_facts", "article_figures", "ledger_notes", "strategy_membership", "free_trade_zones",
    "national_new_areas", "paired_assistance", "case_xinanjiang", "case_shenshan", "mechanisms", "sources",
    "official_claims", "plan15_regional", "first_release_2025", "hu_line",
    # 其他大型经济体 / other large economies
    "WORLD_COUNTRIES", "world_regions", "world_groups", "world_names", "world_flags",
    # 校验 / validation
    "validate",
]

NATIONAL = "00"
POPULATION_KINDS = ("resident", "registered")
POP_BASES = ("mean", "yearend")


class DataError(BookError):
    """数据请求无效（中英文说明，并列出可选值）/ Invalid data request (bilingual, lists valid choices)."""


def _choices(values: Iterable) -> str:
    return ", ".join(str(v) for v in values)


def _unknown(what_zh: str, what_en: str, value, valid: Iterable) -> DataError:
    valid = _choices(valid)
    return DataError(f"未知的{what_zh} {value!r}；可选：{valid}", f"unknown {what_en} {value!r}; valid: {valid}")


# ---------------------------------------------------------------- reading

def data_dir() -> Path:
    """data/ 目录（可用环境变量 QUYU_DATA 覆盖）/ The data directory (override with QUYU_DATA).

    源代码目录中是包旁边的 ``data/``；从 wheel 安装的包用包内的 ``quyu/_data/``。
    In a source checkout: ``data/`` next to the package; installed from the wheel: ``quyu/_data/``."""
    env = os.environ.get("QUYU_DATA")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent
    checkout = here.parent / "data"
    return checkout if (checkout / "datapackage.json").exists() else here / "_data"


def _freeze(v):
    """把参数变成可作缓存键的值：列表、元组（带类型）与字典逐层换成元组。"""
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(_freeze(x) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple(sorted((k, _freeze(x)) for k, x in v.items())))
    hash(v)  # 不可散列的参数：TypeError，由调用者改为不缓存
    return v


#: 调用者改不动的结果类型：:func:`cached` 原样返回，不复制
_IMMUTABLE = (str, bytes, int, float, bool, type(None), types.MappingProxyType, frozenset)


def cached(func):
    """记住一个只依赖数据的函数的结果（按参数与数据目录），每次调用返回一份副本。

    同一章里，组件的三种形式（交互、网页静态、印刷）和正文常用同样的参数调用同一个计算；
    记住结果，每个组合在一次构建中只算一次。返回副本，调用者改动结果不会影响下一次调用。
    参数中的列表、字典按内容作键；无法作键的参数（如数组）不缓存，直接计算。
    框架中记住结果的地方都用它（读入的表也是），没有第二种缓存。"""
    store: dict = {}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            key = (str(data_dir()), _freeze(args), _freeze(kwargs))
        except TypeError:
            return func(*args, **kwargs)
        if key not in store:
            store[key] = func(*args, **kwargs)
        value = store[key]
        if isinstance(value, _IMMUTABLE):   # 改不动的结果不必复制（例如译文表）
            return value
        return value.copy(deep=True) if isinstance(value, (pd.DataFrame, pd.Series)) else copy.deepcopy(value)

    return wrapper


def _existing(name: str) -> Path:
    path = data_dir() / name
    if not path.exists():
        raise DataError(f"找不到数据文件 {path} / data file not found: {path}")
    return path


@cached
def _package() -> dict:
    """data/datapackage.json：各表的说明与表结构（Frictionless Table Schema）。"""
    return json.loads(_existing("datapackage.json").read_text(encoding="utf-8"))


#: 表结构的字段类型 → 读入的类型：文本列（代码“01”）与数值列按表结构读。整数列由 pandas 推断
#: （完整的整数列为 int64，有缺失值的为 float64；需要可空整数的读取函数自己转换，如 stages()）。
_READ_TYPES = {"string": str, "number": "float64"}


@cached
def _read(name: str) -> pd.DataFrame:
    """读 data/ 中的一个 CSV：列类型与缺失值的写法（``missingValues``）取自 datapackage.json 中该表的表结构。

    Read one CSV of data/ with the column types and missing-value markers of its table schema (cached; a copy)."""
    path = _existing(name)
    resources = {r["path"]: r for r in _package()["resources"]}
    if name not in resources:
        raise DataError(f"datapackage.json 中没有表 {name} 的表结构 / no table schema for {name} in datapackage.json")
    schema = resources[name]["schema"]
    dtype = {f["name"]: _READ_TYPES[f["type"]] for f in schema["fields"] if f["type"] in _READ_TYPES}
    return pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=schema.get("missingValues", [""]),
                       encoding="utf-8")


def _vintage_table() -> pd.DataFrame:
    return _read("vintages.csv")


def _vintage_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(_vintage_table()["vintage"]))


def __getattr__(name: str):
    # VINTAGES is read from data/vintages.csv when first used (so QUYU_DATA is respected).
    if name == "VINTAGES":
        return _vintage_names()
    raise AttributeError(name)


def _check_vintage(vintage: str) -> pd.DataFrame:
    table = _vintage_table()
    if vintage not in set(table["vintage"]):
        raise _unknown("数据版本", "vintage", vintage, _vintage_names())
    return table[table["vintage"] == vintage]


def _years_of(spec: pd.DataFrame) -> list[int]:
    years: set[int] = set()
    for row in spec[spec["indicator"] == "gdp"].itertuples():
        years.update(range(int(row.year_from), int(row.year_to) + 1))
    return sorted(years)


@cached
def vintage_info(vintage: str) -> dict:
    """一个数据版本的说明 / Description of one vintage.

    Returns ``dict(label_zh, years, sources)``; ``years`` are the years ``panel()`` accepts,
    ``sources`` a list of dicts (indicator, source_id, year_from, year_to, note).
    """
    spec = _check_vintage(vintage)
    sources = [
        {"indicator": r.indicator, "source_id": r.source_id, "year_from": int(r.year_from),
         "year_to": int(r.year_to), "note": r.note}
        for r in spec.itertuples()
    ]
    return {"vintage": vintage, "label_zh": spec["label_zh"].iloc[0], "years": _years_of(spec),
            "sources": sources}


def latest_year(vintage: str = "current") -> int:
    """一个数据版本的最新年份（data/vintages.csv）/ The latest year of a vintage.

    正文、组件与习题中的“最新年份”都取自这里，不写在代码里：新一年的数据加进 data/ 后自动后移。"""
    return max(vintage_info(vintage)["years"])


def years_of(table: pd.DataFrame) -> list[int]:
    """一个长表（含 ``year`` 列）中有数值的年份，升序 / Sorted years present in a long frame."""
    return sorted(int(y) for y in table.dropna(subset=["value"])["year"].unique())


def series_registry() -> pd.DataFrame:
    """序列登记（data/series.csv）：series, table, indicator, source_id, note。

    各章在数据版本之外使用的分省序列（财政收支、消费、收入、生产总值指数）当前取哪一个发布；
    新发布取代旧发布时只改这张表的一行。"""
    return _read("series.csv")


def _series_row(series: str):
    reg = series_registry().set_index("series")
    if series not in reg.index:
        raise _unknown("序列", "series", series, reg.index)
    return reg.loc[series]


def series_source(series: str) -> str:
    """登记的序列当前所用发布的 source_id / The source_id a registered series currently uses."""
    return str(_series_row(series)["source_id"])


@cached
def series_years(series: str) -> list[int]:
    """登记的序列有数值的年份 / Years with values of a registered series."""
    row = _series_row(series)
    frame = (people(row["indicator"], row["source_id"]) if row["table"] == "province_people.csv"
             else indicator(row["indicator"], row["source_id"]))
    return years_of(frame)


# ---------------------------------------------------------------- identity and region schemes

def provinces() -> pd.DataFrame:
    """31 个省级行政区：code, name_zh_short, name_zh_full, name_en。"""
    return _read("provinces.csv")


def _province_codes() -> list[str]:
    return list(provinces()["code"])


def schemes() -> pd.DataFrame:
    """全部区域划分方案 / All region schemes: columns scheme, scheme_zh."""
    rs = _read("region_schemes.csv")
    return rs[["scheme", "scheme_zh"]].drop_duplicates("scheme").reset_index(drop=True)


@cached
def scheme(name: str, labels: bool = False) -> pd.Series:
    """一个区域方案：index 为省代码，值为分组 id（labels=True 时为中文组名）。

    One region scheme as a Series indexed by province code: group id, or ``group_zh`` if labels=True.
    """
    rs = _read("region_schemes.csv")
    valid = list(dict.fromkeys(rs["scheme"]))
    if name not in valid:
        raise _unknown("区域方案", "region scheme", name, valid)
    part = rs[rs["scheme"] == name].set_index("code")
    out = part["group_zh" if labels else "group"].copy()
    out.name = name
    return out


def north_south_table() -> pd.DataFrame:
    """南北划分全表（north_south.csv）：split, split_zh, code, side, source_id, note。"""
    return _read("north_south.csv")


def north_south_splits() -> pd.DataFrame:
    """南北划分的种类（north_south.csv）：split, split_zh, source_id，按文件中的顺序。"""
    ns = _read("north_south.csv")
    return ns[["split", "split_zh", "source_id"]].drop_duplicates("split").reset_index(drop=True)


@cached
def north_south(split: str = "qinling_huaihe") -> pd.Series:
    """一种南北划分：index 为省代码，值为 ``north`` 或 ``south``（north_south.csv）。

    One north-south split as a Series indexed by province code (values ``north``/``south``).
    """
    ns = _read("north_south.csv")
    valid = list(dict.fromkeys(ns["split"]))
    if split not in valid:
        raise _unknown("南北划分", "north-south split", split, valid)
    out = ns[ns["split"] == split].set_index("code")["side"].copy()
    out.name = split
    return out


# ---------------------------------------------------------------- provincial panel

def _panel_long() -> pd.DataFrame:
    return _read("province_panel.csv")


def _series_from_spec(long: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Values of the (indicator, source_id, years) pieces of a vintage: code, year, value, source."""
    pieces = []
    for r in rows.itertuples():
        sel = long[(long["indicator"] == r.indicator) & (long["source_id"] == r.source_id)
                   & long["year"].between(int(r.year_from), int(r.year_to))
                   & (long["code"] != NATIONAL)]
        pieces.append(sel[["code", "year", "value", "source_id"]])
    out = pd.concat(pieces, ignore_index=True)
    if out.duplicated(["code", "year"]).any():  # a badly written vintages.csv
        raise DataError("vintages.csv 中同一版本的来源年份重叠 / overlapping year ranges in vintages.csv")
    return out


@cached
def panel(vintage: str = "current", years=None, population: str = "resident",
          pop_basis: str = "mean") -> pd.DataFrame:
    """省级面板：每个 (省, 年) 一行，只用一个数据版本。

    Provincial panel, one row per (code, year) for the 31 provinces, from ONE vintage.

    Columns: code, name (简称), name_en, year, gdp (亿元), pop (年末常住人口, 万人),
    pop_mean (t 与 t−1 年末人口的平均，同一来源链；缺 t−1 时为 NaN), gdp_pc (元/人),
    one column per region scheme (group id), gdp_source, pop_source.

    ``pop_basis="mean"`` divides GDP by mean population (NBS practice), ``"yearend"`` by the
    year-end population. gdp_pc is NaN where the population is missing or zero.
    """
    spec = _check_vintage(vintage)
    if population not in POPULATION_KINDS:
        raise _unknown("人口口径", "population", population, POPULATION_KINDS)
    if population == "registered":
        raise DataError(
            "data/ 中没有省级户籍人口：只有资料汇编的年末总人口（部分省份为户籍口径，见 compendium 版本）"
            "和城市的户籍人口（cities(indicator='pop_registered_yearend')）。 / "
            "Provincial registered (hukou) population is not in data/: only the Compendium's partly "
            "registered year-end total (vintage 'compendium') and the cities' registered population "
            "(cities(indicator='pop_registered_yearend')). Valid population: resident")
    if pop_basis not in POP_BASES:
        raise _unknown("人口基数", "pop_basis", pop_basis, POP_BASES)

    valid_years = _years_of(spec)
    if years is None:
        wanted = valid_years
    else:
        wanted = [years] if np.ndim(years) == 0 else list(years)
        for y in wanted:
            if int(y) not in valid_years:
                valid = fmt.year_span(valid_years, style="plain")
                raise DataError(f"{spec['label_zh'].iloc[0]}没有 {y} 年；可选年份：{valid} / "
                                f"vintage {vintage!r} has no year {y}; valid years: {valid}")
        wanted = sorted({int(y) for y in wanted})

    long = _panel_long()
    gdp = _series_from_spec(long, spec[spec["indicator"] == "gdp"]).rename(
        columns={"value": "gdp", "source_id": "gdp_source"})
    pop = _series_from_spec(long, spec[spec["indicator"] != "gdp"]).rename(
        columns={"value": "pop", "source_id": "pop_source"})
    prev = pop[["code", "year", "pop"]].rename(columns={"pop": "pop_prev"})
    prev["year"] = prev["year"] + 1

    prov = provinces()
    grid = pd.MultiIndex.from_product([prov["code"], wanted], names=["code", "year"]).to_frame(index=False)
    df = (grid.merge(gdp, on=["code", "year"], how="left")
              .merge(pop, on=["code", "year"], how="left")
              .merge(prev, on=["code", "year"], how="left"))
    df["pop_mean"] = (df["pop"] + df["pop_prev"]) / 2  # NaN if either is missing
    denominator = df["pop_mean"] if pop_basis == "mean" else df["pop"]
    denominator = denominator.where(denominator > 0)  # never divide by zero
    df["gdp_pc"] = df["gdp"] * 1e4 / denominator

    names = prov.set_index("code")
    df.insert(1, "name", df["code"].map(names["name_zh_short"]))
    df.insert(2, "name_en", df["code"].map(names["name_en"]))
    for s in schemes()["scheme"]:
        df[s] = df["code"].map(scheme(s))
    cols = (["code", "name", "name_en", "year", "gdp", "pop", "pop_mean", "gdp_pc"]
            + list(schemes()["scheme"]) + ["gdp_source", "pop_source"])
    df = df[cols].sort_values(["year", "code"]).reset_index(drop=True)
    df.attrs.update(vintage=vintage, pop_basis=pop_basis)
    return df


# ---------------------------------------------------------------- single indicators

def indicators() -> pd.DataFrame:
    """省级面板中的指标与来源一览 / Indicators of province_panel.csv with their sources and years."""
    long = _panel_long()
    return (long.groupby(["indicator", "source_id", "unit"])
                .agg(year_from=("year", "min"), year_to=("year", "max"), rows=("value", "size"))
                .reset_index())


def _select_indicator(name: str, source_id: str | None, national_only: bool) -> pd.DataFrame:
    long = _panel_long()
    pool = long[long["code"] == NATIONAL] if national_only else long[long["code"] != NATIONAL]
    valid = sorted(pool["indicator"].unique())
    if name not in valid:
        raise _unknown("指标", "indicator", name, valid)
    sel = pool[pool["indicator"] == name]
    valid_sources = sorted(sel["source_id"].unique())
    if source_id is not None:
        if source_id not in valid_sources:
            raise _unknown(f"来源（指标 {name}）", f"source_id for {name}", source_id, valid_sources)
        sel = sel[sel["source_id"] == source_id]
    elif sel.duplicated(["code", "year"]).any():
        raise DataError(
            f"指标 {name!r} 的同一省份年份出现在多个来源（数据版本）中，请用 source_id 指定一个；可选：{_choices(valid_sources)} / "
            f"indicator {name!r} has the same (code, year) under several source_ids (vintages); "
            f"pass source_id; valid: {_choices(valid_sources)}")
    return sel


def indicator(name: str, source_id: str | None = None) -> pd.DataFrame:
    """一个省级指标（31 省，长表）/ One provincial indicator, long frame.

    Columns: code, name, year, value, unit, source_id. Several source_ids are fine when they
    cover different years (e.g. one 《中国科技统计年鉴》 edition per data year); when the same
    (code, year) appears under two source_ids, ``source_id`` is required.
    """
    sel = _select_indicator(name, source_id, national_only=False)
    sel = sel.copy()
    sel.insert(1, "name", sel["code"].map(provinces().set_index("code")["name_zh_short"]))
    return (sel[["code", "name", "year", "value", "unit", "source_id"]]
            .sort_values(["year", "code"]).reset_index(drop=True))


def national(indicator: str, source_id: str | None = None) -> pd.Series:
    """全国序列（代码 00）/ A national series (code "00") indexed by year.

    E.g. ``national("gdp", source_id="nat_gdp_1959_2018_v2019")``,
    ``national("disp_income_pc_urban")``. The rural income series switches in 2013 from net
    income (纯收入) to disposable income (可支配收入); see ``.attrs['note']``.
    """
    sel = _select_indicator(indicator, source_id, national_only=True).sort_values("year")
    out = pd.Series(sel["value"].to_numpy(), index=pd.Index(sel["year"].to_numpy(), name="year"),
                    name=indicator)
    out.attrs.update(source_id=_choices(sel["source_id"].unique()), unit=_choices(sel["unit"].unique()))
    if sel["source_id"].eq("kwz_jel2021_nat_income_1978_2016").any():
        out.attrs["note"] = ("2013年口径断点：此前城镇为城镇住户调查、农村为人均纯收入，2013年起为城乡一体化住户调查的"
                             "人均可支配收入 / definition break in 2013: rural net income up to 2012, "
                             "integrated-survey disposable income from 2013")
    return out


# ---------------------------------------------------------------- cities

def cities(indicator: str | None = None, year: int | None = None) -> pd.DataFrame:
    """城市数据（长表）/ City data, long: code, name_zh, province_code, year, indicator, value, unit,
    source_id, note. Note the units differ (10k_yuan vs 100m_yuan; persons vs 10k_persons) and
    ``note == 'suspect_outlier_in_source'`` marks doubtful registered population."""
    df = _read("cities.csv")
    if indicator is not None:
        valid = sorted(df["indicator"].unique())
        if indicator not in valid:
            raise _unknown("城市指标", "city indicator", indicator, valid)
        df = df[df["indicator"] == indicator]
    if year is not None:
        valid = sorted(df["year"].unique())
        if int(year) not in valid:
            raise _unknown("年份", "year", year, valid)
        df = df[df["year"] == int(year)]
    return df.reset_index(drop=True)


def city(name_or_code: str) -> pd.DataFrame:
    """一个城市的全部数据，按 6 位代码或中文名（可省“市”）查找 / All rows of one city."""
    df = _read("cities.csv")
    key = str(name_or_code).strip()
    hit = df[(df["code"] == key) | (df["name_zh"] == key) | (df["name_zh"] == key + "市")]
    if hit.empty:
        near = sorted(df.loc[df["name_zh"].str.contains(key[:2], regex=False), "name_zh"].unique())
        hint = _choices(near) if near else "见 cities()['name_zh'].unique() / see cities()['name_zh'].unique()"
        raise DataError(f"未知的城市 {key!r}；可选（相近）：{hint} / unknown city {key!r}; valid (similar): {hint}")
    return hit.sort_values(["year", "indicator"]).reset_index(drop=True)


# ---------------------------------------------------------------- reference tables

def events() -> pd.DataFrame:
    """政策事件（policy_events.csv），加整数列 year / Policy events with an integer ``year``."""
    df = _read("policy_events.csv")
    df.insert(1, "year", df["date"].astype(str).str[:4].astype(int))
    return df


def official_claims() -> pd.DataFrame:
    """官方关于地区差距的表述及其核对状态（official_claims.csv）；``verification`` 为 ``not_found`` 的行不得当作事实。

    Official statements about regional gaps with their verification status; rows marked ``not_found`` are not facts.
    ``value_printed`` keeps the value as printed (``1.50`` has two decimals, which the number 1.5 no longer says)."""
    df = _read("official_claims.csv")
    raw = pd.read_csv(_existing("official_claims.csv"), dtype=str, keep_default_na=False, usecols=["claim_id", "value"],
                      encoding="utf-8")
    df["value_printed"] = df["claim_id"].map(dict(zip(raw["claim_id"], raw["value"].str.strip())))
    return df


def plan15_regional() -> pd.DataFrame:
    """“十五五”规划的区域发展表述（plan15_regional.csv）：四中全会公报的逐字短语；纲要的目标值没有找到的留空。

    Regional phrases of the 15th Five-Year Plan documents (verbatim where found; targets left empty when not found)."""
    return _read("plan15_regional.csv")


def first_release_2025() -> pd.DataFrame:
    """2025 年首次发布的部分省份数值（暂存，first_release_2025_staging.csv）：只能用于所列省份，不得计算缺少成员的合计。

    Staged 2025 first releases for some provinces only: use per province, never in an aggregate."""
    return _read("first_release_2025_staging.csv")


def stages() -> pd.DataFrame:
    """区域战略的阶段（边界年份为本书约定）/ Strategy stages; boundary years are a convention."""
    df = _read("stages.csv")
    df["end_year"] = df["end_year"].astype("Int64")
    return df


def course_plans() -> pd.DataFrame:
    """教学指南的课程安排：每种安排（plan）每周（week）讲目录中的哪些页面（file）/ Course plans."""
    return _read("course_plans.csv")


def stage_start(stage: str) -> int:
    """一个阶段的起始年（stages.csv，本书约定的边界年份），如 ``stage_start("new_era")`` 是党的十八大之年。"""
    st = stages().set_index("stage")
    if stage not in st.index:
        raise _unknown("阶段", "stage", stage, st.index)
    return int(st.loc[stage, "start_year"])


def tile_grid() -> pd.DataFrame:
    """省级方格地图布局（2 位 code）/ Tile-grid layout with 2-digit ``code``."""
    return _read("tile_grid.csv")


def coordination_index() -> pd.DataFrame:
    """中国区域协调发展指数（社科院，2012=100）/ CASS regional coordination index."""
    return _read("coordination_index.csv")


def history_facts() -> pd.DataFrame:
    """历史事实与数字（value 为文本，含比值、区间）/ History facts (``value`` is text)."""
    return _read("history_facts.csv")


def hu_line() -> pd.DataFrame:
    """胡焕庸线两侧的人口与面积比重（hu_line.csv）：文献发表的数字，``verification`` 为 ``secondary_copy`` 的只见于转引。

    Published shares on each side of the Hu Line (not recomputable from provincial data: the line cuts provinces)."""
    df = _read("hu_line.csv")
    df["data_year"] = df["data_year"].astype(int)
    return df


def article_figures() -> pd.DataFrame:
    """原文报告的数字（用于核对）/ Figures printed in the source article."""
    return _read("article_figures.csv")


def ledger_notes() -> pd.DataFrame:
    """数字核对表的说明（ledger_notes.csv）：figure_id, use_variant（城市数字取哪一种口径）,
    reason_zh（无法重算的原因；``{reported}``、``{fact:ID}``、``{city:代码:年份:指标}`` 由数据填入）。"""
    return _read("ledger_notes.csv").fillna("")


def strategy_membership() -> pd.DataFrame:
    """区域重大战略的省份成员（含港澳）/ Strategy membership by province."""
    return _read("strategy_membership.csv")


def free_trade_zones() -> pd.DataFrame:
    """自由贸易试验区 / Pilot free trade zones."""
    return _read("free_trade_zones.csv")


def national_new_areas() -> pd.DataFrame:
    """国家级新区 / State-level new areas."""
    return _read("national_new_areas.csv")


def paired_assistance() -> pd.DataFrame:
    """对口支援与东西部协作结对 / Paired assistance."""
    return _read("paired_assistance.csv")


def case_xinanjiang() -> pd.DataFrame:
    """新安江流域横向生态补偿的日期与金额（case_xinanjiang.csv）：每条事实一行，带来源与核实状态
    （``verification``：publisher_page 出版者自己的页面；secondary_copy 只见转载，未核实）/
    Dated facts of the Xin'an River compensation pilot and agreements."""
    return _read("case_xinanjiang.csv")


def case_shenshan() -> pd.DataFrame:
    """深汕特别合作区的设立与体制调整（case_shenshan.csv）：每条事实一行，带来源与核实状态 /
    Dated facts of the Shenzhen-Shanwei Special Cooperation Zone."""
    return _read("case_shenshan.csv")


def mechanisms() -> pd.DataFrame:
    """2018 年《意见》的八项机制 / The eight mechanisms of the 2018 guideline."""
    return _read("mechanisms_2018.csv")


def sources() -> pd.DataFrame:
    """来源台账：每个 source_id 一行 / Provenance ledger, one row per source_id."""
    return _read("sources.csv")


def source_label(key: str) -> str:
    """读者看到的版本或来源名称：数据版本用 vintages.csv 的 ``label_zh``，来源用 source_names.csv 的
    ``name_zh``；几个来源合用时（``a+b``）用“＋”连接。没有中文名称时报错（不把代码名给读者看）。"""
    if key in _vintage_names():
        return vintage_info(key)["label_zh"]
    names = _read("source_names.csv").set_index("source_id")["name_zh"]
    missing = [k for k in key.split("+") if k not in names.index]
    if missing:
        raise KeyError(f"data/source_names.csv 中没有来源 {missing} 的中文名称 / "
                       f"no Chinese name for source {missing} in data/source_names.csv")
    return "＋".join(names[k] for k in key.split("+"))


def vintages() -> pd.DataFrame:
    """数据版本的定义（vintages.csv）：每个（版本, 指标, 来源, 年份段）一行。"""
    return _vintage_table()


def panel_records() -> pd.DataFrame:
    """省级面板的长表（province_panel.csv）：每个（省, 年, 指标, 来源）一行，含全国合计（代码 00）。"""
    return _panel_long()


def package_tables() -> pd.DataFrame:
    """数据包中的表（datapackage.json）：path, title, rows（数据行数）, primary_key。"""
    package = _package()
    rows = []
    for r in package["resources"]:
        rows.append({"path": r["path"], "title": r["title"], "rows": len(_read(r["path"])),
                     "primary_key": " + ".join(r["schema"].get("primaryKey", []))})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- checks

def _coverage() -> dict[str, set[tuple[str, str, int]]]:
    """vintage -> {(role, source_id, year)} with role 'gdp' or 'pop'."""
    cov: dict[str, set] = {}
    for r in _vintage_table().itertuples():
        role = "gdp" if r.indicator == "gdp" else "pop"
        cov.setdefault(r.vintage, set()).update(
            (role, r.source_id, y) for y in range(int(r.year_from), int(r.year_to) + 1))
    return cov


def _pairs(df: pd.DataFrame) -> set[tuple[str, str, int]]:
    pairs: set = set()
    if "gdp_source" in df.columns:
        for col, role in (("gdp_source", "gdp"), ("pop_source", "pop")):
            if col in df.columns:
                sub = df[["year", col]].dropna()
                pairs.update((role, s, int(y)) for y, s in zip(sub["year"], sub[col]))
    elif {"indicator", "source_id", "year"} <= set(df.columns):
        sub = df[df["indicator"].isin(["gdp", "pop_yearend", "pop_yearend_total_compendium"])]
        pairs.update(("gdp" if i == "gdp" else "pop", s, int(y))
                     for i, s, y in zip(sub["indicator"], sub["source_id"], sub["year"]))
    else:
        raise DataError("check_one_vintage 需要 gdp_source/year 列或 indicator/source_id/year 列 / "
                        "check_one_vintage needs columns gdp_source/year or indicator/source_id/year")
    return pairs


def check_one_vintage(df: pd.DataFrame) -> str | None:
    """确认一个表只用了一个数据版本，否则抛出 DataError / Refuse a frame that mixes vintages.

    Accepts a ``panel()`` frame (gdp_source, pop_source, year) or a long frame
    (indicator, source_id, year). Returns the vintage name (or None for a single release that
    is not a defined vintage). Raises DataError if the GDP (and population) source ids and years
    are not all covered by one vintage of data/vintages.csv.
    """
    pairs = _pairs(df)
    if not pairs:
        return None
    cov = _coverage()
    for name, covered in cov.items():
        if pairs <= covered:
            return name
    known = {s for c in cov.values() for _, s, _ in c}
    gdp_sources = sorted({s for role, s, _ in pairs if role == "gdp"})
    pop_sources = sorted({s for role, s, _ in pairs if role == "pop"})
    if len(gdp_sources) <= 1 and len(pop_sources) <= 1 and not (set(gdp_sources) | set(pop_sources)) & known:
        return None  # one release outside the defined vintages
    member = {s: sorted(v for v, c in cov.items() if any(x[1] == s for x in c))
              for s in gdp_sources + pop_sources}
    detail = "; ".join(f"{s} → {', '.join(v) or '-'}" for s, v in member.items())
    raise DataError(
        f"该表混用了不同数据版本的来源（或使用了不属于该版本的年份）：{detail}；可选版本：{_choices(cov)} / "
        f"frame mixes sources of different vintages (or years outside a vintage): {detail}; "
        f"valid vintages: {_choices(cov)}")


def missing_report(df: pd.DataFrame, column: str) -> dict[int, list[str]]:
    """每年缺少 ``column`` 数值的省份简称 / Province short names with no value in ``column``, per year.

    Returns ``{year: [names]}`` for the years that have gaps (empty dict = complete).
    """
    if column not in df.columns:
        raise _unknown("列", "column", column, df.columns)
    names = df["name"] if "name" in df.columns else df["code"].map(
        provinces().set_index("code")["name_zh_short"])
    gaps = df.assign(_name=names)[df[column].isna()]
    return {int(y): list(g["_name"]) for y, g in gaps.groupby("year")}


def validate(path: str | os.PathLike | None = None) -> list[str]:
    """用 frictionless 校验数据包，返回可读的错误列表 “文件:行:字段: 说明”。

    Validate a Data Package (datapackage.json or its directory) with frictionless and return
    human-readable errors ``"file:row:field: message"`` (empty list = valid).
    """
    import frictionless

    path = Path(path) if path is not None else data_dir()
    if path.is_dir():
        path = path / "datapackage.json"
    report = frictionless.validate(str(path))
    problems = [f"{path.name}:-:-: {e.message}" for e in report.errors]
    for task in report.tasks:
        where = Path(task.place).name if task.place else task.name
        for e in task.errors:
            row = getattr(e, "row_number", None)
            field = getattr(e, "field_name", None)
            if field is None and getattr(e, "field_names", None):
                field = "+".join(e.field_names)  # foreign-key errors name their fields
            if field is None and e.type == "primary-key":
                field = "primary key"
            problems.append(f"{where}:{row if row is not None else '-'}:{field or '-'}: {e.message}")
    return problems


# ---------------------------------------------------------------- other large economies (world_*.csv)

WORLD_COUNTRIES = ("US", "EU", "JP", "IN")


def world_regions(country: str, indicator: str | None = None, source_id: str | None = None) -> pd.DataFrame:
    """其他大型经济体的地区数据（长表，一个国家）/ Regional data of the US, the EU, Japan or India (long).

    Columns: country, region_code, region_name, name_zh, year, indicator, value, unit, source_id.
    ``indicator`` and ``source_id`` filter; an unknown value raises DataError listing the valid ones.
    Each source_id is one release: callers must not mix source_ids in one calculation.
    """
    if country not in WORLD_COUNTRIES:
        raise _unknown("国家（地区）", "country", country, WORLD_COUNTRIES)
    df = _read("world_regions.csv")
    df = df[df["country"] == country]
    for column, value, zh in (("indicator", indicator, "指标"), ("source_id", source_id, "来源")):
        if value is not None:
            valid = sorted(df[column].unique())
            if value not in valid:
                raise _unknown(zh, column, value, valid)
            df = df[df[column] == value]
    names = _read("world_region_names.csv")
    df = df.merge(names, on=["country", "region_code"], how="left")
    cols = ["country", "region_code", "region_name", "name_zh", "year", "indicator", "value", "unit", "source_id"]
    return df[cols].sort_values(["indicator", "region_code", "year"]).reset_index(drop=True)


def world_groups(country: str, scheme: str) -> pd.Series:
    """地区分组：region_code -> group（如美国 census_region、欧盟 country、日本 cao_block、印度 zonal_council）。"""
    if country not in WORLD_COUNTRIES:
        raise _unknown("国家（地区）", "country", country, WORLD_COUNTRIES)
    g = _read("world_region_groups.csv")
    g = g[g["country"] == country]
    valid = sorted(g["group_scheme"].unique())
    if scheme not in valid:
        raise _unknown("分组方案", "group_scheme", scheme, valid)
    g = g[g["group_scheme"] == scheme]
    return g.set_index("region_code")["group"].rename(scheme)


def world_names(country: str) -> pd.DataFrame:
    """地区名称：region_code, region_name（原名）, name_zh（本书中文名，NUTS-2 地区没有，为缺失值）。"""
    names = _read("world_region_names.csv")
    return names[names["country"] == country].reset_index(drop=True)


def world_flags() -> pd.DataFrame:
    """欧盟统计局对 world_regions.csv 单元格的标记（e 估计、p 初步、b 断点）/ Eurostat flags."""
    return _read("world_regions_flags.csv")


# ---------------------------------------------------------------- province contiguity

def contiguity(hainan_link: bool = True) -> pd.DataFrame:
    """省际相邻关系（每对相邻省份一行，``code_a < code_b``）/ Province contiguity pairs.

    68 对陆地相邻省份，外加 1 条海南—广东的惯例连接（``link == "island_convention"``）。
    ``hainan_link=False`` 时去掉这条连接，海南便没有邻省。只用于空间权重，不含几何，不用于画地图。

    68 land-border pairs plus the conventional Hainan-Guangdong link; ``hainan_link=False`` drops it.
    """
    if hainan_link not in (True, False):
        raise DataError(f"hainan_link 只能是 True 或 False，收到 {hainan_link!r} / "
                        f"hainan_link must be True or False, got {hainan_link!r}")
    df = _read("province_contiguity.csv")
    if not hainan_link:
        df = df[df["link"] != "island_convention"]
    return df.reset_index(drop=True)


def neighbours(hainan_link: bool = True) -> dict[str, list[str]]:
    """每个省的邻省代码列表（31 个省都有键，海南在不含惯例连接时为空列表）/ Neighbour lists by code."""
    out: dict[str, list[str]] = {c: [] for c in _province_codes()}
    for a, b in contiguity(hainan_link)[["code_a", "code_b"]].itertuples(index=False):
        out[a].append(b)
        out[b].append(a)
    return {c: sorted(v) for c, v in out.items()}


# ---------------------------------------------------------------- people and public finance (issue 16)

#: 人与财政序列的中文名与单位 / Indicators of data/province_people.csv.
PEOPLE_INDICATORS = {
    "fiscal_expenditure_local": ("地方一般公共预算支出", "亿元"),
    "fiscal_revenue_local": ("地方一般公共预算收入", "亿元"),
    "consumption_pc_all": ("全体居民人均消费支出", "元"),
    "disp_income_pc_urban_oldsurvey": ("城镇居民人均可支配收入（2013 年前城镇住户调查）", "元"),
}


def people_sources(indicator: str | None = None) -> pd.DataFrame:
    """province_people.csv 中每个指标的来源与年份 / Sources and years of each people/finance series."""
    df = _read("province_people.csv")
    if indicator is not None:
        df = df[df["indicator"] == indicator]
    return (df.groupby(["indicator", "source_id", "unit"])
              .agg(year_from=("year", "min"), year_to=("year", "max"), rows=("value", "size"))
              .reset_index())


def people(indicator: str, source_id: str | None = None, years=None) -> pd.DataFrame:
    """一个人与财政指标（31 省，长表）/ One series of province_people.csv, long frame.

    Columns: code, name, year, value, unit, source_id. 地方财政支出有两个发布（国家统计局数据库导出
    2016—2024、汇编 2005—2024），二者在重叠年份几乎完全相同，但一次计算只能用一个：此时必须给
    ``source_id``。城镇收入只有 2013 年住户调查改革之前的旧口径（2005—2012），名称中带 ``oldsurvey``。
    """
    df = _read("province_people.csv")
    valid = list(PEOPLE_INDICATORS)
    if indicator not in valid:
        raise _unknown("人与财政指标", "people indicator", indicator, valid)
    sel = df[df["indicator"] == indicator]
    sids = sorted(sel["source_id"].unique())
    if source_id is None:
        if len(sids) > 1:
            raise DataError(
                f"指标 {indicator!r} 有多个发布，不能混用，请用 source_id 指定一个；可选：{_choices(sids)} / "
                f"indicator {indicator!r} has several releases that must not be mixed; pass source_id: {_choices(sids)}")
    elif source_id not in sids:
        raise _unknown(f"来源（指标 {indicator}）", f"source_id for {indicator}", source_id, sids)
    else:
        sel = sel[sel["source_id"] == source_id]
    if years is not None:
        wanted = [int(years)] if np.ndim(years) == 0 else [int(y) for y in years]
        have = sorted(sel["year"].unique())
        absent = [y for y in wanted if y not in have]
        if absent:
            valid = fmt.year_span(have, style="plain")
            raise DataError(f"{PEOPLE_INDICATORS[indicator][0]}没有 {_choices(absent)} 年的数据；可选年份："
                            f"{valid} / no data for {absent}; valid years: {valid}")
        sel = sel[sel["year"].isin(wanted)]
    sel = sel.copy()
    sel.insert(1, "name", sel["code"].map(provinces().set_index("code")["name_zh_short"]))
    return (sel[["code", "name", "year", "value", "unit", "source_id"]]
            .sort_values(["year", "code"]).reset_index(drop=True))


# ---------------------------------------------------------------- population series breaks

def population_breaks(vintage: str | None = None) -> pd.DataFrame:
    """人口序列的口径断点 / Breaks in the provincial population series (``population_breaks.csv``).

    One row per province and break: ``code, source_id, year_from, year_to, change_pct, typical_pct,
    kind, note_zh`` plus ``name`` (Chinese short name). With ``vintage``, only the breaks in that
    vintage's population releases, in the years the vintage takes from each release, are returned.
    """
    df = _read("population_breaks.csv")
    df["name"] = df["code"].map(provinces().set_index("code")["name_zh_short"])
    if vintage is None:
        return df.reset_index(drop=True)
    spec = _check_vintage(vintage)
    spec = spec[spec["indicator"].str.startswith("pop_yearend")]
    keep = pd.Series(False, index=df.index)
    for _, r in spec.iterrows():
        keep |= ((df["source_id"] == r["source_id"]) & (df["year_from"] >= int(r["year_from"]))
                 & (df["year_to"] <= int(r["year_to"])))
    return df[keep].reset_index(drop=True)
