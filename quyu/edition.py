"""学生版：不含习题答案的网页版与 PDF。

    python -m quyu.edition student [--pdf]

目录的读取在 :mod:`quyu.toc`。

做法：在 _config.yml 的基础上打开 sphinx-exercise 的 ``hide_solutions``，书名加“（学生版）”，
输出到 ``_build/student/``；执行缓存与正常版共用，不重复运行各章。
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "student"


def student_config() -> Path:
    """写出学生版配置文件并返回其路径。"""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config['title']}（学生版）"
    config.setdefault("execute", {})["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "_config.student.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(builder: str = "html") -> Path:
    """构建学生版，返回输出目录（_build/student/_build/html 或 latex）。"""
    exe = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(exe), "build", str(ROOT), "--config", str(student_config()),
                    "--path-output", str(OUT), "--builder", builder, "-W", "-n", "--keep-going"],
                   check=True)
    return OUT / "_build" / ("html" if builder == "html" else "latex")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m quyu.edition")
    ap.add_argument("edition", choices=["student"])
    ap.add_argument("--pdf", action="store_true", help="同时构建 PDF")
    args = ap.parse_args(argv)
    html = build("html")
    print(f"学生版网页：{html / 'index.html'}")
    if args.pdf:
        latex = build("pdflatex")
        print(f"学生版 PDF：{latex / 'quyu-book.pdf'}")


if __name__ == "__main__":
    main()
