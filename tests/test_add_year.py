"""tools/add_year.py: a new year is added to a COPY of data/ and read back; bad input is refused.

The fixture rows are the 2024 values scaled by a constant: well-formed, never official, and
never written to the real data/ (everything happens in pytest's tmp_path).
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TOOL = ROOT / "tools" / "add_year.py"
sys.path.insert(0, str(ROOT / "tools"))

import add_year  # noqa: E402

PROVENANCE = ["--publisher", "测试夹具 test fixture", "--table", "scaled copy of 2024",
              "--obtained-from", "tests/test_add_year.py"]


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def fixture_rows(indicator: str, source_id: str, year: int, factor: float) -> pd.DataFrame:
    """31 rows code,value: an existing year of the real data scaled by ``factor``."""
    panel = pd.read_csv(DATA / "province_panel.csv", dtype={"code": str})
    rows = panel[(panel["indicator"] == indicator) & (panel["source_id"] == source_id)
                 & (panel["year"] == year) & (panel["code"] != "00")]
    assert len(rows) == 31
    return pd.DataFrame({"code": rows["code"], "value": (rows["value"] * factor).round(1)})


def write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, cwd=ROOT)


def refused(capsys, argv: list[str]) -> str:
    """Run the command in-process, expect a refusal (exit 2), return its message."""
    assert add_year.main(argv) == 2
    return capsys.readouterr().err


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_add_year_and_read_back(data_copy: Path, tmp_path: Path):
    gdp = write(fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05), tmp_path / "gdp.csv")
    pop = write(fixture_rows("pop_yearend", "nbs_pop_2015_2024_v2025", 2024, 1.001), tmp_path / "pop.csv")
    real_before = digest(DATA)

    dry = run("--source-id", "test_gdp_2025", "--indicator", "gdp", "--year", "2025", "--csv", str(gdp),
              "--vintage", "current", "--data-dir", str(data_copy), "--dry-run", *PROVENANCE)
    assert dry.returncode == 0, dry.stderr
    assert digest(data_copy) == real_before  # --dry-run writes nothing

    for source, indicator, path in (("test_gdp_2025", "gdp", gdp), ("test_pop_2025", "pop_yearend", pop)):
        done = run("--source-id", source, "--indicator", indicator, "--year", "2025", "--csv", str(path),
                   "--vintage", "current", "--data-dir", str(data_copy), *PROVENANCE)
        assert done.returncode == 0, done.stderr
    assert digest(DATA) == real_before  # the real data/ is untouched

    # the copy is a valid package whose hashes match, and vintages.csv gained the year
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        assert res["hash"] == "sha256:" + hashlib.sha256((data_copy / res["path"]).read_bytes()).hexdigest()
    panel_hash = hashlib.sha256((data_copy / "province_panel.csv").read_bytes()).hexdigest()
    assert f"`{panel_hash}`" in (data_copy / "README.md").read_text(encoding="utf-8")
    with (data_copy / "vintages.csv").open(encoding="utf-8") as fh:
        vint = list(csv.DictReader(fh))
    added = [r for r in vint if r["source_id"] == "test_gdp_2025"]
    assert [(r["vintage"], r["year_from"], r["year_to"]) for r in added] == [("current", "2025", "2025")]

    # read it back through quyu.data in a fresh interpreter (its lru caches are per process)
    code = (
        "from quyu import data\n"
        "p = data.panel('current', years=[2025])\n"
        "assert data.vintage_info('current')['years'][-1] == 2025\n"
        "assert p['gdp'].notna().all() and p['gdp_pc'].notna().all(), p\n"
        "assert set(p['gdp_source']) == {'test_gdp_2025'} and set(p['pop_source']) == {'test_pop_2025'}\n"
        "assert data.check_one_vintage(p) == 'current'\n"
        "assert data.validate() == []\n"
        "print(round(p['gdp'].sum(), 1))\n"
    )
    env = dict(os.environ, QUYU_DATA=str(data_copy))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    expected = pd.read_csv(gdp)["value"].sum()
    assert float(out.stdout.strip()) == pytest.approx(expected, abs=0.2)


def test_single_indicator_without_vintage(data_copy: Path, tmp_path: Path):
    rows = write(fixture_rows("urbanization_rate", "nbs_urbanrate_2005_2024_v2025_renjiyi", 2024, 1.0),
                 tmp_path / "urban.csv")
    argv = ["--source-id", "test_urban_2025", "--indicator", "urbanization_rate", "--year", "2025",
            "--csv", str(rows), "--data-dir", str(data_copy), *PROVENANCE]
    assert add_year.main(argv) == 0
    panel = pd.read_csv(data_copy / "province_panel.csv", dtype={"code": str})
    new = panel[panel["source_id"] == "test_urban_2025"]
    assert len(new) == 31 and set(new["unit"]) == {"percent"}
    vint_before = (DATA / "vintages.csv").read_bytes()
    assert (data_copy / "vintages.csv").read_bytes() == vint_before


def _argv(path: Path, data_dir: Path, source="test_gdp_2025", year="2025", vintage=None, extra=()):
    argv = ["--source-id", source, "--indicator", "gdp", "--year", year, "--csv", str(path),
            "--data-dir", str(data_dir), *PROVENANCE, *extra]
    return argv + (["--vintage", vintage] if vintage else [])


def test_refuses_missing_province(data_copy, tmp_path, capsys):
    df = fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05)
    path = write(df[df["code"] != "12"], tmp_path / "x.csv")
    err = refused(capsys, _argv(path, data_copy))
    assert "缺少省份" in err and "12 天津" in err and "missing provinces" in err


def test_refuses_duplicate_province(data_copy, tmp_path, capsys):
    df = fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05)
    path = write(pd.concat([df, df[df["code"] == "52"]]), tmp_path / "x.csv")
    err = refused(capsys, _argv(path, data_copy))
    assert "重复的省份" in err and "52 贵州" in err and "duplicate provinces" in err


def test_refuses_non_numeric_and_non_positive(data_copy, tmp_path, capsys):
    df = fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05).astype({"value": str})
    df.loc[df["code"] == "11", "value"] = "n/a"
    df.loc[df["code"] == "65", "value"] = "-3"
    path = write(df, tmp_path / "x.csv")
    err = refused(capsys, _argv(path, data_copy))
    assert "'n/a' 不是数字" in err and "not numeric" in err
    assert "'-3' 不是正数" in err and "not positive" in err


def test_refuses_unknown_code_and_wrong_unit(data_copy, tmp_path, capsys):
    df = fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05)
    df["unit"] = "10k_yuan"
    df.loc[df["code"] == "54", "code"] = "99"
    path = write(df, tmp_path / "x.csv")
    err = refused(capsys, _argv(path, data_copy))
    assert "未知的省份代码 '99'" in err and "unit '10k_yuan' should be '100 million yuan'" in err


def test_refuses_existing_year(data_copy, tmp_path, capsys):
    path = write(fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05), tmp_path / "x.csv")
    err = refused(capsys, _argv(path, data_copy, source="nbs_gdp_2006_2024_v2025", year="2024"))
    assert "已有 2024 年的 gdp" in err and "year already present" in err


def test_refuses_vintage_mix(data_copy, tmp_path, capsys):
    path = write(fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05), tmp_path / "x.csv")
    # a source of the current vintage cannot extend census2018
    err = refused(capsys, _argv(path, data_copy, source="nbs_gdp_2006_2024_v2025", year="2025",
                                vintage="census2018"))
    assert "混用数据版本" in err and "vintage mix" in err and "current" in err
    # an existing source outside every vintage cannot join one
    err = refused(capsys, _argv(path, data_copy, source="nbs_gdp_2011_2019_v2020", year="2025",
                                vintage="current"))
    assert "混用数据版本" in err and "outside vintage current" in err
    # a new source cannot give a vintage a second value for a year it already has
    err = refused(capsys, _argv(path, data_copy, source="test_gdp_2024", year="2024", vintage="current"))
    assert "版本 current 已有 2024 年的 gdp" in err


def test_refuses_new_source_without_provenance(data_copy, tmp_path, capsys):
    path = write(fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.05), tmp_path / "x.csv")
    argv = ["--source-id", "test_gdp_2025", "--indicator", "gdp", "--year", "2025", "--csv", str(path),
            "--data-dir", str(data_copy)]
    err = refused(capsys, argv)
    assert "--publisher" in err and "--obtained-from" in err and "needs provenance" in err
    assert digest(data_copy) == digest(DATA)  # refusals write nothing


def test_vintage_roundtrip_is_byte_identical(tmp_path):
    header, rows = add_year._read_rows(DATA / "vintages.csv")
    add_year._write_rows(tmp_path / "v.csv", header, rows)
    assert (tmp_path / "v.csv").read_bytes() == (DATA / "vintages.csv").read_bytes()


# ---------------------------------------------------------------- partial first releases (staging)

STAGED_HEADER = add_year.STAGING_COLUMNS


def staged_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=STAGED_HEADER)
        w.writeheader()
        w.writerows(rows)
    return path


def staged_row(code: str, value: str, **kw) -> dict:
    row = {"code": code, "indicator": "gdp", "year": "2025", "value": value, "unit": "100 million yuan",
           "growth": "5.0", "source": "测试夹具", "url": "https://example.org/x", "date": "2026-01-20",
           "verification": "press_report", "note": "fixture"}
    row.update(kw)
    return row


def staging(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / add_year.STAGING, dtype={"code": str, "year": str})


def test_the_real_staging_table_passes_its_own_checks(tmp_path):
    """Every row now in data/ satisfies what --stage demands of a new row (source, URL, class, unit …)."""
    rows, problems = add_year.check_staged_rows(DATA, DATA / add_year.STAGING, replace=True)
    assert problems == []
    assert len(rows) == len(staging(DATA)) > 0


def drop_staged(data_dir: Path, codes: list[str], indicator: str = "gdp") -> None:
    """Remove some provinces' rows from the copy's staging table (the tests must not depend on how
    complete the real table is)."""
    st = staging(data_dir)
    keep = st[~((st.indicator == indicator) & st.code.isin(codes))]
    keep.to_csv(data_dir / add_year.STAGING, index=False)


def test_stage_adds_rows_to_a_copy_and_keeps_the_package_valid(data_copy, tmp_path, capsys):
    drop_staged(data_copy, ["12"])
    add_year.refresh_package(data_copy)
    before = staging(data_copy)
    real = len(staging(DATA))
    new = staged_csv(tmp_path / "found.csv", [staged_row("12", "12345.6")])
    assert add_year.main(["--stage", str(new), "--data-dir", str(data_copy)]) == 0
    after = staging(data_copy)
    assert len(after) == len(before) + 1
    got = after[(after.code == "12") & (after.indicator == "gdp")]
    assert got["value"].tolist() == [12345.6]
    from quyu.data import validate
    assert validate(data_copy / "datapackage.json") == []
    # the real data/ is untouched
    assert len(staging(DATA)) == real


def test_stage_refuses_bad_rows_and_reports_them_all(data_copy, tmp_path, capsys):
    staged = staging(data_copy)
    have = staged[(staged.indicator == "gdp") & (staged.code != "00")]["code"].iloc[0]
    bad = staged_csv(tmp_path / "bad.csv", [
        staged_row("99", "1"),                                   # unknown code
        staged_row("12", "-3"),                                  # not positive
        staged_row("14", "10", unit="yuan"),                     # wrong unit
        staged_row("15", "10", verification="memory"),           # unknown class
        staged_row("22", "10", url=""),                          # no URL
        staged_row("23", "10", date="2026/01/20"),               # date format
        staged_row(have, "10"),                                  # already staged
    ])
    before = (data_copy / add_year.STAGING).read_bytes()
    err = refused(capsys, ["--stage", str(bad), "--data-dir", str(data_copy)])
    for needle in ("未知的省份代码 '99'", "不是正数", "单位是", "核实方式", "出处与网址", "YYYY-MM-DD", "已在暂存表中"):
        assert needle in err, needle
    assert (data_copy / add_year.STAGING).read_bytes() == before


def test_stage_replace_swaps_a_row_for_a_better_source(data_copy, tmp_path):
    staged = staging(data_copy)
    row = staged[(staged.indicator == "gdp") & (staged.verification == "secondary_copy")].iloc[0]
    better = staged_csv(tmp_path / "better.csv", [staged_row(row.code, str(row.value), verification="government_page",
                                                             url="https://tjj.example.gov.cn/a.html")])
    assert add_year.main(["--stage", str(better), "--replace", "--data-dir", str(data_copy)]) == 0
    after = staging(data_copy)
    got = after[(after.code == row.code) & (after.indicator == "gdp") & (after.year == "2025")]
    assert len(got) == 1 and got["verification"].item() == "government_page"
    assert len(after) == len(staged)


def test_from_staging_refuses_until_all_31_are_there_and_verified_then_adds_them(data_copy, tmp_path, capsys):
    args = ["--from-staging", "--source-id", "prov_fr_2025_gdp_test", "--indicator", "gdp", "--year", "2025",
            "--vintage", "first_release", *PROVENANCE, "--data-dir", str(data_copy)]
    provinces = pd.read_csv(DATA / "provinces.csv", dtype={"code": str})
    drop_staged(data_copy, ["12", "63"])
    add_year.refresh_package(data_copy)
    err = refused(capsys, args)
    assert "还缺 2 个省" in err and "天津" in err and "青海" in err
    # fill the gap with well-formed fixture rows (2024 values, never official), read "from the publisher"
    fill = fixture_rows("gdp", "nbs_gdp_2006_2024_v2025", 2024, 1.0)
    fill = fill[fill.code.isin(["12", "63"])]
    rows = [staged_row(c, str(v), verification="government_page") for c, v in zip(fill.code, fill.value)]
    assert add_year.main(["--stage", str(staged_csv(tmp_path / "fill.csv", rows)),
                          "--data-dir", str(data_copy)]) == 0
    capsys.readouterr()
    # all 31 are there, but values read only in secondary copies still block the vintage
    st = staging(data_copy)
    secondary = st[(st.indicator == "gdp") & (st.year == "2025") & (st.code != "00")
                   & (st.verification == "secondary_copy")]
    if len(secondary):
        err = refused(capsys, args)
        assert f"{len(secondary)} 个省的数只见于转载" in err and "还缺" not in err
        upgrade = [staged_row(r.code, str(r.value), verification="press_report") for r in secondary.itertuples()]
        assert add_year.main(["--stage", str(staged_csv(tmp_path / "up.csv", upgrade)), "--replace",
                              "--data-dir", str(data_copy)]) == 0
        capsys.readouterr()
    assert add_year.main(args) == 0
    panel = pd.read_csv(data_copy / "province_panel.csv", dtype={"code": str})
    added = panel[(panel.source_id == "prov_fr_2025_gdp_test") & (panel.year == 2025)]
    assert len(added) == 31 and set(added.code) == set(provinces.code)
    final = staging(data_copy)
    gdp = final[(final.indicator == "gdp") & (final.year == "2025") & (final.code != "00")].set_index("code")["value"]
    assert added.set_index("code")["value"].sort_index().tolist() == gdp.sort_index().tolist()
