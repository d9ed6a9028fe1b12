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
