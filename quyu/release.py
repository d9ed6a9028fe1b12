"""发布：把已构建的网页版、PDF、学生版 PDF、wheel、全部 CSV 与版本清单收进 ``_build/release/``。
网站的压缩包中另有两个 PDF，数据附录给出它们的链接（:func:`pdf_link_pages`）。

    python -m quyu.release            # 由 ./book.sh release 在构建之后调用
    python -m quyu.release --verify   # 核对 _build/release/SHA256SUMS

- 版本与日期只取自 ``quyu/__init__.py``；根目录的 ``CITATION.cff`` 必须与之一致，否则拒绝发布；
- 本版的清单（全部粘贴值，见 :mod:`quyu.manifest`）同时存入仓库的 ``releases/<版本>/manifest.json``，
  提交之后，下一版的附录“本版变化”就以它为比较的起点；同一版本已有不同的清单时拒绝覆盖；
- ``SHA256SUMS`` 的格式与 ``sha256sum -c`` 相同。
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
import zipfile
from pathlib import Path

from . import __date__, __version__
from .errors import BookError

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
OUT = BUILD / "release"
SUMS = "SHA256SUMS"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def citation_fields(path: Path = ROOT / "CITATION.cff") -> dict[str, str]:
    """CITATION.cff 的顶层 ``version`` 与 ``date-released``（只读这两个字段，不需要 YAML 之外的库）。"""
    import yaml

    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"version": str(meta.get("version", "")), "date": str(meta.get("date-released", ""))}


def check_citation(path: Path = ROOT / "CITATION.cff") -> None:
    fields = citation_fields(path)
    if fields != {"version": __version__, "date": __date__}:
        raise BookError(f"CITATION.cff 的版本与日期（{fields['version']}，{fields['date']}）与 quyu/__init__.py "
                        f"（{__version__}，{__date__}）不一致：请先改成相同的。",
                        f"CITATION.cff says {fields['version']} / {fields['date']}, quyu/__init__.py says "
                        f"{__version__} / {__date__}: make them agree first.")


def _zip_tree(source: Path, target: Path, prefix: str, changed: dict[str, bytes] | None = None) -> None:
    """把目录打包成 zip（文件顺序与时间固定：同样的内容得到同样的文件）。``changed``：相对路径 →
    代替原文件（或另加）的内容。"""
    changed = dict(changed or {})
    files = {p.relative_to(source).as_posix(): p for p in source.rglob("*") if p.is_file()}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in sorted(set(files) | set(changed)):
            zi = zipfile.ZipInfo(f"{prefix}/{rel}", date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, changed[rel] if rel in changed else files[rel].read_bytes())


PDF_LINKS = re.compile(r'<span class="quyu-pdf-links">.*?</span>', re.S)


def pdf_link_pages(html: Path, names: dict[str, str]) -> dict[str, bytes]:
    """发布版网站中给出 PDF 链接的网页：把占位的 ``<span class="quyu-pdf-links">`` 换成两个文件的链接
    （``names``：印刷版与学生版 PDF 在网站中的相对路径）。返回 相对路径 → 新内容；没有占位时拒绝。"""
    from html import escape

    out = {}
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if not PDF_LINKS.search(text):
            continue
        up = "../" * (len(page.relative_to(html).parts) - 1)
        links = (f'<span class="quyu-pdf-links"><a href="{escape(up + names["teacher"])}" download>印刷版 PDF</a>'
                 f'（含习题答案）与<a href="{escape(up + names["student"])}" download>学生版 PDF</a>'
                 "（不含答案），与本网站同属一版。</span>")
        out[page.relative_to(html).as_posix()] = PDF_LINKS.sub(lambda _m: links, text).encode("utf-8")
    if not out:
        raise BookError("网站中没有 PDF 链接的占位（class=\"quyu-pdf-links\"，在数据附录中）：发布版无从给出 PDF 的链接。",
                        "no page holds the PDF link placeholder (class=\"quyu-pdf-links\", data appendix).")
    return out


def _zip_files(files: list[tuple[str, Path]], target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, p in sorted(files):
            zi = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, p.read_bytes())


def _need(path: Path, zh: str, en: str) -> Path:
    if not path.exists():
        raise BookError(f"缺少{zh}（{path.relative_to(ROOT)}）：请先用 ./book.sh release 构建。",
                        f"missing {en} ({path.relative_to(ROOT)}): run ./book.sh release to build it.")
    return path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def store_manifest(manifest: Path, releases: Path = ROOT / "releases") -> Path:
    """把本版清单存入 ``releases/<版本>/manifest.json``；同一版本已有不同内容的清单时拒绝。"""
    target = releases / __version__ / "manifest.json"
    if target.exists() and target.read_bytes() != manifest.read_bytes():
        raise BookError(f"{target.relative_to(ROOT)} 已存在且内容不同：版本 {__version__} 已经发布过。"
                        "请先在 quyu/__init__.py 与 CITATION.cff 中改版本号与日期。",
                        f"{target.relative_to(ROOT)} exists with other contents: {__version__} was released "
                        "already; bump the version and date first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(manifest, target)
    return target


def assemble(out: Path = OUT, build: Path = BUILD) -> list[Path]:
    """收集发布文件，写出 SHA256SUMS；返回发布目录中的文件。"""
    check_citation()
    html = _need(build / "html" / "index.html", "网页版", "the HTML site").parent
    downloads = html / "_downloads" / "quyu"
    pdf = _need(build / "latex" / "quyu-book.pdf", " PDF", "the PDF")
    student_pdf = _need(build / "student" / "_build" / "latex" / "quyu-book.pdf", "学生版 PDF", "the student PDF")
    wheel = _need(downloads / f"quyu-{__version__}-py3-none-any.whl", " wheel", "the wheel")
    manifest = _need(downloads / "manifest.json", "版本清单", "the manifest")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stem = f"quyu-book-{__version__}"
    # 发布版网站自带两个 PDF，数据附录中的占位换成它们的链接（开发中构建的网站没有 PDF）
    inside = {"teacher": f"_downloads/quyu/{stem}.pdf", "student": f"_downloads/quyu/{stem}-student.pdf"}
    changed = pdf_link_pages(html, inside)
    changed.update({inside["teacher"]: pdf.read_bytes(), inside["student"]: student_pdf.read_bytes()})
    _zip_tree(html, out / f"{stem}-html.zip", stem, changed)
    shutil.copyfile(pdf, out / f"{stem}.pdf")
    shutil.copyfile(student_pdf, out / f"{stem}-student.pdf")
    shutil.copyfile(wheel, out / wheel.name)
    csvs = [(f"book/{p.name}", p) for p in downloads.glob("*.csv")]
    csvs += [(f"data/{p.name}", p) for p in (ROOT / "data").glob("*.csv")]
    _zip_files(csvs, out / f"{stem}-csv.zip")
    shutil.copyfile(manifest, out / "manifest.json")
    shutil.copyfile(ROOT / "CITATION.cff", out / "CITATION.cff")
    files = sorted(p for p in out.iterdir() if p.is_file())
    (out / SUMS).write_text("".join(f"{sha256(p)}  {p.name}\n" for p in files), encoding="utf-8")
    return files


def verify(out: Path = OUT) -> list[str]:
    """核对 SHA256SUMS；返回出错的文件（空列表表示全部一致）。"""
    bad = []
    sums = _need(out / SUMS, " SHA256SUMS", "SHA256SUMS")
    for line in sums.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([0-9a-f]{64})  (.+)$", line)
        if not m or not (out / m.group(2)).is_file() or sha256(out / m.group(2)) != m.group(1):
            bad.append(m.group(2) if m else line)
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quyu.release")
    ap.add_argument("--verify", action="store_true", help="只核对 SHA256SUMS")
    args = ap.parse_args(argv)
    try:
        if not args.verify:
            files = assemble()
            stored = store_manifest(OUT / "manifest.json")
            for p in files:
                print(f"  {p.relative_to(ROOT)}")
            print(f"本版清单已存入 {stored.relative_to(ROOT)}：请把它提交进仓库。")
        bad = verify()
    except BookError as e:
        print(f"\n错误：{e.zh}\nError: {e.en}", file=sys.stderr)
        return 1
    if bad:
        print("校验和不符 / checksum mismatch: " + ", ".join(bad), file=sys.stderr)
        return 1
    print(f"发布文件已写到 {OUT.relative_to(ROOT)}，校验和一致 / checksums verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
