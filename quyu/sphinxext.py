"""全书的 Sphinx 扩展：本地静态资源（组件脚本、MathJax）、LaTeX 辅助文件。

目的：构建出的网站不向任何其他主机请求脚本、样式或字体。
- 组件层的脚本和样式 ``quyu/static/`` 随包分发，复制到 ``_static/``；
- MathJax 2 取自 PyPI 包 ``jupyter-server-mathjax``（Apache-2.0），构建时复制到
  ``_static/mathjax/``，由 ``mathjax_path`` 指向本地文件。
"""
from __future__ import annotations

import shutil
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
LATEX = Path(__file__).resolve().parent / "latex"
MATHJAX_PATH = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"


def _mathjax_source() -> Path:
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).resolve().parent / "static"


def _add_static(app, config) -> None:
    config.html_static_path = list(config.html_static_path) + [str(STATIC)]
    config.mathjax_path = MATHJAX_PATH
    files = list(config.latex_additional_files)
    files += [str(p) for p in sorted(LATEX.glob("*.sty"))]
    config.latex_additional_files = files


def _copy_mathjax(app, exception) -> None:
    if exception or app.builder is None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(_mathjax_source(), target, dirs_exist_ok=True)


def setup(app):
    app.connect("config-inited", _add_static)
    app.connect("build-finished", _copy_mathjax)
    app.add_js_file("quyu-widgets.js", defer="defer")
    app.add_css_file("quyu-widgets.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
