"""图形：中文字体与样式、政策事件与阶段标注、省级方格地图（tile-grid cartogram）。

每章开头调用一次 :func:`setup`，此后所有 matplotlib 图都用思源黑体（Noto Sans CJK SC）
绘制中文，不依赖系统字体。字体文件来自 PyPI 包 ``mplfonts``（SIL Open Font License）。
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

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
}


@lru_cache(maxsize=1)
def font_path() -> Path:
    """返回随 ``mplfonts`` 安装的思源黑体文件路径。"""
    import mplfonts

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / FONT_FILE
    if not path.exists():  # pragma: no cover - 安装不完整时给出明确提示
        raise FileNotFoundError(
            f"找不到中文字体 {path}；请按 README 重新安装依赖 / CJK font missing: {path}"
        )
    return path


def setup() -> None:
    """注册中文字体并设定全书的图形样式（可重复调用）。"""
    path = font_path()
    if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
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
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "legend.frameon": False,
        }
    )
