"""练习的自查：学生在 Jupyter 中调用 ``check("ex-p2-3-1", 答案)``，得到“正确 / 接近 / 不对”，
而不会看到标准答案。

    from quyu.check import check, exercises
    exercises()                                   # 哪些练习可以自查，各要几个数、什么单位
    check("ex-p2-3-2", 2.51)                      # → 正确 / 接近 / 不对（附容差）

- 标准答案不是手写的数字：它们由 :mod:`quyu.parts.answers` 中的函数用各部分模块的函数从 data/ 计算；
- 本模块属于框架，不导入任何部分模块，只读一个答案文件 ``answers.json``：其中保存的是答案按
  容差取整后的散列值（加上练习编号作盐）。构建本书时（Sphinx 扩展 ``quyu.parts.answers``）写出
  这个文件，放进源代码目录的 ``quyu/``（不进仓库）和网站提供的 wheel；没有这个文件时，
  ``check`` 用中文说明先构建本书；
- 答案格式不对（类型、个数、NaN）给出中文说明，从不抛出 traceback；答案文件不完整或损坏（例如写入时
  被中断）时也一样，并说明怎样重新生成。答案文件每次自查都重新读（只有几十 KB，不缓存）：
  在 Jupyter 中先自查、再构建，也能读到新文件；
- 写答案文件时先写到同一目录中的临时文件，再原子地替换（``os.replace``）：中断的写入不会留下半个文件。

判定规则（对称）：第 i 个数要求保留 ``decimals[i]`` 位小数，末位单位 u = 10^-d。
|答案 − 标准答案| ≤ u（末位差 1 以内，不论偏大还是偏小）为“正确”；≤ 10u（少保留一位时差 1 以内）为
“接近”；否则“不对”。``exact`` 中列出的数（年份、个数）必须是整数并且完全一致，没有“接近”。
不对的数如果乘或除以 100、10 000 之后在容差以内，提示检查单位（百分数与小数、元与万元）。

散列只能判断“相等”，不能给出距离。所以保存的是标准答案在更细的格点上（u/100，即多两位小数）
取整后的散列；自查时把学生答案取整到同一格点，再把它两侧 ±1000 个格点（±10u）逐一散列、比对：
对上的那个格点离学生答案有多远，就是两者的距离（精确到 u/100）。这样判定对偏大、偏小一视同仁，
而文件中仍然只有散列，不存答案的明文（散列不是加密：知道算法的人可以逐个试出格点值，这里只是
不让答案一眼可见）。
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ANSWERS_FILE = Path(__file__).resolve().parent / "answers.json"


@dataclass(frozen=True)
class Spec:
    """一道练习的自查规格：要的几个数（名称与单位）、各自保留的小数位数、一句说明。"""

    exercise: str
    items: tuple[str, ...]
    decimals: tuple[int, ...]
    note: str = ""
    #: 必须完全一致的整数（年份、个数）的位置
    exact: tuple[int, ...] = ()


#: 保存答案的格点比题目要求的精度细多少位：格点 = 末位单位 / 10**GRID_EXTRA。
GRID_EXTRA = 2
#: “正确”与“接近”的容差，以末位单位计（对称）。
RIGHT_UNITS, CLOSE_UNITS = 1, 10
#: 不对时试一试的单位换算倍数（百分数与小数、元与万元）。
UNIT_FACTORS = (100, 10_000)


def _grid(value: float, decimals: int) -> int:
    """``value`` 取整到格点（末位单位的 1/100）后的格点序号。"""
    return round(value * 10.0 ** (decimals + GRID_EXTRA))


def _digest(exercise: str, i: int, point: int) -> str:
    text = f"quyu|{exercise}|{i}|{point}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _hashes(exercise: str, values, decimals) -> list[dict]:
    return [{"hash": _digest(exercise, i, _grid(v, d))} for i, (v, d) in enumerate(zip(values, decimals))]


def _distance(exercise: str, i: int, value: float, decimals: int, digest: str, units: int) -> int | None:
    """学生答案到标准答案的距离（格点数），不超过 ``units`` 个末位单位时；否则 None。"""
    center = _grid(value, decimals)
    reach = units * 10 ** GRID_EXTRA
    for k in range(reach + 1):
        for point in {center - k, center + k}:
            if _digest(exercise, i, point) == digest:
                return k
    return None


def _verdict(exercise: str, i: int, value: float, decimals: int, digest: str) -> str:
    k = _distance(exercise, i, value, decimals, digest, CLOSE_UNITS)
    if k is None:
        return "wrong"
    return "right" if k <= RIGHT_UNITS * 10 ** GRID_EXTRA else "close"


def _unit_factor(exercise: str, i: int, value: float, decimals: int, digest: str) -> str | None:
    """不对的数乘或除以 100、10 000 之后在“接近”的容差以内时：说明是哪一种换算。"""
    for factor in UNIT_FACTORS:
        if _distance(exercise, i, value / factor, decimals, digest, CLOSE_UNITS) is not None:
            return f"大了约 {factor:,} 倍".replace(",", " ")
        if _distance(exercise, i, value * factor, decimals, digest, CLOSE_UNITS) is not None:
            return f"小了约 {factor:,} 倍".replace(",", " ")
    return None


def answer_table(registry) -> dict:
    """把 ``registry``（(Spec, 计算答案的函数) 的序列）算成只含散列的答案表。"""
    out = {}
    for spec, compute in registry:
        values = [float(v) for v in compute()]
        if len(values) != len(spec.items) or len(spec.decimals) != len(spec.items):
            raise ValueError(f"{spec.exercise}: {len(values)} values for {len(spec.items)} items")
        if any(math.isnan(v) or math.isinf(v) for v in values):
            raise ValueError(f"{spec.exercise}: answer is not finite")
        for i in spec.exact:
            if values[i] != round(values[i]) or spec.decimals[i] != 0:
                raise ValueError(f"{spec.exercise}: item {i} must be a whole number with 0 decimals")
        out[spec.exercise] = {"items": list(spec.items), "decimals": list(spec.decimals), "note": spec.note,
                              "exact": list(spec.exact), "hashes": _hashes(spec.exercise, values, spec.decimals)}
    return out


def dumps(table: dict) -> str:
    """答案表的 JSON 文本（同样的答案得到同样的文本）。"""
    return json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_answers(table: dict, path: Path = ANSWERS_FILE) -> bool:
    """写出答案文件；内容没有变化时不重写（不改动文件时间）。返回是否写了。

    先写到同一目录中的临时文件，再用 ``os.replace`` 替换：读者在任何时刻读到的要么是旧文件，要么是
    完整的新文件；写入失败时旧文件不变，临时文件被删除。"""
    text = dumps(table)
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, ValueError):   # 不在、读不了或不是 UTF-8：重写
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)   # mkstemp 建的文件只有本人可读；答案文件与其他包文件一样
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


MISSING = ("还没有自查答案文件（quyu/answers.json）。它在构建本书时由数据算出：在本书的源代码目录中先运行 "
           "./book.sh build；或者从本书网站下载 wheel 文件，用 pip 安装后再自查。"
           " / The self-check answer file (quyu/answers.json) does not exist yet: run ./book.sh build in the "
           "book's source folder, or install the wheel offered on the book's website.")


def _unreadable(path: Path) -> str:
    """答案文件损坏（不完整的 JSON、不是 UTF-8、结构不对）或读不了时的说明：怎样重新生成。"""
    return (f"自查答案文件（{path}）不完整或已损坏（可能是上次写入被中断），无法读取。请重新生成它："
            "在本书的源代码目录中运行 python -m quyu.parts.answers，或者删除这个文件后运行 ./book.sh build；"
            "如果本书的包是用 wheel 安装的，重新下载并安装 wheel。"
            f" / The self-check answer file ({path}) is incomplete or damaged and cannot be read. Regenerate it: "
            "in the book's source folder run python -m quyu.parts.answers, or delete the file and run "
            "./book.sh build; if the package was installed from the wheel, reinstall the wheel.")


def _well_formed(table) -> bool:
    """答案表的结构：练习编号 → {items, decimals, hashes（每个数一个格点散列 hash）, exact}。"""
    if not isinstance(table, dict):
        return False
    for spec in table.values():
        if not isinstance(spec, dict):
            return False
        items, decimals, hashes = spec.get("items"), spec.get("decimals"), spec.get("hashes")
        exact = spec.get("exact", [])
        if not all(isinstance(v, list) for v in (items, decimals, hashes, exact)):
            return False
        if not len(items) == len(decimals) == len(hashes) or not all(isinstance(i, str) for i in items):
            return False
        if not all(isinstance(d, int) and not isinstance(d, bool) for d in decimals):
            return False
        if not all(isinstance(h, dict) and isinstance(h.get("hash"), str) for h in hashes):
            return False
        if not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(items) for i in exact):
            return False
    return True


def _answers() -> dict | str:
    """答案表；文件不在或读不了时为说明文字（中文 / English）。

    每次都重新读文件（几十 KB，读一次不到一毫秒）：没有缓存，也就不会在文件重写后读到旧内容。"""
    path = ANSWERS_FILE
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return MISSING
    except (OSError, ValueError):   # 读不了，或不是 UTF-8
        return _unreadable(path)
    try:
        table = json.loads(text)
    except ValueError:
        return _unreadable(path)
    return table if _well_formed(table) else _unreadable(path)


class Result:
    """自查结果：``status`` 为 right / close / wrong / invalid，``message`` 为中文说明。"""

    def __init__(self, status: str, message: str):
        self.status = status
        self.message = message

    def __bool__(self) -> bool:
        return self.status == "right"

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        mark = {"right": "✅", "close": "🟡", "wrong": "❌"}.get(self.status, "⚠️")
        return f"{mark} {self.message}"


def specs() -> dict[str, dict] | None:
    """答案文件中的全部题目：编号 → 要给的数（``items``）、小数位数、说明与必须一致的位置（不含散列）。
    没有答案文件时为 None。作业与自动评分（:mod:`quyu.assignments`）由此得知哪些题可以评分。"""
    table = _answers()
    if table is None:
        return None
    return {k: {f: v[f] for f in ("items", "decimals", "note", "exact") if f in v} for k, v in table.items()}


def exercises() -> dict[str, str]:
    """可以自查的练习：编号 → 要给的数（依次）。"""
    table = _answers()
    if isinstance(table, str):
        print(table)
        return {}
    return {k: "、".join(v["items"]) for k, v in table.items()}


def _numbers(answer: Any, n: int) -> list[float] | str:
    """把答案整理成 n 个有限的数；不行时返回中文说明。"""
    if hasattr(answer, "to_numpy"):
        answer = answer.to_numpy()
    if hasattr(answer, "tolist") and not isinstance(answer, (str, bytes)):
        answer = answer.tolist()
    if isinstance(answer, bool) or isinstance(answer, (str, bytes, dict, set)) or answer is None:
        return f"答案应是数字（或 {n} 个数字组成的列表），而不是 {type(answer).__name__}。"
    if isinstance(answer, (int, float)):
        answer = [answer]
    if not isinstance(answer, (list, tuple)):
        return f"答案应是数字或数字组成的列表，而不是 {type(answer).__name__}。"
    flat = []
    for v in answer:
        if isinstance(v, (list, tuple)):
            return f"答案应是一列 {n} 个数，不要嵌套列表。"
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return f"答案中的“{v!r}”不是数字。"
        flat.append(float(v))
    if len(flat) != n:
        return f"这道题要 {n} 个数，你给了 {len(flat)} 个。"
    if any(math.isnan(v) or math.isinf(v) for v in flat):
        return "答案中有缺失值（NaN）或无穷大：先检查计算中是否有缺失的数据或除以零。"
    return flat


def _unit(decimals: int) -> str:
    """末位单位 10^-d 的写法（0.001、1、100）。"""
    return f"{10.0 ** -decimals:.{max(decimals, 0)}f}"


def check(exercise: str, answer: Any) -> Result:
    """自查一道练习的答案。返回 :class:`Result`（在 Jupyter 中显示为一句中文说明）。"""
    table = _answers()
    if isinstance(table, str):
        return Result("invalid", table)
    if not isinstance(exercise, str) or exercise not in table:
        known = "、".join(table)
        return Result("invalid", f"没有可以自查的练习“{exercise}”。可以自查的有：{known}。")
    spec = table[exercise]
    items, decimals = spec["items"], spec["decimals"]
    values = _numbers(answer, len(items))
    if isinstance(values, str):
        return Result("invalid", f"{values} 这道题要依次给出：{'、'.join(items)}。")
    exact = set(spec.get("exact", ()))
    for i in exact:
        if values[i] != round(values[i]):
            return Result("invalid", f"第 {i + 1} 个数（{items[i]}）应是整数。这道题要依次给出：{'、'.join(items)}。")
    verdicts, units = [], {}
    for i, (v, d, h) in enumerate(zip(values, decimals, spec["hashes"])):
        if i in exact:
            verdicts.append("right" if _digest(exercise, i, _grid(v, 0)) == h["hash"] else "wrong")
            continue
        verdicts.append(_verdict(exercise, i, v, d, h["hash"]))
        if verdicts[-1] == "wrong" and (factor := _unit_factor(exercise, i, v, d, h["hash"])):
            units[i] = factor
    lines = []
    for i, (item, d, verdict) in enumerate(zip(items, decimals, verdicts)):
        word = {"right": "正确", "close": "接近", "wrong": "不对"}[verdict]
        if i in exact:
            tol = {"right": "（须完全一致）", "wrong": "（检查数据版本、时段和判断的依据）"}[verdict]
        elif i in units:
            tol = (f"（你的数比标准答案{units[i]}：检查单位——题目要的是小数还是百分数（0.25 与 25%），"
                   "元还是万元、人还是万人）")
        else:
            tol = {"right": f"（容差 ±{_unit(d)}）",
                   "close": f"（差距在 ±{_unit(d - 1)} 以内，检查取整、单位或口径）",
                   "wrong": "（检查数据版本、年份、分组和分母）"}[verdict]
        lines.append(f"{item}：{word}{tol}")
    status = "right" if all(v == "right" for v in verdicts) else (
        "wrong" if any(v == "wrong" for v in verdicts) else "close")
    head = {"right": "全部正确。", "close": "接近，但还不完全对。", "wrong": "还有不对的地方。"}[status]
    return Result(status, head + " " + "；".join(lines) + "。")
