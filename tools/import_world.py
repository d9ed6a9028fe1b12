"""One-off import: the lean subset of the world regional tables that the chapter 'China among large economies'
uses (book/part4/world.md), from ../shared/data beside the repository (see that folder's SOURCES_world.md).

A fresh clone does NOT need this script: data/ is self-contained. Values are copied as text, never changed.
Kept (one release per country, the releases SOURCES_world.md recommends):

* US   bea_sainc1_1929_2024_v2025mar     personal_income_pc (usd), pop_midyear (persons), 1929-2024
       bea_sasummary_1998_2024_v2025mar  gdp_current (million_usd) 1998-2024, rpp (index_us_eq_100) 2008-2023
       (same BEA release of 28 March 2025); 50 states + DC + US total
* EU   estat_nama_10r_3gdp_2000_2021_v2023 (NUTS 2021): gdp_current (million_eur), gdp_pc (eur),
       gdp_pc_pps (pps_eu27_2020); NUTS-2 regions and NUTS-0 totals of the 27 member states, 2000-2021,
       with their Eurostat flags (world_regions_flags.csv)
* JP   jp_cao_kenmin_gdp_2011base_v2021: gdp_current (million_jpy), 47 prefectures + sum, FY2006-2013, 2015-2018
       (no prefectural population exists in the shared data, so no per-capita values)
* IN   rbi_hsis_nsdp_pc_2011_2024_v2025dec_wiki: nsdp_pc (inr), FY2011-12 to FY2024-25

Usage: python tools/import_world.py [SOURCE_DIR]; then python tools/build_datapackage.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data"

# Chinese names (the book's translations; NUTS-2 regions keep their Latin names only).
ZH = {
"IN": "AN 安达曼－尼科巴群岛|AP 安得拉邦|AR 阿鲁纳恰尔邦|AS 阿萨姆邦|BR 比哈尔邦|CG 恰蒂斯加尔邦|CH 昌迪加尔|DL 德里|GA 果阿邦|GJ 古吉拉特邦|HP 喜马偕尔邦|HR 哈里亚纳邦|JH 贾坎德邦|JK 查谟－克什米尔|KA 卡纳塔克邦|KL 喀拉拉邦|LA 拉达克|MH 马哈拉施特拉邦|ML 梅加拉亚邦|MN 曼尼普尔邦|MP 中央邦|MZ 米佐拉姆邦|NL 那加兰邦|OD 奥迪沙邦|PB 旁遮普邦|PY 本地治里|RJ 拉贾斯坦邦|SK 锡金邦|TN 泰米尔纳德邦|TR 特里普拉邦|TS 特伦甘纳邦|UK 北阿坎德邦|UP 北方邦|WB 西孟加拉邦",
"JP": "00 全县合计|01 北海道|02 青森县|03 岩手县|04 宫城县|05 秋田县|06 山形县|07 福岛县|08 茨城县|09 栃木县|10 群马县|11 埼玉县|12 千叶县|13 东京都|14 神奈川县|15 新潟县|16 富山县|17 石川县|18 福井县|19 山梨县|20 长野县|21 岐阜县|22 静冈县|23 爱知县|24 三重县|25 滋贺县|26 京都府|27 大阪府|28 兵库县|29 奈良县|30 和歌山县|31 鸟取县|32 岛根县|33 冈山县|34 广岛县|35 山口县|36 德岛县|37 香川县|38 爱媛县|39 高知县|40 福冈县|41 佐贺县|42 长崎县|43 熊本县|44 大分县|45 宫崎县|46 鹿儿岛县|47 冲绳县",
"US": "AK 阿拉斯加州|AL 亚拉巴马州|AR 阿肯色州|AZ 亚利桑那州|CA 加利福尼亚州|CO 科罗拉多州|CT 康涅狄格州|DC 哥伦比亚特区|DE 特拉华州|FL 佛罗里达州|GA 佐治亚州|HI 夏威夷州|IA 艾奥瓦州|ID 爱达荷州|IL 伊利诺伊州|IN 印第安纳州|KS 堪萨斯州|KY 肯塔基州|LA 路易斯安那州|MA 马萨诸塞州|MD 马里兰州|ME 缅因州|MI 密歇根州|MN 明尼苏达州|MO 密苏里州|MS 密西西比州|MT 蒙大拿州|NC 北卡罗来纳州|ND 北达科他州|NE 内布拉斯加州|NH 新罕布什尔州|NJ 新泽西州|NM 新墨西哥州|NV 内华达州|NY 纽约州|OH 俄亥俄州|OK 俄克拉何马州|OR 俄勒冈州|PA 宾夕法尼亚州|RI 罗得岛州|SC 南卡罗来纳州|SD 南达科他州|TN 田纳西州|TX 得克萨斯州|US 美国（全国）|UT 犹他州|VA 弗吉尼亚州|VT 佛蒙特州|WA 华盛顿州|WI 威斯康星州|WV 西弗吉尼亚州|WY 怀俄明州",
"EU": "AT 奥地利|BE 比利时|BG 保加利亚|CY 塞浦路斯|CZ 捷克|DE 德国|DK 丹麦|EE 爱沙尼亚|EL 希腊|ES 西班牙|FI 芬兰|FR 法国|HR 克罗地亚|HU 匈牙利|IE 爱尔兰|IT 意大利|LT 立陶宛|LU 卢森堡|LV 拉脱维亚|MT 马耳他|NL 荷兰|PL 波兰|PT 葡萄牙|RO 罗马尼亚|SE 瑞典|SI 斯洛文尼亚|SK 斯洛伐克",
}

KEEP = [
    ("US", "bea_sainc1_1929_2024_v2025mar", ("personal_income_pc", "pop_midyear")),
    ("US", "bea_sasummary_1998_2024_v2025mar", ("gdp_current", "rpp")),
    ("EU", "estat_nama_10r_3gdp_2000_2021_v2023", ("gdp_current", "gdp_pc", "gdp_pc_pps")),
    ("JP", "jp_cao_kenmin_gdp_2011base_v2021", ("gdp_current",)),
    ("IN", "rbi_hsis_nsdp_pc_2011_2024_v2025dec_wiki", ("nsdp_pc",)),
]
GROUP_SCHEMES = {"US": ("census_region", "census_division", "unit_type"),
                 "EU": ("country", "nuts_level"),
                 "JP": ("cao_block", "unit_type"),
                 "IN": ("zonal_council", "unit_type")}


def read(src: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(src / name, dtype=str, keep_default_na=False)


def build(src: Path) -> None:
    data = read(src, "world_regions.csv")
    groups = read(src, "world_region_groups.csv")
    flags = read(src, "world_regions_flags.csv")
    eu_members = set(groups.query("country == 'EU' and group_scheme == 'eu27_2020_member' and group == 'yes'")
                     ["region_code"])
    level = groups.query("country == 'EU' and group_scheme == 'nuts_level'").set_index("region_code")["group"]
    eu_keep = {c for c in eu_members if level.get(c) in ("0", "2")}
    parts = []
    for country, source, indicators in KEEP:
        sel = data[(data.country == country) & (data.source_id == source) & data.indicator.isin(indicators)]
        if country == "EU":
            sel = sel[sel.region_code.isin(eu_keep)]
        parts.append(sel)
    out = pd.concat(parts, ignore_index=True)
    assert not out.duplicated(["country", "region_code", "year", "indicator", "source_id"]).any()
    out = out.sort_values(["country", "indicator", "region_code", "year"], key=lambda s: s.astype(str))
    names = out.drop_duplicates(["country", "region_code"])[["country", "region_code", "region_name"]].copy()
    zh = {(c, p.split(" ")[0]): p.split(" ", 1)[1] for c, s in ZH.items() for p in s.split("|")}
    names["name_zh"] = [zh.get((c, r), "") for c, r in zip(names.country, names.region_code)]
    assert (names[names.country != "EU"].name_zh != "").all()
    names.sort_values(["country", "region_code"]).to_csv(OUT / "world_region_names.csv", index=False,
                                                          lineterminator="\n")
    out = out.drop(columns="region_name")
    out.to_csv(OUT / "world_regions.csv", index=False, lineterminator="\n")
    print("world_regions.csv", len(out))

    codes = set(zip(out.country, out.region_code))
    g = groups[[(c, r) in codes for c, r in zip(groups.country, groups.region_code)]]
    g = g[[s in GROUP_SCHEMES[c] for c, s in zip(g.country, g.group_scheme)]]
    g.to_csv(OUT / "world_region_groups.csv", index=False, lineterminator="\n")
    print("world_region_groups.csv", len(g))

    keys = out.set_index(["country", "region_code", "year", "indicator", "source_id"]).index
    f = flags.set_index(["country", "region_code", "year", "indicator", "source_id"])
    f = f[f.index.isin(keys)].reset_index()
    f.to_csv(OUT / "world_regions_flags.csv", index=False, lineterminator="\n")
    print("world_regions_flags.csv", len(f))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
