"""依赖：构建与测试分开声明，锁文件带哈希、含 pip 与 setuptools，conda 用同一个锁文件。"""
from __future__ import annotations

import re
from importlib import metadata

import yaml

from conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _direct(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = PIN.match(line)
        assert m and line == m.group(0), f"{name}: 未精确固定版本 / not pinned with ==: {line!r}"
        pins[_norm(m.group(1))] = m.group(2)
    return pins


def _lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """锁文件：包名 → (版本, 哈希列表)。"""
    text = (ROOT / name).read_text(encoding="utf-8")
    out = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = PIN.match(block)
        if m:
            out[_norm(m.group(1))] = (m.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return out


def runtime():
    return _direct("requirements.txt")


def test_runtime_and_test_dependencies_are_declared_apart():
    run, test = runtime(), _direct("requirements-test.txt")
    assert not set(run) & set(test)
    # 只有测试和基准用到的包不进构建环境
    for name in ("pytest", "playwright", "inequality", "jupytext"):
        assert name in test and name not in run


def test_every_locked_package_has_hashes_and_the_installers_are_locked():
    for name in ("requirements-lock.txt", "requirements-test-lock.txt"):
        lock = _lock(name)
        assert {"pip", "setuptools"} <= set(lock), name
        for pkg, (_, hashes) in lock.items():
            assert hashes, f"{name}: {pkg} 没有哈希 / has no hash"


def test_locks_contain_every_direct_pin_and_agree():
    build, test = _lock("requirements-lock.txt"), _lock("requirements-test-lock.txt")
    for pkg, version in runtime().items():
        assert build.get(pkg, (None,))[0] == version, pkg
    for pkg, version in _direct("requirements-test.txt").items():
        assert test.get(pkg, (None,))[0] == version, pkg
    for pkg, (version, _) in build.items():  # 测试环境是构建环境的超集，版本相同
        assert test[pkg][0] == version, pkg


def test_build_lock_leaves_out_test_only_packages():
    build = _lock("requirements-lock.txt")
    for name in ("pytest", "playwright", "inequality"):
        assert name not in build


def test_conda_environment_uses_the_same_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert pip_block == ["-r requirements-lock.txt"]


def test_pyproject_reads_the_same_pins():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["dependencies"] == {"file": ["requirements.txt"]}
    assert dynamic["optional-dependencies"]["test"] == {"file": ["requirements-test.txt"]}


def test_jupyter_book_is_1x():
    assert runtime()["jupyter-book"].startswith("1.")


def test_installed_versions_match_the_lock():
    """测试所用的环境就是锁定的环境（防止“本机能过、新机器不能过”）。"""
    lock = _lock("requirements-test-lock.txt")
    for name in [*runtime(), *_direct("requirements-test.txt"), "pip", "setuptools"]:
        assert metadata.version(name) == lock[name][0], name
