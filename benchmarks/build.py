"""构建基准：干净构建（并行预执行与逐章执行各一次）、缓存重建、只改文字后的重建、各章单独执行、
PDF、网站体积，以及维护者的循环（``./book.sh build``：什么都没改时、只改一句文字后）。

各章单独执行时，内核的环境与构建时相同（设 ``QUYU_STATIC_BUILD``，组件不生成 ipywidgets 视图）；
另报一遍不设它的合计（在 Jupyter 中交互运行时的情形）。

    .venv/bin/python benchmarks/build.py [--pdf]

构建输出写到临时目录，不动仓库中的 _build；“只改文字”的修改在结束时复原。维护者的循环在仓库的
一份临时副本中运行（用同一个虚拟环境）。
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def build(out: Path, builder: str = "html", serial: bool = False) -> float:
    import os

    env = dict(os.environ)
    env.pop("QUYU_SERIAL_EXECUTION", None)
    if serial:
        env["QUYU_SERIAL_EXECUTION"] = "1"
    t = time.perf_counter()
    subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out),
                    "--builder", builder, "-W", "-n", "--keep-going", "-q"], check=True,
                   stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def chapters() -> list[Path]:
    from quyu.toc import toc_files

    return [ROOT / f"{f}.md" for f in toc_files()]


def execute_alone(path: Path) -> float | None:
    """单独执行一章（jupytext 读入，nbclient 执行）；不是笔记本的页面返回 None。"""
    import jupytext
    from nbclient import NotebookClient

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---") or "kernelspec" not in text.split("---")[1]:
        return None
    nb = jupytext.reads(text, fmt="myst")
    t = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - t


def site_weight(html: Path) -> tuple[int, int, list[tuple[str, int]]]:
    """页面自身字节数（含内嵌组件数据）与页面引用的文件（脚本、样式、图片，各计一次）。"""
    pages = sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)
    assets: set[Path] = set()
    rows = []
    for p in pages:
        text = p.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:src|href)="([^"#?]+)', text):
            if ref.startswith(("http", "mailto:", "data:")) or not ref.endswith((".js", ".css", ".png", ".svg", ".woff", ".woff2")):
                continue
            f = (p.parent / ref).resolve()
            if f.exists():
                assets.add(f)
        rows.append((str(p.relative_to(html)), p.stat().st_size))
    shared = sum(f.stat().st_size for f in assets)
    return sum(s for _, s in rows), shared, rows


def maintainer_loop() -> list[tuple[str, float]]:
    """在仓库的临时副本中：``./book.sh build`` 干净构建一次，再测什么都没改时与只改一句文字后的重建。"""
    import os

    import hashlib

    # 副本用本仓库的虚拟环境：只有它已按当前的锁文件装好时才行，否则 book.sh 会在副本中重装本书的包
    lock = b"".join(f.read_bytes() for f in [ROOT / "requirements-lock.txt", ROOT / "pyproject.toml",
                                              *sorted(ROOT.glob("requirements*.txt"))])
    stamp = BIN.parent / ".quyu-build-deps"
    if not stamp.exists() or stamp.read_text().strip() != hashlib.sha256(lock).hexdigest():
        print("（跳过维护者的循环：先运行一次 ./book.sh build，装好虚拟环境）")
        return []
    work = Path(tempfile.mkdtemp(prefix="quyu-loop-")) / "repo"
    skip = shutil.ignore_patterns("_build", ".venv", "node_modules", ".git", "__pycache__")
    shutil.copytree(ROOT, work, ignore=skip)
    env = {**os.environ, "QUYU_VENV": str(BIN.parent)}

    def run() -> float:
        t = time.perf_counter()
        subprocess.run([str(work / "book.sh"), "build"], cwd=work, check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t

    try:
        rows = [("./book.sh build：干净构建", run()), ("./book.sh build：什么都没改", run())]
        intro = work / "book" / "intro.md"
        intro.write_text(intro.read_text(encoding="utf-8") + "\n本句为基准测试而加。\n", encoding="utf-8")
        rows.append(("./book.sh build：只改一句文字", run()))
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf", action="store_true", help="也测 PDF 构建")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="quyu-bench-"))
    import os

    from quyu.widgets import STATIC_BUILD_ENV

    results = []
    results.append(("干净构建 HTML（逐章执行）", build(tmp, serial=True)))
    shutil.rmtree(tmp / "_build")
    results.append((f"干净构建 HTML（并行预执行，{os.cpu_count()} 个处理器）", build(tmp)))
    shutil.rmtree(tmp / "_build" / "html")
    results.append(("重建 HTML（执行缓存命中）", build(tmp)))
    intro = ROOT / "book" / "intro.md"
    original = intro.read_text(encoding="utf-8")
    try:
        intro.write_text(original + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        results.append(("只改文字后的增量重建", build(tmp)))
    finally:
        intro.write_text(original, encoding="utf-8")
    if args.pdf:
        results.append(("PDF（xelatex，执行缓存命中）", build(tmp, "pdflatex")))
    results += maintainer_loop()
    print("| 步骤 | 秒 |\n|---|---|")
    for name, sec in results:
        print(f"| {name} | {sec:.1f} |")
    sums = {}
    for label, static in (("与构建时相同", True), ("交互内核（生成 ipywidgets 视图）", False)):
        if static:
            os.environ[STATIC_BUILD_ENV] = "1"
        else:
            os.environ.pop(STATIC_BUILD_ENV, None)
        print(f"\n| 章节（单独执行，{label}） | 秒 |\n|---|---|")
        total = 0.0
        for ch in chapters():
            sec = execute_alone(ch)
            if sec is not None:
                total += sec
                print(f"| {ch.relative_to(ROOT)} | {sec:.1f} |")
        print(f"| 合计 | {total:.1f} |")
        sums[label] = total
    first = sums["与构建时相同"]
    print(f"\n干净构建 ÷ 各章单独执行之和：逐章 {results[0][1] / first:.2f}，并行 {results[1][1] / first:.2f}")
    pages, shared, rows = site_weight(tmp / "_build" / "html")
    print(f"\n网站体积：页面合计 {pages / 1e3:.0f} kB；页面引用的文件（脚本、样式、图片，各计一次）{shared / 1e3:.0f} kB")
    print("\n| 页面 | kB |\n|---|---|")
    for name, size in sorted(rows, key=lambda r: -r[1])[:15]:
        print(f"| {name} | {size / 1e3:.0f} |")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
