"""下载的章节笔记本在本书仓库之外运行：新建的虚拟环境中只装网站上的 wheel 与固定版本的运行依赖，
在一个空的临时目录中从头执行一章（不设 QUYU_DATA，数据来自 wheel 中的 quyu/_data）。

正常版与学生版各测一次：学生版下载的笔记本去掉了答案，wheel 中没有计算标准答案的模块，
两者仍要能运行，自查仍要能判断对错。

这个测试每个版本要安装一个虚拟环境（约 1—2 分钟）；设 QUYU_SKIP_SLOW=1 可以跳过。
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, _require
from quyu import site

STUDENT = ROOT / "_build" / "student" / "_build" / "html"

#: 执行的章节：含组件、表格与 glue，篇幅适中。
CHAPTER = "book/part2/status_framework"

RUNNER = r"""
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
import quyu, quyu.data
assert "site-packages" in quyu.__file__, quyu.__file__
print("DATA", quyu.data.data_dir())
print("OUTPUTS", sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"))
"""


@pytest.mark.skipif(os.environ.get("QUYU_SKIP_SLOW") == "1", reason="QUYU_SKIP_SLOW=1")
@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_downloaded_notebook_runs_in_a_fresh_venv_with_only_the_wheel(html_dir, tmp_path, edition):
    if edition == "student":
        _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
        html_dir = STUDENT
    wheel = html_dir / site.DOWNLOADS / site.wheel_name()
    notebook = html_dir / "_sources" / f"{CHAPTER}.ipynb"
    assert wheel.exists() and notebook.exists()
    assert ("{solution}" in notebook.read_text(encoding="utf-8")) is (edition == "teacher")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    work = tmp_path / "work"
    work.mkdir()
    (work / wheel.name).write_bytes(wheel.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in ("QUYU_DATA", "PYTHONPATH", "VIRTUAL_ENV")}
    # 只装 wheel 及其依赖（版本受仓库的锁文件约束），以及执行笔记本用的 nbclient
    constraints = _constraints_from_lock(ROOT / "requirements-lock.txt", work / "constraints.txt")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(work / wheel.name), "nbclient", "nbformat",
                    "-c", str(constraints)], check=True, env=env, cwd=work)
    (work / "chapter.ipynb").write_text(notebook.read_text(encoding="utf-8"), encoding="utf-8")
    (work / "run.py").write_text(RUNNER, encoding="utf-8")
    done = subprocess.run([str(py), "run.py", "chapter.ipynb", str(work)], env=env, cwd=work,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "quyu/_data" in done.stdout
    outputs = int(done.stdout.split("OUTPUTS")[1].split()[0])
    assert outputs > 0
    assert not (work / "data").exists()
    # 装了 wheel 的环境中，自查函数读 wheel 中的答案文件：能判断对错，不需要源代码目录
    probe = ("from quyu.check import check, exercises; "
             "print(len(exercises()), check('ex-p2-3-2', 0).status, check('ex-p2-3-2', 'x').status)")
    done = subprocess.run([str(py), "-c", probe], env=env, cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    n, wrong, invalid = done.stdout.split()
    assert int(n) >= 30 and wrong == "wrong" and invalid == "invalid", done.stdout
    # 计算标准答案的模块只在正常版的 wheel 中
    probe = "import importlib.util; print(importlib.util.find_spec('quyu.parts.answers') is not None)"
    done = subprocess.run([str(py), "-c", probe], env=env, cwd=work, capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == [str(edition == "teacher")], (done.stdout, done.stderr[-2000:])


def test_student_md_download_has_the_same_code_as_its_notebook():
    """学生版下载的 .md 与 .ipynb 是同一章：代码单元格逐一相同（.ipynb 多一个开头的安装单元格），
    所以上面运行 .ipynb 的测试也说明 .md 能运行。"""
    from myst_nb.core.read import read_myst_markdown_notebook

    _require("QUYU_REQUIRE_STUDENT", (STUDENT / "index.html").exists(), "学生版尚未构建：./book.sh student")
    chapters = sorted((STUDENT / "_sources" / "book").rglob("*.ipynb"))
    assert chapters
    for path in chapters:
        md = read_myst_markdown_notebook(path.with_suffix(".md").read_text(encoding="utf-8"))
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        assert code[1:] == [c.source for c in md.cells if c.cell_type == "code"], path.name


def _constraints_from_lock(lock: Path, target: Path) -> Path:
    """锁文件中的版本（不带哈希）写成约束文件：pip 的约束文件不接受 --hash。"""
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.strip().rstrip("\\").strip()
        if line and not line.startswith(("#", "--hash")):
            pins.append(line)
    target.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return target
