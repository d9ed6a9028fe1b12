"""图形：中文字体与样式、政策事件与阶段标注、省级方格地图（tile-grid cartogram）。

表格的 Markdown 形式与打印格式在 :mod:`quyu.page`。

每章开头调用一次 :func:`setup`，此后所有 matplotlib 图都用思源黑体（Noto Sans CJK SC）
绘制中文，不依赖系统字体。字体文件来自 PyPI 包 ``mplfonts``（SIL Open Font License）。
"""
from __future__ import annotations

import logging
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

from . import data, page

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_FAMILY = "Noto Sans CJK SC"

#: 全书统一的配色：四大板块与常用对比色（色盲友好的 Okabe–Ito 色板）。
COLORS = {
    "east": "#0072B2",
    "central": "#E69F00",
    "west": "#009E73",
    "northeast": "#CC79A7",
    "other": "#999999",
    "accent": "#D55E00",
    "ink": "#222222",
    "mark": "#555555",  # 读数年份的竖线：中性色，不与任何一条线同色
}


def font_path() -> Path:
    """返回随 ``mplfonts`` 安装的思源黑体文件路径（只是拼出路径、查看文件在否，不必记住）。"""
    import mplfonts

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / FONT_FILE
    if not path.exists():  # pragma: no cover - 安装不完整时给出明确提示
        raise FileNotFoundError(
            f"找不到中文字体 {path}；请按 README 重新安装依赖 / CJK font missing: {path}"
        )
    return path


def _use_bundled_font(path: Path) -> None:
    """让字体名“Noto Sans CJK SC”只指向随包的字体文件。

    系统里也可能装有同名字体（如 Debian 的 fonts-noto-cjk），matplotlib 按名字选字体时会取
    字体列表中先出现的一个，而那份列表来自它的缓存：于是用哪一个文件，取决于机器上装了什么、
    缓存建于何时。这里从列表中去掉同名的其他文件，再登记随包的文件，所有机器上的图就都用
    同一个字体文件画出。
    """
    manager = font_manager.fontManager
    bundled = str(path)
    manager.ttflist = [f for f in manager.ttflist if f.name != FONT_FAMILY or f.fname == bundled]
    if not any(f.fname == bundled for f in manager.ttflist):
        manager.addfont(bundled)
    font_manager.FontManager._findfont_cached.cache_clear()


def setup() -> None:
    """注册中文字体并设定全书的图形样式（可重复调用）。"""
    path = font_path()
    # 只有常规字重：请求粗体时 matplotlib 会记录“找不到粗体”的日志（不是缺字），静默之。
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    _use_bundled_font(path)
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
            "axes.unicode_minus": True,
            "figure.figsize": (7.2, 4.0),
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titleweight": "normal",  # 随包的思源黑体只有常规字重
            "axes.titlesize": 12,
            "legend.frameon": False,
        }
    )
    page.register_print_tables()
    register_legible_figures()
    from .downloads import register_figure_csv

    register_figure_csv()  # 每张图的数据可下载为 CSV（见 quyu.downloads）


#: PDF 的版心宽度（英寸）：A4 纸左右各留 1 英寸（Sphinx 的默认页边距）。比它宽的图在 PDF 中按版心宽度缩小。
PRINT_WIDTH_IN = 8.27 - 2.0

#: 印出来的图中文字的最小字号（磅）。
MIN_PRINT_PT = 7.0


def print_scale(fig) -> float:
    """图印在 PDF 中时的缩放比例：按裁去空白后（``bbox_inches="tight"``）的宽度，比版心宽才缩小。"""
    try:
        width = fig.get_tightbbox(fig.canvas.get_renderer()).width
    except Exception:  # noqa: BLE001 - 没有可用的渲染器时按图幅计
        width = fig.get_figwidth()
    return min(1.0, PRINT_WIDTH_IN / width) if width > 0 else 1.0


def legible(fig, min_pt: float = MIN_PRINT_PT):
    """把图中印出来小于 ``min_pt`` 磅的文字放大到 ``min_pt``（按 :func:`print_scale` 换算）。

    各章的图宽度不一（宽的图有 13 英寸），同一个字号印在纸上大小不同：宽图缩到版心宽度后，
    刻度、图例和标注可能只有四五磅。网页与 PDF 用同一张图，放大后网页上的字也略大。返回 ``fig``。"""
    from matplotlib.text import Text

    for _ in range(4):  # 字放大后图的外框略宽，缩放比例随之变小：再算一遍，直到不再有要放大的字
        floor = min_pt / print_scale(fig) + 0.01
        changed = False
        for text in fig.findobj(Text):
            if not (text.get_visible() and text.get_text()):
                continue
            target = min(floor, _fit_pt(text))
            if text.get_fontsize() < target - 0.01:
                text.set_fontsize(target)
                changed = True
        if not changed:
            break
    unclutter(fig)   # 字号定了以后再看图例与标题是否压住了标注
    return fig


