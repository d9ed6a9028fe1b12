"""测试共用的路径与开关。

构建产物的测试（HTML、PDF、浏览器）在本地缺少产物时跳过；CI 设置
QUYU_REQUIRE_PDF=1 / QUYU_REQUIRE_BROWSER=1，此时缺少产物或工具即失败。
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# 每次测试都用一个全新的、空的 matplotlib 缓存目录：机器上的字体缓存不能左右测试结果。
# Every run starts with an empty matplotlib cache, as on a new machine (set before matplotlib is imported).
os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="quyu-mpl-")

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "quyu-book.pdf"


def _require(flag: str, ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get(flag) == "1":
        pytest.fail(f"{why}（{flag}=1，不允许跳过）")
    pytest.skip(why)


@pytest.fixture(scope="session")
def html_dir() -> Path:
    _require("QUYU_REQUIRE_HTML", (HTML / "index.html").exists(), "网页版尚未构建：先运行 ./book.sh build")
    return HTML


@pytest.fixture(scope="session")
def pdf_path() -> Path:
    _require("QUYU_REQUIRE_PDF", PDF.exists(), "PDF 尚未构建：先运行 ./book.sh pdf")
    _require("QUYU_REQUIRE_PDF", shutil.which("pdftotext") is not None, "缺少 pdftotext（poppler-utils）")
    return PDF


@pytest.fixture(scope="session")
def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    _require("QUYU_REQUIRE_BROWSER", exe is not None, "缺少 Chromium（Debian 包 chromium）")
    return exe


# ---------------------------------------------------------------- 组件测试共用的小工具
# 测试文件用 ``from conftest import charts, messages, stats, combos, latest_year`` 导入。

def charts(views) -> list[dict]:
    """视图中的图。"""
    return [v for v in views if v["type"] == "chart"]


def messages(views, level: str | None = None) -> list[str]:
    """视图中提示信息的文字（可只取某一级别：``error`` 或 ``info``）。"""
    return [v["text"] for v in views if v["type"] == "message" and (level is None or v["level"] == level)]


def stats(views) -> dict:
    """第一张数字卡片：``{标签: 已格式化的数值}``。"""
    items = [v for v in views if v["type"] == "stats"]
    assert items, views
    return dict(items[0]["items"])


def combos(widget) -> list[dict]:
    """组件的全部参数组合（``{参数名: 取值}``）。"""
    return widget.combinations()


def latest_year(vintage: str = "current") -> int:
    """某数据版本的最后一年，从 data/vintages.csv 读出（测试不钉死年份，加一年不会使测试失败）。"""
    from quyu import data

    return max(data.vintage_info(vintage)["years"])


def num(text: str) -> float:
    """读出格式化文字中的数（去掉千位分隔、单位；“−”当作负号）。"""
    import re

    return float(re.sub(r"[^\d.\-−]", "", text).replace("−", "-"))


from quyu.widgets import SIGNIFICANT  # noqa: E402

#: 组件数据中数值的相对精度：保留 SIGNIFICANT 位有效数字，相对误差不超过此数。
REL = 0.5 * 10 ** (1 - SIGNIFICANT)


@pytest.fixture(scope="session")
def browser(chromium):
    """无头 Chromium（Debian 包，经 Playwright 驱动）；全部浏览器测试共用一个实例。"""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()
