"""交互组件层：同一个组件在三种环境中工作。

- **Jupyter 内核**（JupyterLab、Notebook、VS Code、Colab）：ipywidgets 控件，每次改动都调用
  Python 重新计算，用 matplotlib 作图。
- **发布的网页**（无内核、无网络）：构建时把各种选项组合的计算结果算好，作为 JSON 嵌入页面；
  页面脚本 ``quyu/static/quyu-widgets.js`` 只负责查表、相除和作图，不含任何度量公式。
- **PDF**：默认选项下的结果画成一张静态图。

三种形态来自同一个输出：组件的 ``_repr_mimebundle_`` 同时给出 ipywidgets 视图、静态 HTML
和 PNG，由 ``_config.yml`` 中的 ``nb_mime_priority_overrides`` 为网页和 PDF 各选其一。

一个组件 = 若干控件（:class:`Control`）+ 一个计算函数。计算函数只接收 ``role="param"``
的控件取值，返回若干“视图”（图、表、数字卡片、提示信息，都是普通 dict）。其余角色的控件
只影响显示：``xmin``/``xmax`` 截取横轴，``xmark`` 在图上标出某一年并读出数值，
``pick_a``/``pick_b`` 从图中挑出两个地区并给出二者之比。显示逻辑在 Python（内核、PDF）
与 JavaScript（网页）中各有一份实现，计算逻辑只有 Python 一份。
"""
from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from . import fmt

ROLES = ("param", "xmin", "xmax", "xmark", "pick_a", "pick_b")

#: 全部提示语（网页脚本也从组件数据中读取这些模板，保证两边措辞一致）。
MESSAGES = {
    "no_unit": "请先选择要比较的两个地区。",
    "same_unit": "两次选择了同一个地区（{a}）：请选择两个不同的地区。",
    "year_out": "{year} 年不在当前数据的年份范围内（{span}），请换一个年份或数据版本。",
    "missing": "{unit} {year} 年的数据缺失，无法计算。",
    "range": "起始年份（{a}）晚于结束年份（{b}），请重新选择。",
    "empty": "所选年份范围内没有数据。",
    "ratio": "{a} ÷ {b}",
}


class WidgetError(ValueError):
    """组件内部的可预期错误：信息以中文显示在组件的输出区，而不是抛出 traceback。"""


@dataclass(frozen=True)
class Control:
    """一个控件：名称、中文标签、选项 ``((显示文字, 取值), …)``、默认值与角色。"""

    name: str
    label: str
    options: tuple[tuple[str, Any], ...]
    value: Any
    role: str = "param"

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; valid: {ROLES}")
        values = [v for _, v in self.options]
        if self.value not in values:
            raise ValueError(f"default {self.value!r} of control {self.name!r} is not an option")


def choice(name: str, label: str, options: Iterable, value=None, role: str = "param") -> Control:
    """便捷构造：``options`` 可以是取值列表，或 ``(显示文字, 取值)`` 对的列表。"""
    pairs = tuple(o if isinstance(o, tuple) else (str(o), o) for o in options)
    return Control(name, label, pairs, pairs[0][1] if value is None else value, role)


# ---------------------------------------------------------------- views（计算结果的统一表示）

def chart(title: str, x: Sequence, series: Sequence[dict], *, ylabel: str = "", unit: str = "",
          digits: int = 2, events: Sequence[dict] = (), bands: Sequence[dict] = (),
          note: str = "", pickable: bool = False, ratio_digits: int = 2) -> dict:
    """折线图视图。``series`` 中每条线：``{"id", "label", "y", "color"?, "dash"?}``；缺失值为 None。"""
    clean = []
    for s in series:
        y = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in s["y"]]
        clean.append({"id": str(s.get("id", s["label"])), "label": s["label"], "y": y,
                      "color": s.get("color"), "dash": bool(s.get("dash", False))})
    return {"type": "chart", "title": title, "x": [int(v) for v in x], "series": clean,
            "ylabel": ylabel, "unit": unit, "digits": digits, "events": list(events),
            "bands": list(bands), "note": note, "pickable": pickable, "ratio_digits": ratio_digits}


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], note: str = "") -> dict:
    """表格视图；单元格是已经格式化好的文字。"""
    return {"type": "table", "title": title, "columns": list(columns),
            "rows": [[str(c) for c in r] for r in rows], "note": note}


def stats(items: Sequence[tuple[str, str]], note: str = "") -> dict:
    """数字卡片视图：``[(标签, 已格式化的数值), …]``。"""
    return {"type": "stats", "items": [[a, b] for a, b in items], "note": note}