def unclutter(fig) -> list[str]:
    """图中的图例压住了事件标签（:func:`mark_events` 写的竖排文字）时，把图例移到坐标轴下方（横排）；
    子图标题压住了阶段名称时，把标题往上移。返回做了什么（供测试）。"""
    try:
        renderer = fig.canvas.get_renderer()
    except Exception:  # noqa: BLE001 - 没有渲染器（不画图）时什么也不做
        return []
    done = []
    for ax in fig.axes:
        leg = ax.get_legend()
        markers = [t for t in ax.texts if getattr(t, "_quyu_marker", False) and t.get_visible()]
        if leg is not None and markers:
            box = leg.get_window_extent(renderer)
            if any(box.overlaps(t.get_window_extent(renderer)) for t in markers):
                handles, labels = leg.legend_handles, [t.get_text() for t in leg.get_texts()]
                size = leg.get_texts()[0].get_fontsize() if leg.get_texts() else None
                below = (ax.get_tightbbox(renderer).y0 - ax.bbox.y0) / max(ax.bbox.height, 1) - 0.02
                # 列数从多到少，取宽度不超过这个坐标轴的最多列（并排的子图各有图例时，不压住邻图的图例）
                for ncol in range(min(len(labels), 3), 0, -1):
                    new = ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, below),
                                    ncol=ncol, fontsize=size, frameon=False)
                    if new.get_window_extent(renderer).width <= ax.bbox.width * 1.02:
                        break
                done.append("legend")
        bands = [t for t in ax.texts if getattr(t, "_quyu_band", False) and t.get_visible()]
        title = ax.title
        if bands and title.get_text():
            tb = title.get_window_extent(renderer)
            hits = [t.get_window_extent(renderer) for t in bands]
            if any(tb.overlaps(h) for h in hits):
                top = max(h.y1 for h in hits)
                shift = (top - tb.y0 + 2) / max(ax.bbox.height, 1)
                x, y = title.get_position()
                title.set_y(y + shift)
                done.append("title")
    return done


def _display_chars(text: str) -> float:
    """字数（汉字算 1，半角字符算 0.6）：估计一行字的宽度。"""
    return max(sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in str(text)), 1.0)


def _fit_pt(text) -> float:
    """方格地图中的字放大的上限（磅，图上的字号）：不超出所在方格的宽度与给它的那部分高度。
    其他文字没有上限。"""
    fit = getattr(text, "_quyu_fit", None)
    if fit is None:
        return float("inf")
    ax, ncol, nrow, chars, height_share = fit
    box = ax.get_window_extent()
    to_pt = 72.0 / ax.figure.dpi
    tile = min(box.width / ncol, box.height / nrow) * to_pt
    return min(tile * 0.92 / chars, tile * height_share)


def register_legible_figures() -> None:
    """在 IPython 中，每张图输出为 PNG 之前先经过 :func:`legible`（内核里、网页上与 PDF 中是同一张图）。

    inline 后端会重新登记 PNG 的格式化函数，所以在每个单元格运行前检查一次。不在 IPython 中时什么也不做。"""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    import matplotlib.pyplot as plt

    plt.close(plt.figure())  # 先让 inline 后端登记它的格式化函数
    _wrap_png_formatter(ip)
    if not getattr(ip, "_quyu_legible_hook", False):
        ip.events.register("pre_run_cell", lambda *_: _wrap_png_formatter(ip))
        ip._quyu_legible_hook = True


def _wrap_png_formatter(ip) -> None:
    from matplotlib.figure import Figure

    formatter = ip.display_formatter.formatters.get("image/png")
    if formatter is None:
        return
    try:
        current = formatter.lookup_by_type(Figure)
    except KeyError:
        return
    if getattr(current, "_quyu_legible", False):
        return

    def png(fig, _print=current):
        return _print(legible(fig))

    png._quyu_legible = True
    formatter.for_type(Figure, png)


