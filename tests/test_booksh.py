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
    done = _source(f"BUILD={tmp_path}; build_into {site} bash -c 'mkdir -p {site}; echo half > {site}/index.html; exit 1'",
                   tmp_path)
    assert done.returncode != 0
    assert (site / "index.html").read_text() == "good"
    assert not (tmp_path / "site.last-good").exists()


def test_successful_build_replaces_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    done = _source(f"BUILD={tmp_path}; build_into {site} bash -c 'mkdir -p {site}; echo new > {site}/index.html'", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").read_text().strip() == "new" and not (site / "old.html").exists()


def test_an_incremental_build_works_in_place_and_a_failure_restores_the_site(tmp_path):
    """有已解析的页面时在原处构建（没改的页面不重写）；失败则放回上一次的成品，并丢掉 Sphinx 的环境，
    下一次从头重读，不会把半途写出的页面当作最新。"""
    site = tmp_path / "_build" / "html"
    site.mkdir(parents=True)
    (tmp_path / "_build" / ".doctrees").mkdir()
    (site / "kept.html").write_text("kept")
    (site / ".quyu-inputs").write_text("stamp")
    done = _source(f"BUILD={tmp_path / '_build'}; build_into {site} bash -c 'test -f {site}/kept.html && test ! -e {site}/.quyu-inputs "
                   f"&& echo new > {site}/index.html'", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (site / "kept.html").read_text() == "kept" and (site / "index.html").read_text().strip() == "new"
    assert not (tmp_path / "_build" / "html.last-good").exists()
    done = _source(f"BUILD={tmp_path / '_build'}; build_into {site} bash -c 'echo half > {site}/index.html; exit 1'",
                   tmp_path)
    assert done.returncode != 0
    assert (site / "index.html").read_text().strip() == "new"
    assert not (tmp_path / "_build" / ".doctrees").exists()


def test_build_skips_sphinx_when_nothing_changed(tmp_path):
    """网页版由当前的输入构建（指纹相同）时，``./book.sh build`` 不再运行 Sphinx；任何输入一变就重建。"""
    import shutil

    work = tmp_path / "repo"
    for item in ("quyu", "data", "book", "locale", "releases"):
        shutil.copytree(ROOT / item, work / item, ignore=shutil.ignore_patterns("__pycache__"))
    for item in ("pyproject.toml", "requirements.txt", "requirements-lock.txt", "_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / item, work / item)
    html = work / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("site")
    py = f"PY={sys.executable}"
    assert _source(f"{py}; cd {work}; stamp _build/html; site_is_fresh", tmp_path).returncode == 0
    for name in ("book/intro.md", "releases/0.1.0/manifest.json"):
        with open(work / name, "a", encoding="utf-8") as f:
            f.write("\n")
        assert _source(f"{py}; cd {work}; site_is_fresh", tmp_path).returncode != 0, name
        assert _source(f"{py}; cd {work}; stamp _build/html; site_is_fresh", tmp_path).returncode == 0


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


# ---------------------------------------------------------------- tools/bootstrap_pip.py：本地索引（不上网）

BOOTSTRAP = ROOT / "tools" / "bootstrap_pip.py"


def _fake_index(tmp_path: Path, version: str = "99.0") -> tuple[Path, Path, str]:
    """临时目录中的索引：files/ 下一个假的 pip 轮子（运行时只把参数写进 $MARK），simple/pip/index.html
    （PEP 503，相对链接），simple-json/pip/index.json（PEP 691，相对链接），以及列出其哈希的锁文件。"""
    import hashlib
    import json
    import zipfile

    name = f"pip-{version}-py3-none-any.whl"
    wheel = tmp_path / "files" / name
    wheel.parent.mkdir(parents=True)
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("pip/__init__.py", "")
        z.writestr("pip/__main__.py", "import os, sys\nopen(os.environ['MARK'], 'w').write(' '.join(sys.argv[1:]))\n")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    html_page = tmp_path / "simple" / "pip" / "index.html"
    html_page.parent.mkdir(parents=True)
    html_page.write_text("<!DOCTYPE html><html><body>\n"
                         f'<a href="../../files/pip-1.0-py3-none-any.whl#sha256={"0" * 64}">pip-1.0-py3-none-any.whl</a>\n'
                         f'<a href="../../files/{name}#sha256={digest}" data-requires-python="&gt;=3.9">{name}</a>\n'
                         "</body></html>\n", encoding="utf-8")
    json_page = tmp_path / "simple-json" / "pip" / "index.json"
    json_page.parent.mkdir(parents=True)
    json_page.write_text(json.dumps({"meta": {"api-version": "1.1"}, "name": "pip", "files": [
        {"filename": name, "url": f"../../files/{name}", "hashes": {"sha256": digest}}]}), encoding="utf-8")
    lock = tmp_path / "lock.txt"
    lock.write_text(f"pip=={version} \\\n    --hash=sha256:{digest}\n", encoding="utf-8")
    return lock, wheel, digest


def _bootstrap(tmp_path: Path, index: str, lock: Path, cwd: Path | None = None):
    env = {**os.environ, "QUYU_PYPI_SIMPLE": index, "MARK": str(tmp_path / "mark")}
    return subprocess.run([sys.executable, str(BOOTSTRAP), str(lock)], cwd=cwd or tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def _installed(done, tmp_path: Path, wheel: Path) -> bool:
    mark = tmp_path / "mark"
    return (done.returncode == 0 and "installed, hash verified" in done.stdout and mark.exists()
            and mark.read_text().startswith("install") and mark.read_text().endswith(wheel.name))


@pytest.fixture
def loopback_index(tmp_path):
    """在 127.0.0.1 上提供临时目录的 http 服务：/simple/ 是 HTML（PEP 503），/simple-json/ 按 PEP 691
    回答 JSON（内容类型 application/vnd.pypi.simple.v1+json）。"""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/simple-json/pip/"):
                body = (tmp_path / "simple-json" / "pip" / "index.json").read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize("form", ["absolute", "file-relative", "file-dot", "path-relative"])
def test_bootstrap_reads_an_html_index_from_a_local_folder(form, tmp_path):
    lock, wheel, _ = _fake_index(tmp_path)
    index = {"absolute": (tmp_path / "simple").as_uri() + "/", "file-relative": "file:simple/",
             "file-dot": "file://./simple", "path-relative": "simple"}[form]
    done = _bootstrap(tmp_path, index, lock)
    assert _installed(done, tmp_path, wheel), done.stderr


@pytest.mark.parametrize("path", ["/simple/", "/simple", "/simple-json/"])
def test_bootstrap_reads_html_and_json_indexes_over_http(path, tmp_path, loopback_index):
    lock, wheel, _ = _fake_index(tmp_path)
    done = _bootstrap(tmp_path, loopback_index + path, lock)
    assert _installed(done, tmp_path, wheel), done.stderr


def test_bootstrap_failures_are_explained_without_a_traceback(tmp_path, loopback_index):
    lock, wheel, digest = _fake_index(tmp_path)
    cases = []
    bad_lock = tmp_path / "bad-lock.txt"
    bad_lock.write_text(lock.read_text().replace(digest, "f" * 64))
    cases.append((_bootstrap(tmp_path, "file:simple/", bad_lock), "不在锁文件中"))
    other = tmp_path / "other-lock.txt"
    other.write_text(lock.read_text().replace("99.0", "98.0"))
    cases.append((_bootstrap(tmp_path, "file:simple/", other), "pip-98.0-py3-none-any.whl"))
    cases.append((_bootstrap(tmp_path, "file:no-such-folder/", lock), "no-such-folder"))
    cases.append((_bootstrap(tmp_path, loopback_index + "/nothing/", lock), "HTTP 404"))
    (tmp_path / "text" / "pip").mkdir(parents=True)
    (tmp_path / "text" / "pip" / "index.html").write_text("just some text, no links\n")
    cases.append((_bootstrap(tmp_path, "file:text/", lock), "PEP 503"))
    (tmp_path / "badjson" / "pip").mkdir(parents=True)
    (tmp_path / "badjson" / "pip" / "index.html").write_text('{"files": 3}')
    cases.append((_bootstrap(tmp_path, "file:badjson/", lock), "PEP 691"))
    cases.append((_bootstrap(tmp_path, "ftp://example.invalid/simple/", lock), "ftp://"))
    cases.append((_bootstrap(tmp_path, "http://127.0.0.1:9/simple/", lock), "127.0.0.1:9"))   # 没有服务的端口
    for done, words in cases:
        assert done.returncode == 1, (words, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and words in done.stderr, done.stderr
        assert "错误：" in done.stderr and "Error:" in done.stderr and bilingual(done.stderr)
    assert not (tmp_path / "mark").exists()


# ---------------------------------------------------------------- tools/lock.sh：uv 固定版本与哈希，错误不丢

def _lock_repo(tmp_path: Path) -> Path:
    import shutil

    work = tmp_path / "repo"
    (work / "tools").mkdir(parents=True)
    for item in ("tools/lock.sh", "tools/uv-lock.txt", "tools/bootstrap.txt", "requirements.txt",
                 "requirements-test.txt", "requirements-lock.txt", "requirements-test-lock.txt"):
        shutil.copy2(ROOT / item, work / item)
    return work


def _locks(work: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(work.rglob("*")) if p.is_file()}


def test_uv_is_pinned_by_version_and_hashes():
    import re

    text = (ROOT / "tools" / "uv-lock.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^uv==(\d+\.\d+\.\d+) \\$", text, re.M)
    hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})\b", text)
    assert len(pins) == 1 and len(hashes) == len(set(hashes)) >= 4     # Linux 与 macOS 的 x86_64、arm64 至少各一
    assert not re.search(r"^[a-z]", text.replace(f"uv=={pins[0]}", ""), re.M | re.I)   # 只有 uv 一个包
    script = (ROOT / "tools" / "lock.sh").read_text(encoding="utf-8")
    assert "--require-hashes" in script and "-r tools/uv-lock.txt" in script and "UV_VERSION" not in script
    assert "/dev/null" not in script   # 错误输出不丢


def test_lock_sh_shows_why_the_venv_could_not_be_made(tmp_path):
    work = _lock_repo(tmp_path)
    before = _locks(work)
    py = fake_python(tmp_path, 'echo "venv exploded (simulated)" >&2; exit 3')
    done = subprocess.run(["bash", "tools/lock.sh"], cwd=work, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHON": str(py)})
    assert done.returncode == 1
    assert "venv exploded (simulated)" in done.stderr and "python3-venv" in done.stderr and bilingual(done.stderr)
    assert _locks(work) == before


def test_lock_sh_installs_uv_with_hashes_and_shows_pip_errors(tmp_path):
    work = _lock_repo(tmp_path)
    before = _locks(work)
    args = tmp_path / "pip-args"
    # 假的 python：-m venv DIR 建一个 DIR/bin/python，它把 pip 的参数记下来，再像哈希不符时的 pip 那样失败
    py = fake_python(tmp_path, f'''if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/sh\\necho "$*" > {args}\\necho "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES (simulated)" >&2\\nexit 1\\n' > "$3/bin/python"
  chmod +x "$3/bin/python"
  exit 0
fi
exit 1''')
    done = subprocess.run(["bash", "tools/lock.sh"], cwd=work, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHON": str(py)})
    assert done.returncode == 1, done.stderr
    assert "DO NOT MATCH THE HASHES (simulated)" in done.stderr and "tools/uv-lock.txt" in done.stderr
    assert bilingual(done.stderr)
    used = args.read_text().split()
    assert used[:3] == ["-m", "pip", "install"] and "--require-hashes" in used
    assert "--only-binary=:all:" in used and used[used.index("-r") + 1] == "tools/uv-lock.txt"
    assert _locks(work) == before