def message(text: str, level: str = "error") -> dict:
    """提示信息视图（level 为 ``error`` 或 ``info``）。"""
    return {"type": "message", "level": level, "text": text}


def _chinese(error: Exception) -> str:
    """库函数的错误信息是“中文 / English”，组件只显示中文部分。"""
    return str(error).split(" / ")[0].strip()


# ---------------------------------------------------------------- 显示逻辑（Python 一份，JS 一份）

def _fmt_value(v, digits: int, unit: str) -> str:
    if not unit:
        return fmt.num(v, digits)
    return fmt.num(v, digits) + (unit if unit == "%" else f" {unit}")


def _span(x: Sequence[int]) -> str:
    """年份范围的中文说法；不连续时逐个列出（如“2019、2021、2023 年”）。"""
    if not x:
        return "无"
    if len(x) == max(x) - min(x) + 1:
        return f"{min(x)}—{max(x)} 年"
    return "、".join(str(v) for v in x) + " 年"


def apply_display(views: list[dict], shown: dict[str, Any], roles: dict[str, str]) -> list[dict]:
    """按只影响显示的控件（xmin、xmax、xmark、pick_a、pick_b）加工计算结果。"""
    by_role: dict[str, list] = {}
    for name, role in roles.items():
        by_role.setdefault(role, []).append(shown[name])
    out: list[dict] = []
    for view in views:
        if view["type"] != "chart":
            out.append(view)
            continue
        out.extend(_display_chart(view, by_role))
    return out


def _display_chart(view: dict, by_role: dict[str, list]) -> list[dict]:
    view = dict(view)
    x = view["x"]
    lo = by_role.get("xmin", [None])[0]
    hi = by_role.get("xmax", [None])[0]
    if lo is not None and hi is not None and lo > hi:
        return [message(MESSAGES["range"].format(a=lo, b=hi))]
    keep = [i for i, v in enumerate(x) if (lo is None or v >= lo) and (hi is None or v <= hi)]
    if not keep:
        return [message(MESSAGES["empty"])]
    view["x"] = [x[i] for i in keep]
    view["series"] = [dict(s, y=[s["y"][i] for i in keep]) for s in view["series"]]
    out: list[dict] = []
    if view.get("pickable"):
        a = by_role.get("pick_a", [None])[0]
        b = by_role.get("pick_b", [None])[0]
        if not a or not b:
            return [message(MESSAGES["no_unit"])]
        labels = {s["id"]: s["label"] for s in view["series"]}
        if a == b:
            return [message(MESSAGES["same_unit"].format(a=labels.get(a, a)))]
        view["series"] = [s for s in view["series"] if s["id"] in (a, b)]
        view["series"].sort(key=lambda s: s["id"] != a)
    marks = [m for m in by_role.get("xmark", []) if m is not None]
    if marks:
        out.extend(_readout(view, marks))
    view["marks"] = marks
    return out + [view]


def _readout(view: dict, marks: list) -> list[dict]:
    """读出标记年份上各条线的数值；两条线可比时给出二者之比，两个年份时给出变化。"""
    x = view["x"]
    for year in marks:
        if year not in x:
            return [message(MESSAGES["year_out"].format(year=year, span=_span(x)))]
    digits, unit = view["digits"], view["unit"]
    series = view["series"]
    if view.get("pickable"):
        year = marks[0]
        i = x.index(year)
        a, b = series[0], series[1]
        for s in (a, b):
            if s["y"][i] is None:
                return [message(MESSAGES["missing"].format(unit=s["label"], year=year))]
        items = [(f"{s['label']}（{year} 年）", _fmt_value(s["y"][i], digits, unit)) for s in (a, b)]
        items.append((MESSAGES["ratio"].format(a=a["label"], b=b["label"]),
                      fmt.num(a["y"][i] / b["y"][i], view["ratio_digits"])))
        return [stats(items)]
    if len(marks) == 1:
        i = x.index(marks[0])
        return [stats([(f"{s['label']}（{marks[0]} 年）", _fmt_value(s["y"][i], digits, unit))
                       for s in series])]
    columns = ["", *[f"{m} 年" for m in marks], "变化（百分点）" if unit == "%" else "变化"]
    rows = []
    for s in series:
        vals = [s["y"][x.index(m)] for m in marks]
        change = None if None in (vals[0], vals[-1]) else vals[-1] - vals[0]
        rows.append([s["label"], *[_fmt_value(v, digits, unit) for v in vals],
                     fmt.num(change, digits, signed=True)])
    return [table("", columns, rows)]


# ---------------------------------------------------------------- the widget

