"""Maintenance: add one year of one provincial indicator when NBS publishes it.

国家统计局发布新一年的分省数据后，用这个命令把 31 个省的数值加进 data/：

    python tools/add_year.py --source-id nbs_gdp_2025_first_release --indicator gdp --year 2025 \\
        --csv new_rows.csv --vintage first_release \\
        --publisher "国家统计局 National Bureau of Statistics (NBS)" \\
        --table "分省年度数据: 地区生产总值(亿元)" \\
        --obtained-from "data.stats.gov.cn, 下载于 2026-03-01"

    python tools/add_year.py ... --dry-run     # 只校验，不写任何文件

``new_rows.csv`` has two columns ``code,value`` (optionally a third column ``unit``) and one
row for each of the 31 provinces, values as published in the unit of the indicator
(gdp: 100 million yuan 亿元; pop_yearend: 10000 persons 万人; see data/README.md).

What the command checks before it writes anything (all problems are reported together,
in Chinese and English, and the exit status is 2):

* the 31 province codes of data/provinces.csv, each exactly once (no other code);
* every value numeric, finite and positive;
* the unit (column ``unit`` or ``--unit``) equal to the unit the indicator already has;
* the year not yet present for that source_id and indicator;
* no vintage mix: with ``--vintage V`` the source_id must be new or already belong to V,
  V must not already have this year for the indicator, and only gdp / population
  indicators can be part of a vintage;
* a new source_id needs ``--publisher``, ``--table`` and ``--obtained-from``.

Then it appends the rows to province_panel.csv, the source to sources.csv (if new), the year
to the vintage definition in vintages.csv (if ``--vintage``), and runs the functions of
tools/build_datapackage.py to refresh datapackage.json, the SHA-256 table of README.md and to
validate the package. If validation fails, every file is restored and the exit status is 1.

``--data-dir`` (default: data/ of this repository) lets the tests work on a copy.

Partial first releases (staging)
--------------------------------
Provinces publish their first releases one by one, and some cannot be found at all. Until all 31 are
in hand, what was found goes to the staging table ``first_release_2025_staging.csv``, never to the
panel::

    python tools/add_year.py --stage found.csv [--replace] [--dry-run]

``found.csv`` has the staging table's columns (code, indicator, year, value, unit, growth, source, url,
date, verification, note), one row per province and indicator, each with its own source. The command
checks the codes (31 provinces, or 00 for the national total), the indicator and its unit, the value,
the growth rate, the date (YYYY-MM-DD or empty), the verification class and that a source and URL are
given; a row already staged is refused unless ``--replace`` (a better source or a corrected value; the
old row is dropped).

When the staging table holds all 31 provinces of an indicator and year, **each read from the publisher
itself or from a news report of it** (``verification`` not ``secondary_copy``), the normal command takes
them from there instead of from ``--csv`` (the province's own sources stay in the staging table)::

    python tools/add_year.py --from-staging --source-id prov_first_release_2025_gdp --indicator gdp \\
        --year 2025 --vintage first_release --publisher ... --table ... --obtained-from ...

With fewer than 31, or with any value read only in a secondary copy, it refuses and names the provinces.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_datapackage  # noqa: E402  (tools/ is not a package; reuse its functions, never copy them)

DEFAULT_DATA = HERE.parent / "data"
#: indicators that a vintage (data/vintages.csv) may contain; the others are single series
VINTAGE_INDICATORS = ("gdp", "pop_yearend", "pop_yearend_total_compendium")
SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
DEFAULT_LICENCE = "数字适用国家统计局使用条款 (NBS terms of use)"
#: every file the command may change (restored if validation fails)
TOUCHED = ("province_panel.csv", "sources.csv", "vintages.csv", "datapackage.json", "README.md",
           "first_release_2025_staging.csv")
#: the staging table of partial first releases and the columns a staged row must have
STAGING = "first_release_2025_staging.csv"
STAGING_COLUMNS = ["code", "indicator", "year", "value", "unit", "growth", "source", "url", "date",
                   "verification", "note"]
#: how a staged value was read (data/README.md explains each class)
VERIFICATION = ("government_page", "press_report", "secondary_copy")
STAGING_UNITS = {"gdp": "100 million yuan", "pop_yearend": "10000 persons"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class AddYearError(ValueError):
    """The new rows were refused; ``problems`` lists every reason (Chinese / English)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------- small helpers

