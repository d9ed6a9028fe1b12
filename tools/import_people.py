"""One-off import of the people/public-finance series (issue 16) into data/.

Reads ``province_panel_people.csv`` of the shared source folder (default: the folder ../shared/data beside the repository) and writes
``data/province_people.csv`` with ONLY the series the book uses; appends their rows to ``data/sources.csv``
and the facts of the 闽宁协作 case to ``data/history_facts.csv`` (idempotent: existing ids are replaced).
Values are copied as text, never changed. A fresh clone does not need this script.

Usage:  python tools/import_people.py [SOURCE_DIR]
Then:   python tools/build_datapackage.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data"

#: (indicator, source_id, first year, last year) — the only series the book uses.
KEEP = [
    ("fiscal_expenditure_local", "nbs_fisexp_2011_2024_v2026", 2016, 2024),
    ("fiscal_expenditure_local", "compiled_fisexp_2005_2024_renjiyi", 2005, 2024),
    ("fiscal_revenue_local", "nbs_fisrev_2016_2024_v2026", 2016, 2024),
    ("consumption_pc_all", "nbs_consumption_all_2016_2024_v2026", 2016, 2024),
    ("disp_income_pc_urban_oldsurvey", "sdyb2013_a1_13_urban_income_2005_2012", 2005, 2012),
]

LIC_NBS = "上传仓库未声明数据许可；数字适用国家统计局使用条款 (NBS terms of use)"
SOURCES = [
    dict(source_id="nbs_fisexp_2011_2024_v2026",
         publisher="国家统计局 National Bureau of Statistics (NBS), 数据库 data.stats.gov.cn",
         table="分省年度数据: 地方财政一般公共预算支出(亿元) (export lacks the indicator line; identified by the NBS footnote "
               "'地方财政支出均为本级支出' and the labelled Beijing export of the same repository, 9/9 equal)",
         vintage="NBS database, spring 2026 (2024 = final accounts)",
         obtained_from="github.com/1376524890/tec_expenditure @ 19963721bad7fdc4bc5e5b5b0699fc70a904f69c data/分省年度数据_4.csv",
         covers="local general public budget expenditure 2011-2024, 31 provinces (data/ keeps 2016-2024)",
         caveats="Shanghai 2022 printed 9393.00 (compiled workbook: 9393.16); otherwise 433/434 cells equal to "
                 "compiled_fisexp_2005_2024_renjiyi; never mixed with it in one calculation",
         licence=LIC_NBS),
    dict(source_id="compiled_fisexp_2005_2024_renjiyi",
         publisher="国家统计局/财政部 statistics as compiled in a thesis workbook (compiler of the database export not stated)",
         table="一般公共预算支出（亿元）2007-2024; 财政支出（亿元）2005-2006",
         vintage="compilation c.2025 (numbers = final accounts as published)",
         obtained_from="github.com/RenJiyi163/panel_data_analysis_for_thesis @ e6d65372ec36319dd3d838f5c5e12841f7c77f26 一般公共预算等.xls (Sheet1)",
         covers="local general public budget expenditure 2005-2024, 31 provinces",
         caveats="publisher of the compilation not stated; 2005-2006 labelled 财政支出; numeric cells (trailing zeros dropped); "
                 "only source for 2005-2010; used alone for the long series 2005-2024",
         licence="repository MIT; numbers NBS/MoF statistics (NBS terms of use)"),
    dict(source_id="nbs_fisrev_2016_2024_v2026",
         publisher="国家统计局 National Bureau of Statistics (NBS), 数据库 data.stats.gov.cn",
         table="分省年度数据: 地方一般公共预算收入(亿元) (indicator line missing; identified by the NBS footnote "
               "'地方财政收入均为本级收入' and the repository README)",
         vintage="NBS database, May 2026 export (2024 = final accounts)",
         obtained_from="github.com/Liushenwuzhu-Alpaca/province-economy @ 94b12911c3ad5d5b0ceee2c9c59b3a509bfb53e2 "
                       "data/raw/nbs_exports/分省年度数据地方财政数据.csv (later deleted)",
         covers="local general public budget revenue 2016-2024, 31 provinces",
         caveats="own-level revenue, excludes debt revenue and transfers received; spot checks Beijing 2023 6181.10, "
                 "Shanghai 2023 8312.50; single upload",
         licence=LIC_NBS),
    dict(source_id="nbs_consumption_all_2016_2024_v2026",
         publisher="国家统计局 National Bureau of Statistics (NBS), 数据库 data.stats.gov.cn",
         table="分省年度数据: 居民人均消费支出(元) (all residents, integrated household survey)",
         vintage="NBS database, 2026 export (same batch as nbs_dispinc_all_2016_2024_v2025)",
         obtained_from="github.com/Liushenwuzhu-Alpaca/province-economy @ 46e915f3ce81ca7d577c865f57e7f8579cdd9b83 "
                       "data/raw/nbs_exports/分省年度数据消费支出.csv (later deleted)",
         covers="per-capita consumption expenditure of all residents 2016-2024, 31 provinces",
         caveats="integers; 2017 equals Qinghai Statistical Yearbook 2018 table 23-15 (31/31 within 0.5 yuan); Beijing 2023 47586",
         licence=LIC_NBS),
    dict(source_id="sdyb2013_a1_13_urban_income_2005_2012",
         publisher="山东省统计局 Shandong Provincial Bureau of Statistics (reprinting NBS figures)",
         table="《山东统计年鉴2013》附录 1-13 城镇居民人均可支配收入 (元, 当年价格)",
         vintage="as printed in the 2013 yearbook edition; OLD urban household survey (before the 2013 integrated survey)",
         obtained_from="http://tjj.shandong.gov.cn/tjnj/nj2013/html/C113.htm (web edition of the yearbook)",
         covers="urban per-capita disposable income 2005-2012, 31 provinces + national",
         caveats="row labels garbled in the page text; rows mapped by the standard NBS order, confirmed 32/32 against "
                 "table 19-18 of a provincial yearbook 2011 (2010 column) and 8/8 against the Zhejiang yearbook 2013; "
                 "old-survey definition: never spliced onto the 2013+ integrated-survey series; Tibet 2006 below 2005 as printed",
         licence="official statistics; publisher's terms apply"),
    dict(source_id="XINHUA_20121023_MINNING",
         publisher="新华社 Xinhua News Agency (report by 孟昭丽, Fuzhou, 2012-10-23), on figures given at the "
                   "16th Fujian–Ningxia joint meeting (闽宁互学互助对口协作第十六次联席会议, 2012-10-22)",
         table="《福建16年累计援助7亿多元帮扶宁夏发展》",
         vintage="2012-10-23 report",
         obtained_from="reprint at http://news.sohu.com/20121023/n355496065.shtml (source line: 新华网)",
         covers="Fujian's assistance to Ningxia 1996-2011 by channel (亿元)",
         caveats="figures as reported at the meeting, not an audited account; read from a news portal's reprint of the "
                 "Xinhua dispatch (the Xinhua page itself was not read)",
         licence="news report; facts only"),
]

FACTS = [
    ("MN01", "Fujian's total assistance to Ningxia 1996-2011 (all channels), as reported at the 16th joint meeting",
     "7.74", "100m_yuan", "1996-2011"),
    ("MN02", "of which: Fujian provincial fiscal assistance funds 1996-2011", "2.94", "100m_yuan", "1996-2011"),
    ("MN03", "of which: assistance from paired Fujian cities/counties/districts 1996-2011", "3.35", "100m_yuan", "1996-2011"),
    ("MN04", "of which: donations from society (valued) 1996-2011", "1.45", "100m_yuan", "1996-2011"),
]
CITATION = "新华社 2012-10-23《福建16年累计援助7亿多元帮扶宁夏发展》（新华网；据搜狐转载 news.sohu.com/20121023/n355496065.shtml）"


def main(src: Path) -> None:
    raw = pd.read_csv(src / "province_panel_people.csv", dtype=str, keep_default_na=False)
    parts = []
    for ind, sid, y0, y1 in KEEP:
        sel = raw[(raw.indicator == ind) & (raw.source_id == sid) & (raw.code != "00")]
        sel = sel[sel.year.astype(int).between(y0, y1)]
        assert len(sel) == 31 * (y1 - y0 + 1), (ind, sid, len(sel))
        parts.append(sel)
    out = pd.concat(parts).sort_values(["indicator", "source_id", "year", "code"])
    out.to_csv(OUT / "province_people.csv", index=False, lineterminator="\n")
    print(f"wrote province_people.csv: {len(out)} rows")

    src_path = OUT / "sources.csv"
    sources = pd.read_csv(src_path, dtype=str, keep_default_na=False)
    new = pd.DataFrame(SOURCES)[list(sources.columns)]
    sources = pd.concat([sources[~sources.source_id.isin(new.source_id)], new])
    sources.to_csv(src_path, index=False, lineterminator="\n")

    facts_path = OUT / "history_facts.csv"
    facts = pd.read_csv(facts_path, dtype=str, keep_default_na=False)
    rows = pd.DataFrame([dict(fact_id=f, statement_en=s, value=v, unit=u, years=y,
                              source_id="XINHUA_20121023_MINNING", original_citation=CITATION)
                         for f, s, v, u, y in FACTS])[list(facts.columns)]
    facts = pd.concat([facts[~facts.fact_id.isin(rows.fact_id)], rows])
    facts.to_csv(facts_path, index=False, lineterminator="\n")
    print(f"sources.csv: {len(sources)} rows; history_facts.csv: {len(facts)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
