"""在没有 pip 的虚拟环境里装上锁文件固定的 pip（供 ./book.sh 在缺少 ensurepip 的 Python 上使用）。

    .venv/bin/python tools/bootstrap_pip.py requirements-lock.txt

Debian 与 Ubuntu 的系统 Python 在未安装 python3-venv 时没有 ensurepip，``python3 -m venv`` 便建不成
带 pip 的环境。这里只用标准库：从软件包索引的 simple API 找到锁文件中那个版本的 pip 轮子，核对 sha256
（必须是锁文件列出的哈希之一），再用轮子里的 pip 把它自己装进当前环境。

索引默认是 PyPI，可用环境变量 QUYU_PYPI_SIMPLE 换成镜像或本地目录：``https://…/simple/``、
``file:///…/simple/``、相对的 ``file:simple/``，或者直接写目录路径（相对路径按当前目录解析）。
索引可以提供 JSON（PEP 691）或 HTML（PEP 503）；页面中的相对链接按页面地址（及 ``<base href>``）解析；
本地目录中的项目页是其中的 ``index.html``（与 pip 的做法相同）。

Bootstraps the locked pip into a venv made with --without-pip, using only the standard library; the wheel's
sha256 must be one the lock lists. The index is PyPI's simple API (override with QUYU_PYPI_SIMPLE: an http(s)
URL, a file: URL — absolute or relative — or a plain directory path). Both the JSON (PEP 691) and the HTML
(PEP 503) forms of the simple API are read; relative links are resolved against the page.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

DEFAULT_SIMPLE = "https://pypi.org/simple/"
#: JSON 优先，HTML 也接受（PEP 691 的内容协商）。
ACCEPT = ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
          "text/html;q=0.01")
JSON_TYPES = {"application/vnd.pypi.simple.v1+json", "application/json"}
HTML_TYPES = {"application/vnd.pypi.simple.v1+html", "text/html"}


def fail(zh: str, en: str) -> None:
    print(f"错误：{zh}\nError: {en}", file=sys.stderr)
    sys.exit(1)


def locked_pip(lock: Path) -> tuple[str, set[str]]:
    """锁文件中 pip 的版本与它的全部 sha256。"""
    try:
        text = lock.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"无法读取锁文件 {lock}：{error}", f"cannot read the lock file {lock}: {error}")
    match = re.search(r"^pip==(\S+)((?:\s*\\\s*\n\s*--hash=sha256:[0-9a-f]{64})+)", text, re.M)
    if not match:
        fail(f"{lock} 中没有带哈希的 pip 版本。", f"{lock} pins no pip with hashes.")
    return match.group(1), set(re.findall(r"sha256:([0-9a-f]{64})", match.group(2)))


def index_url(raw: str) -> str:
    """QUYU_PYPI_SIMPLE → 以 / 结尾的绝对地址：http(s) 原样；file: 地址与目录路径（可以是相对路径，
    按当前目录解析）变成绝对的 file:// 地址。"""
    raw = raw.strip()
    if not raw:
        fail("QUYU_PYPI_SIMPLE 是空的。", "QUYU_PYPI_SIMPLE is empty.")
    parts = urllib.parse.urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return raw if raw.endswith("/") else raw + "/"
    if scheme == "file":
        netloc = parts.netloc
        if netloc in (".", ".."):   # file://./simple：常见的相对写法
            netloc, parts = "", parts._replace(path=netloc + parts.path)
        if netloc not in ("", "localhost"):
            fail(f"不支持指向其他主机的 file 地址：{raw}", f"file URLs on another host are not supported: {raw}")
        path = urllib.request.url2pathname(urllib.parse.unquote(parts.path))
    elif scheme == "":
        path = raw
    else:
        fail(f"不支持的索引地址：{raw}（应是 https://、http://、file: 地址或目录路径）",
             f"unsupported index address {raw!r} (use https://, http://, a file: URL or a directory path)")
    directory = Path(path).expanduser().resolve()
    if not directory.is_dir():
        fail(f"本地索引目录不存在：{directory}（来自 QUYU_PYPI_SIMPLE={raw}）",
             f"the local index directory {directory} does not exist (from QUYU_PYPI_SIMPLE={raw})")
    return directory.as_uri() + "/"


