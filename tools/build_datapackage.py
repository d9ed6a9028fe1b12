"""Maintenance: rebuild data/datapackage.json, the SHA-256 hashes, and the hash table in data/README.md.

Run after ANY change to a CSV in data/:

    python tools/build_datapackage.py          # rewrite descriptor + README hash table, then validate
    python tools/build_datapackage.py --check  # only validate (exit 1 on errors)

Enumerations (codes, indicators, units, vintages) are derived from the data files themselves,
so a later typo in a CSV (e.g. code "99") is caught by validation.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))

README_START = "<!-- sha256:start -->"
README_END = "<!-- sha256:end -->"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()



def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def s(name, type_="string", description="", **constraints):
    field = {"name": name, "type": type_}
    if description:
        field["description"] = description
    if constraints:
        field["constraints"] = constraints
    return field


def enum_of(values) -> list[str]:
    return sorted({v for v in values if v != ""})


def resources() -> list[dict]:
    prov = read("provinces.csv")
    panel = read("province_panel.csv")
    cities = read("cities.csv")
    rs = read("region_schemes.csv")
    vint = read("vintages.csv")
    codes = list(prov["code"])
    fk = lambda field, resource, ref="code": {  # noqa: E731
        "fields": field, "reference": {"resource": resource, "fields": ref}}
    src_fk = fk("source_id", "sources", "source_id")

    R = []

    def add(name, title, description, fields, primary_key=None, foreign_keys=None, missing=None):
        schema = {"fields": fields, "missingValues": missing if missing is not None else [""]}
        if primary_key:
            schema["primaryKey"] = primary_key
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        R.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
                  "title": title, "description": description, "format": "csv",
                  "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})

    add("provinces", "省级行政区 Provinces",
        "31 provincial-level divisions of mainland China (identity only). code = GB/T 2260 first two digits.",
        [s("code", description="2-digit GB/T 2260 code", required=True, unique=True, pattern="[1-6][0-9]"),
         s("name_zh_short", description="简称, e.g. 北京", required=True, unique=True),
         s("name_zh_full", description="全称, e.g. 北京市", required=True),
         s("name_en", description="English name", required=True)],
        primary_key=["code"])

    add("region_schemes", "区域划分方案 Region schemes",
        "All region schemes in one long table: one row per (scheme, province). Strategy areas: "
        "members get the scheme id as group, others 'other' (其他地区). gba_proxy uses Guangdong as a provincial proxy.",
        [s("scheme", required=True, enum=enum_of(rs["scheme"])),
         s("scheme_zh", required=True),
         s("code", description="2-digit province code", required=True),
         s("group", description="group id", required=True, enum=enum_of(rs["group"])),
         s("group_zh", required=True),
         s("note")],
        primary_key=["scheme", "code"], foreign_keys=[fk("code", "provinces")])

    ns = read("north_south.csv")
    add("north_south", "南北划分 North-south splits",
        "Province splits into north and south along the Qinling-Huaihe line (book/part4/north_south.md): one row per "
        "(split, province). qinling_huaihe = 15 northern provinces as attributed to Sheng et al. (2018); "
        "xizang_north = the same with Xizang in the north. Straddling provinces are assigned whole; note says why.",
        [s("split", required=True, enum=enum_of(ns["split"])),
         s("split_zh", required=True),
         s("code", description="2-digit province code", required=True),
         s("side", required=True, enum=["north", "south"]),
         s("source_id", required=True),
         s("note")],
        primary_key=["split", "code"], foreign_keys=[fk("code", "provinces"), src_fk])

    units = enum_of(panel["unit"])
    add("province_panel", "省级面板 Provincial panel (all vintages)",
        "Tidy long panel. The same (code, year, indicator) appears under several source_ids on purpose: "
        "each source_id is one NBS release (vintage). Never mix vintages in one calculation (see vintages). "
        "code '00' = national total. Units: gdp 100 million yuan (亿元); pop_yearend and "
        "pop_yearend_total_compendium 10000 persons (万人); gdp_pc, disp_income_* yuan per person (元/人); "
        "rd_intramural_exp 10k_yuan (万元); patents pieces (件); urbanization_rate percent; "
        "gdp_index_prev_year_100 previous year = 100.",
        [s("code", description="2-digit province code or '00' (national). An enum rather than a foreign key "
                               "because '00' is not a province.", required=True, enum=["00"] + codes),
         s("year", "integer", "data year", required=True, minimum=1949, maximum=2100),
         s("indicator", description="indicator id", required=True, enum=enum_of(panel["indicator"])),
         s("value", "number", "value as published (unit in column unit)", required=True),
         s("unit", required=True, enum=units),
         s("source_id", description="release (vintage) the value was read from; see sources", required=True)],
        primary_key=["code", "year", "indicator", "source_id"], foreign_keys=[src_fk])

    add("vintages", "数据版本 Vintages",
        "Vintage definitions as data: which source_id supplies which indicator for which years. "
        "The years of a vintage are the years of its gdp rows; population rows may start one year "
        "earlier (t-1 for the mean population).",
        [s("vintage", required=True, enum=enum_of(vint["vintage"])),
         s("label_zh", required=True),
         s("indicator", required=True, enum=["gdp", "pop_yearend", "pop_yearend_total_compendium"]),
         s("source_id", required=True),
         s("year_from", "integer", required=True, minimum=1949),
         s("year_to", "integer", required=True, minimum=1949),
         s("note")],
        primary_key=["vintage", "indicator", "source_id", "year_from"], foreign_keys=[src_fk])

    add("population_breaks", "人口序列断点 Population series breaks",
        "Year-on-year changes in provincial year-end population that depart from the province's usual change "
        "(same release) by at least 3 log points in a year where the release changes its basis. Derived from "
        "province_panel by tools/build_population_breaks.py, never typed.",
        [s("code", description="2-digit province code", required=True, enum=codes),
         s("source_id", description="population release in which the break occurs", required=True),
         s("year_from", "integer", required=True, minimum=1949),
         s("year_to", "integer", description="first year on the new basis", required=True, minimum=1949),
         s("change_pct", "number", "year-on-year change, percent", required=True),
         s("typical_pct", "number", "the province's median annual change in the same release, percent",
           required=True),
         s("kind", required=True, enum=["resident_switch_2005", "census6_level_2010", "compendium_census_step"]),
         s("note_zh", required=True)],
        primary_key=["code", "source_id", "year_to"], foreign_keys=[fk("code", "provinces"), src_fk])

    add("cities", "城市数据 Cities",
        "Prefecture-level city data, long. Units differ by source: gdp_current in 10k_yuan (万元, CCSY 2010-2012) "
        "or 100m_yuan (亿元, NBS major cities 2015-2019); pop_registered_yearend 10k_persons (户籍, not resident); "
        "census populations in persons. note='suspect_outlier_in_source' flags doubtful values (kept as published).",
        [s("code", description="6-digit GB/T 2260 code of the city (also 81/82 for Hong Kong, Macao census rows)",
           required=True, pattern="[1-8][0-9]{5}"),
         s("name_zh", required=True),
         s("province_code", description="6-digit province code (810000/820000 = Hong Kong/Macao in census rows)",
           required=True, enum=[c + "0000" for c in codes] + ["810000", "820000"]),
         s("year", "integer", required=True, minimum=1949, maximum=2100),
         s("indicator", required=True, enum=enum_of(cities["indicator"])),
         s("value", "number", required=True),
         s("unit", required=True, enum=enum_of(cities["unit"])),
         s("source_id", required=True),
         s("note")],
        primary_key=["code", "year", "indicator", "source_id"], foreign_keys=[src_fk])

    add("sources", "来源台账 Sources",
        "One row per source_id: publisher, table, vintage, where the copy was obtained, coverage, caveats, licence.",
        [s("source_id", required=True, unique=True), s("publisher", required=True), s("table", required=True),
         s("vintage", required=True), s("obtained_from", required=True), s("covers", required=True),
         s("caveats"), s("licence", required=True)],
        primary_key=["source_id"])

    add("source_names", "来源的中文名称 Chinese names of sources",
        "Chinese name shown to readers for a source_id that appears in the book's tables (e.g. the figure ledger) "
        "instead of a vintage; note says which columns of sources.csv the name is taken from.",
        [s("source_id", required=True, unique=True), s("name_zh", required=True), s("note", required=True)],
        primary_key=["source_id"], foreign_keys=[src_fk])

    add("stages", "战略阶段 Strategy stages",
        "Stages of China's regional strategy for chart shading; boundary years are a convention of this book "
        "derived from the source article's wording (see basis). Empty end_year = ongoing.",
        [s("stage", required=True, unique=True), s("start_year", "integer", required=True),
         s("end_year", "integer"), s("label_zh", required=True), s("label_en", required=True),
         s("basis", required=True)],
        primary_key=["stage"])

    add("course_plans", "课程安排 Course plans",
        "Teaching plans of the instructors' guide (book/appendix/instructors.md): which pages of _toc.yml each "
        "week of a plan covers. A teaching suggestion of this book, not statistics; exercises, widgets and "
        "readings of each week are read from the chapters (quyu.parts.appendix.instructors).",
        [s("plan", required=True, enum=["semester16", "lab4", "unit2"]),
         s("week", "integer", required=True, minimum=1),
         s("file", description="page in _toc.yml, without extension", required=True, pattern="^book/[a-z0-9_/]+$")],
        primary_key=["plan", "week", "file"])

    add("tile_grid", "方格地图 Tile grid",
        "Tile-grid layout (row, col) of the 31 provinces (geofacet china_prov_grid1).",
        [s("code", description="2-digit province code", required=True, unique=True),
         s("code_gb6", description="6-digit GB/T 2260 code", required=True),
         s("name_zh", required=True), s("row", "integer", required=True, minimum=1),
         s("col", "integer", required=True, minimum=1), s("source_id", required=True)],
        primary_key=["code"], foreign_keys=[fk("code", "provinces"), src_fk])

    add("province_contiguity", "省际相邻关系 Province contiguity",
        "One row per unordered pair of adjacent provinces (code_a < code_b): 68 land borders plus one "
        "conventional link Hainan-Guangdong (link = island_convention). For spatial weights only; no geometry, "
        "not for drawing maps.",
        [s("code_a", description="2-digit province code (smaller of the pair)", required=True),
         s("code_b", description="2-digit province code (larger of the pair)", required=True),
         s("link", description="land_border or island_convention", required=True,
           enum=["island_convention", "land_border"]),
         s("source_id", required=True)],
        primary_key=["code_a", "code_b"],
        foreign_keys=[fk("code_a", "provinces"), fk("code_b", "provinces"), src_fk])

    add("coordination_index", "区域协调发展指数 Coordination index",
        "CASS 中国区域协调发展指数 (2012 = 100 as the report implies): composite and sub-indices, 2012 and 2020 only.",
        [s("year", "integer", required=True), s("value", "number", "index points", required=True),
         s("source_id", required=True), s("index_name", required=True), s("note")],
        primary_key=["year", "index_name"], foreign_keys=[src_fk])

    add("history_facts", "历史事实 History facts",
        "Historical figures with citations; value is text (ratios, ranges, lists occur).",
        [s("fact_id", required=True, unique=True), s("statement_en", required=True),
         s("value", description="as stated (text)", required=True), s("unit", required=True),
         s("years", required=True), s("source_id", required=True), s("original_citation", required=True)],
        primary_key=["fact_id"], foreign_keys=[src_fk])

    add("hu_line", "胡焕庸线两侧的人口与面积比重 Shares on each side of the Hu Line",
        "Published shares of population and area south-east and north-west of the Aihui-Tengchong (Hu Huanyong) "
        "line, as printed by the source (value in %). data_year = the year the population refers to; basis_zh = "
        "the population data and how the line was drawn. verification: publisher_page = read on the journal's "
        "own page; secondary_copy = the original not seen, figures from verbatim quotations (unverified). "
        "Not recomputable from provincial data: the line cuts through provinces.",
        [s("row_id", required=True, unique=True, pattern="HL[0-9]{2}"), s("data_year", "integer", required=True),
         s("side", required=True, enum=["northwest", "southeast"]), s("side_zh", required=True),
         s("measure", required=True, enum=["area_share", "population_share"]), s("measure_zh", required=True),
         s("value", "number", required=True, minimum=0, maximum=100), s("unit", required=True, enum=["%"]),
         s("basis_zh", required=True), s("source_id", required=True),
         s("verification", required=True, enum=["publisher_page", "secondary_copy"]), s("note")],
        primary_key=["row_id"], foreign_keys=[src_fk])

    add("case_xinanjiang", "新安江流域横向生态补偿 Xin'an River eco-compensation",
        "Dated facts of the Anhui-Zhejiang Xin'an River compensation pilot and agreements (book/part4/outlook.md). "
        "date = date of the document or event as far as the source gives it; years = years an amount applies to; "
        "value in unit (100m_yuan = 亿元 a year; 10k_km2 = 万平方公里); verification: publisher_page = read on the "
        "publisher's own page (a press report, not the government document), secondary_copy = only a copy found "
        "(unverified).",
        [s("fact_id", required=True, unique=True, pattern="XAJ[0-9]{2}"),
         s("stage_zh", required=True, enum=enum_of(read("case_xinanjiang.csv")["stage_zh"])),
         s("date", pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
         s("years", pattern=r"\d{4}(-\d{4})?"),
         s("item_zh", required=True), s("value", "number"),
         s("unit", enum=["100m_yuan", "10k_km2", "years"]), s("party_zh"),
         s("source_id", required=True),
         s("verification", required=True, enum=["publisher_page", "secondary_copy"]), s("note")],
        primary_key=["fact_id"], foreign_keys=[src_fk])

    add("case_shenshan", "深汕特别合作区 Shenzhen-Shanwei Special Cooperation Zone",
        "Dated facts of the Shenzhen-Shanwei Special Cooperation Zone (book/part2/mechanisms.md). date = date of "
        "the document or event; value in unit (km2); verification: secondary_copy = only a copy found (unverified).",
        [s("fact_id", required=True, unique=True, pattern="SS[0-9]{2}"),
         s("stage_zh", required=True, enum=enum_of(read("case_shenshan.csv")["stage_zh"])),
         s("date", required=True, pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
         s("item_zh", required=True), s("value", "number"), s("unit", enum=["km2"]),
         s("source_id", required=True),
         s("verification", required=True, enum=["publisher_page", "secondary_copy"]), s("note")],
        primary_key=["fact_id"], foreign_keys=[src_fk])

    add("policy_events", "政策事件 Policy events",
        "Policy events; date YYYY-MM-DD, YYYY-MM or YYYY as far as a source gives it; regions_affected "
        "= province short names separated by |.",
        [s("date", required=True, pattern=r"\d{4}(-\d{2}(-\d{2})?)?"), s("event_zh", required=True),
         s("event_en", required=True),
         s("chart_label", description="short label drawn on time-series charts (book's choice); empty = not drawn"),
         s("kind", required=True, enum=enum_of(read("policy_events.csv")["kind"])),
         s("regions_affected"), s("source_document"), s("source_where", required=True), s("note")],
        primary_key=["date", "event_zh"])

    add("official_claims", "官方关于区域差距的表述 Official claims about regional gaps",
        "Numbers stated in official texts about regional gaps, kept so that the book can recompute them. "
        "value in unit (ratio = per-capita ratio, % = share); years = the year(s) the number refers to; "
        "verification: agency_report = read in a Xinhua/China News Service report or a repost of the full text "
        "(the issuing body's own page not read); secondary_copy = only a repost or copy was read (original not seen, unverified); "
        "not_found = the named source was not found (value as named in the issue, do not use).",
        [s("claim_id", required=True, unique=True, pattern="OC[0-9]{2}"), s("claim_zh", required=True),
         s("value", "number", required=True), s("unit", required=True, enum=["%", "ratio"]),
         s("years", pattern=r"\d{4}(-\d{4})?"), s("regions"), s("basis"),
         s("source_document", required=True), s("date", pattern=r"\d{4}(-\d{2}(-\d{2})?)?"), s("url"),
         s("verification", required=True, enum=["agency_report", "not_found", "secondary_copy"]), s("note")],
        primary_key=["claim_id"])

    add("plan15_regional", "十五五规划的区域发展表述与指标 15th FYP: regional phrases and indicators",
        "Short official phrases on regional development from the 4th Plenum communiqué (Recommendations for the "
        "15th Five-Year Plan) and the 15th FYP Outline, and indicators touching regions or urbanisation with "
        "baseline and target. An empty target_value means the target was not found in any official text read "
        "(verification target_not_found); not_found rows record what was searched for and not found.",
        [s("item_id", required=True, unique=True, pattern="P[0-9]{2}"), s("document", required=True),
         s("kind", required=True, enum=["heading", "indicator", "phrase"]), s("text_zh"), s("indicator"),
         s("baseline_year", "integer"), s("baseline_value", "number"), s("target_year", "integer"),
         s("target_value", "number"), s("unit", enum=["%"]), s("source"), s("url"),
         s("date", pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
         s("verification", required=True,
           enum=["not_found", "secondary_copy", "target_not_found", "verbatim_in_repost"]), s("note")],
        primary_key=["item_id"])

    add("first_release_2025_staging", "2025 年首次发布（暂存，未完整）2025 first releases (staging, incomplete)",
        "2025 GDP and year-end resident population as first released by provinces (and NBS, code 00) in early "
        "2026: a FIRST RELEASE that will be revised. Incomplete: provinces not found are absent, so no aggregate "
        "needing a missing member may be computed; not part of any vintage until all 31 are found. growth = real "
        "growth % as published; verification: government_page = a government site, press_report = a newspaper or "
        "agency report of the release, secondary_copy = only a repost or a third-party compilation (unverified).",
        [s("code", required=True, enum=["00"] + codes), s("indicator", required=True, enum=["gdp", "pop_yearend"]),
         s("year", "integer", required=True, minimum=2025, maximum=2025),
         s("value", "number", required=True), s("unit", required=True, enum=["100 million yuan", "10000 persons"]),
         s("growth", "number"), s("source", required=True), s("url", required=True),
         s("date", pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
         s("verification", required=True, enum=["government_page", "press_report", "secondary_copy"]), s("note")],
        primary_key=["code", "indicator", "year"])

    add("strategy_membership", "重大战略成员 Strategy membership",
        "Provinces in each regional strategy (short names; 香港/澳门 for the GBA; 全国 for the Belt and Road). "
        "group: 4 plates / 3 / 2 / 1 / N as framed by the source article, 'other' = 成渝.",
        [s("strategy_zh", required=True), s("strategy_en", required=True), s("group", required=True),
         s("province", required=True), s("coverage", required=True, enum=["whole", "part", "national"]),
         s("note"), s("source", required=True)],
        primary_key=["strategy_zh", "province"])

    add("free_trade_zones", "自由贸易试验区 Pilot FTZs",
        "Pilot free trade zones with approval date (see note for alternatives).",
        [s("name", required=True, unique=True), s("province", required=True),
         s("date_approved", required=True, pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
         s("batch", "integer", required=True), s("note"), s("source", required=True)],
        primary_key=["name"])

    add("national_new_areas", "国家级新区 State-level new areas",
        "State-level new areas with approval date (month only where the day is not confirmed).",
        [s("name", required=True, unique=True), s("province", required=True),
         s("date_approved", required=True, pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
         s("source", required=True), s("note")],
        primary_key=["name"])

    add("paired_assistance", "对口支援 Paired assistance",
        "Helper-receiver pairings; rows with [UNCONFIRMED] in source are not verified.",
        [s("helper_province", required=True), s("receiving_province", required=True),
         s("scheme", required=True), s("since", "integer"), s("until", "integer"),
         s("source", required=True), s("note")],
        primary_key=["helper_province", "receiving_province", "scheme"])

    add("mechanisms_2018", "区域协调发展新机制 Mechanisms (2018)",
        "The eight mechanisms of the 2018 CPC Central Committee / State Council guideline; gists are the compiler's words.",
        [s("order", "integer", required=True, unique=True), s("mechanism_zh", required=True),
         s("section_heading_zh", required=True), s("mechanism_en", required=True), s("gist_en", required=True),
         s("note"), s("source", required=True)],
        primary_key=["order"])

    add("article_figures", "文章所报数字 Article figures",
        "Figures printed in the source article (for checking reproductions); year may be a range.",
        [s("figure_id", required=True, unique=True), s("part", "integer", required=True),
         s("section", required=True), s("subject_zh", required=True), s("year", required=True),
         s("value", "number", required=True), s("unit", required=True),
         s("approx", enum=["yes", "upper_bound"]), s("note")],
        primary_key=["figure_id"])
    add("series", "序列登记 Series registry",
        "The current release (source_id) of each provincial series the chapters use outside the vintages: "
        "when a new release of a series is added, only its row here changes, not the code.",
        [s("series", required=True, unique=True), s("table", required=True,
           enum=["province_panel.csv", "province_people.csv"]),
         s("indicator", required=True), s("source_id", required=True), s("note")],
        primary_key=["series"], foreign_keys=[src_fk])
    add("ledger_notes", "数字核对表说明 Figure-ledger notes",
        "Per article figure: which city definition the article evidently used (use_variant) and why a figure "
        "cannot be recomputed (reason_zh; {reported}, {fact:ID} and {city:code:year:indicator} are filled in "
        "from the data). Findings from the search for sources, not statistics.",
        [s("figure_id", required=True, unique=True), s("use_variant", enum=["registered", "census2010"]),
         s("reason_zh")],
        primary_key=["figure_id"],
        foreign_keys=[{"fields": "figure_id", "reference": {"resource": "article_figures", "fields": "figure_id"}}])

    # ---- other large economies (book/part4/world.md); imported by tools/import_world.py
    world = read("world_regions.csv")
    wnames = read("world_region_names.csv")
    wkey = ["country", "region_code"]
    wfk = {"fields": wkey, "reference": {"resource": "world_region_names", "fields": wkey}}
    add("world_region_names", "其他大型经济体的地区 Regions of other large economies",
        "Identity of the regions in world_regions.csv: region_name as in the source (NUTS 2021 NAME_LATN for EU), "
        "name_zh = this book's Chinese name (empty for NUTS-2 regions, which keep their Latin names).",
        [s("country", description="US, EU (Eurostat), JP, IN", required=True, enum=["EU", "IN", "JP", "US"]),
         s("region_code", description="US: USPS code, US = national total; EU: NUTS 2021 code (level 0 or 2); "
                                      "JP: JIS prefecture code, 00 = sum of prefectures; IN: ISO 3166-2:IN without IN-",
           required=True),
         s("region_name", required=True), s("name_zh")],
        primary_key=wkey)
    add("world_regions", "其他大型经济体的地区数据 Regional data of other large economies",
        "Tidy long. One source_id = one release; never mix source_ids in one calculation except the two tables of "
        "the same BEA release (SAINC1 and SASUMMARY of 28 March 2025). year = calendar year (US, EU) or fiscal year "
        "April-March labelled by its first year (JP, IN). Units: personal_income_pc usd per person; pop_midyear persons; "
        "gdp_current million_usd / million_eur / million_jpy; gdp_pc eur per inhabitant; gdp_pc_pps PPS (EU27_2020) "
        "per inhabitant; rpp index, US = 100; nsdp_pc inr per person (current prices). Eurostat flags in "
        "world_regions_flags.csv.",
        [s("country", required=True, enum=["EU", "IN", "JP", "US"]),
         s("region_code", required=True),
         s("year", "integer", required=True, minimum=1900, maximum=2100),
         s("indicator", required=True, enum=enum_of(world["indicator"])),
         s("value", "number", "value as published", required=True),
         s("unit", required=True, enum=enum_of(world["unit"])),
         s("source_id", required=True, enum=enum_of(world["source_id"]))],
        primary_key=["country", "region_code", "year", "indicator", "source_id"], foreign_keys=[wfk, src_fk])
    add("world_region_groups", "其他大型经济体的地区分组 Region groupings of other large economies",
        "One row per region and grouping scheme: US census_region / census_division (Census Bureau), unit_type; "
        "EU country (first two letters of the NUTS code), nuts_level (0 or 2; never sum across levels); "
        "JP cao_block (seven Cabinet Office blocks, verified from printed block totals), unit_type; "
        "IN zonal_council (Zonal Councils and North Eastern Council), unit_type.",
        [s("country", required=True, enum=["EU", "IN", "JP", "US"]), s("region_code", required=True),
         s("group_scheme", required=True, enum=enum_of(read("world_region_groups.csv")["group_scheme"])),
         s("group", required=True)],
        primary_key=["country", "region_code", "group_scheme"], foreign_keys=[wfk])
    add("world_regions_flags", "欧盟统计局数据标记 Eurostat flags",
        "Eurostat flags of cells in world_regions.csv: e estimated, p provisional, b break in time series "
        "(or combinations such as bp, ep).",
        [s("country", required=True, enum=["EU"]), s("region_code", required=True),
         s("year", "integer", required=True), s("indicator", required=True, enum=enum_of(world["indicator"])),
         s("source_id", required=True), s("flag", required=True, enum=enum_of(read("world_regions_flags.csv")["flag"]))],
        primary_key=["country", "region_code", "year", "indicator", "source_id"], foreign_keys=[wfk, src_fk])
    people = read("province_people.csv")
    add("province_people", "人与财政 People and public finance by province",
        "Tidy long panel of the series used in the chapter on budgets and people: local general public budget "
        "expenditure (two releases that agree 433/434 overlapping cells; never mixed in one calculation), local "
        "general public budget revenue (own level), per-capita consumption of all residents, and urban per-capita "
        "disposable income on the OLD urban household survey (2005-2012; kept under its own indicator name because "
        "the 2013 survey reform breaks the series). Units: fiscal_* 100m_yuan (亿元); per-capita series yuan (元). "
        "No national rows.",
        [s("code", description="2-digit province code", required=True, enum=codes),
         s("year", "integer", "data year", required=True, minimum=2005, maximum=2100),
         s("indicator", required=True, enum=enum_of(people["indicator"])),
         s("value", "number", "value as published (unit in column unit)", required=True),
         s("unit", required=True, enum=enum_of(people["unit"])),
         s("source_id", description="release the value was read from; see sources", required=True,
           enum=enum_of(people["source_id"]))],
        primary_key=["code", "year", "indicator", "source_id"],
        foreign_keys=[fk("code", "provinces"), src_fk])
    labels = read("reader_labels.csv")
    tables = [r["path"] for r in R] + ["reader_labels.csv"]
    add("reader_labels", "下载文件的中文名称 Chinese labels of the reader downloads",
        "Chinese labels used by the reader-ready downloads of the site (quyu.datafiles): a row with an empty "
        "column gives the table's one-line description; a row with an empty value gives the column's header "
        "(with units); a row with a value gives the Chinese name of that code (indicator, unit, '00' = 全国). "
        "table '' = default for every table; table 'panel' = the columns of the wide per-vintage files. "
        "A column <name>_zh labelled for a table adds a column of Chinese names beside <name> "
        "(province codes are named from provinces.csv).",
        [s("table", description="file name in data/, 'panel', or '' (any table)", enum=sorted({"", "panel", *tables}),
           required=True),
         s("column", description="column name ('' = the table itself)", required=True),
         s("value", description="a code in that column ('' = the column header)", required=True),
         s("label_zh", description="Chinese label", required=True)],
        primary_key=["table", "column", "value"], missing=[])
    assert set(labels["table"]) <= set(tables) | {"", "panel"}
    return R


def build() -> dict:
    res = resources()
    for r in res:
        r["hash"] = "sha256:" + sha256(DATA / r["path"])
        r["bytes"] = (DATA / r["path"]).stat().st_size
    pkg = {
        "profile": "tabular-data-package",
        "name": "quyu-data",
        "title": "区域协调发展 教材数据包 / Data package of the textbook on regional coordinated development",
        "description": "Official Chinese statistics by province and city (several NBS vintages, kept apart), "
                       "region schemes, policy events and reference tables. Provenance: README.md and sources.csv.",
        "version": "1.0.0",
        "licenses": [{"name": "other-at", "title": "Numbers: terms of their publishers (mostly NBS); "
                      "compilation and descriptions: as the project licence. See sources.csv (licence column)."}],
        "resources": res,
    }
    (DATA / "datapackage.json").write_text(json.dumps(pkg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pkg


def update_readme(pkg: dict) -> None:
    readme = DATA / "README.md"
    text = readme.read_text(encoding="utf-8")
    rows = ["| 文件 file | SHA-256 |", "|---|---|"]
    rows += [f"| `{r['path']}` | `{r['hash'].split(':', 1)[1]}` |" for r in pkg["resources"]]
    block = README_START + "\n" + "\n".join(rows) + "\n" + README_END
    if README_START in text:
        text = re.sub(re.escape(README_START) + ".*?" + re.escape(README_END), lambda m: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    from quyu.data import validate

    if "--check" not in argv:
        pkg = build()
        update_readme(pkg)
        print(f"datapackage.json: {len(pkg['resources'])} resources; README hash table updated")
    errors = validate(DATA / "datapackage.json")
    for e in errors:
        print(e)
    print("valid" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