class BookWidget:
    """全书所有交互组件的共同实现。章节一般不直接用它，而用下方的构造函数。

    ``compute(**params) -> list[view]``，其中 params 是 ``role="param"`` 控件的取值。
    计算函数抛出的 ``ValueError``（含 DataError、MeasureError）显示为中文提示，不出现 traceback。
    """

    def __init__(self, title: str, controls: Sequence[Control], compute: Callable[..., list[dict]],
                 *, description: str = "", alt: str = ""):
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate control names: {names}")
        self.title = title
        self.controls = list(controls)
        self.compute = compute
        self.description = description
        self.alt = alt or title
        self._view = None
        self._cache: dict = {}

    # -- computation
    @property
    def params(self) -> list[Control]:
        return [c for c in self.controls if c.role == "param"]

    def defaults(self) -> dict[str, Any]:
        return {c.name: c.value for c in self.controls}

    def computed(self, strict: bool = False, **params) -> list[dict]:
        """只依赖 param 控件的计算结果（缓存）。

        可预期的错误（ValueError，含 DataError、MeasureError）变成中文提示视图；其他异常在读者
        面前也只显示一句中文说明，而构建网页时（``strict=True``）照常抛出，让作者看到问题。
        """
        key = tuple(params[c.name] for c in self.params)
        if key not in self._cache:
            try:
                self._cache[key] = list(self.compute(**params))
            except (ValueError, ZeroDivisionError) as error:
                self._cache[key] = [message(_chinese(error))]
            except Exception as error:  # noqa: BLE001 - 读者不应看到 traceback
                if strict:
                    raise
                name = type(error).__name__
                return [message(f"这一组选项无法计算（{name}）。请换一组选项；如果问题持续，请在本书仓库报告。")]
        return self._cache[key]

    def views(self, **values) -> list[dict]:
        """给定全部控件的取值（缺省用默认值），返回最终显示的视图。"""
        chosen = {**self.defaults(), **values}
        unknown = set(chosen) - {c.name for c in self.controls}
        if unknown:
            raise WidgetError(f"没有这些控件：{sorted(unknown)}")
        params = {c.name: chosen[c.name] for c in self.params}
        roles = {c.name: c.role for c in self.controls if c.role != "param"}
        shown = {n: chosen[n] for n in roles}
        return apply_display(self.computed(**params), shown, roles)

    # -- static page
    def payload(self) -> dict:
        """网页版需要的全部数据：控件、提示语模板、每个参数组合的视图（去重后按编号引用）。

        视图中重复的列表（事件、阶段、横轴、各条线的数值）放在 ``shared`` 中，以 ``"@n"`` 引用，
        由网页脚本在查表时还原。"""
        pool: list[dict] = []
        shared: dict[str, list] = {}
        shared_index: dict[str, str] = {}
        index: dict[str, int] = {}
        results: dict[str, list[int]] = {}
        for combo in itertools.product(*[[v for _, v in c.options] for c in self.params]):
            params = dict(zip([c.name for c in self.params], combo))
            ids = []
            for view in self.computed(strict=True, **params):
                view = _share_lists(view, shared, shared_index)
                text = json.dumps(view, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                if text not in index:
                    index[text] = len(pool)
                    pool.append(view)
                ids.append(index[text])
            results[_key(combo)] = ids
        return {
            "title": self.title,
            "description": self.description,
            "controls": [{"name": c.name, "label": c.label, "role": c.role,
                          "options": [[lab, _jsonable(v)] for lab, v in c.options],
                          "value": _jsonable(c.value)} for c in self.controls],
            "params": [c.name for c in self.params],
            "messages": MESSAGES,
            "views": pool,
            "shared": {k: v for k, v in shared.items()},
            "results": results,
        }

    def static_html(self) -> str:
        """嵌入网页的静态组件：数据放在 JSON 脚本块中，由 quyu-widgets.js 接管。"""
        data = json.dumps(self.payload(), ensure_ascii=False, separators=(",", ":"))
        data = data.replace("</", "<\\/")
        desc = f'<p class="quyu-widget-desc">{html.escape(self.description)}</p>' if self.description else ""
        return (
            f'<div class="quyu-widget" role="group" aria-label="{html.escape(self.title)}">'
            f'<div class="quyu-widget-title">{html.escape(self.title)}</div>{desc}'
            f'<script type="application/json" class="quyu-widget-data">{data}</script>'
            # 不运行脚本的浏览器看到默认选项下的印刷版静态图（构建后由 quyu.site 填入图片地址）
            f'<noscript><div class="quyu-noscript" data-quyu-print="{_print_id(data)}" '
            f'data-quyu-alt="{html.escape(self.alt)}">'
            '<p class="quyu-msg quyu-msg-info">此交互组件需要启用浏览器的 JavaScript；下面是默认选项下的静态图。</p>'
            '</div></noscript>'
            "</div>"
        )

    # -- print
    def print_png(self) -> bytes:
        """默认选项下的结果画成一张 PNG（供 PDF 使用）。"""
        fig = render_figure(self.views(), title=self.title)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
        return buf.getvalue()

    # -- kernel
    def ipywidget(self):
        """ipywidgets 版本（第一次调用时创建）。"""
        if self._view is None:
            self._view = _build_ipywidget(self)
        return self._view

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.ipywidget()._repr_mimebundle_() or {})
        bundle["text/html"] = self.static_html()
        bundle["image/png"] = base64.b64encode(self.print_png()).decode("ascii")
        bundle["text/plain"] = f"交互组件：{self.title}"
        return bundle