def fetch(url: str, accept: str | None = None) -> tuple[bytes, str, str]:
    """读一个地址：(内容, 内容类型, 最终地址)。本地目录读其中的 index.html（与 pip 相同）。"""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        path = Path(urllib.request.url2pathname(urllib.parse.unquote(parts.path)))
        if path.is_dir():
            path = path / "index.html"
            url = urllib.parse.urljoin(url if url.endswith("/") else url + "/", "index.html")
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise urllib.error.URLError(f"{path} does not exist") from None
        return body, ("application/json" if path.suffix == ".json" else ""), url   # 类型不明：看内容
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read(), response.headers.get_content_type(), response.geturl()


class _Links(HTMLParser):
    """PEP 503 项目页中的链接：(文件名, href)；记下 ``<base href>``。"""

    def __init__(self):
        super().__init__()
        self.base: str | None = None
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and attrs.get("href") and self.base is None:
            self.base = attrs["href"]
        elif tag == "a" and attrs.get("href"):
            self._href, self._text = attrs["href"], []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def project_files(body: bytes, kind: str, page_url: str) -> list[tuple[str, str]]:
    """项目页 → [(文件名, 绝对地址)]。按内容类型读 JSON（PEP 691）或 HTML（PEP 503），类型不明时看内容。"""
    text = body.decode("utf-8", errors="replace")
    looks_json = text.lstrip().startswith("{")
    if kind in JSON_TYPES or (kind not in HTML_TYPES and looks_json):
        try:
            files = json.loads(text)["files"]
            return [(f["filename"], urllib.parse.urljoin(page_url, f["url"])) for f in files]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"JSON (PEP 691) page without a valid 'files' list: {error}") from None
    lowered = text.lower()
    if kind in HTML_TYPES or any(tag in lowered for tag in ("<!doctype html", "<html", "<a ")):
        parser = _Links()
        parser.feed(text)
        base = urllib.parse.urljoin(page_url, parser.base) if parser.base else page_url
        out = []
        for label, href in parser.links:
            url = urllib.parse.urljoin(base, href)
            name = label or urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
            out.append((name, url))
        return out
    raise ValueError(f"the page is neither JSON (PEP 691) nor HTML (PEP 503) (content type {kind})")


def wheel_url(simple: str, version: str) -> tuple[str, str]:
    """索引中锁定版本的 pip 轮子：(不带 #片段 的绝对地址, 文件名)。"""
    page = urllib.parse.urljoin(simple, "pip/")
    try:
        body, kind, final = fetch(page, ACCEPT)
    except urllib.error.HTTPError as error:
        fail(f"索引 {simple} 上读不到 pip 的项目页 {page}（HTTP {error.code}）。",
             f"cannot read pip's project page {page} on the index {simple} (HTTP {error.code}).")
    except OSError as error:
        fail(f"无法访问索引 {simple}（{page}）：{error}。请检查网络，或用 QUYU_PYPI_SIMPLE 指定可用的索引。",
             f"cannot reach the index {simple} ({page}): {error}. Check the network or set QUYU_PYPI_SIMPLE.")
    try:
        files = project_files(body, kind, final)
    except ValueError as error:
        fail(f"索引 {simple} 上 pip 的项目页 {page} 既不是 JSON（PEP 691）也不是 HTML（PEP 503）的 simple API 页面。",
             f"pip's project page {page} on {simple} is not a simple API page: {error}")
    name = f"pip-{version}-py3-none-any.whl"
    for filename, url in files:
        if filename == name:
            return urllib.parse.urldefrag(url)[0], name
    fail(f"索引 {simple} 上找不到 {name}。", f"{name} is not on the index {simple}.")
    raise AssertionError  # unreachable


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements-lock.txt")
    version, hashes = locked_pip(lock)
    simple = index_url(os.environ.get("QUYU_PYPI_SIMPLE") or DEFAULT_SIMPLE)
    url, name = wheel_url(simple, version)
    try:
        blob = fetch(url)[0]
    except OSError as error:
        fail(f"无法从 {url} 下载 pip {version}：{error}", f"could not download pip {version} from {url}: {error}")
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
        fail("用下载的轮子安装 pip 失败（见上方信息）。", "installing pip from the downloaded wheel failed (see above).")
    print(f"pip {version} 已安装（sha256 已核对）/ pip {version} installed, hash verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
