"""给读者的数据文件：网站的 ``_downloads/quyu/data/`` 中，不写代码就能用电子表格打开的数据。

- **每个表一份**（文件名与 ``data/`` 中的相同）：UTF-8 带 BOM，第一行是以 ``#`` 开头的说明，列名换成
  中文（含单位），省份代码旁边加一列省份名称，指标与单位代码旁边加一列中文名称；数值照原文件，一字不改。
- **各数据版本的宽表**（``panel_<版本>_<列>.csv``）：每行一个省份（代码与名称），每年一列，数值由
  :func:`quyu.data.panel` 算出（GDP、年末常住人口、年平均人口、人均 GDP）。
- **整个数据包**（``quyu-data.zip``）：``data/`` 中的全部文件，原样。

中文名称不写在代码里：全部取自 ``data/reader_labels.csv``（说明见 ``data/README.md``）。
表的说明是 ``column`` 为空的行，列名是 ``value`` 为空的行，代码的中文名是 ``value`` 非空的行；
``table`` 为空的行适用于所有表，``panel`` 的行给出宽表有哪些列。某个表登记了 ``<列>_zh`` 时，
该列旁边加一列中文名称（省份代码的名称取自 ``provinces.csv``）。缺少名称时构建失败并点名。

文件内容只取决于 ``data/``：同样的数据得到同样的字节（zip 的文件顺序与时间固定）。
"""
from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

from .errors import BookError

LABELS = "reader_labels.csv"
#: 网站中的位置（相对于输出目录）。
FOLDER = "_downloads/quyu/data"
ZIP_NAME = "quyu-data.zip"
#: 宽表的伪表名（data/reader_labels.csv 的 table 列）。
PANEL = "panel"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _read_text(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f)]


def _labels(data_dir: Path) -> dict:
    rows = _read_text(data_dir / LABELS)
    head, body = rows[0], rows[1:]
    idx = {name: head.index(name) for name in ("table", "column", "value", "label_zh")}
    return {(r[idx["table"]], r[idx["column"]], r[idx["value"]]): r[idx["label_zh"]] for r in body}


def _missing(what_zh: str, what_en: str) -> BookError:
    return BookError(f"{what_zh}：请在 data/{LABELS} 中补上一行。", f"{what_en}: add a row to data/{LABELS}.")


class Labels:
    """data/reader_labels.csv 的查询。"""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.rows = _labels(self.data_dir)
        prov = _read_text(self.data_dir / "provinces.csv")
        ci, ni = prov[0].index("code"), prov[0].index("name_zh_short")
        self.provinces = {r[ci]: r[ni] for r in prov[1:]}
        self.provinces.update({f"{c}0000": n for c, n in list(self.provinces.items())})

    def table(self, table: str) -> str:
        if (table, "", "") not in self.rows:
            raise _missing(f"表 {table} 没有中文说明", f"table {table} has no Chinese description")
        return self.rows[(table, "", "")]

    def has(self, table: str, column: str) -> bool:
        return (table, column, "") in self.rows

    def column(self, table: str, column: str) -> str:
        for key in ((table, column, ""), ("", column, "")):
            if key in self.rows:
                return self.rows[key]
        raise _missing(f"表 {table} 的列 {column} 没有中文列名", f"column {column} of {table} has no Chinese label")

    def value(self, table: str, column: str, value: str) -> str:
        if value == "":
            return ""
        for key in ((table, column, value), ("", column, value)):
            if key in self.rows:
                return self.rows[key]
        if value in self.provinces:
            return self.provinces[value]
        raise _missing(f"表 {table} 的列 {column} 中的“{value}”没有中文名称",
                       f"{value!r} in column {column} of {table} has no Chinese name")

    def panel_columns(self) -> list[str]:
        """宽表的列（panel 的行中除省份代码与名称之外的列）。"""
        return [c for (t, c, v) in self.rows if t == PANEL and c and not v and c != "code" and not c.endswith("_zh")]


def _csv_bytes(note: str, header: list[str], rows) -> bytes:
    """与书中其他下载相同的格式：UTF-8 带 BOM，第一行是说明，行尾 CRLF。"""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"# 说明：{note}"])
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def tables(data_dir: Path) -> list[str]:
    """数据包中的表（datapackage.json 的顺序）。"""
    import json

    package = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    return [r["path"] for r in package["resources"]]


