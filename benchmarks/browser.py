"""网页版组件的重算延迟：在无网络的 headless Chromium 中随机改变控件，读取脚本记录的耗时。"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quyu import gap_widgets, widgets  # noqa: E402
from quyu.parts.part2 import results  # noqa: E402
from quyu.parts.part3 import people_and_governance  # noqa: E402
from quyu.parts.part4 import outlook  # noqa: E402

STATIC = Path(widgets.__file__).resolve().parent / "static"


def main(n: int = 200) -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, w in [("results.compare", results.compare()), ("gap_widgets.disparity", gap_widgets.disparity()),
                        ("gap_widgets.regional", gap_widgets.regional()),
                        ("people_and_governance.theil", people_and_governance.theil_widget()),
                        ("outlook.scenario", outlook.scenario_widget())]:
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
