"""./book.sh 面对坏输入：给出中英文说明，不改动任何东西；没有 ensurepip 的 Python 也能建环境。"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BOOK = ROOT / "book.sh"


def run(*args, env=None, cwd=ROOT, timeout=600):
    full = {**os.environ, **(env or {})}
    return subprocess.run(["bash", str(BOOK), *args], cwd=cwd, env=full, capture_output=True, text=True,
                          timeout=timeout)


def snapshot() -> set[str]:
    """仓库顶层与 _build 下的条目：坏输入前后必须相同。"""
    top = {p.name for p in ROOT.iterdir()}
    build = {p.name for p in (ROOT / "_build").iterdir()} if (ROOT / "_build").exists() else set()
    return top | {f"_build/{b}" for b in build}


def bilingual(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text) and any(ch.isascii() and ch.isalpha() for ch in text)


def test_unknown_subcommand_is_refused_in_both_languages():
    before = snapshot()
    done = run("bulid")
    assert done.returncode == 2
    assert "未知的子命令" in done.stderr and "unknown subcommand" in done.stderr
    assert snapshot() == before


def fake_python(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "python-fake"
    exe.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_old_python_is_refused(tmp_path):
    py = fake_python(tmp_path, 'case "$*" in *version_info*) exit 1;; *platform*) echo 3.9.18;; esac')
    venv = tmp_path / "venv"
    done = run("build", env={"PYTHON": str(py), "QUYU_VENV": str(venv)})
    assert done.returncode == 1
    assert "3.11" in done.stderr and "Python 3.11 or later" in done.stderr and "3.9.18" in done.stderr
    assert not venv.exists()


def test_python_without_venv_module_names_the_package_to_install(tmp_path):
    shim = tmp_path / "novenv" / "venv"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('no venv (simulated)')\n")
    venv = tmp_path / "venv"
    done = run("build", env={"PYTHONPATH": str(shim.parent), "QUYU_VENV": str(venv), "PYTHON": sys.executable})
    assert done.returncode == 1
    assert "python3-venv" in done.stderr and bilingual(done.stderr)
    assert not venv.exists()


def _lock_pip() -> str:
    for line in (ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("pip=="):
            return line.split("==")[1].split()[0]
    raise AssertionError("lock has no pip pin")


def test_python_without_ensurepip_gets_the_locked_pip(tmp_path):
    """模拟 Debian/Ubuntu 未装 python3-venv 的 Python：import ensurepip 失败。"""
    shim = tmp_path / "noensurepip" / "ensurepip"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('ensurepip is not available (simulated)')\n")
    venv = tmp_path / "venv"
    env = {"PYTHONPATH": str(shim.parent), "QUYU_VENV": str(venv), "PYTHON": sys.executable}
    check = subprocess.run([sys.executable, "-c", "import ensurepip"], env={**os.environ, **env},
                           capture_output=True)
    assert check.returncode != 0, "模拟失败：ensurepip 仍可导入"
    done = run("venv", env=env)
    assert done.returncode == 0, done.stderr
    assert "ensurepip" in done.stdout
    version = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"], capture_output=True,
                             text=True, check=True).stdout
    assert version.split()[1] == _lock_pip()


def test_half_made_venv_is_replaced(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /nowhere\n")  # 上次安装中断留下的半成品
    done = run("venv", env={"QUYU_VENV": str(venv), "PYTHON": sys.executable})
    assert done.returncode == 0, done.stderr
    assert "half-made" in done.stdout
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"], check=True, capture_output=True)


def test_a_folder_that_is_not_a_venv_is_left_alone(tmp_path):
    venv = tmp_path / "notes"
    venv.mkdir()
    (venv / "mine.txt").write_text("keep me")
    done = run("venv", env={"QUYU_VENV": str(venv), "PYTHON": sys.executable})
    assert done.returncode == 1 and "QUYU_VENV" in done.stderr
    assert (venv / "mine.txt").read_text() == "keep me"


def test_pdf_without_tex_says_what_to_install(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dirname").symlink_to("/usr/bin/dirname")
    before = snapshot()
    done = subprocess.run(["/bin/bash", str(BOOK), "pdf"], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "HOME": str(tmp_path)})
    assert done.returncode == 1
    assert "xelatex" in done.stderr and "TeX Live" in done.stderr and bilingual(done.stderr)
    assert snapshot() == before


def _source(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f"set -euo pipefail; source {BOOK}; {script}"], cwd=tmp_path,
                          capture_output=True, text=True)


def test_failed_build_keeps_the_last_good_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("good")
    done = _source(f"build_into {site} bash -c 'mkdir -p {site}; echo half > {site}/index.html; exit 1'", tmp_path)
    assert done.returncode != 0
    assert (site / "index.html").read_text() == "good"
    assert not (tmp_path / "site.last-good").exists()


def test_successful_build_replaces_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    done = _source(f"build_into {site} bash -c 'mkdir -p {site}; echo new > {site}/index.html'", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").read_text().strip() == "new" and not (site / "old.html").exists()


@pytest.mark.parametrize("name", ["quyu/fmt.py", "data/provinces.csv", "requirements-lock.txt",
                                  "_config.yml", "_toc.yml", "pyproject.toml"])
def test_every_input_changes_the_cache_fingerprint(name, tmp_path):
    """执行缓存的指纹覆盖包、数据、锁文件与配置：任何一个变了，缓存就作废。"""
    import shutil

    work = tmp_path / "repo"
    for item in ("quyu", "data"):
        shutil.copytree(ROOT / item, work / item, ignore=shutil.ignore_patterns("__pycache__"))
    for item in ("pyproject.toml", "requirements.txt", "requirements-lock.txt", "_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / item, work / item)
    py = f"PY={sys.executable}"
    first = _source(f'{py}; cd {work}; fingerprint "${{CACHE_INPUTS[@]}}"', tmp_path).stdout.strip()
    with open(work / name, "a", encoding="utf-8") as f:
        f.write("\n")
    second = _source(f'{py}; cd {work}; fingerprint "${{CACHE_INPUTS[@]}}"', tmp_path).stdout.strip()
    assert first and second and first != second


def test_the_generated_answer_file_is_not_an_input(tmp_path):
    """quyu/answers.json 由构建从 quyu/ 与 data/ 算出：写出或改写它不应使执行缓存作废。"""
    import shutil

    work = tmp_path / "repo"
    shutil.copytree(ROOT / "quyu", work / "quyu", ignore=shutil.ignore_patterns("__pycache__", "answers.json"))
    py = f"PY={sys.executable}"
    first = _source(f'{py}; cd {work}; fingerprint quyu', tmp_path).stdout.strip()
    (work / "quyu" / "answers.json").write_text("{}")
    second = _source(f'{py}; cd {work}; fingerprint quyu', tmp_path).stdout.strip()
    assert first and first == second


def test_changed_inputs_clear_the_cache_and_the_parsed_pages(tmp_path):
    """输入一变，执行缓存和 Sphinx 已解析的页面都要清掉：否则只改了数据的章节会留着旧数字。"""
    build = tmp_path / "_build"
    for d in (".jupyter_cache", ".doctrees", "jupyter_execute"):
        (build / d).mkdir(parents=True)
    (build / ".quyu-inputs").write_text("an old fingerprint\n")
    done = _source(f"PY={sys.executable}; BUILD={build}; refresh_cache", tmp_path)
    assert done.returncode == 0, done.stderr
    assert not any((build / d).exists() for d in (".jupyter_cache", ".doctrees", "jupyter_execute"))
    (build / ".doctrees").mkdir()  # 输入未变：什么都不动
    done = _source(f"PY={sys.executable}; BUILD={build}; refresh_cache", tmp_path)
    assert (build / ".doctrees").exists()
