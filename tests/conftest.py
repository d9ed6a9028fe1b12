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
