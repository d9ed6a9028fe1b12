"""附录“数字核对表”（``book/appendix/ledger.md``）的组件：原文数字的核对表（计算在 ``quyu.article``）。"""
from __future__ import annotations

import math

from ... import article, data, fmt
from ...widgets import BookWidget, Control, stats, table, vintage_label, vintage_options

__all__ = ["ledger_widget"]


def ledger_widget(vintage: str | None = None, pop_basis: str | None = None) -> BookWidget:
    """数字核对表：原文每个数字一行，改变数据版本与人口口径时重算。

    “最接近”（``vintage=None``）按原文同时报告的一组数字选版本；选定某个版本时，
    该版本没有的年份或无法计算的数字给出原因。
    """

    def _value(v, unit, decimals):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return fmt.MISSING
        return fmt.num(v, decimals) + ("%" if unit == "percent" else "")

    def compute(vintage, pop_basis):
        df = article.ledger(vintage=vintage or None, pop_basis=pop_basis or None)
        rows = []
        for r in df.itertuples():
            used = "" if not isinstance(r.vintage_used, str) else r.vintage_used
            used = data.source_label(used) if used else ""
            basis = article.POP_BASIS_ZH.get(r.pop_basis, "") if isinstance(r.pop_basis, str) else ""
            shown = article.printed_decimals(r.reported)  # 原文印出的小数位数
            rows.append([f"{r.subject_zh}（{r.year}）", _value(r.reported, r.unit, shown),
                         _value(r.recomputed, r.unit, shown + (1 if r.unit in ("percent", "ratio", "times") else 0)),
                         "　".join(filter(None, [used, basis])) or "—",
                         fmt.pct(r.diff_rel, 1, signed=True) if r.diff_rel == r.diff_rel else "—", r.verdict])
        counts = df["verdict"].value_counts()
        summary = stats([(k, f"{int(v)} 个") for k, v in counts.items()])
        note = ("“最接近”：对文章同时报告的一组数字，选能按印出精度重现最多数字的数据版本与人口口径。"
                if not vintage else f"全部按数据版本“{vintage_label(vintage)}”重算；该版本没有的年份或数字标为无法核实。")
        return [summary, table("文章所报数值与重算结果", ["数字", "文章所报数值", "重算", "所用版本与人口", "相对差", "结论"],
                               rows, note=note)]

    vintage_opts = (("各组最接近的版本", ""),) + vintage_options()
    basis_opts = (("各组最接近的口径", ""), ("年均人口", "mean"), ("年末人口", "yearend"))
    controls = [Control("vintage", "数据版本", vintage_opts, vintage or ""),
                Control("pop_basis", "人均的分母", basis_opts, pop_basis or "")]
    return BookWidget("数字核对表", controls, compute,
                      description="文章报告的每一个数字与本书的重算；改变数据版本或人口口径，整张表随之重算。")
