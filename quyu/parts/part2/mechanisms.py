"""第二部分“推进机制的创新”一章（``book/part2/mechanisms.md``）的案例：深汕特别合作区的数字。"""
from __future__ import annotations

from ... import data

__all__ = ["SHENZHEN", "shenshan_case"]

#: 深圳市的 6 位代码。
SHENZHEN = "440300"


def shenshan_case() -> dict:
    """深汕特别合作区案例的数字。

    - ``facts``：case_shenshan.csv（日期与事项，全部未核实）；
    - 合作区 2010 年的常住人口：深圳按 2020 年区划调整的六普数（含合作区）减去六普公报原数（不含），
      两个数都在城市表中；以及它占调整后深圳人口的比例；
    - 合作区面积（平方公里，来自事实表）与人口密度。"""
    facts = data.case_shenshan().set_index("fact_id")
    c = data.cities()
    sz = c[c["code"] == SHENZHEN].set_index("indicator")["value"].astype(float)
    adj = sz["pop_resident_census_2010_boundary_adj"]
    published = sz["pop_resident_census_2010_published"]
    zone = adj - published
    area = float(facts.loc["SS03", "value"])
    first = facts["date"].min()
    return {"facts": facts, "zone_pop2010": zone, "zone_share": zone / adj, "sz_pop2010_adj": adj,
            "sz_pop2010_published": published, "area_km2": area, "density": zone / area,
            "n_facts": len(facts), "n_unverified": int((facts["verification"] == "secondary_copy").sum()),
            "first_date": first}