def _print_id(data: str) -> str:
    """组件的印刷版静态图在网站中的文件名（由组件数据决定，同一组件每次构建相同）。"""
    import hashlib

    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _share_lists(view: dict, shared: dict, index: dict | None = None) -> dict:
    """图中重复的列表只存一份，视图中以 ``"@n"`` 引用：事件与阶段列表、横轴年份、各条线的数值。

    同一条线常在许多参数组合中重复出现（例如泰尔分解的“总体”与区域方案无关，情景推演中
    按收敛速度推出的路径与所设的增长率之差无关），共享之后网页中只存一份。``index`` 为
    “列表的 JSON 文字 → 键”的查找表（由 :meth:`BookWidget.payload` 维护）。
    """
    if view.get("type") != "chart":
        return view
    if index is None:
        index = {json.dumps(v, ensure_ascii=False, sort_keys=True): k for k, v in shared.items()}

    def ref(items):
        text = json.dumps(items, ensure_ascii=False, sort_keys=True)
        key = index.get(text)
        if key is None:
            key = f"@{len(shared)}"
            shared[key] = items
            index[text] = key
        return key

    view = dict(view)
    for field in ("events", "bands"):
        if view.get(field):
            view[field] = ref(view[field])
    if len(view.get("x", ())) > 1:
        view["x"] = ref(view["x"])
    view["series"] = [dict(s, y=ref(s["y"])) if len(s["y"]) > 1 else s for s in view["series"]]
    return view


def _key(values: Iterable) -> str:
    return "|".join(json.dumps(_jsonable(v), ensure_ascii=False) for v in values)


def _jsonable(v):
    """控件取值的 JSON 形式，与网页脚本中 ``JSON.stringify(JSON.parse(...))`` 的结果一致：
    numpy 标量转为 Python 数；整数值的浮点数写成整数（JavaScript 不区分 1.0 与 1）。"""
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


# ---------------------------------------------------------------- 内核中的渲染（ipywidgets + matplotlib）

def _build_ipywidget(widget: BookWidget):
    import ipywidgets as w

    style = {"description_width": "initial"}
    inputs = {}
    for c in widget.controls:
        inputs[c.name] = w.Dropdown(options=list(c.options), value=c.value, description=c.label,
                                    style=style, layout=w.Layout(width="auto"))
    out = w.HTML()

    def redraw(*_):
        values = {name: box.value for name, box in inputs.items()}
        parts = []
        for view in widget.views(**values):
            parts.append(figure_html(view) if view["type"] == "chart" else view_html(view))
        out.value = "".join(parts)

    for box in inputs.values():
        box.observe(redraw, names="value")
    redraw()
    header = w.HTML(f"<b>{html.escape(widget.title)}</b>")
    box = w.VBox([header, w.HBox(list(inputs.values()), layout=w.Layout(flex_flow="row wrap")), out])
    box.inputs = inputs
    box.output = out
    box.redraw = redraw
    return box


def figure_html(view: dict) -> str:
    """图视图 → 内嵌 PNG 的 <img>（内核中显示）。"""
    fig = render_figure([view])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(view.get("title") or "图")
    return f'<img alt="{alt}" style="max-width:100%" src="data:image/png;base64,{data}"/>'


