"""给读者的数据文件（quyu.datafiles）：每个让学生用电子表格的习题都点名一个网站中确有的文件；
读者版 CSV 带 BOM、中文列名，数字与 data/ 相同（独立地从 province_panel.csv 重算一张宽表）；
数据包的 zip 含 data/ 的每个文件，逐字节相同。每项检查都有一个能让它失败的对照。"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from quyu import datafiles

DATA = ROOT / "data"
BOOK = ROOT / "book"
_EXERCISE = re.compile(r"^(`{3,}|:{3,})\{exercise\}.*?\n(.*?)^\1\s*$", flags=re.S | re.M)
_ROLE = re.compile(r"\{quyu-data\}`([^`]+)`")
#: 让学生去数据中取数的说法：与“电子表格”同在一道习题中时，这道习题必须点名一个数据文件。
_SENDS_TO_DATA = ("打开", "面板", "数据包", "下载", "宽表")


def _spreadsheet_exercises(book: Path = BOOK) -> list[tuple[str, str]]:
    """(文件:label, 习题正文)：正文提到电子表格、且要从数据中取数（不是自己构造例子）的习题。"""
    found = []
    for path in sorted(book.rglob("*.md")):
        for m in _EXERCISE.finditer(path.read_text(encoding="utf-8")):
            body = m.group(2)
            if "电子表格" not in body:
                continue
            label = re.search(r":label:\s*(\S+)", body)
            found.append((f"{path.relative_to(book)}:{label.group(1) if label else '?'}", body))
    return found


def _needs_data(body: str) -> bool:
    return any(w in body for w in _SENDS_TO_DATA)


def _named_files(body: str) -> list[str]:
    return _ROLE.findall(body)


def _problems(exercises, available: set[str]) -> list[str]:
    out = []
    for where, body in exercises:
        names = _named_files(body)
        if _needs_data(body) and not names:
            out.append(f"{where}: 让学生用电子表格取数，却没有点名数据文件")
        out += [f"{where}: 没有这个文件 {n}" for n in names if n not in available]
    return out


def test_spreadsheet_exercises_are_found():
    found = dict(_spreadsheet_exercises())
    assert len(found) >= 12, sorted(found)
    assert any(k.endswith("ex-p2-3-2") for k in found) and any(k.endswith("ex-t1-3") for k in found)


def test_every_spreadsheet_exercise_names_a_built_file(html_dir):
    folder = html_dir / datafiles.FOLDER
    available = {p.name for p in folder.iterdir()}
    exercises = _spreadsheet_exercises()
    assert _problems(exercises, available) == []
    assert sum(bool(_named_files(b)) for _, b in exercises) >= 12


def test_the_exercise_check_can_fail():
    """对照：没有点名文件的取数习题、点名了不存在的文件，都被查出来。"""
    bad = [("x.md:ex-a", "用电子表格打开省级面板表。"),
           ("x.md:ex-b", "用电子表格打开宽表 {quyu-data}`panel_nowhere_gdp.csv`。"),
           ("x.md:ex-c", "在电子表格中构造五个省份的例子。")]
    problems = _problems(bad, {"panel_current_gdp.csv"})
    assert len(problems) == 2 and "ex-a" in problems[0] and "panel_nowhere_gdp.csv" in problems[1]


def test_exercise_links_resolve_in_the_built_pages(html_dir):
    """网页中每个数据文件链接都指向 _downloads/quyu/data/ 中存在的文件（相对链接，离线可用）。"""
    n = 0
    for page in html_dir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        for href in re.findall(r'<a class="[^"]*quyu-data-link[^"]*" href="([^"]+)"', page.read_text(encoding="utf-8")):
            assert not href.startswith(("http", "/")), href
            assert (page.parent / href).resolve().is_file(), (page.name, href)
            n += 1
    assert n >= 30, n


# ---------------------------------------------------------------- the reader CSVs

def _read_reader(raw: bytes) -> tuple[str, list[str], list[list[str]]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "没有 BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0].startswith("# 说明：")
    return rows[0][0], rows[1], rows[2:]


def _chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def _csv_problems(raw: bytes) -> list[str]:
    if not raw.startswith(b"\xef\xbb\xbf"):
        return ["没有 BOM"]
    _, header, _ = _read_reader(raw)
    return [f"列名不是中文：{h}" for h in header if not _chinese(h) and not re.fullmatch(r"\d{4}", h)]


def test_reader_csvs_have_bom_note_and_chinese_headers(html_dir):
    folder = html_dir / datafiles.FOLDER
    csvs = sorted(folder.glob("*.csv"))
    tables = datafiles.tables(DATA)
    assert {p.name for p in csvs} >= set(tables)
    for p in csvs:
        assert _csv_problems(p.read_bytes()) == [], p.name


def test_the_header_check_can_fail():
    assert _csv_problems("# 说明：x\ncode,省份\n".encode()) == ["没有 BOM"]
    assert _csv_problems("\ufeff# 说明：x\r\ncode,省份,2012\r\n".encode()) == ["列名不是中文：code"]


def test_reader_tables_keep_every_value_and_add_province_names(html_dir):
    """读者版的省级面板：行数、数值、来源与 data/ 相同；每个省份代码旁边是它的简称（00 为全国）。"""
    folder = html_dir / datafiles.FOLDER
    with open(DATA / "province_panel.csv", encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    with open(DATA / "provinces.csv", encoding="utf-8", newline="") as f:
        names = {r["code"]: r["name_zh_short"] for r in csv.DictReader(f)} | {"00": "全国"}
    _, header, rows = _read_reader((folder / "province_panel.csv").read_bytes())
    assert header[:2] == ["省份代码（00为全国）", "省份"]
    col = {h: i for i, h in enumerate(header)}
    assert len(rows) == len(source)
    for src, row in zip(source, rows):
        assert row[col["省份"]] == names[src["code"]]
        assert row[col["省份代码（00为全国）"]] == src["code"] and row[col["年份"]] == src["year"]
        assert row[col["数值（单位见“单位”列）"]] == src["value"] and row[col["来源编号"]] == src["source_id"]
        assert _chinese(row[col["指标名称"]]) and row[col["单位（中文）"]]


def _independent_wide(vintage: str, column: str) -> dict[str, dict[int, float]]:
    """只用 csv 模块，从 data/province_panel.csv 与 data/vintages.csv 重算一张宽表（不经 quyu）。"""
    with open(DATA / "vintages.csv", encoding="utf-8", newline="") as f:
        spec = [r for r in csv.DictReader(f) if r["vintage"] == vintage]
    with open(DATA / "province_panel.csv", encoding="utf-8", newline="") as f:
        long = list(csv.DictReader(f))

    def series(rows):
        out = {}
        for r in rows:
            for v in long:
                if (v["indicator"] == r["indicator"] and v["source_id"] == r["source_id"] and v["code"] != "00"
                        and int(r["year_from"]) <= int(v["year"]) <= int(r["year_to"])):
                    out[(v["code"], int(v["year"]))] = float(v["value"])
        return out

    gdp = series([r for r in spec if r["indicator"] == "gdp"])
    pop = series([r for r in spec if r["indicator"] != "gdp"])
    years = sorted({y for r in spec if r["indicator"] == "gdp" for y in range(int(r["year_from"]), int(r["year_to"]) + 1)})
    table: dict[str, dict[int, float]] = {}
    for code in sorted({c for c, _ in gdp}):
        row = {}
        for y in years:
            g, p, p0 = gdp.get((code, y)), pop.get((code, y)), pop.get((code, y - 1))
            mean = (p + p0) / 2 if p is not None and p0 is not None else None
            row[y] = {"gdp": g, "pop": p, "pop_mean": mean,
                      "gdp_pc": g * 1e4 / mean if g is not None and mean else None}[column]
        table[code] = row
    return table


def _wide_problems(raw: bytes, expected: dict[str, dict[int, float]]) -> list[str]:
    _, header, rows = _read_reader(raw)
    years = [int(h) for h in header[2:]]
    out = []
    if sorted(r[0] for r in rows) != sorted(expected):
        out.append("省份不同")
    for r in rows:
        for y, cell in zip(years, r[2:]):
            want = expected.get(r[0], {}).get(y)
            if want is None:
                if cell != "":
                    out.append(f"{r[0]} {y}: 应为空，实为 {cell}")
            elif cell == "" or abs(float(cell) - want) > 0.51 * 10 ** -datafiles.DIGITS + 1e-12 * abs(want):
                out.append(f"{r[0]} {y}: {cell} ≠ {want}")
    return out


@pytest.mark.parametrize("vintage,column", [("census2018", "gdp_pc"), ("yearbook", "pop_mean"),
                                            ("compendium", "gdp")])
def test_wide_tables_equal_an_independent_recomputation(html_dir, vintage, column):
    raw = (html_dir / datafiles.FOLDER / datafiles.wide_name(vintage, column)).read_bytes()
    assert _wide_problems(raw, _independent_wide(vintage, column)) == []


def test_the_wide_check_can_fail():
    expected = _independent_wide("census2018", "gdp")
    raw = datafiles.wide_table("census2018", "gdp", datafiles.Labels(DATA))
    assert _wide_problems(raw, expected) == []
    text = raw.decode("utf-8")
    wrong = re.sub(r"^(11,北京,)([\d.]+)", lambda m: m.group(1) + str(float(m.group(2)) + 1), text, count=1, flags=re.M)
    assert wrong != text and len(_wide_problems(wrong.encode("utf-8"), expected)) == 1


# ---------------------------------------------------------------- the zip of data/

def _zip_problems(raw: bytes, data_dir: Path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        inside = {n: z.read(n) for n in z.namelist()}
    out = []
    for p in sorted(data_dir.rglob("*")):
        if p.is_file():
            name = f"data/{p.relative_to(data_dir).as_posix()}"
            if inside.get(name) != p.read_bytes():
                out.append(name)
    return out


def test_the_zip_holds_every_file_of_data_byte_for_byte(html_dir):
    raw = (html_dir / datafiles.FOLDER / datafiles.ZIP_NAME).read_bytes()
    assert _zip_problems(raw, DATA) == []
    assert raw == datafiles.data_zip(DATA), "同样的数据应得到同样的字节"


def test_the_zip_check_can_fail(tmp_path):
    copy = tmp_path / "data"
    copy.mkdir()
    for name in ("provinces.csv", "vintages.csv"):
        (copy / name).write_bytes((DATA / name).read_bytes())
    raw = datafiles.data_zip(copy)
    assert _zip_problems(raw, copy) == []
    (copy / "vintages.csv").write_bytes((DATA / "vintages.csv").read_bytes() + b"\n")
    (copy / "extra.txt").write_text("x")
    assert _zip_problems(raw, copy) == ["data/extra.txt", "data/vintages.csv"]


def test_every_table_has_a_description_and_every_code_a_name():
    """data/reader_labels.csv 齐全：每个表都能写出读者版（缺名称时抛出点名的错误）。"""
    labels = datafiles.Labels(DATA)
    for name in datafiles.tables(DATA):
        datafiles.reader_table(name, DATA, labels)
    assert {f["kind"] for f in datafiles.catalogue(DATA)} == {"zip", "wide", "table"}


def test_a_missing_label_fails_by_name(tmp_path):
    for p in DATA.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    text = (tmp_path / "reader_labels.csv").read_text(encoding="utf-8")
    (tmp_path / "reader_labels.csv").write_text(text.replace("\n,indicator,urbanization_rate,城镇化率", ""),
                                                encoding="utf-8")
    from quyu.errors import BookError

    with pytest.raises(BookError, match="urbanization_rate"):
        datafiles.reader_table("province_panel.csv", tmp_path)


def test_downloads_are_deterministic(tmp_path):
    a = datafiles.write(tmp_path / "a")
    b = datafiles.write(tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_student_site_gets_the_same_data_only(html_dir):
    """学生版不因这些文件得到任何答案：它们只由 data/ 写出，与版本无关（写出函数不知道是哪一版）。"""
    import inspect

    assert "student" not in inspect.signature(datafiles.write).parameters
    text = "".join(p.read_text(encoding="utf-8-sig") for p in (html_dir / datafiles.FOLDER).glob("*.csv"))
    assert "solution" not in text and "答案" not in text
