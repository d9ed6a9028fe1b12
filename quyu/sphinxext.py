"""全书的 Sphinx 扩展：本地静态资源（组件脚本、MathJax）、LaTeX 辅助文件。

目的：构建出的网站不向任何其他主机请求脚本、样式或字体。
- 组件层的脚本和样式 ``quyu/static/`` 随包分发，复制到 ``_static/``；
- 每章的笔记本（.ipynb，不含输出，下载后在 Jupyter 中运行）复制到 ``_sources/``，
  页面的下载菜单提供 .ipynb；
- MathJax 3（SVG 输出，字形内置于脚本，离线和 file:// 下都能显示）取自 PyPI 包
  ``django-static-mathjax``（只用其中的静态文件，Apache-2.0），构建时复制到
  ``_static/mathjax/``，由 ``mathjax_path`` 指向本地文件。
"""
from __future__ import annotations

import shutil
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
LATEX = Path(__file__).resolve().parent / "latex"
MATHJAX_PATH = "mathjax/tex-svg.js"
#: 复制到网站中的 MathJax 文件：主脚本与它按需加载的组件（不含语音规则引擎 sre）。
MATHJAX_PARTS = ("tex-svg.js", "input", "output", "ui", "a11y", "adaptors")


def _mathjax_source() -> Path:
    import mathjax  # PyPI: django-static-mathjax

    return Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"


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
    if (target / "tex-svg.js").exists():
        return
    source = _mathjax_source()
    target.mkdir(parents=True, exist_ok=True)
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            shutil.copy2(source / part, target / part)


def _offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """每一章都可以下载为 .ipynb（myst-nb 写出的笔记本），出现在页面右上角的下载菜单中。"""
    if app.builder is None or app.builder.format != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _drop_widget_state(app, pagename, templatename, context, doctree) -> None:
    """不在网页中嵌入 ipywidgets 的状态：网页版组件用自己的静态数据，
    那份状态（含内核中渲染的 PNG）只会白白增加页面体积。"""
    from myst_nb.sphinx_ import NbMetadataCollector

    try:
        NbMetadataCollector.get_js_files(app.env, pagename).pop("ipywidgets_state", None)
    except KeyError:  # 不是笔记本的页面
        pass


def setup(app):
    app.connect("config-inited", _add_static)
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("html-page-context", _drop_widget_state, priority=400)
    app.connect("build-finished", _copy_mathjax)
    app.add_js_file("quyu-widgets.js", defer="defer")
    app.add_css_file("quyu-widgets.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