def view_html(view: dict) -> str:
    """表格、数字卡片和提示信息的 HTML（内核中使用；网页版由脚本生成同样的结构）。"""
    e = html.escape
    if view["type"] == "message":
        return f'<div class="quyu-msg quyu-msg-{view["level"]}" role="alert">{e(view["text"])}</div>'
    if view["type"] == "stats":
        cards = "".join(f'<div class="quyu-stat"><div class="quyu-stat-label">{e(a)}</div>'
                        f'<div class="quyu-stat-value">{e(b)}</div></div>' for a, b in view["items"])
        return f'<div class="quyu-stats">{cards}</div>'
    if view["type"] == "table":
        head = "".join(f"<th>{e(c)}</th>" for c in view["columns"])
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in view["rows"])
        cap = f"<caption>{e(view['title'])}</caption>" if view.get("title") else ""
        note = f'<p class="quyu-note">{e(view["note"])}</p>' if view.get("note") else ""
        return f'<table class="quyu-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'
    raise WidgetError(f"unknown view type {view['type']!r}")


def render_figure(views: list[dict], title: str = ""):
    """把视图画成一张 matplotlib 图（内核中的图、PDF 中的静态替代图）。"""
    from matplotlib.figure import Figure

    from . import plots

    plots.setup()
    charts = [v for v in views if v["type"] == "chart"]
    texts = [v for v in views if v["type"] != "chart"]
    text_lines = []
    for v in texts:
        if v["type"] == "message":
            text_lines.append(("⚠ " if v["level"] == "error" else "") + v["text"])
        elif v["type"] == "stats":
            text_lines.extend(f"{a}：{b}" for a, b in v["items"])
        elif v["type"] == "table":
            if v.get("title"):
                text_lines.append(v["title"])
            widths = [max(_width(r[i]) for r in [v["columns"], *v["rows"]]) for i in range(len(v["columns"]))]
            for r in [v["columns"], *v["rows"]]:
                text_lines.append("  ".join(_pad(c, wd) for c, wd in zip(r, widths)))
    # 版面以英寸计：标题、读数文字、图（图上方留出图题和阶段标签的位置）自上而下排列
    line_h, title_h = 0.28, (0.45 if title else 0.1)
    text_h = line_h * len(text_lines)
    chart_h = 4.0 if charts else 0.0
    height = max(title_h + text_h + chart_h + 0.2, 1.0)
    fig = Figure(figsize=(7.2, height))
    if title:
        fig.suptitle(title, fontsize=11, y=1 - 0.08 / height, va="top")
    for k, line in enumerate(text_lines):
        fig.text(0.02, 1 - (title_h + line_h * (k + 0.8)) / height, line, fontsize=9,
                 family=["Noto Sans CJK SC"])
    if charts:
        top = 1 - (title_h + text_h + 0.6) / height
        bottom = 0.75 / height
        ax = fig.add_axes([0.1, bottom, 0.86, max(top - bottom, 0.2)])
        _draw_chart(ax, charts[0])
    return fig


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _draw_chart(ax, view: dict) -> None:
    from . import plots

    x = view["x"]
    for k, s in enumerate(view["series"]):
        color = s.get("color") or plots.CYCLE[k % len(plots.CYCLE)]
        y = [math.nan if v is None else v for v in s["y"]]
        ax.plot(x, y, label=s["label"], color=color, linestyle="--" if s.get("dash") else "-",
                marker="o" if len(x) <= 12 else None, markersize=3)
    for band in view.get("bands", []):
        lo, hi = max(band["from"], min(x)), min(band.get("to") or max(x), max(x))
        if lo < hi:
            ax.axvspan(lo, hi, color=band.get("color", "#888"), alpha=0.07, lw=0)
            ax.text((lo + hi) / 2, 1.0, band["label"], transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=7, color="#555")
    for ev in view.get("events", []):
        if min(x) <= ev["x"] <= max(x):
            ax.axvline(ev["x"], color="#999", lw=0.7, ls=":")
            plots._event_label(ax, ev)
    for m in view.get("marks", []):
        ax.axvline(m, color=plots.COLORS["accent"], lw=1.2)
    ax.set_ylabel(view.get("ylabel", ""))
    if view.get("title"):
        ax.set_title(view["title"], fontsize=10, pad=14 if view.get("bands") else 6)
    ax.xaxis.set_major_locator(__import__("matplotlib.ticker", fromlist=["MaxNLocator"]).MaxNLocator(integer=True))
    if len(view["series"]) > 1:
        ax.legend(fontsize=8, loc="best")
    if view.get("note"):
        ax.annotate(view["note"], (0, -0.16), xycoords="axes fraction", fontsize=7, color="#555",
                    va="top")


# ---------------------------------------------------------------- 构造函数：各章用一两行调用

def _round(v, sig: int = 6):
    """数据只保留 6 位有效数字（足以精确显示到元、到 0.001），减小页面体积。"""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(f"{v:.{sig}g}")


