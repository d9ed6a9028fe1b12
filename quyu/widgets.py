"""交互组件层：同一个组件在三种环境中工作。

- **Jupyter 内核**（JupyterLab、Notebook、VS Code、Colab）：ipywidgets 控件，每次改动都调用
  Python 重新计算，用 matplotlib 作图。
- **发布的网页**（无内核、无网络）：构建时把各种选项组合的计算结果算好，作为 JSON 嵌入页面；
  页面脚本 ``quyu/static/quyu-widgets.js`` 只负责查表、相除和作图，不含任何度量公式。
- **PDF**：默认选项下的结果画成一张静态图。

三种形态来自同一个输出：组件的 ``_repr_mimebundle_`` 同时给出 ipywidgets 视图、静态 HTML
和 PNG，由 ``_config.yml`` 中的 ``nb_mime_priority_overrides`` 为网页和 PDF 各选其一。三种形态
共用一个缓存：每个参数组合只计算一次，默认选项的图只画一次。

数据中的数值在一处取舍：:func:`chart` 把每条线的数值保留 6 位有效数字（:data:`SIGNIFICANT`），
于是内核、网页与 PDF 看到的是同一组数。

计算函数抛出的可预期错误（``ValueError``，含本书的 :class:`~quyu.errors.BookError`）显示为中文
提示。构建网页时，任何出错的参数组合都会使构建失败，除非组件用 ``gaps`` 声明了这一缺口
（:class:`Gap`：哪些组合、读者看到的原因），见 :meth:`BookWidget.payload`。

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
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from . import fmt
from .errors import BookError, chinese

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


#: 数据中数值保留的有效数字位数（足以精确显示到元、到 0.001）。
SIGNIFICANT = 6
#: 设了这个环境变量（非空），表示在构建网站或 PDF：组件不再生成只在 Jupyter 中有用的 ipywidgets 视图。
STATIC_BUILD_ENV = "QUYU_STATIC_BUILD"


class WidgetError(BookError):
    """组件内部的可预期错误：信息（``zh``）以中文显示在组件的输出区，而不是抛出 traceback。"""


@dataclass(frozen=True)
class Gap:
    """组件声明的缺口：``when`` 所描述的参数组合可以出错，``reason`` 是原因。

    ``when`` 是 ``{参数名: 取值或可选值的元组}``，例如
    ``Gap({"measure": ("sigma", "max_min_ratio"), "weighted": True}, "这两种度量没有加权的版本")``；
    也可以是一个函数 ``when(params) -> bool``（如“结束年份不晚于起始年份”）。
    读者看到的是计算函数给出的中文提示；``reason`` 供作者与测试核对缺口清单。
    """

    when: Any
    reason: str

    def names(self) -> set[str]:
        return set(self.when) if isinstance(self.when, dict) else set()

    def matches(self, params: dict) -> bool:
        if callable(self.when):
            return bool(self.when(params))
        for name, allowed in self.when.items():
            options = allowed if isinstance(allowed, (tuple, list, set, frozenset)) else (allowed,)
            if params.get(name) not in options:
                return False
        return True


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

def round_sig(v, sig: int = SIGNIFICANT):
    """保留 ``sig`` 位有效数字；缺失值（None、NaN）为 None。全书组件数据的唯一取舍。"""
    if v is None:
        return None
    v = float(v)
    if math.isnan(v):
        return None
    return float(f"{v:.{sig}g}")




def chart(title: str, x: Sequence, series: Sequence[dict], *, ylabel: str = "", unit: str = "",
          digits: int = 2, events: Sequence[dict] = (), bands: Sequence[dict] = (),
          note: str = "", pickable: bool = False, ratio_digits: int = 2, xlabel: str = "") -> dict:
    """折线图视图。``series`` 中每条线：``{"id", "label", "y", "color"?, "dash"?}``；缺失值为 None。

    横轴缺省是年份；``xlabel`` 给出时，横轴是这个量（整数刻度，如“λ（%）”），图的文字替代、数据表与 CSV
    的首列都用它而不用“年份”。数值保留 :data:`SIGNIFICANT` 位有效数字（:func:`round_sig`）。"""
    clean = []
    for s in series:
        y = [round_sig(v) for v in s["y"]]
        clean.append({"id": str(s.get("id", s["label"])), "label": s["label"], "y": y,
                      "color": s.get("color"), "dash": bool(s.get("dash", False))})
    view = {"type": "chart", "title": title, "x": [int(v) for v in x], "series": clean,
            "ylabel": ylabel, "unit": unit, "digits": digits, "events": list(events),
            "bands": list(bands), "note": note, "pickable": pickable, "ratio_digits": ratio_digits}
    if xlabel:
        view["xlabel"] = xlabel
    return view


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


# ---------------------------------------------------------------- 显示逻辑（Python 一份，JS 一份）

def _fmt_value(v, digits: int, unit: str) -> str:
    if not unit:
        return fmt.num(v, digits)
    return fmt.num(v, digits) + (unit if unit == "%" else f" {unit}")


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
            return [message(MESSAGES["year_out"].format(year=year, span=fmt.year_span(x, style="list")))]
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
    """全书所有交互组件的共同实现。各章用 ``quyu.parts`` 中的构造函数得到组件。

    ``compute(**params) -> list[view]``，其中 params 是 ``role="param"`` 控件的取值。
    计算函数抛出的 ``ValueError``（含 DataError、MeasureError）显示为中文提示，不出现 traceback。
    ``gaps``：已知会出错的参数组合（:class:`Gap`）；未声明的出错组合在构建网页时报错。
    ``csv_note``：网页中下载的 CSV 第二行的说明；缺省说明数值来自官方统计，理论模型的组件要改写它。
    """

    def __init__(self, title: str, controls: Sequence[Control], compute: Callable[..., list[dict]],
                 *, description: str = "", alt: str = "", gaps: Sequence[Gap] = (), csv_note: str = ""):
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate control names: {names}")
        self.title = title
        self.controls = list(controls)
        self.compute = compute
        self.description = description
        self.alt = alt or title
        self.gaps = tuple(gaps)
        self.csv_note = csv_note
        unknown = {k for g in self.gaps for k in g.names()} - {c.name for c in self.params}
        if unknown:
            raise ValueError(f"gaps name unknown params: {sorted(unknown)}")
        self._view = None
        self._cache: dict = {}      # 参数组合 → 视图（三种形态共用）
        self._errors: dict = {}     # 参数组合 → 出错时的中文提示
        self._png: dict = {}        # 视图的 JSON → PNG（默认选项的图只画一次）
        self._payload: dict | None = None

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
                self._errors[key] = chinese(error)
                self._cache[key] = [message(self._errors[key])]
            except Exception as error:  # noqa: BLE001 - 读者不应看到 traceback
                if strict:
                    raise
                name = type(error).__name__
                return [message(f"这一组选项无法计算（{name}）。请换一组选项；如果问题持续，请在本书仓库报告。")]
        return self._cache[key]

    def combinations(self) -> list[dict[str, Any]]:
        """全部参数组合（每个组合是 ``{参数名: 取值}``）。"""
        names = [c.name for c in self.params]
        return [dict(zip(names, combo))
                for combo in itertools.product(*[[v for _, v in c.options] for c in self.params])]

    def gap_for(self, params: dict) -> Gap | None:
        """参数组合所属的已声明缺口（没有则为 None）。"""
        return next((g for g in self.gaps if g.matches(params)), None)

    def errors(self) -> dict[tuple, str]:
        """计算全部组合，返回出错的组合（参数取值的元组）→ 中文提示（控件选项之外的取值不计）。"""
        keys = []
        for params in self.combinations():
            self.computed(strict=True, **params)
            keys.append(tuple(params.values()))
        return {k: self._errors[k] for k in keys if k in self._errors}

    def undeclared_errors(self) -> dict[tuple, str]:
        """出错而未声明为缺口的组合 → 中文提示（应为空）。"""
        names = [c.name for c in self.params]
        return {k: v for k, v in self.errors().items() if self.gap_for(dict(zip(names, k))) is None}

    def views(self, **values) -> list[dict]:
        """给定全部控件的取值（缺省用默认值），返回最终显示的视图。"""
        chosen = {**self.defaults(), **values}
        unknown = set(chosen) - {c.name for c in self.controls}
        if unknown:
            raise WidgetError(f"没有这些控件：{sorted(unknown)}", f"no such controls: {sorted(unknown)}")
        params = {c.name: chosen[c.name] for c in self.params}
        roles = {c.name: c.role for c in self.controls if c.role != "param"}
        shown = {n: chosen[n] for n in roles}
        return apply_display(self.computed(**params), shown, roles)

    # -- static page
    def payload(self) -> dict:
        """网页版需要的全部数据：控件、提示语模板、每个参数组合的视图（去重后按编号引用）。

        视图中重复的列表（事件、阶段、横轴、各条线的数值）放在 ``shared`` 中，以 ``"@n"`` 引用，
        由网页脚本在查表时还原。出错而未声明为缺口（``gaps``）的组合使之抛出 :class:`WidgetError`。"""
        if self._payload is not None:
            return self._payload
        undeclared = self.undeclared_errors()
        if undeclared:
            lines = "；".join(f"{_key(k)}：{v}" for k, v in list(undeclared.items())[:5])
            raise WidgetError(f"组件“{self.title}”有 {len(undeclared)} 个出错的选项组合未声明为缺口：{lines}",
                              f"widget {self.title!r}: {len(undeclared)} erroring combinations not declared in gaps")
        pool: list[dict] = []
        shared: dict[str, list] = {}
        shared_index: dict[str, str] = {}
        index: dict[str, int] = {}
        results: dict[str, list[int]] = {}
        for params in self.combinations():
            ids = []
            for view in self.computed(strict=True, **params):
                view = _share_lists(view, shared, shared_index)
                text = json.dumps(view, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                if text not in index:
                    index[text] = len(pool)
                    pool.append(view)
                ids.append(index[text])
            results[_key(params.values())] = ids
        self._payload = {
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
        if self.csv_note:
            self._payload["csv_note"] = self.csv_note
        return self._payload

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
    def png(self, views: list[dict], title: str = "") -> bytes:
        """把视图画成 PNG（缓存：同样的视图只画一次；内核中的图与 PDF 中的图共用）。"""
        key = json.dumps([views, title], ensure_ascii=False, sort_keys=True, default=str)
        if key not in self._png:
            fig = render_figure(views, title=title)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
            self._png[key] = buf.getvalue()
        return self._png[key]

    def print_png(self) -> bytes:
        """默认选项下的结果画成一张 PNG（供 PDF 使用）。"""
        return self.png(self.views(), title=self.title)

    def print_markdown(self) -> str | None:
        """没有图、只有表格与文字的组件，印刷版是排版好的文字和表格（:func:`views_markdown`），
        而不是一张图：多列的表画成图后缩到版心宽度，字只有三四磅。有图时返回 None（仍用 PNG）。"""
        views = self.views()
        if any(v["type"] == "chart" for v in views):
            return None
        return views_markdown(views, title=self.title)

    # -- kernel
    def ipywidget(self):
        """ipywidgets 版本（第一次调用时创建）。"""
        if self._view is None:
            self._view = _build_ipywidget(self)
        return self._view

    def _repr_mimebundle_(self, include=None, exclude=None):
        # 构建网站、PDF 时（环境变量由 quyu.sphinxext 设定，内核继承），页面只用静态数据和印刷版图，
        # 不用 ipywidgets 的视图（_config.yml 中被排除）：这时不创建它，省下逐图渲染的时间。
        live = not os.environ.get(STATIC_BUILD_ENV)
        bundle = dict(self.ipywidget()._repr_mimebundle_() or {}) if live else {}
        bundle["text/html"] = self.static_html()
        bundle["image/png"] = base64.b64encode(self.print_png()).decode("ascii")
        printed = self.print_markdown()
        if printed is not None:   # PDF 优先用它（_config.yml 的 nb_mime_priority_overrides）
            bundle["text/markdown"] = printed
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
            parts.append(figure_html(view, widget.png([view])) if view["type"] == "chart" else view_html(view))
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


def figure_html(view: dict, png: bytes | None = None) -> str:
    """图视图 → 内嵌 PNG 的 <img>（内核中显示）；``png`` 为已画好的图（组件的缓存）。"""
    if png is None:
        fig = render_figure([view])
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        png = buf.getvalue()
    data = base64.b64encode(png).decode("ascii")
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
    raise WidgetError(f"未知的视图类型 {view['type']!r}", f"unknown view type {view['type']!r}")


def _md_text(text: str) -> str:
    """Markdown 中按原样显示的文字（转义会被当作标记的字符）。"""
    out = str(text)
    for ch in "\\`*_[]<>#|$":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def views_markdown(views: list[dict], title: str = "") -> str:
    """表格、数字卡片和提示信息的 Markdown（PDF 中的印刷版；与网页中的结构相同）。"""
    parts = [f"**{_md_text(title)}**"] if title else []
    for v in views:
        if v["type"] == "message":
            parts.append(("⚠ " if v["level"] == "error" else "") + _md_text(v["text"]))
        elif v["type"] == "stats":
            parts.append("\n".join(f"- {_md_text(a)}：{_md_text(b)}" for a, b in v["items"]))
        elif v["type"] == "table":
            lines = [f"*{_md_text(v['title'])}*", ""] if v.get("title") else []
            lines.append("| " + " | ".join(_md_text(c) for c in v["columns"]) + " |")
            lines.append("|" + "---|" * len(v["columns"]))
            lines += ["| " + " | ".join(_md_text(c) for c in r) + " |" for r in v["rows"]]
            if v.get("note"):
                lines += ["", _md_text(v["note"])]
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


#: 印刷版图中一行文字的宽度上限（半角字符数）：更长的读数、说明折成几行，不把图撑宽（撑宽的图缩到版心后字太小）
PRINT_TEXT_UNITS = 104
PRINT_NOTE_UNITS = 120


def _wrap_units(text: str, units: int) -> list[str]:
    """按印出来的宽度（汉字算 2）把一行折成几行。"""
    lines, cur, width = [], "", 0
    for ch in str(text):
        w = 2 if ord(ch) > 0x2E80 else 1
        if width + w > units and cur:
            lines.append(cur)
            cur, width = "", 0
        cur += ch
        width += w
    return lines + [cur] if cur else lines or [""]


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
            text_lines.extend(_wrap_units(("⚠ " if v["level"] == "error" else "") + v["text"], PRINT_TEXT_UNITS))
        elif v["type"] == "stats":
            for a, b in v["items"]:
                text_lines.extend(_wrap_units(f"{a}：{b}", PRINT_TEXT_UNITS))
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
    return plots.legible(fig)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _mark_row(m, events, lo, hi) -> int:
    """读数标签写在图的上沿（1）还是下沿（0）：附近三年内那一行已有事件标签时换一行，都有时写在中间（−1）。
    与网页脚本中的 markRow 一致。"""
    def busy(row):
        return any(lo <= ev["x"] <= hi and ev.get("row", 0) == row and abs(ev["x"] - m) <= 3 for ev in events)

    return 1 if not busy(1) else 0 if not busy(0) else -1


def _draw_chart(ax, view: dict) -> None:
    from matplotlib.ticker import MaxNLocator

    from . import plots

    x = view["x"]
    for k, s in enumerate(view["series"]):
        color = s.get("color") or plots.CYCLE[k % len(plots.CYCLE)]
        y = [math.nan if v is None else v for v in s["y"]]
        ax.plot(x, y, label=s["label"], color=color, linestyle="--" if s.get("dash") else "-",
                marker="o" if len(x) <= 12 else None, markersize=3)
    # 阶段与事件：与印刷的图同一个函数，只标在数据的年份范围之内
    plots.mark_events(ax, events=view.get("events", []), bands=view.get("bands", []), span=(min(x), max(x)))
    # 读数年份：中性灰色虚线加小标签（与网页版一致），不与任何一条线同色，免得被读成数据的尖峰
    lo, hi = min(x), max(x)
    for m in view.get("marks", []):
        if not lo <= m <= hi:
            continue
        ax.axvline(m, color=plots.COLORS["mark"], lw=1.0, ls=(0, (4, 3)), zorder=1.8)
        right = hi > lo and (m - lo) / (hi - lo) > 0.8
        row = _mark_row(m, view.get("events", []), lo, hi)
        y, va = {1: (0.98, "top"), 0: (0.02, "bottom"), -1: (0.5, "center")}[row]
        ax.text(m, y, f" 读数：{m} 年 ", transform=ax.get_xaxis_transform(), fontsize=7,
                color=plots.COLORS["mark"], ha="right" if right else "left", va=va)
    ax.set_ylabel(view.get("ylabel", ""))
    if view.get("xlabel"):
        ax.set_xlabel(view["xlabel"])
    if view.get("title"):
        ax.set_title(view["title"], fontsize=10, pad=14 if view.get("bands") else 6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(view["series"]) > 1:
        ax.legend(fontsize=8, loc="best")
    if view.get("note"):
        ax.annotate("\n".join(_wrap_units(view["note"], PRINT_NOTE_UNITS)), (0, -0.16), xycoords="axes fraction",
                    fontsize=7, color="#555", va="top")


# ---------------------------------------------------------------- 控件选项的常用写法

def vintage_label(vintage: str) -> str:
    """数据版本在读者面前的名称：data/vintages.csv 的 ``label_zh``（不出现代码名）。"""
    from . import data

    return data.vintage_info(vintage)["label_zh"]


def vintage_options(vintages=None) -> tuple:
    """数据版本的选项 ``((中文名, 代码), …)``；缺省为全部版本。"""
    from . import data

    return tuple((vintage_label(v), v) for v in (vintages or data.VINTAGES))


def year_options(years) -> tuple:
    """年份的选项 ``(("2012", 2012), …)``。"""
    return tuple((str(y), int(y)) for y in years)
