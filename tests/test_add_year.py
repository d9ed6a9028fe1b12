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