def _vintage_options(vintages=None) -> tuple:
    from . import data

    names = list(vintages or data.VINTAGES)
    return tuple((data.vintage_info(v)["label_zh"], v) for v in names)


def _year_options(years) -> tuple:
    return tuple((str(y), int(y)) for y in years)


def compare(kind: str = "province", vintage: str = "census2018", a: str = "12", b: str = "52",
            year: int = 2012, pop_basis: str = "mean", population: str = "registered") -> BookWidget:
    """比较两个地区的人均 GDP：任意年份、数据版本、人口口径。

    ``kind="province"``：省级，控件为数据版本、人口基数（年均/年末）、两个省份、年份。
    ``kind="city"``：地级市（2010—2012），控件为人口口径（户籍/2010 年普查常住）、两个城市、年份。
    """
    from . import analysis, data

    if kind == "province":
        prov = data.provinces()
        units = (("（请选择）", ""),) + tuple((r.name_zh_short, r.code) for r in prov.itertuples())
        all_years = sorted({y for v in data.VINTAGES for y in data.vintage_info(v)["years"]})

        def compute(vintage, pop_basis):
            p = analysis.panel(vintage, pop_basis)
            wide = p.pivot(index="year", columns="code", values="gdp_pc")
            names = p.drop_duplicates("code").set_index("code")["name"]
            series = [{"id": c, "label": names[c], "y": [_round(v) for v in wide[c]]} for c in wide.columns]
            basis = "年均常住人口" if pop_basis == "mean" else "年末常住人口"
            return [chart("人均地区生产总值", list(wide.index), series, ylabel="元/人", unit="元",
                          digits=0, pickable=True, events=_events(), note=f"数据版本：{data.vintage_info(vintage)['label_zh']}；人口：{basis}")]

        controls = [
            Control("vintage", "数据版本", _vintage_options(), vintage),
            Control("pop_basis", "人均的分母", (("年均常住人口（国家统计局做法）", "mean"),
                                             ("年末常住人口", "yearend")), pop_basis),
            *_pair_controls("地区", units, a, b, all_years, year),
        ]
        return BookWidget("两省人均地区生产总值比较", controls, compute,
                          description="选择数据版本、人口口径、两个省份和年份；图中是两省人均 GDP 的历年走势。")
    if kind == "city":
        frames = {pop: analysis.city_per_capita(pop) for pop in ("registered", "census")}
        codes = sorted(set(frames["registered"]["code"]) | set(frames["census"]["code"]))
        names = _city_names(frames)
        units = (("（请选择）", ""),) + tuple((names[c], c) for c in codes)
        years = sorted(set(frames["registered"]["year"]) | set(frames["census"]["year"]))

        def compute(population):
            df = frames[population]
            wide = df.pivot(index="year", columns="code", values="gdp_pc").reindex(columns=codes)
            series = [{"id": c, "label": names[c], "y": [_round(v) for v in wide[c]]} for c in codes]
            note = ("人口为城市统计年鉴的年末户籍人口（全市）" if population == "registered"
                    else "人口为 2010 年人口普查常住人口（按 2020 年区划调整），只有 2010 年")
            if df.attrs.get("note_zh"):
                note += "。" + df.attrs["note_zh"]
            return [chart("地级市人均地区生产总值", list(wide.index), series, ylabel="元/人", unit="元",
                          digits=0, pickable=True, note=note)]

        controls = [
            Control("population", "人口口径", (("户籍人口（2010—2012）", "registered"),
                                              ("普查常住人口（2010）", "census")), population),
            *_pair_controls("城市", units, a, b, years, year),
        ]
        return BookWidget("两市人均地区生产总值比较", controls, compute,
                          description="城市数据来自城市统计年鉴（GDP、户籍人口）与 2010 年人口普查（常住人口）。")
    raise WidgetError(f"未知的比较对象 {kind!r}；可选：province, city")


def _pair_controls(noun: str, units: tuple, a, b, years, year) -> list[Control]:
    """“甲、乙两个地区 + 读数年份”三个控件（比较组件共用）。"""
    return [Control("a", f"{noun}甲", units, a, "pick_a"),
            Control("b", f"{noun}乙", units, b, "pick_b"),
            Control("year", "年份", _year_options(years), year, "xmark")]


def _city_names(frames: dict) -> dict:
    """城市代码 → 中文名（取自各口径的城市表）。"""
    out = {}
    for df in frames.values():
        out.update(dict(zip(df["code"], df["name"])))
    return out


def _events() -> list[dict]:
    from . import plots

    return plots.chart_events()


