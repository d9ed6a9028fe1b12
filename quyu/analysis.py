"""章节与组件共用的分析步骤：把 ``data`` 读出的面板交给 ``measures`` 计算。

这里没有新的公式，只有“用哪一列、按什么加权、跳过哪些年份”这类组织工作，
让正文、组件和测试得到完全相同的数字。
"""
from __future__ import annotations

import pandas as pd

from . import data, measures

#: 人口加权时使用的人口列：与人均值的分母一致（年均人口）。
WEIGHT_COLUMN = "pop_mean"


def panel(vintage: str, pop_basis: str = "mean") -> pd.DataFrame:
    """``data.panel``（按参数记住，每次返回副本，调用者可以随意修改）。"""
    return data.panel(vintage, pop_basis=pop_basis)


@data.cached
def _disparity(vintage: str, measure: str, weighted: bool, scheme: str | None,
               pop_basis: str) -> pd.DataFrame:
    p = panel(vintage, pop_basis)
    weight_col = (WEIGHT_COLUMN if pop_basis == "mean" else "pop") if weighted else None
    cols = ["code", "year", "gdp_pc"] + ([weight_col] if weight_col else []) + ([scheme] if scheme else [])
    return measures.disparity_by_year(p[cols], measure, value="gdp_pc", weight=weight_col,
                                      group=scheme, unit="code", dropna=True)


def disparity(vintage: str, measure: str, weighted: bool = False, scheme: str | None = None,
              pop_basis: str = "mean") -> pd.DataFrame:
    """各年份省际人均 GDP 差距（index 为年份）。

    缺数据的年份被跳过，跳过了哪些年份、缺哪些省，记在 ``attrs["skipped"]``
    （键为年份，值为省代码列表），调用者应在正文或图注中说明。
    """
    return _disparity(vintage, measure, bool(weighted), scheme, pop_basis)  # 副本（连同 attrs）


def skipped_note(skipped: dict) -> str:
    """把跳过的年份说成一句中文（供图注、组件说明使用）。"""
    if not skipped:
        return ""
    names = data.provinces().set_index("code")["name_zh_short"]
    parts = []
    for year, codes in sorted(skipped.items()):
        who = "、".join(names.get(c, c) for c in codes)
        parts.append(f"{year} 年（缺 {who}）" if len(codes) <= 4 else f"{year} 年（缺 {len(codes)} 个省份）")
    return "未计算：" + "；".join(parts) + "。"


@data.cached
def _regional(vintage: str, scheme: str, pop_basis: str) -> pd.DataFrame:
    p = panel(vintage, pop_basis)
    labels = data.scheme(scheme, labels=True)
    weight_col = WEIGHT_COLUMN if pop_basis == "mean" else "pop"
    rows = []
    for year, block in p.groupby("year"):
        block = block.set_index("code")
        if block["gdp"].isna().any():
            continue
        shares = measures.regional_shares(block["gdp"], block[scheme])
        row = {"year": year}
        for g, v in shares.items():
            row[("share", g)] = v
        if not block[weight_col].isna().any():
            pc = measures.regional_per_capita(block["gdp"], block[weight_col], block[scheme])
            for g, v in pc.items():
                row[("per_capita", g)] = v
        rows.append(row)
    out = pd.DataFrame(rows).set_index("year")
    out.columns = pd.MultiIndex.from_tuples(out.columns, names=["quantity", "group"])
    out.attrs["labels"] = labels.drop_duplicates().to_dict()
    out.attrs["group_names"] = dict(zip(data.scheme(scheme), labels))
    return out


def regional(vintage: str, scheme: str = "region4", pop_basis: str = "mean") -> pd.DataFrame:
    """各区域的 GDP 份额（占所列省份合计）与人均 GDP（ΣGDP/Σ人口，元/人），按年份。

    列为两层：``("share", 组)``、``("per_capita", 组)``；某年缺人口时该年只有份额。
    """
    return _regional(vintage, scheme, pop_basis)  # 副本（连同 attrs）


def city_per_capita(population: str = "registered", suspect: str = "exclude") -> pd.DataFrame:
    """地级市人均 GDP（元/人）：``registered`` 用城市统计年鉴的户籍人口（2010—2012），
    ``census`` 用 2010 年人口普查常住人口（只有 2010 年）。

    返回 code, name, province_code, year, gdp (万元), pop (万人), gdp_pc, note。
    数据源标为可疑的人口（``suspect_outlier_in_source``）默认不参与计算（``suspect="exclude"``）：
    这些城市—年份不出现在结果中，``attrs["excluded"]`` 列出它们，``attrs["note_zh"]`` 是可直接
    显示的说明。``suspect="keep"`` 保留原值（note 列注明）。
    """
    if suspect not in ("exclude", "keep"):
        raise data.DataError(f"未知的可疑值处理方式 {suspect!r}；可选：exclude, keep / "
                             f"unknown suspect handling {suspect!r}; valid: exclude, keep")
    gdp = data.cities("gdp_current")
    gdp = gdp[gdp["unit"] == "10k_yuan"][["code", "name_zh", "province_code", "year", "value"]]
    gdp = gdp.rename(columns={"value": "gdp", "name_zh": "name"})
    if population == "registered":
        pop = data.cities("pop_registered_yearend")[["code", "year", "value", "note"]]
        pop = pop.rename(columns={"value": "pop"})
    elif population == "census":
        pop = data.cities("pop_resident_census_2010_boundary_adj")[["code", "year", "value", "note"]]
        pop = pop.assign(value=pop["value"] / 1e4).rename(columns={"value": "pop"})
    else:
        raise data.DataError(f"未知的人口口径 {population!r}；可选：registered, census / "
                             f"unknown population {population!r}; valid: registered, census")
    df = gdp.merge(pop, on=["code", "year"], how="inner")
    df = df[df["pop"] > 0].copy()
    df["gdp_pc"] = measures.per_capita(df["gdp"], df["pop"], scale=1.0)
    df = df.sort_values(["year", "code"]).reset_index(drop=True)
    flagged = df["note"].eq(SUSPECT)
    excluded = df.loc[flagged, ["code", "name", "year", "pop"]].reset_index(drop=True)
    if suspect == "exclude":
        df = df[~flagged].reset_index(drop=True)
    df.attrs["excluded"] = excluded if suspect == "exclude" else excluded.iloc[0:0]
    df.attrs["note_zh"] = suspect_note(excluded) if suspect == "exclude" else ""
    return df


#: 数据源中标为可疑的数值 / the note that flags a value as doubtful in its source.
SUSPECT = "suspect_outlier_in_source"


def suspect_note(excluded: pd.DataFrame, codes=None) -> str:
    """可疑值被排除时的说明文字；``codes`` 只提及这些城市（没有则返回空串）。"""
    if codes is not None:
        excluded = excluded[excluded["code"].isin(list(codes))]
    if excluded.empty:
        return ""
    items = [f"{r.name} {int(r.year)} 年" for r in excluded.head(4).itertuples()]
    more = f"等 {len(excluded)} 个城市—年份" if len(excluded) > 4 else ""
    return (f"数据源把{'、'.join(items)}{more}的户籍人口标为可疑值，这些年份不参与计算，图中留空。")
