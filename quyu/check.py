"""练习的自查：学生在 Jupyter 中调用 ``check("ex-p2-3-1", 答案)``，得到“正确 / 接近 / 不对”，
而不会看到标准答案。

    from quyu.check import check, exercises
    exercises()                                   # 哪些练习可以自查，各要几个数、什么单位
    check("ex-p2-3-2", 2.51)                      # → 正确 / 接近 / 不对（附容差）

- 标准答案不是手写的数字：它们由 :mod:`quyu.check_answers` 中的函数从 data/ 计算；
- 保存下来的只是答案按容差取整后的散列值（加上练习编号作盐）：``answers.json`` 在构建
  网站时随可安装的包（wheel）生成；在源代码目录中没有这个文件时，在内存中现算现散列；
- 答案格式不对（类型、个数、NaN）给出中文说明，从不抛出 traceback。

判定规则：第 i 个数保留 ``decimals[i]`` 位小数后与标准答案一致（允许末位相差 1，
即误差约在 ±1×10^-d 以内）为“正确”；少保留一位时一致为“接近”；否则“不对”。
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


def _digest(exercise: str, i: int, value: float, decimals: int) -> str:
    shown = f"{round(value, decimals):.{decimals}f}"
    if float(shown) == 0:
        shown = shown.lstrip("-")
    text = f"quyu|{exercise}|{i}|{shown}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _hashes(exercise: str, values, decimals) -> list[dict]:
    return [{"right": _digest(exercise, i, v, d), "close": _digest(exercise, i, v, max(d - 1, 0))}
            for i, (v, d) in enumerate(zip(values, decimals))]


def build_answers(path: Path | None = None) -> dict:
    """从数据计算全部标准答案，只保存其散列；``path`` 给出时写成 JSON 文件（构建 wheel 时调用）。"""
    from . import check_answers

    out = {}
    for spec, compute in check_answers.REGISTRY:
        values = [float(v) for v in compute()]
        if len(values) != len(spec.items):
            raise ValueError(f"{spec.exercise}: {len(values)} values for {len(spec.items)} items")
        out[spec.exercise] = {"items": list(spec.items), "decimals": list(spec.decimals), "note": spec.note,
                              "hashes": _hashes(spec.exercise, values, spec.decimals)}
    if path is not None:
        Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


@lru_cache(maxsize=1)
def _answers() -> dict:
    if ANSWERS_FILE.exists():
        return json.loads(ANSWERS_FILE.read_text(encoding="utf-8"))
    return build_answers()


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


def exercises() -> dict[str, str]:
    """可以自查的练习：编号 → 要给的数（依次）。"""
    return {k: "、".join(v["items"]) for k, v in _answers().items()}


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
    if not isinstance(exercise, str) or exercise not in table:
        known = "、".join(table)
        return Result("invalid", f"没有可以自查的练习“{exercise}”。可以自查的有：{known}。")
    spec = table[exercise]
    items, decimals = spec["items"], spec["decimals"]
    values = _numbers(answer, len(items))
    if isinstance(values, str):
        return Result("invalid", f"{values} 这道题要依次给出：{'、'.join(items)}。")
    verdicts = []
    for i, (v, d, h) in enumerate(zip(values, decimals, spec["hashes"])):
        step = 10.0 ** -d
        if any(_digest(exercise, i, v + k * step, d) == h["right"] for k in (-1, 0, 1)):
            verdicts.append("right")
        elif any(_digest(exercise, i, v + k * step * 10, max(d - 1, 0)) == h["close"] for k in (-1, 0, 1)):
            verdicts.append("close")
        else:
            verdicts.append("wrong")
    lines = []
    for item, d, verdict in zip(items, decimals, verdicts):
        word = {"right": "正确", "close": "接近", "wrong": "不对"}[verdict]
        tol = {"right": f"（容差约 ±{10.0 ** -d:g}）", "close": f"（差距在 ±{10.0 ** (1 - d):g} 左右，检查取整、单位或口径）",
               "wrong": "（检查数据版本、年份、分组和分母）"}[verdict]
        lines.append(f"{item}：{word}{tol}")
    status = "right" if all(v == "right" for v in verdicts) else (
        "wrong" if any(v == "wrong" for v in verdicts) else "close")
    head = {"right": "全部正确。", "close": "接近，但还不完全对。", "wrong": "还有不对的地方。"}[status]
    return Result(status, head + " " + "；".join(lines) + "。")


if __name__ == "__main__":  # python -m quyu.check  → 写出 answers.json（构建 wheel 前）
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ANSWERS_FILE
    build_answers(target)
    print(f"wrote {target}")