def disparity(measure: str = "cv", weighted: bool = False, scheme: str = "region4",
              vintage: str = "current", start: int | None = None, end: int | None = None,
              mark: int | None = None, vintages=None,
              schemes=("region4", "region3_1986", "region3_wd2000"), measures=None) -> BookWidget:
    """省际人均 GDP 差距的时间序列：度量 × 加权 × 区域方案（泰尔指数分解）× 数据版本。

    ``start``/``end`` 截取横轴，``mark`` 读出某一年的数值；``vintages``、``schemes``、
    ``measures`` 可限定可选范围（减小网页体积）。
    """
    from . import analysis, data, plots
    from . import measures as m

    vintages = list(vintages or data.VINTAGES)
    all_schemes = data.schemes()
    scheme_names = list(schemes or all_schemes["scheme"])
    scheme_labels = dict(zip(all_schemes["scheme"], all_schemes["scheme_zh"]))
    measure_names = list(measures or m.MEASURES)
    years = sorted({y for v in vintages for y in data.vintage_info(v)["years"]})

    def compute(measure, weighted, scheme, vintage):
        info = m.MEASURES[measure]
        notes = []
        if weighted and not info.supports_weights:
            notes.append(f"{info.label_zh}没有人口加权的版本，下图为不加权结果。")
            weighted = False
        group = scheme if info.decomposable else None
        d = analysis.disparity(vintage, measure, weighted, group)
        skipped = analysis.skipped_note(d.attrs.get("skipped", {}))
        x = list(d.index)
        label = info.label_zh + ("（人口加权）" if weighted else "")
        series = [{"id": "total", "label": label, "y": [_round(v) for v in d["value"]], "color": plots.COLORS["ink"]}]
        if group:
            series += [
                {"id": "between", "label": "组间（区域之间）", "y": [_round(v) for v in d["between"]],
                 "color": plots.COLORS["accent"], "dash": True},
                {"id": "within", "label": "组内（区域内部）", "y": [_round(v) for v in d["within"]],
                 "color": plots.COLORS["east"], "dash": True},
            ]
        note = "；".join(filter(None, [f"数据版本：{data.vintage_info(vintage)['label_zh']}",
                                       f"分组：{scheme_labels[scheme]}" if group else "", skipped]))
        views = [message(n, "info") for n in notes]
        views.append(chart(f"省际人均 GDP 差距：{label}", x, series, ylabel=info.label_zh, digits=3,
                           events=_events(), bands=plots.stage_bands(), note=note))
        return views

    year_opts = _year_options(years)
    controls = [
        Control("measure", "度量", tuple((m.MEASURES[k].label_zh, k) for k in measure_names), measure),
        Control("weighted", "加权", (("不加权（每省一票）", False), ("按人口加权", True)), bool(weighted)),
        Control("scheme", "泰尔分解的区域方案", tuple((scheme_labels[s], s) for s in scheme_names), scheme),
        Control("vintage", "数据版本", _vintage_options(vintages), vintage),
        Control("start", "起始年", year_opts, start if start is not None else years[0], "xmin"),
        Control("end", "结束年", year_opts, end if end is not None else years[-1], "xmax"),
        Control("mark", "读数年份", (("（不读数）", None),) + year_opts, mark, "xmark"),
    ]
    return BookWidget("省际差距的度量", controls, compute,
                      description="改变度量、加权方式、区域方案和数据版本，图与读数随之重算。"
                                  "区域方案只影响泰尔指数的组间/组内分解。")


