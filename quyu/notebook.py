"""下载用的章节笔记本与在线运行（Binder、Colab）的启动按钮。

- :func:`for_download`：构建时执行过的笔记本 → 只有源单元格、没有输出的笔记本，开头加一个
  安装本书 Python 包的短单元格（包是网站上提供的 wheel，含全部数据，见 :mod:`quyu.site`）；
- :func:`published`：``_config.yml`` 中的仓库地址是不是真实地址。只有这个函数做这个判断：
  :func:`launch_options`（Binder 与 Colab 按钮）与 :func:`repository_options`（仓库、问题、
  编辑按钮）都按它打开或关闭，占位地址上没有任何指向仓库的链接。
"""
from __future__ import annotations

import json

#: 尚未发布时 _config.yml 中的占位仓库地址：在它上面不显示任何指向仓库的按钮。
PLACEHOLDER_REPOS = ("", "https://github.com/quyu-book/quyu", "https://github.com/executablebooks/jupyter-book")

BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"

INSTALL_NOTE = (
    "**在本书仓库之外运行本笔记本**（自己的电脑、Colab 等）：先从本书网站附录“教师指南”中下载"
    "本书的 Python 包 `{wheel}`（含全部数据），放在本笔记本所在的文件夹，再运行下面的单元格。"
    "在本书的源代码目录中运行时，这一步会自动跳过。"
)

INSTALL_CODE = (
    "# 安装本书的 Python 包（只需一次；已安装时跳过）\n"
    "import importlib, importlib.util, pathlib, subprocess, sys\n"
    "if importlib.util.find_spec(\"quyu\") is None:\n"
    "    wheel = pathlib.Path(\"{wheel}\")\n"
    "    if not wheel.exists():\n"
    "        print(f\"没有找到本书的 Python 包 {{wheel}}。请从本书网站附录“教师指南”下载这个文件，\"\n"
    "              f\"放到本笔记本所在的文件夹（{{pathlib.Path.cwd()}}），再重新运行这个单元格。\")\n"
    "    else:\n"
    "        done = subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\", str(wheel)],\n"
    "                              capture_output=True, text=True)\n"
    "        importlib.invalidate_caches()\n"
    "        if done.returncode == 0:\n"
    "            print(f\"已安装本书的 Python 包 {{wheel}}。\")\n"
    "        else:\n"
    "            print(f\"安装 {{wheel}} 没有成功。请检查：文件是否完整（可以重新下载），\"\n"
    "                  \"能否连上 PyPI（安装时要下载 pandas 等依赖），这个环境能否使用 pip。pip 的最后几行说明：\")\n"
    "            print(\"\\n\".join((done.stderr or done.stdout).strip().splitlines()[-3:]))"
)


def for_download(text: str, wheel: str | None = None, student: bool = False) -> str:
    """执行过的笔记本（JSON 文字）→ 下载用的笔记本（JSON 文字）。

    ``student``：学生版，去掉标有 ``solution`` 的代码单元格（只为答案计算数值，见 :mod:`quyu.edition`）。"""
    from .edition import is_solution_cell

    if wheel is None:
        from .site import wheel_name

        wheel = wheel_name()
    nb = json.loads(text)
    cells = []
    for cell in nb.get("cells", []):
        cell = dict(cell)
        if student and is_solution_cell((cell.get("metadata") or {}).get("tags")):
            continue
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            meta = dict(cell.get("metadata") or {})
            meta.pop("execution", None)
            cell["metadata"] = meta
        cells.append(cell)
    install = [
        {"cell_type": "markdown", "id": "quyu-install-note", "metadata": {},
         "source": INSTALL_NOTE.format(wheel=wheel)},
        {"cell_type": "code", "id": "quyu-install", "metadata": {"tags": ["quyu-install"]},
         "execution_count": None, "outputs": [], "source": INSTALL_CODE.format(wheel=wheel)},
    ]
    nb["cells"] = install + cells
    # 只留运行所需的元数据（内核、语言、jupytext）；组件状态等构建时的产物不进下载
    nb["metadata"] = {k: v for k, v in (nb.get("metadata") or {}).items()
                      if k in ("kernelspec", "language_info", "jupytext")}
    nb.setdefault("nbformat", 4)
    nb["nbformat_minor"] = max(int(nb.get("nbformat_minor", 5)), 5)
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def published(repository_url: str) -> bool:
    """``repository_url`` 是本书真实的 GitHub 仓库（而不是空的或占位的地址）。"""
    url = (repository_url or "").strip().rstrip("/")
    return url not in PLACEHOLDER_REPOS and url.startswith("https://github.com/")


#: 指向仓库的按钮（sphinx-book-theme 的选项）：仓库、提问题、编辑本页。
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")


def launch_options(repository_url: str) -> dict:
    """sphinx-book-theme 的 ``launch_buttons`` 设置：占位仓库地址时关闭 Binder 与 Colab。"""
    if not published(repository_url):
        return {"binderhub_url": "", "colab_url": "", "jupyterhub_url": "", "thebe": False}
    return {"binderhub_url": BINDER, "colab_url": COLAB, "notebook_interface": "classic"}


def repository_options(theme_options: dict) -> dict:
    """sphinx-book-theme 的选项 → 按仓库地址调整后的选项（新的 dict）。

    真实仓库：启动按钮打开，其余按 ``_config.yml``；占位地址：仓库、问题、编辑与启动按钮全部关闭，
    并去掉仓库地址本身（主题不再由它生成任何链接）。"""
    opts = dict(theme_options or {})
    repo = opts.get("repository_url", "")
    launch = dict(opts.get("launch_buttons") or {})
    launch.update(launch_options(repo))
    opts["launch_buttons"] = launch
    if not published(repo):
        opts.update({button: False for button in REPOSITORY_BUTTONS})
        opts.pop("repository_url", None)
    return opts