def reader_table(name: str, data_dir: Path, labels: Labels | None = None) -> bytes:
    """``data/<name>`` 的读者版：中文列名、代码旁加中文名称，数值照原文件。"""
    labels = labels or Labels(data_dir)
    rows = _read_text(Path(data_dir) / name)
    head, body = rows[0], rows[1:]
    out_head, plan = [], []
    for i, col in enumerate(head):
        out_head.append(labels.column(name, col))
        plan.append((i, None))
        if labels.has(name, f"{col}_zh") and f"{col}_zh" not in head:
            out_head.append(labels.column(name, f"{col}_zh"))
            plan.append((i, col))
    cache: dict = {}

    def cell(row, i, col):
        if col is None:
            return row[i]
        key = (col, row[i])
        if key not in cache:
            cache[key] = labels.value(name, col, row[i])
        return cache[key]

    out = [[cell(r, i, col) for i, col in plan] for r in body]
    note = f"{labels.table(name)}。数值照数据包中的 {name} 原样抄录；出处见来源台账 sources.csv。"
    return _csv_bytes(note, out_head, out)


#: 宽表中数值的小数位数（至多；末尾的 0 去掉）。原表的数至多两位小数，原样保留；算出的人均值保留到万分位。
DIGITS = 4


def _number(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{float(value):.{DIGITS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def wide_name(vintage: str, column: str) -> str:
    return f"panel_{vintage}_{column}.csv"


def wide_table(vintage: str, column: str, labels: Labels) -> bytes:
    """一个数据版本、一列的宽表：每行一个省份，每年一列（:func:`quyu.data.panel`）。"""
    from . import data

    info = data.vintage_info(vintage)
    p = data.panel(vintage)
    grid = p.pivot(index="code", columns="year", values=column)
    years = [int(y) for y in grid.columns]
    header = [labels.column(PANEL, "code"), labels.column(PANEL, "code_zh")] + [str(y) for y in years]
    rows = [[code, labels.value(PANEL, "code", code)] + [_number(grid.loc[code, y]) for y in years]
            for code in data.provinces()["code"]]
    sources = "、".join(dict.fromkeys(s["source_id"] for s in info["sources"]))
    people = "、".join(dict.fromkeys(labels.value(PANEL, "indicator", s["indicator"]) for s in info["sources"]
                                     if s["indicator"] != "gdp"))
    note = (f"{info['label_zh']}，{labels.column(PANEL, column)}；{labels.table(PANEL)}；人口为{people}。"
            f"由数据包的省级面板 province_panel.csv 算出，来源编号：{sources}（见来源台账 sources.csv）；"
            "空格表示缺失，不估算。")
    return _csv_bytes(note, header, rows)


def data_zip(data_dir: Path) -> bytes:
    """``data/`` 的全部文件，原样打包（文件顺序与时间固定）。"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(Path(data_dir).rglob("*")):
            if p.is_file():
                zi = zipfile.ZipInfo(f"data/{p.relative_to(data_dir).as_posix()}", date_time=_FIXED_TIME)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, p.read_bytes())
    return buf.getvalue()


def catalogue(data_dir: Path | None = None) -> list[dict]:
    """全部下载文件：``name``（文件名）、``kind``（table / wide / zip）与一句中文说明 ``about``，
    宽表另有 ``vintage`` 与 ``column``。只读 data/，不写文件（附录的下载一节与构建时的检查用它）。"""
    from . import data

    data_dir = Path(data_dir or data.data_dir())
    labels = Labels(data_dir)
    files = [{"name": ZIP_NAME, "kind": "zip", "about": "整个数据包：data/ 中的全部文件原样打包（含说明和校验值）"}]
    for vintage in data.VINTAGES:
        label = data.vintage_info(vintage)["label_zh"]
        for column in labels.panel_columns():
            files.append({"name": wide_name(vintage, column), "kind": "wide", "vintage": vintage, "column": column,
                          "about": f"{label}：各省{labels.column(PANEL, column)}，每年一列"})
    for name in tables(data_dir):
        files.append({"name": name, "kind": "table", "about": labels.table(name)})
    return files


def panel_label(column: str, data_dir: Path | None = None) -> str:
    """省级面板一列（``gdp``、``pop``、``pop_mean``、``gdp_pc``）在读者面前的名称（含单位），取自
    ``data/reader_labels.csv`` 的 ``panel`` 行；正文与表格用它，不写列的代码名。"""
    from . import data

    return Labels(Path(data_dir or data.data_dir())).column(PANEL, column)


def names(data_dir: Path | None = None) -> set[str]:
    return {f["name"] for f in catalogue(data_dir)}


def write(outdir: Path, data_dir: Path | None = None) -> list[Path]:
    """把全部下载文件写到 ``<outdir>/_downloads/quyu/data/``；返回写出的文件。"""
    from . import data

    data_dir = Path(data_dir or data.data_dir())
    labels = Labels(data_dir)
    target = Path(outdir) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for f in catalogue(data_dir):
        if f["kind"] == "zip":
            body = data_zip(data_dir)
        elif f["kind"] == "wide":
            body = wide_table(f["vintage"], f["column"], labels)
        else:
            body = reader_table(f["name"], data_dir, labels)
        path = target / f["name"]
        if not path.exists() or path.read_bytes() != body:
            path.write_bytes(body)
        written.append(path)
    return written
