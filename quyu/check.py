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
- 答案格式不对（类型、个数、NaN）给出中文说明，从不抛出 traceback。

判定规则：第 i 个数保留 ``decimals[i]`` 位小数后与标准答案一致（允许末位相差 1，
即误差约在 ±1×10^-d 以内）为“正确”；少保留一位时一致为“接近”；否则“不对”。
``exact`` 中列出的数（年份、个数）必须是整数并且完全一致，没有“接近”。
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
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


def _digest(exercise: str, i: int, value: float, decimals: int) -> str:
    shown = f"{round(value, decimals):.{max(decimals, 0)}f}"   # decimals < 0：取整到十位、百位
    if float(shown) == 0:
        shown = shown.lstrip("-")
    text = f"quyu|{exercise}|{i}|{shown}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _hashes(exercise: str, values, decimals) -> list[dict]:
    return [{"right": _digest(exercise, i, v, d), "close": _digest(exercise, i, v, d - 1)}
            for i, (v, d) in enumerate(zip(values, decimals))]


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
    """写出答案文件；内容没有变化时不重写（不改动文件时间）。返回是否写了。"""
    text = dumps(table)
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _answers() -> dict | None:
    """答案表；文件不在时为 None。按文件的修改时间缓存：在 Jupyter 中先自查、再构建也能读到新文件。"""
    try:
        st = ANSWERS_FILE.stat()
    except FileNotFoundError:
        return None
    return _load(str(ANSWERS_FILE), st.st_mtime_ns, st.st_size)


MISSING = ("还没有自查答案文件（quyu/answers.json）。它在构建本书时由数据算出：在本书的源代码目录中先运行 "
           "./book.sh build；或者从本书网站下载 wheel 文件，用 pip 安装后再自查。")


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
    if table is None:
        print(MISSING)
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


def check(exercise: str, answer: Any) -> Result:
    """自查一道练习的答案。返回 :class:`Result`（在 Jupyter 中显示为一句中文说明）。"""
    table = _answers()
    if table is None:
        return Result("invalid", MISSING)
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
    verdicts = []
    for i, (v, d, h) in enumerate(zip(values, decimals, spec["hashes"])):
        step = 10.0 ** -d
        if i in exact:
            verdicts.append("right" if _digest(exercise, i, v, 0) == h["right"] else "wrong")
        elif any(_digest(exercise, i, v + k * step, d) == h["right"] for k in (-1, 0, 1)):
            verdicts.append("right")
        elif any(_digest(exercise, i, v + k * step * 10, d - 1) == h["close"] for k in (-1, 0, 1)):
            verdicts.append("close")
        else:
            verdicts.append("wrong")
    lines = []
    for i, (item, d, verdict) in enumerate(zip(items, decimals, verdicts)):
        word = {"right": "正确", "close": "接近", "wrong": "不对"}[verdict]
        if i in exact:
            tol = {"right": "（须完全一致）", "wrong": "（检查数据版本、时段和判断的依据）"}[verdict]
        else:
            tol = {"right": f"（容差约 ±{10.0 ** -d:g}）",
                   "close": f"（差距在 ±{10.0 ** (1 - d):g} 左右，检查取整、单位或口径）",
                   "wrong": "（检查数据版本、年份、分组和分母）"}[verdict]
        lines.append(f"{item}：{word}{tol}")
    status = "right" if all(v == "right" for v in verdicts) else (
        "wrong" if any(v == "wrong" for v in verdicts) else "close")
    head = {"right": "全部正确。", "close": "接近，但还不完全对。", "wrong": "还有不对的地方。"}[status]
    return Result(status, head + " " + "；".join(lines) + "。")
