"""One-off import: build data/ tables from the compiled source folder (default: the folder ../shared/data beside the repository).

A fresh clone does NOT need this script or the source folder: data/ is self-contained.
It is kept so the merge can be re-done and audited. Rules: values are copied as text,
never estimated or filled; only exact duplicate rows are dropped (and reported).

Usage:  python tools/import_shared.py [SOURCE_DIR]
Then:   python tools/build_datapackage.py   (hashes, descriptor, README hash table)
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data"

# Harmonised unit labels (the text of the unit only; values unchanged).
UNIT_FIX = {"100m_yuan": "100 million yuan"}


def read(src: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(src / name, dtype=str, keep_default_na=False)


def write(df: pd.DataFrame, name: str) -> None:
    df.to_csv(OUT / name, index=False, lineterminator="\n")
    print(f"wrote {name}: {len(df)} rows")


def build(src: Path) -> None:
    OUT.mkdir(exist_ok=True)
    prov = read(src, "provinces.csv")
    assert len(prov) == 31
    write(prov[["code", "name_zh_short", "name_zh_full", "name_en"]], "provinces.csv")
    short_to_code = dict(zip(prov.name_zh_short, prov.code))

    # ---- region schemes -------------------------------------------------
    rows = []
    zh4 = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}
    for _, p in prov.iterrows():
        rows.append(("region4", "国家统计局四大区域（东部、中部、西部、东北）", p.code,
                     p.region4, zh4[p.region4] + "地区", ""))
    for _, p in prov.iterrows():
        note = ""
        if p.code == "46":
            note = "1986年海南尚属广东，1988年建省后归入东部地带（惯例）"
        if p.code == "50":
            note = "1986年重庆尚属四川，1997年设直辖市后归入西部地带（惯例）"
        rows.append(("region3_1986", "“七五”计划三大地带（1986）", p.code,
                     p.region3, zh4[p.region3] + "地带", note))
    for _, p in prov.iterrows():
        note = "按西部大开发政策范围归入西部" if p.code in ("15", "45") else ""
        rows.append(("region3_wd2000", "西部大开发口径三大地带（2000）", p.code,
                     p.region3_wd2000, zh4[p.region3_wd2000] + "地带", note))

    mem = read(src, "strategy_membership.csv")
    strategies = [
        ("jjj", "京津冀协同发展", "京津冀", "京津冀（北京、天津、河北）", ""),
        ("yrd", "长江三角洲区域一体化发展", "长三角", "长三角（上海、江苏、浙江、安徽）", ""),
        ("yreb", "长江经济带发展", "长江经济带", "长江经济带（11省市）", ""),
        ("yellow_river", "黄河流域生态保护和高质量发展", "黄河流域", "黄河流域（9省区）",
         "省区只有部分地域在黄河流域内，按省级整体计"),
        ("chengyu", "成渝地区双城经济圈建设", "成渝", "成渝地区双城经济圈（四川、重庆）",
         "双城经济圈只含两省市的部分地域，按省级整体计"),
        ("gba_proxy", "粤港澳大湾区建设", "粤港澳大湾区",
         "粤港澳大湾区（省级代理：以广东全省代表，不含港澳）",
         "代理口径：大湾区只含广东9市及港澳；省级数据只能以广东全省代替"),
    ]
    expected = {"jjj": 3, "yrd": 4, "yreb": 11, "yellow_river": 9, "chengyu": 2, "gba_proxy": 1}
    for sid, strat_zh, short, scheme_zh, note in strategies:
        members = mem.loc[mem.strategy_zh == strat_zh, "province"]
        members = [m for m in members if m in short_to_code]  # drop 香港/澳门
        assert len(members) == expected[sid], (sid, members)
        codes = {short_to_code[m] for m in members}
        for _, p in prov.iterrows():
            if p.code in codes:
                rows.append((sid, scheme_zh, p.code, sid, short, note))
            else:
                rows.append((sid, scheme_zh, p.code, "other", "其他地区", ""))
    rs = pd.DataFrame(rows, columns=["scheme", "scheme_zh", "code", "group", "group_zh", "note"])
    # cross-check region4 with strategy_membership (four plates)
    for zh, g in [("东部地区", "east"), ("中部地区", "central"), ("西部地区", "west"), ("东北地区", "northeast")]:
        a = {short_to_code[m] for m in mem.loc[mem.strategy_zh == zh, "province"]}
        b = set(rs[(rs.scheme == "region4") & (rs.group == g)].code)
        assert a == b, (zh, a ^ b)
    write(rs, "region_schemes.csv")

    # ---- provincial panel ----------------------------------------------
    parts = [read(src, f) for f in ("province_panel.csv", "province_panel_extra.csv",
                                    "province_panel_more.csv", "province_panel_prelim2021.csv")]
    panel = pd.concat(parts, ignore_index=True)
    n0 = len(panel)
    panel = panel.drop_duplicates()
    print(f"panel: {n0} rows read, {n0 - len(panel)} exact duplicates dropped")
    key = ["code", "year", "indicator", "source_id"]
    assert not panel.duplicated(key).any()
    panel["unit"] = panel["unit"].replace(UNIT_FIX)
    panel = panel.sort_values(["indicator", "source_id", "code", "year"], kind="stable")
    write(panel[["code", "year", "indicator", "value", "unit", "source_id"]], "province_panel.csv")

    # ---- cities ---------------------------------------------------------
    parts = [read(src, f) for f in ("cities_2010.csv", "cities_2011.csv", "cities_2012.csv",
                                    "cities_2020.csv", "cities_extra.csv")]
    # Hotan's 2021 communiqué per-capita GDP (the figure ledger quotes it; SOURCES_cities_communiques.md)
    comm = read(src, "cities_communiques.csv")
    parts.append(comm[(comm["source_id"] == "TJGB_HOTAN_2021_TJCN") & (comm["indicator"] == "gdp_per_capita")])
    cities = pd.concat(parts, ignore_index=True)
    n0 = len(cities)
    cities = cities.drop_duplicates()
    print(f"cities: {n0} rows read, {n0 - len(cities)} exact duplicates dropped")
    assert not cities.duplicated(["code", "year", "indicator", "source_id"]).any()
    cities = cities.sort_values(["year", "source_id", "code", "indicator"], kind="stable")
    write(cities, "cities.csv")

    # ---- tile grid: 2-digit code ----------------------------------------
    tg = read(src, "tile_grid.csv")
    assert tg.code.str.endswith("0000").all()
    tg = tg.rename(columns={"code": "code_gb6"})
    tg.insert(0, "code", tg.code_gb6.str[:2])
    assert set(tg.code) == set(prov.code)
    write(tg, "tile_grid.csv")

    # ---- free_trade_zones: the source header has `note` and `source` swapped ----
    ftz = read(src, "free_trade_zones.csv")
    assert ftz["note"].str.contains("http").all() and not ftz["source"].str.contains("http").any()
    ftz = ftz.rename(columns={"note": "source", "source": "note"})[
        ["name", "province", "date_approved", "batch", "note", "source"]]
    write(ftz, "free_trade_zones.csv")

    # ---- straight copies -------------------------------------------------
    for name, out in [("coordination_index.csv", None), ("history_facts.csv", None),
                      ("policy_events.csv", None), ("strategy_membership.csv", None),
                      ("national_new_areas.csv", None),
                      ("paired_assistance.csv", None), ("mechanisms_2018.csv", None),
                      ("article_figures.csv", None)]:
        text = (src / name).read_bytes().decode("utf-8-sig")
        # normalise line endings to LF so the SHA-256 does not depend on the platform
        (OUT / (out or name)).write_bytes(text.replace("\r\n", "\n").encode("utf-8"))
        print(f"copied {name}")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"))
