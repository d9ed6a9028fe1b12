"""网页版组件的重算延迟：在无网络的 headless Chromium 中随机改变控件，读取脚本记录的耗时。"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quyu import widgets  # noqa: E402
from quyu.parts import part1, part2, part3, part4  # noqa: E402

STATIC = Path(widgets.__file__).resolve().parent / "static"


def main(n: int = 200) -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, w in [("part2.compare", part2.compare()), ("part1.disparity", part1.disparity()),
                        ("part1.regional", part1.regional()), ("part3.theil", part3.theil_widget()),
                        ("part4.scenario", part4.scenario_widget())]:
            page_file = tmp / f"{name}.html"
            page_file.write_text(
                f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{w.static_html()}'
                f'<script src="{(STATIC / "quyu-widgets.js").as_uri()}"></script></body></html>', encoding="utf-8")
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.wait_for_selector(".quyu-widget[data-quyu-ready]")
            rng = random.Random(0)
            samples = []
            for _ in range(n):
                c = rng.choice(w.controls)
                page.select_option(f"select[name={c.name}]", index=rng.randrange(len(c.options)))
                samples.append(float(page.get_attribute(".quyu-widget", "data-quyu-ms")))
            samples.sort()
            rows.append((name, statistics.median(samples), samples[int(0.95 * (n - 1))]))
            page.close()
        browser.close()
    print("| 组件 | 网页重算 p50 (ms) | p95 (ms) |")
    print("|---|---|---|")
    for name, p50, p95 in rows:
        print(f"| {name} | {p50:.2f} | {p95:.2f} |")
    print("\n重算 = 读控件、查表、显示逻辑、重画 SVG（脚本在 data-quyu-ms 中记录）。")


if __name__ == "__main__":
    main()