#: 多条线时依次使用的颜色。
CYCLE = [COLORS["east"], COLORS["central"], COLORS["west"], COLORS["northeast"], COLORS["accent"],
         "#56B4E9", "#F0E442", "#000000"]

#: 区域分组 id → 颜色（四大板块之外的组按顺序取色）。
GROUP_COLORS = {"east": COLORS["east"], "central": COLORS["central"], "west": COLORS["west"],
                "northeast": COLORS["northeast"], "other": COLORS["other"]}


@data.cached
def chart_events() -> list[dict]:
    """要在时间序列图上标出的政策事件：``policy_events.csv`` 中 ``chart_label`` 非空的行。"""
    ev = data.events()
    if "chart_label" not in ev.columns:
        return []
    ev = ev[ev["chart_label"].notna() & (ev["chart_label"].astype(str).str.strip() != "")]
    out = []
    for r in ev.sort_values("year").itertuples():
        # 相邻事件相距不到 3 年时，标签交替写在图的下沿和上沿，避免重叠
        close = out and int(r.year) - out[-1]["x"] < 3 and out[-1]["row"] == 0
        out.append({"x": int(r.year), "label": str(r.chart_label), "row": 1 if close else 0})
    return out


def _event_label(ax, ev: dict) -> None:
    """在竖线旁写事件标签：row 0 写在下沿，row 1 写在上沿。标签衬一块半透明的白底，
    压在数据线上时（如份额图中东部的线正好穿过上沿的标签）仍然看得清，线也还看得见。"""
    top = ev.get("row", 0) == 1
    text = ax.text(ev["x"], 0.97 if top else 0.02, ev["label"], rotation=90, transform=ax.get_xaxis_transform(),
                   fontsize=6.5, color="#555", ha="right", va="top" if top else "bottom", zorder=5,
                   bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.8})
    text._quyu_marker = True   # legible() 把压在它上面的图例移到图外


@data.cached
def stage_bands() -> list[dict]:
    """战略阶段（stages.csv）作为背景色带；终点缺失的阶段延伸到图的右端。"""
    st = data.stages()
    colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    return [{"from": int(r.start_year), "to": None if str(r.end_year) in ("<NA>", "nan") else int(r.end_year),
             "label": r.label_zh, "color": colors[k % len(colors)]}
            for k, r in enumerate(st.itertuples())]


def mark_events(ax, events=True, bands=True, span: tuple | None = None) -> None:
    """在一张以年份为横轴的图上标出战略阶段与政策事件（全书统一画法，印刷的图与组件的图共用），
    横轴刻度取整年。

    ``events``、``bands``：True 用全书的事件（:func:`chart_events`）与阶段（:func:`stage_bands`），
    也可以直接给出列表，False 或空列表不画。``span``：只在这个年份范围内标注（默认为横轴范围）。
    """
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    lo, hi = ax.get_xlim()
    first, last = span if span is not None else (lo, hi)
    for band in (stage_bands() if bands is True else bands or []):
        a, b = max(band["from"], first), min(band.get("to") or last, last)
        if a < b:
            ax.axvspan(a, b, color=band.get("color", "#888"), alpha=0.07, lw=0)
            label = ax.text((a + b) / 2, 1.0, band["label"], transform=ax.get_xaxis_transform(),
                            ha="center", va="bottom", fontsize=7, color="#555")
            label._quyu_band = True   # legible() 把压在它上面的子图标题往上移
    for ev in (chart_events() if events is True else events or []):
        if first <= ev["x"] <= last:
            ax.axvline(ev["x"], color="#999", lw=0.7, ls=":")
            _event_label(ax, ev)
    ax.set_xlim(lo, hi)


