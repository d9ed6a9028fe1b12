"""原文报告的数字及其重算：数字核对表（figure ledger）。

The figures printed in the source article are data (``data.article_figures()``). This module
recomputes each of them from ``data/`` with the library (``analysis`` / ``measures``), says which
data vintage and definition come closest, and checks the article's own arithmetic.

Public functions
----------------
* :func:`recompute` — one figure: ``dict(value, vintage, pop_basis, definition_zh, inputs, reason)``.
* :func:`alternatives` — every vintage / population definition that data/ can apply to one figure.
* :func:`ledger` — one row per article figure with reported value, recomputation, difference and a
  Chinese verdict; ``vintage=...`` recomputes with that vintage where it applies.
* :func:`arithmetic_checks` — does the article's arithmetic follow from its own printed numbers?

Rules
-----
* One calculation uses one vintage (``data.panel(vintage)``); population basis is ``mean``
  (NBS practice: mean of year-end t−1 and t) or ``yearend``.
* "Closest" is chosen per *figure group* (figures printed together, e.g. the four 2012 regional
  figures), not figure by figure: the vintage/basis that reproduces most figures of the group to
  the printed precision, then the smallest mean absolute relative difference. This avoids picking a
  different vintage for each of four figures that the article evidently took from one table.
* Verdicts (Chinese): ``重现（到印出的精度）`` / ``与约数相符`` (a figure the article states as
  "about X" that the recomputation matches only after rounding to X) / ``接近`` (within 5 %) / ``不符`` /
  ``与出处一致（无法独立重算）`` (an index taken from its publisher) /
  ``无法用现有数据核实`` (data/ lacks an input; the reason says which).
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import analysis, data, fmt, measures

__all__ = ["VERDICTS", "CLOSE_TOLERANCE", "POP_BASIS_ZH", "recompute", "alternatives", "ledger",
           "arithmetic_checks", "printed_decimals", "reproduces"]

#: Relative difference up to which a recomputation counts as "接近".
CLOSE_TOLERANCE = 0.05

VERDICTS = {
    "reproduced": "重现（到印出的精度）",
    "approximate": "与约数相符",
    "close": "接近",
    "differs": "不符",
    "source": "与出处一致（无法独立重算）",
    "unverifiable": "无法用现有数据核实",
}

POP_BASIS_ZH = {"mean": "年平均人口", "yearend": "年末人口"}
_GROUP_ZH = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}

# ---------------------------------------------------------------- what each figure is

# kind: share (GDP share of a region4 group, percent), pc_ratio (regional per-capita ratio),
#       province_pc, province_ratio, city_pc, city_ratio, index, none (cannot be recomputed)
# group: figures printed together; "closest" is chosen for the group as a whole.
_SPECS: dict[str, dict] = {
    "share_gdp_central_2012": dict(kind="share", group="regional_2012", region="central"),
    "share_gdp_west_2012": dict(kind="share", group="regional_2012", region="west"),
    "ratio_pc_east_central_2012": dict(kind="pc_ratio", group="regional_2012", a="east", b="central"),
    "ratio_pc_east_west_2012": dict(kind="pc_ratio", group="regional_2012", a="east", b="west"),
    "share_gdp_central_2021": dict(kind="share", group="regional_2021", region="central"),
    "share_gdp_west_2021": dict(kind="share", group="regional_2021", region="west"),
    "ratio_pc_east_central_2021": dict(kind="pc_ratio", group="regional_2021", a="east", b="central"),
    "ratio_pc_east_west_2021": dict(kind="pc_ratio", group="regional_2021", a="east", b="west"),
    "pc_gdp_tianjin_2012": dict(kind="province_pc", group="tj_gz_2012", code="12"),
    "pc_gdp_guizhou_2012": dict(kind="province_pc", group="tj_gz_2012", code="52"),
    "ratio_tianjin_guizhou_2012": dict(kind="province_ratio", group="tj_gz_2012", a="12", b="52",
                                       parts=("pc_gdp_tianjin_2012", "pc_gdp_guizhou_2012")),
    "pc_gdp_shenzhen_2012": dict(kind="city_pc", code="440300", name="深圳"),
    "pc_gdp_meizhou_2012": dict(kind="city_pc", code="441400", name="梅州"),
    "ratio_shenzhen_meizhou_2012": dict(kind="city_ratio", a="440300", b="441400",
                                        parts=("pc_gdp_shenzhen_2012", "pc_gdp_meizhou_2012")),
    "pc_gdp_bj_sh_gz_avg_2012": dict(kind="metros"),
    "pc_gdp_hotan_2012": dict(kind="none"),
    "ratio_metros_hotan_2012": dict(kind="none", parts=("pc_gdp_bj_sh_gz_avg_2012", "pc_gdp_hotan_2012")),
    "coordination_index_2012": dict(kind="index"),
    "coordination_index_2020": dict(kind="index"),
    "hist_coastal_industry_share": dict(kind="none"),
    "hist_northwest_area_share": dict(kind="none"),
    "hist_northwest_industry_share": dict(kind="none"),
    "hist_fyp1_central_west_investment_share": dict(kind="none"),
}

# Why a figure cannot be recomputed, and which city definition the article used, are data
# (data/ledger_notes.csv), not code: :func:`_note` fills in the numbers they quote.

def _note(figure_id: str) -> dict:
    """ledger_notes.csv 中一个数字的说明：``use_variant`` 与填好数字的 ``reason_zh``（没有则为空）。"""
    notes = data.ledger_notes().set_index("figure_id")
    if figure_id not in notes.index:
        return {"use_variant": "", "reason_zh": ""}
    row = notes.loc[figure_id]
    return {"use_variant": row["use_variant"], "reason_zh": _fill(row["reason_zh"], figure_id)}


def _fill(text: str, figure_id: str) -> str:
    """把说明中的 ``{reported}``、``{fact:ID}``、``{city:代码:年份:指标}`` 换成数据中的数值。"""
    import re

    def value(match: re.Match) -> str:
        key = match.group(1)
        if key == "reported":
            fig = _figure(figure_id)
            return _printed(float(fig["value"]), fig["unit"])
        kind, _, rest = key.partition(":")
        if kind == "fact":
            fact = data.history_facts().set_index("fact_id").loc[rest]
            return f"{fact['value']}{fact['unit']}"
        if kind == "city":
            code, year, indicator = rest.split(":")
            c = data.cities(indicator, int(year))
            hit = c.loc[c["code"] == code, "value"]
            if hit.empty:
                raise data.DataError(f"ledger_notes.csv 引用的城市数值不存在：{key}",
                                     f"ledger_notes.csv refers to a missing city value: {key}")
            return fmt.num(float(hit.iloc[0]), 0)
        raise data.DataError(f"ledger_notes.csv 中无法识别的占位符：{key}",
                             f"unknown placeholder in ledger_notes.csv: {key}")

    return re.sub(r"\{([^{}]+)\}", value, text)


def _printed(value: float, unit: str) -> str:
    """原文的数字按其印出的位数写出（元按千位分隔）。"""
    return fmt.num(value, printed_decimals(value)) + ("%" if unit == "percent" else "")


_VARIANT_ZH = {"registered": "同一年份的户籍口径", "census2010": "2010 年普查常住人口的跨年近似"}
_VARIANT_BY_ZH = {"registered": "同一年份的户籍人口", "census2010": " 2010 年普查常住人口跨年近似"}
_CITY_NAMES = {"110100": "北京", "310100": "上海", "440100": "广州", "440300": "深圳", "441400": "梅州"}
_METROS = ("110100", "310100", "440100")


@data.cached
def _figure(figure_id: str) -> pd.Series:
    figs = data.article_figures().set_index("figure_id")
    if figure_id not in figs.index:
        raise data.DataError(f"未知的文章数字编号 {figure_id!r}；可选：{', '.join(figs.index)} / "
                             f"unknown figure_id {figure_id!r}; valid: {', '.join(figs.index)}")
    return figs.loc[figure_id]


def _spec(figure_id: str) -> dict:
    _figure(figure_id)
    return _SPECS.get(figure_id, dict(kind="none"))


# ---------------------------------------------------------------- precision and verdicts

def printed_decimals(reported) -> int:
    """原文印出的小数位数（22 → 0，21.1 → 1，1.69 → 2，118.59 → 2）。"""
    d = Decimal(repr(float(reported))).normalize()
    return max(0, -d.as_tuple().exponent)


def _round(x: float, decimals: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def reproduces(value, reported) -> bool:
    """把重算值四舍五入到原文印出的位数后，是否等于原文的数字。"""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return _round(value, printed_decimals(reported)) == Decimal(repr(float(reported))).quantize(
        Decimal(1).scaleb(-printed_decimals(reported)))


def _verdict(value, reported, approx: bool = False) -> str:
    """结论。原文写作约数的数字（“约 5 倍”）四舍五入相符只算“与约数相符”，不算重现：
    约数本身可能掩盖较大的相对差（例如 4.73 与“约 5 倍”相差 5.5%）。"""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return VERDICTS["unverifiable"]
    if reproduces(value, reported):
        return VERDICTS["approximate" if approx else "reproduced"]
    if abs(value / float(reported) - 1) <= CLOSE_TOLERANCE:
        return VERDICTS["close"]
    return VERDICTS["differs"]


# ---------------------------------------------------------------- provincial computations

def _years(vintage: str) -> list[int]:
    return data.vintage_info(vintage)["years"]


@data.cached
def _regional_row(vintage: str, year: int, pop_basis: str) -> dict:
    r = analysis.regional(vintage, "region4", pop_basis=pop_basis)
    if year not in r.index:
        return {}
    return {k: float(v) for k, v in r.loc[year].items() if pd.notna(v)}


@data.cached
def _provincial(figure_id: str, vintage: str, pop_basis: str) -> dict:
    """One provincial figure from one vintage and population basis (value in the article's unit)."""
    spec, fig = _spec(figure_id), _figure(figure_id)
    year = int(fig["year"])
    label = data.vintage_info(vintage)["label_zh"]
    out = dict(value=None, vintage=vintage, pop_basis=pop_basis, inputs={}, reason="")
    if year not in _years(vintage):
        out["reason"] = f"数据版本“{label}”没有 {year} 年的数据。"
        out["definition_zh"] = ""
        return out
    basis = POP_BASIS_ZH[pop_basis]
    if spec["kind"] == "share":
        row = _regional_row(vintage, year, "mean")
        g = spec["region"]
        out["value"] = row[("share", g)] * 100
        out["pop_basis"] = None
        out["definition_zh"] = (f"{_GROUP_ZH[g]}地区 GDP 占 31 个省份 GDP 之和的比重（国家统计局四大区域），"
                                f"{label}")
        out["inputs"] = {"share": row[("share", g)]}
    elif spec["kind"] == "pc_ratio":
        row = _regional_row(vintage, year, pop_basis)
        a, b = spec["a"], spec["b"]
        if ("per_capita", a) not in row or ("per_capita", b) not in row:
            out["reason"] = f"数据版本“{label}”缺少 {year} 年的人口，无法计算人均值。"
            out["definition_zh"] = ""
            return out
        out["value"] = measures.ratio(row[("per_capita", a)], row[("per_capita", b)])
        out["definition_zh"] = (f"{_GROUP_ZH[a]}与{_GROUP_ZH[b]}的人均 GDP 之比，人均 = 区域 GDP 合计 ÷ 区域{basis}合计，"
                                f"{label}")
        out["inputs"] = {f"per_capita_{a}": row[("per_capita", a)], f"per_capita_{b}": row[("per_capita", b)]}
    elif spec["kind"] in ("province_pc", "province_ratio"):
        p = analysis.panel(vintage, pop_basis)
        p = p[p["year"] == year].set_index("code")
        codes = [spec["code"]] if spec["kind"] == "province_pc" else [spec["a"], spec["b"]]
        pcs = {}
        for c in codes:
            pc = p.loc[c, "gdp_pc"]
            if pd.isna(pc):
                out["reason"] = f"数据版本“{label}”缺少 {p.loc[c, 'name']} {year} 年的 GDP 或人口。"
                out["definition_zh"] = ""
                return out
            pcs[c] = float(pc)
            out["inputs"][c] = {"name": p.loc[c, "name"], "gdp": float(p.loc[c, "gdp"]),
                                "pop": float(p.loc[c, "pop_mean" if pop_basis == "mean" else "pop"]),
                                "gdp_pc": float(pc), "gdp_source": p.loc[c, "gdp_source"],
                                "pop_source": p.loc[c, "pop_source"]}
        name = "、".join(p.loc[c, "name"] for c in codes)
        if spec["kind"] == "province_pc":
            out["value"] = pcs[codes[0]]
            out["definition_zh"] = f"{name} GDP ÷ {basis}，{label}"
        else:
            out["value"] = measures.ratio(pcs[codes[0]], pcs[codes[1]])
            out["definition_zh"] = f"{name}人均 GDP 之比，人均 = GDP ÷ {basis}，{label}"
            out["reason"] = _parts_reason(spec["parts"])
    return out


@data.cached
def _parts_reason(parts: tuple[str, str]) -> str:
    """比值的分子、分母能否在同一个数据版本与人口口径下同时重现（逐一检查，不是断言）。"""
    together = [(v, b) for v in data.VINTAGES for b in data.POP_BASES
                if all(reproduces(_provincial(f, v, b)["value"], float(_figure(f)["value"])) for f in parts)]
    if together:
        names = "、".join(f"{data.vintage_info(v)['label_zh']}（{POP_BASIS_ZH[b]}）" for v, b in together)
        return f"文章所报的两个省级数字在 {names} 中都能重现。"
    return "分子、分母各自只与文章所报数值接近：在任何一个数据版本与人口口径下，文章的两个省级数字都不能同时重现。"


def _candidates(figure_id: str, vintage: str | None = None, pop_basis: str | None = None) -> list[dict]:
    spec = _spec(figure_id)
    vintages = [vintage] if vintage is not None else list(data.VINTAGES)
    if spec["kind"] == "share":
        bases = ["mean"]
    else:
        bases = [pop_basis] if pop_basis is not None else list(data.POP_BASES)
    return [_provincial(figure_id, v, b) for v in vintages for b in bases]


def _group_members(group: str) -> list[str]:
    return [f for f, s in _SPECS.items() if s.get("group") == group]


@data.cached
def _best_setting(group: str, vintage: str | None, pop_basis: str | None) -> tuple[str, str] | None:
    """(vintage, pop_basis) that reproduces most figures of the group, then the smallest mean |rel diff|."""
    vintages = [vintage] if vintage is not None else list(data.VINTAGES)
    bases = [pop_basis] if pop_basis is not None else list(data.POP_BASES)
    scored = []
    for v in vintages:
        for b in bases:
            hits, diffs = 0, []
            for f in _group_members(group):
                r = _provincial(f, v, b)
                if r["value"] is None:
                    break
                reported = float(_figure(f)["value"])
                hits += reproduces(r["value"], reported)
                diffs.append(abs(r["value"] / reported - 1))
            else:
                scored.append((-hits, sum(diffs) / len(diffs), v, b))
    if not scored:
        return None
    scored.sort(key=lambda t: (t[0], t[1]))
    return scored[0][2], scored[0][3]


# ---------------------------------------------------------------- cities

@data.cached
def _city_table() -> pd.DataFrame:
    """2012 GDP with registered (2012) and census-2010 resident population, per city (元/人)."""
    reg = analysis.city_per_capita("registered")
    reg = reg[reg["year"] == 2012].set_index("code")
    gdp = reg["gdp"]
    census = data.cities("pop_resident_census_2010_boundary_adj").set_index("code")["value"]
    census = census.reindex(gdp.index)
    out = pd.DataFrame({"name": reg["name"], "gdp_wan_yuan": gdp, "pop_registered": reg["pop"],
                        "pop_census2010": census / 1e4, "pc_registered": reg["gdp_pc"]})
    ok = out["pop_census2010"] > 0
    out.loc[ok, "pc_census2010"] = measures.per_capita(out.loc[ok, "gdp_wan_yuan"],
                                                       out.loc[ok, "pop_census2010"], scale=1.0)
    return out


def _city_row(code: str) -> pd.Series:
    return _city_table().loc[code]


#: 城市数字的来源（读者看到的名称见 data/source_names.csv，data.source_label）
_CITY_SOURCE = "JCDASHENG_CCSY"
_CENSUS_SOURCE = "JCDASHENG_CCSY+LEIII_CENSUS_V1"


def _city_variants(code: str) -> list[dict]:
    row = _city_row(code)
    name = _CITY_NAMES.get(code, row["name"])
    return [
        dict(key="registered", value=float(row["pc_registered"]), source=_CITY_SOURCE,
             definition_zh=f"{name} 2012 年 GDP ÷ 2012 年末户籍人口（{fmt.num(row['pop_registered'], 1)} 万人）",
             note="同一年份；户籍人口不含外来常住人口"),
        dict(key="census2010", value=float(row["pc_census2010"]), source=_CENSUS_SOURCE,
             definition_zh=(f"{name} 2012 年 GDP ÷ 2010 年普查常住人口（{fmt.num(row['pop_census2010'], 1)} 万人）"),
             note="跨年份近似：分母早两年，常住人口增长会使结果偏高"),
    ]


# ---------------------------------------------------------------- public API

@data.cached
def recompute(figure_id: str, vintage: str | None = None, pop_basis: str | None = None) -> dict:
    """重算一个原文数字 / Recompute one article figure.

    Returns ``dict(value, vintage, pop_basis, definition_zh, inputs, reason)``; ``value`` is in the
    article's unit (percent for shares) or None with a Chinese ``reason``. ``vintage=None`` uses the
    vintage and population basis that come closest for the figure's group (see module doc);
    a given ``vintage`` is used as is (a vintage without the figure's year gives None and says so).
    ``vintage`` does not apply to city figures and the coordination index (noted in the reason).
    """
    spec, fig = _spec(figure_id), _figure(figure_id)
    if vintage is not None and vintage not in data.VINTAGES:
        raise data.DataError(f"未知的数据版本 {vintage!r}；可选：{', '.join(data.VINTAGES)} / "
                             f"unknown vintage {vintage!r}; valid: {', '.join(data.VINTAGES)}")
    if pop_basis is not None and pop_basis not in data.POP_BASES:
        raise data.DataError(f"未知的人口基数 {pop_basis!r}；可选：{', '.join(data.POP_BASES)} / "
                             f"unknown pop_basis {pop_basis!r}; valid: {', '.join(data.POP_BASES)}")
    kind = spec["kind"]
    not_applicable = ("（所选数据版本不适用于这一数字。）" if vintage is not None else "")

    if kind in ("share", "pc_ratio", "province_pc", "province_ratio"):
        if vintage is not None and int(fig["year"]) not in _years(vintage):
            return _provincial(figure_id, vintage, pop_basis or "mean")
        best = _best_setting(spec["group"], vintage, pop_basis)
        if best is None:  # e.g. the vintage lacks population for that year
            return _provincial(figure_id, vintage, pop_basis or "mean")
        return _provincial(figure_id, *best)

    if kind == "city_pc":
        code = spec["code"]
        variants = _city_variants(code)
        reported = float(fig["value"])
        use = _note(figure_id)["use_variant"]
        if use:  # the definition the article evidently used (data/ledger_notes.csv)
            v = next(c for c in variants if c["key"] == use)
            other = next(c for c in variants if c["key"] != use)
            return dict(value=v["value"], vintage=v["source"], pop_basis="yearend",
                        definition_zh=v["definition_zh"], inputs={c["key"]: c["value"] for c in variants},
                        reason=(f"{_VARIANT_ZH[v['key']]}最接近文章所报数值；按{_VARIANT_BY_ZH[other['key']]}得 "
                                f"{fmt.yuan(other['value'])}，相差更大。" + not_applicable))
        reg, cen = variants
        return dict(
            value=None, vintage=None, pop_basis=None, definition_zh="",
            inputs={c["key"]: c["value"] for c in variants},
            reason=(f"需要{_CITY_NAMES[code]} 2012 年常住人口，本书的数据中没有。按户籍人口算得 {fmt.yuan(reg['value'])}"
                    f"（户籍人口只有常住人口的约 {fmt.pct(_city_row(code)['pop_registered'] / _city_row(code)['pop_census2010'], 0)}，"
                    f"显然不是文章所用的口径）；用 2010 年普查常住人口跨年近似得 {fmt.yuan(cen['value'])}"
                    f"（比文章所报数值{'高' if cen['value'] > reported else '低'} {fmt.pct(abs(cen['value'] / reported - 1))}）。"
                    + not_applicable))

    if kind == "city_ratio":
        a, b = (recompute(p) for p in spec["parts"])
        return dict(value=None, vintage=None, pop_basis=None, definition_zh="",
                    inputs={"shenzhen": a["inputs"], "meizhou": b["inputs"]},
                    reason=("深圳 2012 年人均 GDP 无法重算（缺常住人口）。用同一口径计算："
                            f"户籍人口 {fmt.times(_city_ratio('registered'), 1)}，"
                            f"2010 年普查常住人口 {fmt.times(_city_ratio('census2010'), 1)}；"
                            f"文章的两个数字像是深圳按常住、梅州按户籍人口，这样混合得 "
                            f"{fmt.times(_city_ratio('mixed'), 1)}。" + not_applicable))

    if kind == "metros":
        return dict(value=None, vintage=None, pop_basis=None, definition_zh="",
                    inputs=_metro_variants(),
                    reason=("需要北京、上海、广州三市 2012 年常住人口，本书的数据中没有；文章也没有说“平均”是三市人均值的"
                            f"简单平均还是合计相除。按户籍人口算得简单平均 {fmt.yuan(_metro_variants()['registered_mean'])}，"
                            f"按 2010 年普查常住人口跨年近似得 {fmt.yuan(_metro_variants()['census2010_mean'])}。"
                            + _metro_reproduced(float(fig["value"])) + _note(figure_id)["reason_zh"]
                            + not_applicable))

    if kind == "index":
        ci = data.coordination_index()
        comp = ci[ci["index_name"].str.startswith("composite") & (ci["year"] == int(fig["year"]))]
        value = float(comp["value"].iloc[0])
        return dict(value=value, vintage=str(comp["source_id"].iloc[0]), pop_basis=None,
                    definition_zh="社科院《中国区域协调发展指数报告(2020)》公布的综合指数（2012 = 100），经中新社报道转录",
                    inputs={"note": str(comp["note"].iloc[0])},
                    reason=("指数由 5 个一级、20 个二级指标合成，本书的数据中没有这些指标，不能独立重算；"
                            "2013—2019 年的逐年数值也没有找到，文章“逐年上升”的说法无法核实。" + not_applicable))

    return dict(value=None, vintage=None, pop_basis=None, definition_zh="", inputs={},
                reason=(_note(figure_id)["reason_zh"] or "本书的数据中没有可用于重算的数据。") + not_applicable)


def _city_ratio(kind: str) -> float:
    sz, mz = _city_row("440300"), _city_row("441400")
    if kind == "registered":
        return measures.ratio(sz["pc_registered"], mz["pc_registered"])
    if kind == "census2010":
        return measures.ratio(sz["pc_census2010"], mz["pc_census2010"])
    return measures.ratio(sz["pc_census2010"], mz["pc_registered"])  # "mixed"


def _metro_reproduced(reported: float) -> str:
    """三市平均的四种算法（户籍或普查人口 × 简单平均或合计相除）中能重现原文的（逐一检查）。"""
    keys = ("registered_mean", "registered_pooled", "census2010_mean", "census2010_pooled")
    hits = [k for k in keys if reproduces(_metro_variants()[k], reported)]
    if not hits:
        return "户籍或普查人口、简单平均或合计相除，四种算法都得不到文章的数字。"
    return f"四种算法中有 {len(hits)} 种能重现文章的数字（见各算法的对照）。"


def _metro_variants() -> dict:
    t = _city_table().loc[list(_METROS)]
    return {
        "registered_mean": float(t["pc_registered"].mean()),
        "registered_pooled": measures.per_capita(t["gdp_wan_yuan"].sum(), t["pop_registered"].sum(), scale=1.0),
        "census2010_mean": float(t["pc_census2010"].mean()),
        "census2010_pooled": measures.per_capita(t["gdp_wan_yuan"].sum(), t["pop_census2010"].sum(), scale=1.0),
        **{f"registered_{c}": float(t.loc[c, "pc_registered"]) for c in _METROS},
        **{f"census2010_{c}": float(t.loc[c, "pc_census2010"]) for c in _METROS},
    }


def alternatives(figure_id: str) -> pd.DataFrame:
    """一个原文数字在各数据版本、各人口口径下的重算值 / Every applicable vintage and definition.

    Columns: setting_zh, vintage, pop_basis, value (article's unit, NaN if the vintage lacks the
    year), diff_rel, reproduced (bool), closest (bool), note_zh.
    """
    spec, fig = _spec(figure_id), _figure(figure_id)
    reported = float(fig["value"])
    best = recompute(figure_id)
    rows = []
    kind = spec["kind"]
    if kind in ("share", "pc_ratio", "province_pc", "province_ratio"):
        for r in _candidates(figure_id):
            label = data.vintage_info(r["vintage"])["label_zh"]
            setting = label + ("" if r["pop_basis"] is None else f"，{POP_BASIS_ZH[r['pop_basis']]}")
            rows.append(dict(setting_zh=setting, vintage=r["vintage"], pop_basis=r["pop_basis"],
                             value=r["value"], note_zh=r["reason"],
                             closest=(r["vintage"] == best["vintage"] and r["pop_basis"] == best["pop_basis"])))
    elif kind == "city_pc":
        for v in _city_variants(spec["code"]):
            rows.append(dict(setting_zh=v["definition_zh"], vintage=v["source"], pop_basis=v["key"],
                             value=v["value"], note_zh=v["note"], closest=(best["value"] == v["value"])))
    elif kind == "city_ratio":
        for key, label, note in (("registered", "两市都按 2012 年户籍人口", "同一口径"),
                                 ("census2010", "两市都按 2010 年普查常住人口（跨年份近似）", "同一口径"),
                                 ("mixed", "深圳按 2010 年普查常住人口、梅州按 2012 年户籍人口", "口径混合，不可比")):
            rows.append(dict(setting_zh=label, vintage=_CITY_SOURCE if key == "registered" else _CENSUS_SOURCE,
                             pop_basis=key, value=_city_ratio(key),
                             note_zh=note, closest=False))
    elif kind == "metros":
        m = _metro_variants()
        for key, label, note in (
                ("registered_mean", "三市按户籍人口，人均值简单平均", "同一年份"),
                ("registered_pooled", "三市按户籍人口，GDP 合计 ÷ 人口合计", "同一年份"),
                ("census2010_mean", "三市按 2010 年普查常住人口，人均值简单平均", "跨年份近似"),
                ("census2010_pooled", "三市按 2010 年普查常住人口，合计相除", "跨年份近似")):
            rows.append(dict(setting_zh=label, vintage=_CITY_SOURCE if key.startswith("registered") else _CENSUS_SOURCE,
                             pop_basis=key, value=m[key],
                             note_zh=note, closest=False))
    out = pd.DataFrame(rows, columns=["setting_zh", "vintage", "pop_basis", "value", "note_zh", "closest"])
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out["diff_rel"] = out["value"] / reported - 1
    out["reproduced"] = [reproduces(v, reported) if pd.notna(v) else False for v in out["value"]]
    return out[["setting_zh", "vintage", "pop_basis", "value", "diff_rel", "reproduced", "closest", "note_zh"]]


@data.cached
def ledger(vintage: str | None = None, pop_basis: str | None = None) -> pd.DataFrame:
    """数字核对表：原文每个数字一行 / The figure ledger, one row per article figure.

    Columns: figure_id, part, section, subject_zh, year, unit, reported, recomputed, vintage_used,
    pop_basis, definition_zh, diff_abs, diff_rel, verdict, reason, article_arithmetic.
    ``vintage`` (and ``pop_basis``) recompute the provincial figures with that vintage; a vintage
    without the figure's year gives verdict 无法用现有数据核实 and a reason naming the year.
    """
    figs = data.article_figures()
    checks = arithmetic_checks()
    arith = checks[checks["kind"] == "ratio"].set_index("figure_id")["implied"]
    rows = []
    for fig in figs.itertuples():
        r = recompute(fig.figure_id, vintage=vintage, pop_basis=pop_basis)
        reported = float(fig.value)
        value = r["value"]
        kind = _spec(fig.figure_id)["kind"]
        approx = str(getattr(fig, "approx", "")).strip().lower() == "yes"
        verdict = (VERDICTS["source"] if (kind == "index" and value is not None)
                   else _verdict(value, reported, approx))
        diff = None if value is None else value - reported
        rows.append(dict(
            figure_id=fig.figure_id, part=int(fig.part), section=str(fig.section), subject_zh=fig.subject_zh,
            year=str(fig.year), unit=fig.unit, reported=reported, recomputed=value,
            vintage_used=r["vintage"], pop_basis=r["pop_basis"], definition_zh=r["definition_zh"],
            diff_abs=diff, diff_rel=None if value is None else value / reported - 1,
            verdict=verdict, reason=r["reason"],
            article_arithmetic=arith.get(fig.figure_id, float("nan"))))
    out = pd.DataFrame(rows)
    for c in ("recomputed", "diff_abs", "diff_rel", "article_arithmetic"):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    out.attrs.update(vintage=vintage, pop_basis=pop_basis)
    return out


def arithmetic_checks() -> pd.DataFrame:
    """原文自己的算术：由原文印出的数字推出的值，与原文的说法是否一致。

    Columns: figure_id, kind (ratio | change | index), statement_zh, printed (the article's figure), implied (from its own numbers),
    implied_rounded (to the printed precision), consistent (bool), note_zh.
    """
    figs = data.article_figures().set_index("figure_id")
    v = figs["value"].astype(float)
    rows = []
    for fid, (num, den) in (("ratio_tianjin_guizhou_2012", ("pc_gdp_tianjin_2012", "pc_gdp_guizhou_2012")),
                            ("ratio_metros_hotan_2012", ("pc_gdp_bj_sh_gz_avg_2012", "pc_gdp_hotan_2012")),
                            ("ratio_shenzhen_meizhou_2012", ("pc_gdp_shenzhen_2012", "pc_gdp_meizhou_2012"))):
        implied = measures.ratio(v[num], v[den])
        d = printed_decimals(v[fid])
        rounded = float(_round(implied, d))
        consistent = rounded == v[fid]
        if consistent:
            note = "与文章所写的倍数一致。"
        elif abs(implied - v[fid]) < 0.5 * 10 ** -d + 0.05:
            note = (f"文章写“约 {fmt.num(v[fid], d)} 倍”，按其自己的数字应为 {fmt.num(implied, 2)} 倍，"
                    f"四舍五入是 {fmt.num(rounded, d)}：差别只在末位（像是截尾而不是四舍五入）。")
        else:
            note = f"文章写“约 {fmt.num(v[fid], d)} 倍”，按其自己的数字应为 {fmt.num(implied, 2)} 倍。"
        rows.append(dict(figure_id=fid, kind="ratio", statement_zh=f"{figs.loc[num, 'subject_zh']} ÷ {figs.loc[den, 'subject_zh']}",
                         printed=v[fid], implied=implied, implied_rounded=rounded,
                         consistent=bool(consistent), note_zh=note))
    # Changes 2012 → 2021 stated as 提高 / 下降
    for a, b, word in (("share_gdp_central_2012", "share_gdp_central_2021", "提高"),
                       ("share_gdp_west_2012", "share_gdp_west_2021", "提高"),
                       ("ratio_pc_east_central_2012", "ratio_pc_east_central_2021", "下降"),
                       ("ratio_pc_east_west_2012", "ratio_pc_east_west_2021", "下降")):
        change = v[b] - v[a]
        ok = change > 0 if word == "提高" else change < 0
        unit = " 个百分点" if figs.loc[a, "unit"] == "percent" else ""
        rows.append(dict(figure_id=b, kind="change", statement_zh=f"{figs.loc[a, 'subject_zh']}：2012 → 2021 年“{word}”",
                         printed=v[b], implied=change, implied_rounded=change, consistent=bool(ok),
                         note_zh=f"文章所报数字的变化为 {fmt.num(change, 2, signed=True)}{unit}，方向与“{word}”一致。"
                         if ok else f"文章所报数字的变化为 {fmt.num(change, 2, signed=True)}{unit}，与“{word}”矛盾。"))
    comp = v["coordination_index_2020"] - v["coordination_index_2012"]
    rows.append(dict(figure_id="coordination_index_2020", kind="index", statement_zh="中国区域协调发展指数：2012 → 2020 年",
                     printed=v["coordination_index_2020"], implied=comp, implied_rounded=comp, consistent=True,
                     note_zh=(f"2020 年比基期高 {fmt.num(comp, 2)} 点；只有两个年份，“逐年上升”无法由这两个数推出。")))
    return pd.DataFrame(rows)
