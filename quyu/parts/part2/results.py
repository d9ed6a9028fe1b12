"""第二部分“成效”一章（``book/part2/results.md``）的组件：两个省份或两个地级市人均 GDP 的比较。"""
from __future__ import annotations

from ... import analysis, data, plots
from ...widgets import BookWidget, Control, WidgetError, chart, vintage_label, vintage_options, year_options

__all__ = ["compare"]


def compare(kind: str = "province", vintage: str = "census2018", a: str = "12", b: str = "52",
            year: int | None = None, pop_basis: str = "mean", population: str = "registered") -> BookWidget:
    """比较两个地区的人均 GDP：任意年份、数据版本、人口口径。

    ``year`` 默认：省级为新时代起点（data/stages.csv，文章比较的年份），地级市为城市数据的最后一年。

    ``kind="province"``：省级，控件为数据版本、人口基数（年均/年末）、两个省份、年份。
    ``kind="city"``：地级市（2010—2012），控件为人口口径（户籍/2010 年普查常住）、两个城市、年份。
    """
    if kind == "province":
        prov = data.provinces()
        units = (("（请选择）", ""),) + tuple((r.name_zh_short, r.code) for r in prov.itertuples())
        all_years = sorted({y for v in data.VINTAGES for y in data.vintage_info(v)["years"]})
        year = data.stage_start("new_era") if year is None else year

        def compute(vintage, pop_basis):
            p = analysis.panel(vintage, pop_basis)
            wide = p.pivot(index="year", columns="code", values="gdp_pc")
            names = p.drop_duplicates("code").set_index("code")["name"]
            series = [{"id": c, "label": names[c], "y": list(wide[c])} for c in wide.columns]
            basis = "年均常住人口" if pop_basis == "mean" else "年末常住人口"
            return [chart("人均地区生产总值", list(wide.index), series, ylabel="元/人", unit="元",
                          digits=0, pickable=True, events=plots.chart_events(), note=f"数据版本：{vintage_label(vintage)}；人口：{basis}")]

        controls = [
            Control("vintage", "数据版本", vintage_options(), vintage),
            Control("pop_basis", "人均的分母", (("年均常住人口（国家统计局做法）", "mean"),
                                             ("年末常住人口", "yearend")), pop_basis),
            *_pair_controls("地区", units, a, b, all_years, year),
        ]
        return BookWidget("两省人均地区生产总值比较", controls, compute,
                          description="选择数据版本、人口口径、两个省份和年份；图中是两省人均 GDP 的历年走势。")
    if kind == "city":
        frames = {pop: analysis.city_per_capita(pop) for pop in ("registered", "census")}
        codes = sorted(set(frames["registered"]["code"]) | set(frames["census"]["code"]))
        names = _city_names(frames)
        units = (("（请选择）", ""),) + tuple((names[c], c) for c in codes)
        years = sorted(set(frames["registered"]["year"]) | set(frames["census"]["year"]))
        year = years[-1] if year is None else year

        def compute(population):
            df = frames[population]
            wide = df.pivot(index="year", columns="code", values="gdp_pc").reindex(columns=codes)
            series = [{"id": c, "label": names[c], "y": list(wide[c])} for c in codes]
            note = ("人口为城市统计年鉴的年末户籍人口（全市）" if population == "registered"
                    else "人口为 2010 年人口普查常住人口（按 2020 年区划调整），只有 2010 年")
            if df.attrs.get("note_zh"):
                note += "。" + df.attrs["note_zh"]
            return [chart("地级市人均地区生产总值", list(wide.index), series, ylabel="元/人", unit="元",
                          digits=0, pickable=True, note=note)]

        controls = [
            Control("population", "人口口径", (("户籍人口（2010—2012）", "registered"),
                                              ("普查常住人口（2010）", "census")), population),
            *_pair_controls("城市", units, a, b, years, year),
        ]
        return BookWidget("两市人均地区生产总值比较", controls, compute,
                          description="城市数据来自城市统计年鉴（GDP、户籍人口）与 2010 年人口普查（常住人口）。")
    raise WidgetError(f"未知的比较对象 {kind!r}；可选：province, city", f"unknown kind {kind!r}; valid: province, city")


def _pair_controls(noun: str, units: tuple, a, b, years, year) -> list[Control]:
    """“甲、乙两个地区 + 读数年份”三个控件（比较组件共用）。"""
    return [Control("a", f"{noun}甲", units, a, "pick_a"),
            Control("b", f"{noun}乙", units, b, "pick_b"),
            Control("year", "年份", year_options(years), year, "xmark")]


def _city_names(frames: dict) -> dict:
    """城市代码 → 中文名（取自各口径的城市表）。"""
    out = {}
    for df in frames.values():
        out.update(dict(zip(df["code"], df["name"])))
    return out