def tile_map(values, ax=None, title: str = "", cmap: str = "Blues", categorical: bool = False,
             fmt=None, colors: dict | None = None, legend_title: str = ""):
    """省级方格地图（tile-grid cartogram）：每个省级行政区一个等大的方格，按大致方位排列。

    不画任何边界（绘制带边界的中国地图须使用经审核的标准底图，本书不具备）。
    ``values`` 是以 2 位省代码为索引的 Series：数值（按 ``cmap`` 着色，``fmt`` 格式化标注）
    或类别（``categorical=True``，按 ``colors`` 着色）。缺失值画成灰色并标“缺失”。
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch, Rectangle

    setup()
    grid = data.tile_grid()
    names = data.provinces().set_index("code")["name_zh_short"]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 6.0))
    nrow, ncol = int(grid["row"].max()), int(grid["col"].max())
    norm = None
    if not categorical:
        v = values.astype(float)
        finite = v[np.isfinite(v)]
        norm = plt.Normalize(finite.min(), finite.max()) if len(finite) else None
        cm = plt.get_cmap(cmap)
    cats = {}
    for r in grid.itertuples():
        val = values.get(r.code) if hasattr(values, "get") else None
        missing = val is None or (isinstance(val, float) and np.isnan(val))
        if missing:
            face, text = "#dddddd", "缺失"
        elif categorical:
            if val not in cats:  # 每个类别一种颜色：先查 colors，再按顺序取色
                cats[val] = (colors or {}).get(val) or CYCLE[len(cats) % len(CYCLE)]
            face = cats[val]
            text = ""
        else:
            face = cm(norm(val)) if norm else "#dddddd"
            text = fmt(val) if fmt else f"{val:,.0f}"
        x, y = r.col - 1, nrow - r.row
        ax.add_patch(Rectangle((x + 0.04, y + 0.04), 0.92, 0.92, facecolor=face, edgecolor="white"))
        dark = not categorical and not missing and norm is not None and norm(val) > 0.6
        color = "white" if dark else "#222222"
        # 省名在方格中线之上、数值在其下，各自贴着中线：印刷时字被放大（legible）也不互相压住；
        # 放大以方格装得下为限（_quyu_fit：所在的轴、行列数、字数、可占方格高度的比例）
        name = names.get(r.code, r.code)
        label = ax.text(x + 0.5, y + 0.52 if text else y + 0.5, name, ha="center",
                        va="bottom" if text else "center", fontsize=8, color=color)
        label._quyu_fit = (ax, ncol, nrow, _display_chars(name), 0.44 if text else 0.9)
        if text:
            value = ax.text(x + 0.5, y + 0.48, text, ha="center", va="top", fontsize=6.5, color=color)
            value._quyu_fit = (ax, ncol, nrow, _display_chars(text), 0.44)
    import pandas as pd

    # 图中画出的数（构建后在图下方提供 CSV 下载，见 quyu.downloads）
    ax._quyu_data = pd.DataFrame({"省级行政区": [names.get(c, c) for c in grid["code"]],
                                  (legend_title or title or "数值"): [values.get(c) if hasattr(values, "get") else None
                                                                    for c in grid["code"]]})
    ax.set_xlim(0, ncol)
    ax.set_ylim(0, nrow)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    if categorical and cats:
        ax.legend(handles=[Patch(color=c, label=str(k)) for k, c in cats.items()], loc="lower left",
                  fontsize=8, title=legend_title or None, frameon=False)
    elif norm is not None:
        sm = plt.cm.ScalarMappable(norm=norm, cmap=cm)
        cb = ax.figure.colorbar(sm, ax=ax, shrink=0.5, pad=0.02)
        if legend_title:
            cb.set_label(legend_title)
    return ax


# ---------------------------------------------------------------- population series breaks

def mark_population_breaks(ax, vintage: str, codes=None, label: bool = True) -> list[int]:
    """在人均值图上标出该数据版本的人口口径断点（灰色点线），返回标出的年份。

    ``codes`` 限定省份（默认任一省份有断点即标出）。断点来自 ``data.population_breaks``：
    人均值在这些年份的跳动有一部分来自人口统计口径，而不是经济变化。
    Mark the population-series breaks of ``vintage`` on a per-capita chart.
    """
    br = data.population_breaks(vintage)
    if codes is not None:
        br = br[br["code"].isin([str(c).zfill(2) for c in codes])]
    lo, hi = ax.get_xlim()
    done = getattr(ax, "_quyu_pop_breaks", set())
    years = sorted({int(y) for y in br["year_to"] if lo <= y <= hi} - done)
    ax._quyu_pop_breaks = done | set(years)
    for k, y in enumerate(years):
        ax.axvline(y - 0.5, color="#777777", lw=0.9, ls=(0, (1, 2)), zorder=1.5)
        if label:  # 竖排短标签，放在图的上沿，避开底部的政策事件标签；涉及的省份见数据附录
            ax.text(y - 0.35, 0.97, "人口口径断点", transform=ax.get_xaxis_transform(), rotation=90,
                    fontsize=6.5, color="#555555", va="top", ha="left")
    return years
