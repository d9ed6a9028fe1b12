"""全书共用的两个差距组件：省际人均 GDP 差距的度量（``analysis.disparity``）与区域份额、人均之比
（``analysis.regional``）。第一部分两章、第二部分“成效”一章和方法附录都用它们，所以属于框架而不属于某一部分。
"""
from __future__ import annotations

from . import analysis, data, plots
from . import measures as m
from .widgets import BookWidget, Control, WidgetError, chart, message, vintage_label, vintage_options, year_options

__all__ = ["disparity", "regional"]


def disparity(measure: str = "cv", weighted: bool = False, scheme: str = "region4",
              vintage: str = "current", start: int | None = None, end: int | None = None,
              mark: int | None = None, vintages=None,
              schemes=("region4", "region3_1986", "region3_wd2000"), measures=None) -> BookWidget:
    """省际人均 GDP 差距的时间序列：度量 × 加权 × 区域方案（泰尔指数分解）× 数据版本。

    ``start``/``end`` 截取横轴，``mark`` 读出某一年的数值；``vintages``、``schemes``、
    ``measures`` 可限定可选范围（减小网页体积）。
    """
    vintages = list(vintages or data.VINTAGES)
    all_schemes = data.schemes()
    scheme_names = list(schemes or all_schemes["scheme"])
    scheme_labels = dict(zip(all_schemes["scheme"], all_schemes["scheme_zh"]))
    measure_names = list(measures or m.MEASURES)
    years = sorted({y for v in vintages for y in data.vintage_info(v)["years"]})

    def compute(measure, weighted, scheme, vintage):
        info = m.MEASURES[measure]
        notes = []
        if weighted and not info.supports_weights:
            notes.append(f"{info.label_zh}没有人口加权的版本，下图为不加权结果。")
            weighted = False
        group = scheme if info.decomposable else None
        d = analysis.disparity(vintage, measure, weighted, group)
        skipped = analysis.skipped_note(d.attrs.get("skipped", {}))
        x = list(d.index)
        label = info.label_zh + ("（人口加权）" if weighted else "")
        series = [{"id": "total", "label": label, "y": list(d["value"]), "color": plots.COLORS["ink"]}]
        if group:
            series += [
                {"id": "between", "label": "组间（区域之间）", "y": list(d["between"]),
                 "color": plots.COLORS["accent"], "dash": True},
                {"id": "within", "label": "组内（区域内部）", "y": list(d["within"]),
                 "color": plots.COLORS["east"], "dash": True},
            ]
        note = "；".join(filter(None, [f"数据版本：{vintage_label(vintage)}",
                                       f"分组：{scheme_labels[scheme]}" if group else "", skipped]))
        views = [message(n, "info") for n in notes]
        views.append(chart(f"省际人均 GDP 差距：{label}", x, series, ylabel=info.label_zh, digits=3,
                           events=plots.chart_events(), bands=plots.stage_bands(), note=note))
        return views

    year_opts = year_options(years)
    controls = [
        Control("measure", "度量", tuple((m.MEASURES[k].label_zh, k) for k in measure_names), measure),
        Control("weighted", "加权", (("不加权（每省一票）", False), ("按人口加权", True)), bool(weighted)),
        Control("scheme", "泰尔分解的区域方案", tuple((scheme_labels[s], s) for s in scheme_names), scheme),
        Control("vintage", "数据版本", vintage_options(vintages), vintage),
        Control("start", "起始年", year_opts, start if start is not None else years[0], "xmin"),
        Control("end", "结束年", year_opts, end if end is not None else years[-1], "xmax"),
        Control("mark", "读数年份", (("（不读数）", None),) + year_opts, mark, "xmark"),
    ]
    return BookWidget("省际差距的度量", controls, compute,
                      description="改变度量、加权方式、区域方案和数据版本，图与读数随之重算。"
                                  "区域方案只影响泰尔指数的组间/组内分解。")


def regional(vintage: str = "census2018", scheme: str = "region4", quantity: str = "share",
             year_a: int = 2012, year_b: int = 2021, vintages=None,
             schemes=("region4", "region3_1986", "region3_wd2000")) -> BookWidget:
    """区域份额与人均之比：两个年份之间的变化，任意数据版本与区域方案。

    ``quantity``：``share``（GDP 占所列省份合计的比重，%）、``per_capita``（人均 GDP，元）、
    ``ratio``（以方案第一组为分子、其余各组为分母的人均 GDP 之比）。
    """
    vintages = list(vintages or data.VINTAGES)
    all_schemes = data.schemes()
    scheme_labels = dict(zip(all_schemes["scheme"], all_schemes["scheme_zh"]))
    years = sorted({y for v in vintages for y in data.vintage_info(v)["years"]})
    quantities = (("GDP 份额（%）", "share"), ("人均 GDP（元）", "per_capita"), ("人均 GDP 之比", "ratio"))

    def compute(vintage, scheme, quantity):
        r = analysis.regional(vintage, scheme)
        names = r.attrs["group_names"]
        groups = list(dict.fromkeys(data.scheme(scheme)))
        x = list(r.index)
        if quantity == "share":
            series = [{"id": g, "label": names[g], "y": list(r[("share", g)] * 100)} for g in groups]
            return [chart("各区域 GDP 占各省合计的比重", x, series, ylabel="%", unit="%", digits=1,
                          note=f"数据版本：{vintage_label(vintage)}；份额为占 31 个省份合计的比重")]
        if ("per_capita", groups[0]) not in r.columns:
            raise WidgetError("该数据版本缺少计算人均值所需的人口数据。", "this vintage lacks the population data")
        pc = r["per_capita"]
        if quantity == "per_capita":
            series = [{"id": g, "label": names[g], "y": list(pc[g])} for g in groups]
            return [chart("各区域人均 GDP（ΣGDP/Σ年均人口）", list(pc.index), series, ylabel="元/人",
                          unit="元", digits=0, note=f"数据版本：{vintage_label(vintage)}")]
        base = groups[0]
        series = [{"id": g, "label": f"{names[base]}/{names[g]}", "y": list(pc[base] / pc[g])}
                  for g in groups[1:]]
        return [chart(f"{names[base]}与其他区域的人均 GDP 之比", list(pc.index), series, ylabel="倍",
                      digits=2, note=f"数据版本：{vintage_label(vintage)}；人均 = ΣGDP/Σ年均常住人口")]

    year_opts = year_options(years)
    controls = [
        Control("vintage", "数据版本", vintage_options(vintages), vintage),
        Control("scheme", "区域方案", tuple((scheme_labels[s], s) for s in schemes), scheme),
        Control("quantity", "指标", quantities, quantity),
        Control("year_a", "年份一", year_opts, year_a, "xmark"),
        Control("year_b", "年份二", year_opts, year_b, "xmark"),
    ]
    return BookWidget("区域份额与人均之比", controls, compute,
                      description="选择数据版本、区域方案和指标，比较两个年份；表中“变化”为年份二减年份一。")
