"""The data package: frictionless validity, SHA-256 in descriptor and README, corrupted copies fail."""
import hashlib
import json
import re
import shutil
from pathlib import Path

import frictionless
import pytest

from quyu.data import validate

DATA = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_package_is_valid():
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    assert validate(DATA) == []


def test_every_csv_is_a_resource():
    on_disk = {p.name for p in DATA.glob("*.csv")}
    described = {r["path"] for r in DESCRIPTOR["resources"]}
    assert on_disk == described


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_hash_matches_descriptor_and_readme(name):
    res = RESOURCES[name]
    actual = sha256(DATA / res["path"])
    assert res["hash"] == f"sha256:{actual}", f"{res['path']}: run tools/build_datapackage.py"
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"\| `{re.escape(res['path'])}` \| `([0-9a-f]{{64}})` \|", readme)
    assert m, f"{res['path']} missing from the README hash table"
    assert m.group(1) == actual


def test_every_resource_has_schema_with_primary_key():
    for res in DESCRIPTOR["resources"]:
        assert res["schema"]["fields"], res["name"]
        assert res["schema"].get("primaryKey"), res["name"]


@pytest.fixture
def copy_of_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _corrupt_line(path: Path, line_no: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_bad_code_is_reported_with_file_row_field(copy_of_data):
    panel = copy_of_data / "province_panel.csv"
    first = panel.read_text(encoding="utf-8").split("\n")[1]
    code = first.split(",")[0]
    _corrupt_line(panel, 2, code + ",", "99,")
    errors = validate(copy_of_data)
    assert any(e.startswith("province_panel.csv:2:code:") for e in errors), errors


def test_non_numeric_value_is_reported(copy_of_data):
    panel = copy_of_data / "province_panel.csv"
    line = panel.read_text(encoding="utf-8").split("\n")[2]  # data row 2 = file row 3
    value = line.split(",")[3]
    _corrupt_line(panel, 3, f",{value},", ",n/a,")
    errors = validate(copy_of_data)
    assert any(e.startswith("province_panel.csv:3:value:") for e in errors), errors


def test_duplicate_primary_key_is_reported(copy_of_data):
    panel = copy_of_data / "province_panel.csv"
    lines = panel.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines.append(lines[5])  # duplicate of data row 6
    panel.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = validate(copy_of_data)
    assert any(re.match(rf"province_panel\.csv:{len(lines)}:primary key:", e) for e in errors), errors


def test_unknown_source_and_province_fail_foreign_keys(copy_of_data):
    _corrupt_line(copy_of_data / "tile_grid.csv", 2, ",", "X,")  # code "23" -> "23X"
    errors = validate(copy_of_data)
    assert any(e.startswith("tile_grid.csv:2:code:") for e in errors), errors


def test_changed_file_fails_hash(copy_of_data):
    p = copy_of_data / "stages.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("1949", "1950", 1), encoding="utf-8")
    errors = validate(copy_of_data)
    assert any(e.startswith("stages.csv:") and "hash" in e for e in errors), errors
