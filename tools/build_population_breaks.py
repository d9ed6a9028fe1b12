"""Maintenance: derive data/population_breaks.csv from the provincial panel.

A population break is a year-on-year change in a province's year-end population that departs from
that province's usual change in the same release by at least THRESHOLD_PP percentage points (log
points), in a year where the release is known to change its basis:

* 2004→2005: the NBS provincial series switch to resident population (常住人口), benchmarked on the
  2005 1% population sample survey;
* 2009→2010: the level shift of the sixth population census (2010), not carried back to 2009;
* the compendium's (《新中国六十年统计资料汇编》) steps in census and sample-survey years
  (1982, 1990, 2000, 2005), where year-end totals are reset to the census counts.

Every row is computed from data/province_panel.csv; nothing is typed. Run after a change to the
panel, then ``python tools/build_datapackage.py``:

    python tools/build_population_breaks.py            # rewrite the CSV
    python tools/build_population_breaks.py --check    # exit 1 if the CSV differs from a fresh derivation
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OUT = DATA / "population_breaks.csv"
THRESHOLD_PP = 3.0

#: (source_id, year_to) → (kind, note_zh). Only population releases used by a vintage.
EVENTS = {
    ("nbs_pop_2000_2018_v2019", 2005): "resident_switch_2005",
    ("nbs_pop_2000_2022_v2023", 2005): "resident_switch_2005",
    ("nbs_pop_2000_2018_v2019", 2010): "census6_level_2010",
    ("nbs_pop_2000_2022_v2023", 2010): "census6_level_2010",
    ("gcam_compendium_pop_1975_2008", 1982): "compendium_census_step",
    ("gcam_compendium_pop_1975_2008", 1990): "compendium_census_step",
    ("gcam_compendium_pop_1975_2008", 2000): "compendium_census_step",
    ("gcam_compendium_pop_1975_2008", 2005): "compendium_census_step",
}
NOTES = {
    "resident_switch_2005": "2005 年起分省人口统一按常住人口公布（以 2005 年 1% 人口抽样调查为基准），2004 年及以前未回溯",
    "census6_level_2010": "第六次人口普查（2010）后的水平调整，2009 年及以前未回溯",
    "compendium_census_step": "汇编的年末总人口在人口普查或 1% 抽样调查年份按调查结果重新定基，前后年份未平滑",
}
COLUMNS = ["code", "source_id", "year_from", "year_to", "change_pct", "typical_pct", "kind", "note_zh"]


def derive(panel: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for sid in sorted({s for s, _ in EVENTS}):
        sel = panel[(panel["source_id"] == sid) & (panel["code"] != "00")
                    & panel["indicator"].str.startswith("pop_yearend")]
        wide = sel.pivot(index="year", columns="code", values="value").sort_index().astype(float)
        dlog = np.log(wide).diff() * 100
        typical = dlog.median()
        for (s, year), kind in EVENTS.items():
            if s != sid or year not in dlog.index or year - 1 not in wide.index:
                continue
            dev = dlog.loc[year] - typical
            for code in dev.index[dev.abs() >= THRESHOLD_PP]:
                change = (wide.loc[year, code] / wide.loc[year - 1, code] - 1) * 100
                typ = (np.exp(typical[code] / 100) - 1) * 100
                rows.append({"code": code, "source_id": sid, "year_from": year - 1, "year_to": year,
                             "change_pct": round(float(change), 2), "typical_pct": round(float(typ), 2),
                             "kind": kind, "note_zh": NOTES[kind]})
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["source_id", "year_to", "code"]).reset_index(drop=True)


def main(argv: list[str]) -> int:
    panel = pd.read_csv(DATA / "province_panel.csv", dtype={"code": str})
    fresh = derive(panel)
    if "--check" in argv:
        old = pd.read_csv(OUT, dtype={"code": str})
        same = old.reset_index(drop=True).equals(fresh.astype(old.dtypes.to_dict()))
        print("population_breaks.csv is up to date" if same else "population_breaks.csv differs from the panel")
        return 0 if same else 1
    fresh.to_csv(OUT, index=False, lineterminator="\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(fresh)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
