"""在没有 pip 的虚拟环境里装上锁文件固定的 pip（供 ./book.sh 在缺少 ensurepip 的 Python 上使用）。

    .venv/bin/python tools/bootstrap_pip.py requirements-lock.txt

Debian 与 Ubuntu 的系统 Python 在未安装 python3-venv 时没有 ensurepip，``python3 -m venv`` 便建不成
带 pip 的环境。这里只用标准库：从 PyPI 的 simple API 找到锁文件中那个版本的 pip 轮子，核对 sha256
（必须是锁文件列出的哈希之一），再用轮子里的 pip 把它自己装进当前环境。

Bootstraps the locked pip into a venv made with --without-pip, using only the standard library; the wheel's
sha256 must be one the lock lists. The index is PyPI's simple API (override with QUYU_PYPI_SIMPLE).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

SIMPLE = os.environ.get("QUYU_PYPI_SIMPLE", "https://pypi.org/simple/")


def fail(zh: str, en: str) -> None:
    print(f"错误：{zh}\nError: {en}", file=sys.stderr)
    sys.exit(1)


def locked_pip(lock: Path) -> tuple[str, set[str]]:
    """锁文件中 pip 的版本与它的全部 sha256。"""
    text = lock.read_text(encoding="utf-8")
    match = re.search(r"^pip==(\S+)((?:\s*\\\s*\n\s*--hash=sha256:[0-9a-f]{64})+)", text, re.M)
    if not match:
        fail(f"{lock} 中没有带哈希的 pip 版本。", f"{lock} pins no pip with hashes.")
    return match.group(1), set(re.findall(r"sha256:([0-9a-f]{64})", match.group(2)))


def wheel_url(version: str) -> tuple[str, str]:
    request = urllib.request.Request(SIMPLE.rstrip("/") + "/pip/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    name = f"pip-{version}-py3-none-any.whl"
    for f in files:
        if f["filename"] == name:
            return f["url"], name
    fail(f"PyPI 上找不到 {name}。", f"{name} is not on the index.")
    raise AssertionError  # unreachable


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements-lock.txt")
    version, hashes = locked_pip(lock)
    try:
        url, name = wheel_url(version)
        with urllib.request.urlopen(url, timeout=120) as response:
            blob = response.read()
    except OSError as error:
        fail(f"无法从 PyPI 下载 pip {version}：{error}", f"could not download pip {version}: {error}")
    digest = hashlib.sha256(blob).hexdigest()
    if digest not in hashes:
        fail(f"下载的 {name} 的 sha256（{digest}）不在锁文件中。", f"sha256 of {name} ({digest}) is not in the lock.")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / name
        wheel.write_bytes(blob)
        # 轮子本身可以当作 zip 导入：用其中的 pip 安装它自己。
        done = subprocess.run([sys.executable, str(wheel / "pip"), "install", "--quiet", "--no-index",
                               "--no-deps", "--disable-pip-version-check", str(wheel)])
    if done.returncode:
        fail("用下载的轮子安装 pip 失败。", "installing pip from the downloaded wheel failed.")
    print(f"pip {version} 已安装（sha256 已核对）/ pip {version} installed, hash verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