def regional(vintage: str = "census2018", scheme: str = "region4", quantity: str = "share",
             year_a: int = 2012, year_b: int = 2021, vintages=None,
             schemes=("region4", "region3_1986", "region3_wd2000")) -> BookWidget:
    """区域份额与人均之比：两个年份之间的变化，任意数据版本与区域方案。

    ``quantity``：``share``（GDP 占所列省份合计的比重，%）、``per_capita``（人均 GDP，元）、
    ``ratio``（以方案第一组为分子、其余各组为分母的人均 GDP 之比）。
    """
    from . import analysis, data

    vintages = list(vintages or data.VINTAGES)
    all_schemes = data.schemes()
    scheme_labels = dict(zip(all_schemes["scheme"], all_schemes["scheme_zh"]))
    years = sorted({y for v in vintages for y in data.vintage_info(v)["years"]})
    quantities = (("GDP 份额（%）", "share"), ("人均 GDP（元）", "per_capita"), ("人均 GDP 之比", "ratio"))

    def compute(vintage, scheme, quantity):
        r = analysis.regional(vintage, scheme)
        names = r.attrs["group_names"]
        groups = list(dict.fromkeys(data.scheme(scheme)))
        x = list(r.index)
        if quantity == "share":
            series = [{"id": g, "label": names[g], "y": [_round(v * 100) for v in r[("share", g)]]} for g in groups]
            return [chart("各区域 GDP 占各省合计的比重", x, series, ylabel="%", unit="%", digits=1,
                          note=f"数据版本：{data.vintage_info(vintage)['label_zh']}；份额为占 31 个省份合计的比重")]
        if ("per_capita", groups[0]) not in r.columns:
            raise WidgetError("该数据版本缺少计算人均值所需的人口数据。")
        pc = r["per_capita"]
        if quantity == "per_capita":
            series = [{"id": g, "label": names[g], "y": [_round(v) for v in pc[g]]} for g in groups]
            return [chart("各区域人均 GDP（ΣGDP/Σ年均人口）", list(pc.index), series, ylabel="元/人",
                          unit="元", digits=0, note=f"数据版本：{data.vintage_info(vintage)['label_zh']}")]
        base = groups[0]
        series = [{"id": g, "label": f"{names[base]}/{names[g]}", "y": [_round(v) for v in pc[base] / pc[g]]}
                  for g in groups[1:]]
        return [chart(f"{names[base]}与其他区域的人均 GDP 之比", list(pc.index), series, ylabel="倍",
                      digits=2, note=f"数据版本：{data.vintage_info(vintage)['label_zh']}；人均 = ΣGDP/Σ年均常住人口")]

    year_opts = _year_options(years)
    controls = [
        Control("vintage", "数据版本", _vintage_options(vintages), vintage),
        Control("scheme", "区域方案", tuple((scheme_labels[s], s) for s in schemes), scheme),
        Control("quantity", "指标", quantities, quantity),
        Control("year_a", "年份一", year_opts, year_a, "xmark"),
        Control("year_b", "年份二", year_opts, year_b, "xmark"),
    ]
    return BookWidget("区域份额与人均之比", controls, compute,
                      description="选择数据版本、区域方案和指标，比较两个年份；表中“变化”为年份二减年份一。")


def ledger(vintage: str | None = None, pop_basis: str | None = None) -> BookWidget:
    """数字核对表：原文每个数字一行，改变数据版本与人口口径时重算。

    “最接近”（``vintage=None``）按原文同时报告的一组数字选版本；选定某个版本时，
    该版本没有的年份或无法计算的数字给出原因。
    """
    from . import article, data

    def _value(v, unit, decimals):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return fmt.MISSING
        return fmt.num(v, decimals) + ("%" if unit == "percent" else "")

    def compute(vintage, pop_basis):
        df = article.ledger(vintage=vintage or None, pop_basis=pop_basis or None)
        rows = []
        for r in df.itertuples():
            used = "" if not isinstance(r.vintage_used, str) else (
                data.vintage_info(r.vintage_used)["label_zh"] if r.vintage_used in data.VINTAGES else r.vintage_used)
            basis = article.POP_BASIS_ZH.get(r.pop_basis, "") if isinstance(r.pop_basis, str) else ""
            shown = article.printed_decimals(r.reported)  # 原文印出的小数位数
            rows.append([f"{r.subject_zh}（{r.year}）", _value(r.reported, r.unit, shown),
                         _value(r.recomputed, r.unit, shown + (1 if r.unit in ("percent", "ratio", "times") else 0)),
                         "　".join(filter(None, [used, basis])) or "—",
                         fmt.pct(r.diff_rel, 1, signed=True) if r.diff_rel == r.diff_rel else "—", r.verdict])
        counts = df["verdict"].value_counts()
        summary = stats([(k, f"{int(v)} 个") for k, v in counts.items()])
        note = ("“最接近”：对原文同时报告的一组数字，选能按印出精度重现最多数字的数据版本与人口口径。"
                if not vintage else f"全部按数据版本“{data.vintage_info(vintage)['label_zh']}”重算；该版本没有的年份或数字标为无法核实。")
        return [summary, table("原文数字与重算结果", ["数字", "原文", "重算", "所用版本与人口", "相对差", "结论"],
                               rows, note=note)]

    vintage_opts = (("各组最接近的版本", ""),) + _vintage_options()
    basis_opts = (("各组最接近的口径", ""), ("年均人口", "mean"), ("年末人口", "yearend"))
    controls = [Control("vintage", "数据版本", vintage_opts, vintage or ""),
                Control("pop_basis", "人均的分母", basis_opts, pop_basis or "")]
    return BookWidget("数字核对表", controls, compute,
                      description="原文报告的每一个数字与本书的重算；改变数据版本或人口口径，整张表随之重算。")
