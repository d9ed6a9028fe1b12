"""版本清单：一次构建中全部粘贴（glue）的数值、数据与代码的指纹；以及两个版本之间的变化。

- :func:`build_manifest`：从构建时执行过的笔记本收集每一章的每个粘贴值（键 → 文字），加上
  data/ 各表按年份的指纹、代码与正文的指纹、版本号与日期。构建结束时写成
  ``_downloads/quyu/manifest.json``（:mod:`quyu.site`）；``./book.sh release`` 把它放进发布目录，
  并存入仓库的 ``releases/<版本>/manifest.json``；
- :func:`compare`：把本次构建的清单与上一版的清单逐项比较，给出每个变化的原因：
  ``new_year``（数据多了年份）、``revision``（已有年份的数据被修订）、``method``（数据没变，
  代码或正文变了）；数据同时多了年份又有修订时，看这个值的文字是否写到新增的年份；
- 附录“本版变化”用 ``{quyu-changes}`` 指令（:mod:`quyu.sphinxext`）显示比较的结果。

本模块属于框架：不认识任何一章，只读执行过的笔记本与 data/。
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from .data import cached


ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "releases"

#: 变化原因的中文名
REASONS_ZH = {
    "new_year": "新增年份",
    "revision": "数据修订",
    "method": "方法或文字改动",
    "added": "新增的数值",
    "removed": "删去的数值",
}


def glue_text(out: dict) -> str | None:
    """一个粘贴输出的文字：Markdown 优先，其次纯文字；图像记为其散列（图像本身不比较文字）。"""
    data = out.get("data") or {}
    for mime in ("text/markdown", "text/plain"):
        if mime in data:
            value = data[mime]
            return "".join(value) if isinstance(value, list) else str(value)
    for mime, value in sorted(data.items()):
        if mime.startswith("image/"):
            body = "".join(value) if isinstance(value, list) else str(value)
            return "image:" + hashlib.sha256(body.encode()).hexdigest()[:16]
    return None


def glue_values(execute_dir: Path, notebooks=()) -> dict[str, dict[str, str]]:
    """一次构建的全部粘贴值：``{文档名: {键: 文字}}``（只含有粘贴值的文档）。

    myst-nb 把每一章粘贴的输出存在 ``jupyter_execute/<文档名>.glue.json`` 中；留在笔记本输出里的
    （``notebooks``：``(文档名, 笔记本)`` 序列）也算。"""
    values: dict[str, dict[str, str]] = {}
    root = Path(execute_dir)
    for path in sorted(root.rglob("*.glue.json")):
        doc = path.relative_to(root).as_posix()[: -len(".glue.json")]
        try:
            glued = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for key, out in (glued.items() if isinstance(glued, dict) else []):
            text = glue_text(out) if isinstance(out, dict) else None
            if text is not None:
                values.setdefault(doc, {})[key] = text
    for doc, nb in notebooks:
        for cell in nb.get("cells", []):
            for out in cell.get("outputs", []) or []:
                key = ((out.get("metadata") or {}).get("scrapbook") or {}).get("name")
                text = glue_text(out) if key else None
                if text is not None:
                    values.setdefault(doc, {})[key] = text
    return {doc: dict(sorted(v.items())) for doc, v in sorted(values.items())}


def data_fingerprint(data_dir: Path) -> dict[str, dict[str, str]]:
    """data/ 每张 CSV 表的指纹：有 ``year`` 列的表按（来源编号，年份）分组各算一个散列，
    其他表整张算一个（键为 ``"*"``）。比较两版即可知道哪些年份是新增的、哪些被修订了。"""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(Path(data_dir).glob("*.csv")):
        st = path.stat()
        out[path.name] = _table_fingerprint(str(path.resolve()), st.st_mtime_ns, st.st_size)
    return out


@cached
def _table_fingerprint(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    """一张表的指纹（见 :func:`data_fingerprint`）。一次构建中“本版变化”页与清单都要它：按文件的路径、
    修改时间与大小记住结果，文件一变就重算。"""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or "year" not in rows[0]:
        return {"*": hashlib.sha256(text.encode()).hexdigest()[:16]}
    head = rows[0]
    y = head.index("year")
    s = head.index("source_id") if "source_id" in head else None
    groups: dict[str, hashlib._Hash] = {}
    for row in rows[1:]:
        if len(row) != len(head):
            continue
        key = f"{row[s] if s is not None else ''}|{row[y]}"
        groups.setdefault(key, hashlib.sha256()).update(("\x1f".join(row) + "\n").encode())
    return {k: h.hexdigest()[:16] for k, h in sorted(groups.items())}


def code_fingerprint(root: Path = ROOT) -> str:
    """方法与正文的指纹：quyu/ 的 Python 代码与 book/ 的章节。"""
    h = hashlib.sha256()
    for pattern in ("quyu/**/*.py", "book/**/*.md"):
        for p in sorted(root.glob(pattern)):
            if "__pycache__" in p.parts:
                continue
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def build_manifest(execute_dir: Path, notebooks, data_dir: Path, root: Path = ROOT) -> dict:
    """本次构建的清单（可写成 JSON）：``execute_dir`` 是构建的 ``jupyter_execute/`` 目录。"""
    from . import __date__, __version__

    return {
        "version": __version__,
        "date": __date__,
        "code": code_fingerprint(root),
        "data": data_fingerprint(data_dir),
        "values": glue_values(execute_dir, notebooks),
    }


def dumps(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _version_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", text))


def previous(version: str, releases: Path = RELEASES) -> dict | None:
    """``releases/`` 中版本号低于 ``version`` 的最新一版的清单；没有则为 None。"""
    found = []
    for path in Path(releases).glob("*/manifest.json"):
        v = path.parent.name
        if _version_key(v) < _version_key(version):
            found.append((_version_key(v), path))
    if not found:
        return None
    return json.loads(max(found)[1].read_text(encoding="utf-8"))


def data_changes(old: dict, new: dict) -> dict[str, set]:
    """两版数据指纹之差：``new_years``（某张表新增的年份）、``revised``（被修订的表与年份）、``removed``。

    一个年份对某张表是新的，才算新增年份（别的表里早有这一年也一样，例如暂存表先收了初步数）；
    已有年份的新来源或改动的数值算修订。"""
    added_years: set[int] = set()
    revised: set[str] = set()
    removed: set[str] = set()

    def year(key: str) -> int | None:
        y = key.rsplit("|", 1)[-1]
        return int(y) if y.isdigit() else None

    for table in sorted(set(old) | set(new)):
        a, b = old.get(table, {}), new.get(table, {})
        years_before = {year(k) for k in a} - {None}
        for key in set(b) - set(a):
            y = year(key)
            if y is not None and y not in years_before:
                added_years.add(y)
            else:
                revised.add(f"{table}|{key}")
        for key in set(a) & set(b):
            if a[key] != b[key]:
                revised.add(f"{table}|{key}")
        for key in set(a) - set(b):
            removed.add(f"{table}|{key}")
    return {"new_years": added_years, "revised": revised | removed, "removed": removed}


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def reason(old_text: str, new_text: str, changes: dict, code_changed: bool) -> str:
    """一个变化了的数值的原因（:data:`REASONS_ZH` 的键）。"""
    new_years, revised = changes["new_years"], changes["revised"]
    if not new_years and not revised:
        return "method"
    if new_years and not revised:
        return "new_year"
    if revised and not new_years:
        return "revision"
    mentioned = {int(y) for y in _YEAR.findall(new_text)} - {int(y) for y in _YEAR.findall(old_text)}
    return "new_year" if mentioned & new_years else "revision"


def compare(old: dict, new: dict) -> dict:
    """两版清单的比较：每一章变化了的数值（旧、新、原因），以及数据与代码的变化概况。"""
    changes = data_changes(old.get("data", {}), new.get("data", {}))
    code_changed = old.get("code") != new.get("code")
    docs: dict[str, list[dict]] = {}
    old_values, new_values = old.get("values", {}), new.get("values", {})
    for doc in sorted(set(old_values) | set(new_values)):
        a, b = old_values.get(doc, {}), new_values.get(doc, {})
        rows = []
        for key in sorted(set(a) | set(b)):
            if key not in a:
                rows.append({"key": key, "old": None, "new": b[key], "reason": "added"})
            elif key not in b:
                rows.append({"key": key, "old": a[key], "new": None, "reason": "removed"})
            elif a[key] != b[key]:
                rows.append({"key": key, "old": a[key], "new": b[key],
                             "reason": reason(a[key], b[key], changes, code_changed)})
        if rows:
            docs[doc] = rows
    return {"from": old.get("version"), "from_date": old.get("date"), "to": new.get("version"),
            "to_date": new.get("date"), "new_years": sorted(changes["new_years"]),
            "revised_tables": sorted({r.split("|")[0] for r in changes["revised"]}),
            "code_changed": code_changed, "docs": docs,
            "unchanged": sum(len(set(old_values.get(d, {})) & set(v)) for d, v in new_values.items())
            - sum(1 for rows in docs.values() for r in rows if r["reason"] not in ("added", "removed"))}


# ---------------------------------------------------------------- 读者看到的说明

_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
_ROLE = re.compile(r"\{(?:term|ref|numref|doc|cite:p|cite:t|cite)\}`([^`<]*?)(?:\s*<[^>]*>)?`")


_NUMREF = re.compile(r"\{numref\}`([^`<]*?%s[^`<]*?)\s*<([^>]*)>`")
#: 数学式在变化表（纯文字）中的写法
_TEX = {r"\phi": "φ", r"\sigma": "σ", r"\beta": "β", r"\lambda": "λ", r"\rho": "ρ", r"\theta": "θ",
        r"\tau": "τ", r"\mu": "μ", r"\alpha": "α", r"\gamma": "γ", r"\delta": "δ", r"\times": "×",
        r"\le": "≤", r"\ge": "≥", r"\approx": "≈", r"\cdot": "·", r"\,": " ", r"\;": " ", r"\%": "%",
        r"\omega": "ω", r"\chi": "χ", r"\pi": "π", r"\epsilon": "ε", r"\varepsilon": "ε", r"\Delta": "Δ",
        r"\ln": "ln", r"\exp": "exp", r"\log": "log", r"\infty": "∞", r"\pm": "±", r"\neq": "≠"}
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _math_plain(text: str) -> str:
    """``$…$`` 中的 TeX 写成纯文字（希腊字母等换成字符，去掉 ``$``、``{}`` 与 ``\\mathrm``）。"""
    def one(m):
        body = m.group(1)
        for tex, ch in sorted(_TEX.items(), key=lambda kv: -len(kv[0])):
            body = re.sub(re.escape(tex) + r"(?![A-Za-z])", ch, body)
        body = re.sub(r"\\(?:mathrm|text|operatorname|mathit|boldsymbol)\b", "", body)
        for _ in range(3):   # \frac{a}{b} → (a)/(b)，可以嵌套
            body = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", body)
        body = re.sub(r"\^\{?(-?\d+)\}?", lambda k: k.group(1).translate(_SUP), body)
        body = re.sub(r"\\left|\\right", "", body)
        return body.replace("{", "").replace("}", "")
    return re.sub(r"\$([^$]+)\$", one, text)


#: 图表编号引用（``{numref}`第 %s 章 <label>```）在纯文字中的写法：由构建时的 Sphinx 环境填入
#: 标签 → 标题（:func:`set_label_titles`）；没有时只去掉编号
_LABEL_TITLES: dict[str, str] = {}


def set_label_titles(titles: dict[str, str]) -> None:
    _LABEL_TITLES.clear()
    _LABEL_TITLES.update(titles)


def _numref_plain(m) -> str:
    title = _LABEL_TITLES.get(m.group(2).strip())
    return f"“{title}”" if title else " ".join(m.group(1).replace("%s", "").split())


_BARE_REF = re.compile(r"\{(?:ref|numref)\}`([^`<%\s]+)`")


def _plain(text: str) -> str:
    text = _NUMREF.sub(_numref_plain, text)
    # 只写了标签的引用：写成所指的标题（没有时去掉，不让标签名出现在读者面前）
    text = _BARE_REF.sub(lambda m: f"“{_LABEL_TITLES[m.group(1)]}”" if m.group(1) in _LABEL_TITLES else "", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)   # 脚注的引用
    text = _ROLE.sub(lambda m: "" if m.group(0).startswith("{cite") else m.group(1), text)
    text = _math_plain(text)
    text = re.sub(r"\*\*|__|`", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def short(value: str | None, limit: int = 60) -> str:
    """一个粘贴值在变化表中的简写：表格写明行数，过长的文字截断。"""
    if value is None:
        return "—"
    if value.startswith("image:"):
        return "（图）"
    lines = [ln for ln in value.splitlines() if ln.strip().startswith("|")]
    if len(lines) >= 2:
        return f"（表格，{len(lines) - 2} 行）"
    text = readers_words(_plain(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def readers_words(text: str) -> str:
    """旧版粘贴的文字里若有数据版本或面板列的代码名（旧版的疏漏），变化表中换成它们的中文名：
    读者面前不出现代码名（名称取自 ``data/vintages.csv`` 与 ``data/reader_labels.csv``）。"""
    import re

    from . import data, datafiles

    names = {v: data.vintage_info(v)["label_zh"] for v in data.VINTAGES}
    for col in ("gdp_pc", "pop_mean", "gdp", "pop"):
        names[col] = datafiles.panel_label(col)
    pattern = re.compile(r"(?<![A-Za-z_])(" + "|".join(sorted(names, key=len, reverse=True)) + r")(?![A-Za-z_])")
    return pattern.sub(lambda m: names[m.group(1)], text)


def context(source: str, key: str, values: dict[str, str], limit: int = 90) -> str:
    """``key`` 在一章源文件中出现的那句话（其他粘贴值代入本版的数，这个值写作“〔此数〕”）；
    粘贴为表格时给出表题；不在正文中出现时为空字符串。"""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if f"`{key}`" in line and "{glue" in line:
            for sentence in re.split(r"(?<=[。；！？])", line):
                if f"`{key}`" in sentence:
                    text = _GLUE_ROLE.sub(lambda m: "〔此数〕" if m.group(1) == key
                                          else short(values.get(m.group(1)), 30), sentence)
                    text = _plain(text)
                    if len(text) > limit:
                        at = text.find("〔此数〕")
                        start = max(0, at - limit // 2)
                        text = ("…" if start else "") + text[start:start + limit] + "…"
                    return text
        if re.match(rf"^\s*[`:]{{3,}}\s*\{{glue(?::\w+)?\}}\s+{re.escape(key)}\s*$", line):
            for back in range(i - 1, max(-1, i - 8), -1):
                m = re.match(r"^\s*[`:]{3,}\s*\{(?:table|figure)\}\s*(.*)$", lines[back])
                if m and m.group(1).strip():
                    return f"表：{_plain(m.group(1))}"
            return "（表格）"
    return ""
