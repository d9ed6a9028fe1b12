"""书的目录：读 ``_toc.yml``，按顺序列出全部页面（构建、测试与基准共用）。"""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_files() -> list[str]:
    """目录（_toc.yml）中的全部页面，按顺序，不带扩展名（如 ``book/part1/coordination``）。"""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files += [s["file"] for s in ch.get("sections", [])]
    return files


def chapters() -> list[Path]:
    """目录中的全部页面文件（``.md``），按顺序。"""
    return [ROOT / f"{f}.md" for f in toc_files()]


def exercise_counts():
    """每一章的习题数量（教师指南用）：部分、章节标题、习题数、其中可以自查的题数；没有习题的章不列。"""
    import re

    import pandas as pd

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    rows = []
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            text = (ROOT / f"{ch['file']}.md").read_text(encoding="utf-8")
            title = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
            n = len(re.findall(r"^`{3,4}\{exercise\}", text, flags=re.M))
            if n:
                checks = len(re.findall(r"^\*\*自查\*\*：", text, flags=re.M))
                rows.append({"部分": part["caption"].split(" ")[0], "章节": title, "习题数": n, "可自查": checks})
    return pd.DataFrame(rows)