def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """A CSV as (header, list of dicts of strings); nothing is converted."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _append_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    text = path.read_text(encoding="utf-8")
    buf = io.StringIO()
    if text and not text.endswith("\n"):
        buf.write("\n")
    csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerows(rows)
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _years(rows: list[dict]) -> set[int]:
    out: set[int] = set()
    for r in rows:
        out.update(range(int(r["year_from"]), int(r["year_to"]) + 1))
    return out


def _role(indicator: str) -> str:
    return "gdp" if indicator == "gdp" else "pop"


# ---------------------------------------------------------------- validation

def check_new_rows(data_dir: Path, csv_path: Path, indicator: str, year: int, source_id: str,
                   unit: str | None = None) -> tuple[list[dict], str, list[str]]:
    """Validate the 31 rows; return (rows for province_panel.csv, unit, problems)."""
    problems: list[str] = []
    _, provinces = _read_rows(data_dir / "provinces.csv")
    names = {p["code"]: p["name_zh_short"] for p in provinces}
    _, panel = _read_rows(data_dir / "province_panel.csv")

    units = sorted({r["unit"] for r in panel if r["indicator"] == indicator})
    if not units:
        valid = ", ".join(sorted({r["indicator"] for r in panel}))
        problems.append(f"未知的指标 {indicator!r}；可选：{valid} / unknown indicator {indicator!r}; valid: {valid}")
        expected_unit = unit or ""
    else:
        expected_unit = units[0]
        if unit is not None and unit != expected_unit:
            problems.append(f"单位不对：指标 {indicator} 的单位是 {expected_unit!r}，给出的是 {unit!r} / "
                            f"wrong unit: {indicator} is in {expected_unit!r}, got {unit!r}")

    if not SOURCE_ID.match(source_id):
        problems.append(f"source_id {source_id!r} 只能含字母、数字、下划线、点和连字符 / "
                        f"source_id {source_id!r} may only contain letters, digits, _ . -")
    if any(r["indicator"] == indicator and r["source_id"] == source_id and int(r["year"]) == year
           for r in panel):
        problems.append(f"来源 {source_id} 已有 {year} 年的 {indicator}（年份已存在），不能重复加入 / "
                        f"source {source_id} already has {indicator} for {year} (year already present)")

    if not csv_path.exists():
        problems.append(f"找不到文件 {csv_path} / file not found: {csv_path}")
        return [], expected_unit, problems
    header, rows = _read_rows(csv_path)
    if not {"code", "value"} <= set(header):
        problems.append(f"{csv_path.name} 须有 code 和 value 两列，现有：{', '.join(header)} / "
                        f"{csv_path.name} needs columns code,value; has: {', '.join(header)}")
        return [], expected_unit, problems

    seen: dict[str, int] = {}
    out: list[dict] = []
    for line, r in enumerate(rows, start=2):  # line 1 is the header
        code = (r.get("code") or "").strip()
        raw = (r.get("value") or "").strip()
        if code not in names:
            problems.append(f"第 {line} 行：未知的省份代码 {code!r}（只接受 31 个省的两位代码） / "
                            f"line {line}: unknown province code {code!r} (31 two-digit codes only)")
            continue
        seen[code] = seen.get(code, 0) + 1
        value = _number(raw)
        if value is None:
            problems.append(f"第 {line} 行（{code} {names[code]}）：数值 {raw!r} 不是数字 / "
                            f"line {line} ({code}): value {raw!r} is not numeric")
        elif value <= 0:
            problems.append(f"第 {line} 行（{code} {names[code]}）：数值 {raw!r} 不是正数 / "
                            f"line {line} ({code}): value {raw!r} is not positive")
        row_unit = (r.get("unit") or "").strip()
        if "unit" in header and expected_unit and row_unit != expected_unit:
            problems.append(f"第 {line} 行（{code} {names[code]}）：单位 {row_unit!r} 应为 {expected_unit!r} / "
                            f"line {line} ({code}): unit {row_unit!r} should be {expected_unit!r}")
        out.append({"code": code, "year": str(year), "indicator": indicator, "value": raw,
                    "unit": expected_unit, "source_id": source_id})

    duplicated = [f"{c} {names[c]}" for c, k in seen.items() if k > 1]
    if duplicated:
        problems.append(f"重复的省份（每省只能出现一次）：{'、'.join(duplicated)} / "
                        f"duplicate provinces (each exactly once): {', '.join(duplicated)}")
    missing = [f"{c} {names[c]}" for c in names if c not in seen]
    if missing:
        problems.append(f"缺少省份（须 31 省齐全）：{'、'.join(missing)} / "
                        f"missing provinces (all 31 required): {', '.join(missing)}")
    return out, expected_unit, problems


def check_vintage(data_dir: Path, indicator: str, year: int, source_id: str,
                  vintage: str | None) -> list[str]:
    """Refuse a vintage mix; return the problems (empty = fine)."""
    _, vint = _read_rows(data_dir / "vintages.csv")
    belongs = sorted({r["vintage"] for r in vint if r["source_id"] == source_id})
    if vintage is None:
        return []
    problems: list[str] = []
    valid = list(dict.fromkeys(r["vintage"] for r in vint))
    if vintage not in valid:
        return [f"未知的数据版本 {vintage!r}；可选：{', '.join(valid)} / unknown vintage {vintage!r}; "
                f"valid: {', '.join(valid)}"]
    if indicator not in VINTAGE_INDICATORS:
        problems.append(f"指标 {indicator} 不属于任何数据版本（版本只含 {', '.join(VINTAGE_INDICATORS)}），"
                        f"请去掉 --vintage / indicator {indicator} cannot be part of a vintage "
                        f"(only {', '.join(VINTAGE_INDICATORS)}); drop --vintage")
        return problems
    _, panel = _read_rows(data_dir / "province_panel.csv")
    source_is_new = not any(r["source_id"] == source_id for r in panel)
    if belongs and vintage not in belongs:
        problems.append(
            f"混用数据版本：来源 {source_id} 已属于版本 {', '.join(belongs)}，不能把它的 {year} 年加入版本 {vintage} / "
            f"vintage mix: source {source_id} already belongs to vintage {', '.join(belongs)}, "
            f"so its year {year} cannot join vintage {vintage}")
    elif not belongs and not source_is_new:
        problems.append(
            f"混用数据版本：来源 {source_id} 已有其他年份但不属于版本 {vintage}；只能把新来源或本已属于 {vintage} 的来源加入该版本 / "
            f"vintage mix: source {source_id} already holds other years outside vintage {vintage}; "
            f"only a new source or one already in {vintage} can be added to it")
    spec = [r for r in vint if r["vintage"] == vintage]
    same_role = [r for r in spec if _role(r["indicator"]) == _role(indicator)]
    other_indicator = sorted({r["indicator"] for r in same_role if r["indicator"] != indicator})
    if other_indicator:
        problems.append(f"版本 {vintage} 的人口用的是 {', '.join(other_indicator)}，不能混入 {indicator} / "
                        f"vintage {vintage} uses {', '.join(other_indicator)} for population, not {indicator}")
    if year in _years([r for r in same_role if r["indicator"] == indicator]):
        problems.append(f"版本 {vintage} 已有 {year} 年的 {indicator}（来自另一个来源），同一年不能有两个来源 / "
                        f"vintage {vintage} already has {indicator} for {year} from another source")
    return problems


def extend_vintage(rows: list[dict], vintage: str, indicator: str, source_id: str, year: int,
                   note: str) -> list[dict]:
    """Add ``year`` to the vintage: widen an adjacent row of the same source, or append a row."""
    rows = [dict(r) for r in rows]
    for r in rows:
        if (r["vintage"], r["indicator"], r["source_id"]) == (vintage, indicator, source_id):
            if int(r["year_to"]) == year - 1:
                r["year_to"] = str(year)
                return rows
            if int(r["year_from"]) == year + 1:
                r["year_from"] = str(year)
                return rows
    label = next(r["label_zh"] for r in rows if r["vintage"] == vintage)
    new = {"vintage": vintage, "label_zh": label, "indicator": indicator, "source_id": source_id,
           "year_from": str(year), "year_to": str(year), "note": note}
    last = max(i for i, r in enumerate(rows) if r["vintage"] == vintage)  # keep a vintage's rows together
    return rows[: last + 1] + [new] + rows[last + 1:]


# ---------------------------------------------------------------- the command

def refresh_package(data_dir: Path) -> list[str]:
    """Rewrite datapackage.json and the README hash table for ``data_dir``, then validate."""
    from quyu.data import validate

    saved = build_datapackage.DATA
    build_datapackage.DATA = data_dir  # the functions read the module-level DATA
    try:
        pkg = build_datapackage.build()
        build_datapackage.update_readme(pkg)
    finally:
        build_datapackage.DATA = saved
    return validate(data_dir / "datapackage.json")


def _write_validated(data_dir: Path, write) -> None:
    """Run ``write()`` (which changes files of ``TOUCHED``), refresh and validate the package; on any
    failure restore every file as it was and raise."""
    backup = {name: (data_dir / name).read_bytes() for name in TOUCHED if (data_dir / name).exists()}
    try:
        write()
        errors = refresh_package(data_dir)
    except Exception:
        for name, content in backup.items():
            (data_dir / name).write_bytes(content)
        raise
    if errors:
        for name, content in backup.items():
            (data_dir / name).write_bytes(content)
        raise RuntimeError("数据包校验失败，已恢复原文件 / package validation failed, files restored:\n"
                           + "\n".join(errors))


def add_year(args: argparse.Namespace) -> list[str]:
    """Validate and (unless dry_run) write; return messages. Raises AddYearError on refusal."""
    data_dir = Path(args.data_dir).resolve()
    rows, unit, problems = check_new_rows(data_dir, Path(args.csv), args.indicator, args.year,
                                          args.source_id, args.unit)
    problems += check_vintage(data_dir, args.indicator, args.year, args.source_id, args.vintage)
    src_header, sources = _read_rows(data_dir / "sources.csv")
    source_is_new = not any(s["source_id"] == args.source_id for s in sources)
    if source_is_new:
        absent = [flag for flag, v in (("--publisher", args.publisher), ("--table", args.table),
                                       ("--obtained-from", args.obtained_from)) if not (v or "").strip()]
        if absent:
            problems.append(f"新来源 {args.source_id} 须写明出处：缺少 {' '.join(absent)} / "
                            f"new source {args.source_id} needs provenance: missing {' '.join(absent)}")
    if problems:
        raise AddYearError(problems)

    messages = [f"校验通过 / valid: {len(rows)} rows of {args.indicator} {args.year} ({unit}) "
                f"from {args.source_id}"]
    if args.dry_run:
        return messages + ["--dry-run：没有写入任何文件 / nothing written"]

    def write() -> None:
        panel_header, _ = _read_rows(data_dir / "province_panel.csv")
        _append_rows(data_dir / "province_panel.csv", panel_header, rows)
        messages.append(f"province_panel.csv: +{len(rows)} rows")
        if source_is_new:
            new_source = {
                "source_id": args.source_id, "publisher": args.publisher.strip(), "table": args.table.strip(),
                "vintage": args.vintage_note or (f"vintage {args.vintage}" if args.vintage else "single release"),
                "obtained_from": args.obtained_from.strip(),
                "covers": f"{args.indicator} {args.year}, 31 provinces",
                "caveats": args.caveats or "", "licence": args.licence or DEFAULT_LICENCE}
            _append_rows(data_dir / "sources.csv", src_header, [new_source])
            messages.append(f"sources.csv: + {args.source_id}")
        if args.vintage:
            vint_header, vint = _read_rows(data_dir / "vintages.csv")
            note = args.note or f"由 tools/add_year.py 加入：{args.year} 年 {args.indicator}（{args.source_id}）"
            _write_rows(data_dir / "vintages.csv", vint_header,
                        extend_vintage(vint, args.vintage, args.indicator, args.source_id, args.year, note))
            messages.append(f"vintages.csv: {args.vintage} + {args.indicator} {args.year}")

    _write_validated(data_dir, write)
    return messages + ["datapackage.json、README.md 校验值已更新，数据包有效 / hashes refreshed, package valid"]


def check_staged_rows(data_dir: Path, csv_path: Path, replace: bool = False) -> tuple[list[dict], list[str]]:
    """Validate rows for the staging table; return (rows, problems)."""
    problems: list[str] = []
    _, provinces = _read_rows(data_dir / "provinces.csv")
    codes = {p["code"] for p in provinces} | {"00"}
    header, rows = _read_rows(csv_path)
    missing = [c for c in STAGING_COLUMNS if c not in header]
    if missing:
        return [], [f"缺少列 {', '.join(missing)} / missing columns {', '.join(missing)}"]
    _, staged = _read_rows(data_dir / STAGING)
    have = {(r["code"], r["indicator"], r["year"]) for r in staged}
    seen: set[tuple] = set()
    for i, r in enumerate(rows, start=2):
        where = f"第 {i} 行 / line {i}"
        key = (r["code"].strip(), r["indicator"].strip(), r["year"].strip())
        if key[0] not in codes:
            problems.append(f"{where}: 未知的省份代码 {key[0]!r} / unknown province code {key[0]!r}")
        if key[1] not in STAGING_UNITS:
            problems.append(f"{where}: 暂存表只收 {', '.join(STAGING_UNITS)}，不收 {key[1]!r} / "
                            f"staging takes {', '.join(STAGING_UNITS)} only, not {key[1]!r}")
        elif r["unit"].strip() != STAGING_UNITS[key[1]]:
            problems.append(f"{where}: {key[1]} 的单位是 {STAGING_UNITS[key[1]]!r}，给出的是 {r['unit']!r} / "
                            f"{key[1]} is in {STAGING_UNITS[key[1]]!r}, got {r['unit']!r}")
        if not key[2].isdigit():
            problems.append(f"{where}: 年份 {key[2]!r} 不是整数 / year {key[2]!r} is not an integer")
        value = _number(r["value"])
        if value is None or value <= 0:
            problems.append(f"{where}: 数值 {r['value']!r} 不是正数 / value {r['value']!r} is not positive")
        if r["growth"].strip() and _number(r["growth"]) is None:
            problems.append(f"{where}: 增速 {r['growth']!r} 不是数 / growth {r['growth']!r} is not a number")
        if r["date"].strip() and not ISO_DATE.match(r["date"].strip()):
            problems.append(f"{where}: 日期 {r['date']!r} 应写成 YYYY-MM-DD / date {r['date']!r} is not YYYY-MM-DD")
        if r["verification"].strip() not in VERIFICATION:
            problems.append(f"{where}: 核实方式 {r['verification']!r} 应为 {', '.join(VERIFICATION)} 之一 / "
                            f"verification must be one of {', '.join(VERIFICATION)}")
        if not r["source"].strip() or not r["url"].strip().startswith(("http://", "https://")):
            problems.append(f"{where}: 每一行都要写明出处与网址 / every row needs a source and a URL")
        if key in seen:
            problems.append(f"{where}: {key} 重复 / duplicate {key}")
        elif key in have and not replace:
            problems.append(f"{where}: {key} 已在暂存表中；换用更好的来源请加 --replace / "
                            f"{key} is already staged; use --replace for a better source")
        seen.add(key)
    return [{c: r[c].strip() for c in STAGING_COLUMNS} for r in rows], problems


def stage(data_dir: Path, csv_path: Path, replace: bool = False, dry_run: bool = False) -> list[str]:
    """Add (or with ``replace`` swap) partial first-release rows in the staging table."""
    rows, problems = check_staged_rows(data_dir, csv_path, replace)
    if problems:
        raise AddYearError(problems)
    messages = [f"校验通过 / valid: {len(rows)} staged rows"]
    if dry_run:
        return messages + ["--dry-run：没有写入任何文件 / nothing written"]
    header, staged = _read_rows(data_dir / STAGING)
    new = {(r["code"], r["indicator"], r["year"]): r for r in rows}
    kept = [r for r in staged if (r["code"], r["indicator"], r["year"]) not in new]
    replaced = len(staged) - len(kept)
    merged = sorted(kept + rows, key=lambda r: (r["year"], r["code"], r["indicator"]))
    _write_validated(data_dir, lambda: _write_rows(data_dir / STAGING, header, merged))
    return messages + [f"{STAGING}: +{len(rows) - replaced} rows, {replaced} replaced",
                       "datapackage.json、README.md 校验值已更新，数据包有效 / hashes refreshed, package valid"]


def staged_values(data_dir: Path, indicator: str, year: int) -> tuple[Path | None, list[str]]:
    """The 31 staged values of ``indicator`` in ``year`` as a temporary code,value CSV; or the missing provinces."""
    import tempfile

    _, provinces = _read_rows(data_dir / "provinces.csv")
    _, staged = _read_rows(data_dir / STAGING)
    rows = {r["code"]: r for r in staged if r["indicator"] == indicator and r["year"] == str(year)}
    got = {code: r["value"] for code, r in rows.items()}
    missing = [f"{p['code']} {p['name_zh_short']}" for p in provinces if p["code"] not in got]
    unverified = [f"{p['code']} {p['name_zh_short']}" for p in provinces
                  if p["code"] in rows and rows[p["code"]]["verification"] == "secondary_copy"]
    problems = []
    if missing:
        problems.append(f"暂存表中 {year} 年的 {indicator} 还缺 {len(missing)} 个省：{'、'.join(missing)} / "
                        f"staging lacks {len(missing)} provinces for {indicator} {year}")
    if unverified:
        problems.append(f"{len(unverified)} 个省的数只见于转载或第三方整理，未经核实：{'、'.join(unverified)}；"
                        f"先用 --stage --replace 换成发布者自己或新闻报道的出处 / {len(unverified)} provinces rest "
                        f"on secondary copies only")
    if problems:
        return None, problems
    fh = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
    with fh:
        fh.write("code,value\n" + "".join(f"{p['code']},{got[p['code']]}\n" for p in provinces))
    return Path(fh.name), []


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="把国家统计局新发布的一年分省数据加入 data/ / add one year of provincial data to data/")
    p.add_argument("--source-id", help="来源 id（新来源或已有来源）/ source id")
    p.add_argument("--indicator", help="指标，如 gdp、pop_yearend / indicator")
    p.add_argument("--year", type=int, help="数据年份 / data year")
    p.add_argument("--csv", help="两列 code,value（31 省）/ CSV with code,value")
    p.add_argument("--from-staging", action="store_true",
                   help="31 省的数值取自暂存表（代替 --csv）/ take the 31 values from the staging table")
    p.add_argument("--stage", metavar="CSV",
                   help="把找到的部分省份的首次发布数加入暂存表 / add partial first releases to the staging table")
    p.add_argument("--replace", action="store_true", help="与 --stage 合用：替换已暂存的行 / replace staged rows")
    p.add_argument("--vintage", help="把这一年加入哪个数据版本（可不填）/ vintage to extend (optional)")
    p.add_argument("--unit", help="核对单位（可不填）/ unit to check (optional)")
    p.add_argument("--publisher", help="新来源必填：原始发布者 / publisher (new source)")
    p.add_argument("--table", help="新来源必填：表名 / table (new source)")
    p.add_argument("--obtained-from", help="新来源必填：获取位置（网址或仓库@提交）/ where obtained (new source)")
    p.add_argument("--vintage-note", help="sources.csv 的 vintage 列（可不填）")
    p.add_argument("--caveats", help="sources.csv 的 caveats 列（可不填）")
    p.add_argument("--licence", help=f"sources.csv 的 licence 列（默认：{DEFAULT_LICENCE}）")
    p.add_argument("--note", help="vintages.csv 新行的 note（可不填）")
    p.add_argument("--data-dir", default=str(DEFAULT_DATA), help="数据目录（默认 data/）/ data directory")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入 / validate only")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.stage:
        run = lambda: stage(Path(args.data_dir).resolve(), Path(args.stage), args.replace, args.dry_run)  # noqa: E731
    else:
        absent = [f for f, v in (("--source-id", args.source_id), ("--indicator", args.indicator),
                                 ("--year", args.year)) if v is None]
        if args.csv is None and not args.from_staging:
            absent.append("--csv 或 --from-staging")
        if absent:
            p.error("缺少参数 / missing: " + " ".join(absent))
        if args.from_staging:
            path, problems = staged_values(Path(args.data_dir).resolve(), args.indicator, args.year)
            if problems:
                print("拒绝加入 / refused:", *(f"  - {x}" for x in problems), sep="\n", file=sys.stderr)
                return 2
            args.csv = str(path)

            def run():
                try:
                    return add_year(args)
                finally:
                    path.unlink(missing_ok=True)   # the temporary code,value file
        else:
            run = lambda: add_year(args)  # noqa: E731
    try:
        messages = run()
    except AddYearError as refused:
        print("拒绝加入 / refused:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except RuntimeError as failed:
        print(str(failed), file=sys.stderr)
        return 1
    for m in messages:
        print(m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
