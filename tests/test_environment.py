"""依赖版本：requirements.txt、environment.yml 与完整锁文件三者一致。"""
from __future__ import annotations

import re
from importlib import metadata

import yaml

from conftest import ROOT


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        assert m, f"未精确固定版本 / not pinned with ==: {line!r}"
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def requirements():
    return _pins((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())


def test_environment_yml_pins_equal_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert _pins(pip_block) == requirements()


def test_lock_contains_every_direct_pin():
    lock = _pins((ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines())
    for name, version in requirements().items():
        assert lock.get(name) == version, f"{name}: requirements {version} ≠ lock {lock.get(name)}"


def test_jupyter_book_is_1x():
    assert requirements()["jupyter-book"].startswith("1.")


def test_installed_versions_match_pins():
    """测试所用的环境就是锁定的环境（防止“本机能过、新机器不能过”）。"""
    for name, version in requirements().items():
        assert metadata.version(name) == version, name
