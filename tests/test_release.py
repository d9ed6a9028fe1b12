"""版本、清单、“本版变化”与发布：

- 版本号与日期只写在 quyu/__init__.py 一处，CITATION.cff、pyproject、wheel、网页首页、PDF 标题页与之一致；
- 清单的比较把每个变化归到正确的原因（新增年份、数据修订、方法改动），数据指纹能看出新增与修订的年份；
- 构建出的网站带着本版清单，附录“本版变化”与上一版的清单比较；
- ``./book.sh release`` 的产物齐全，校验和一致，篡改一个文件即被发现。
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, _require
from quyu import __date__, __version__, manifest, release
from quyu.errors import BookError

RELEASE = ROOT / "_build" / "release"


# ---------------------------------------------------------------- 一处版本号

def test_citation_agrees_with_package():
    assert release.citation_fields() == {"version": __version__, "date": __date__}
    release.check_citation()


def test_citation_mismatch_is_refused(tmp_path):
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8").replace(f'"{__version__}"', '"9.9.9"')
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    with pytest.raises(BookError, match="不一致"):
        release.check_citation(tmp_path / "CITATION.cff")


def test_pyproject_takes_the_version_from_the_package():
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "quyu.__version__"}


# ---------------------------------------------------------------- 清单与比较

def _manifest(values, data, code="c1", version="0.1.0"):
    return {"version": version, "date": "2026-01-01", "code": code, "data": data, "values": values}


DATA_OLD = {"province_panel.csv": {"nbs|2023": "a", "nbs|2024": "b"}, "provinces.csv": {"*": "p"}}


def test_compare_method_change_when_data_are_the_same():
    old = _manifest({"book/x": {"k": "1.00", "same": "2"}}, DATA_OLD)
    new = _manifest({"book/x": {"k": "1.01", "same": "2"}}, DATA_OLD, code="c2", version="0.2.0")
    cmp = manifest.compare(old, new)
    assert cmp["docs"] == {"book/x": [{"key": "k", "old": "1.00", "new": "1.01", "reason": "method"}]}
    assert cmp["code_changed"] and cmp["new_years"] == [] and cmp["unchanged"] == 1


def test_compare_new_year_and_revision():
    added = {**DATA_OLD, "province_panel.csv": {**DATA_OLD["province_panel.csv"], "nbs|2025": "c"}}
    cmp = manifest.compare(_manifest({"d": {"k": "1"}}, DATA_OLD), _manifest({"d": {"k": "2"}}, added))
    assert cmp["new_years"] == [2025] and cmp["docs"]["d"][0]["reason"] == "new_year"
    revised = {**DATA_OLD, "province_panel.csv": {"nbs|2023": "a2", "nbs|2024": "b"}}
    cmp = manifest.compare(_manifest({"d": {"k": "1"}}, DATA_OLD), _manifest({"d": {"k": "2"}}, revised))
    assert cmp["new_years"] == [] and cmp["docs"]["d"][0]["reason"] == "revision"
    assert cmp["revised_tables"] == ["province_panel.csv"]
    both = {**DATA_OLD, "province_panel.csv": {"nbs|2023": "a2", "nbs|2024": "b", "nbs|2025": "c"}}
    cmp = manifest.compare(_manifest({"d": {"k": "2024 年 1", "j": "3"}}, DATA_OLD),
                           _manifest({"d": {"k": "2025 年 2", "j": "4"}}, both))
    reasons = {r["key"]: r["reason"] for r in cmp["docs"]["d"]}
    assert reasons == {"k": "new_year", "j": "revision"}


def test_compare_added_and_removed_values():
    cmp = manifest.compare(_manifest({"d": {"gone": "1"}}, DATA_OLD), _manifest({"d": {"new": "2"}}, DATA_OLD))
    assert {r["key"]: r["reason"] for r in cmp["docs"]["d"]} == {"gone": "removed", "new": "added"}


def test_data_fingerprint_sees_new_and_revised_years(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(ROOT / "data", a)
    shutil.copytree(ROOT / "data", b)
    panel = (b / "province_panel.csv").read_text(encoding="utf-8").splitlines()
    head = panel[0].split(",")
    y = head.index("year")
    last = max(int(r.split(",")[y]) for r in panel[1:])
    row = next(r.split(",") for r in panel[1:] if int(r.split(",")[y]) == last)
    new_row = list(row)
    new_row[y] = str(last + 1)
    changed = list(row)
    changed[-1] = changed[-1] + "0" if changed[-1] else "1"
    idx = panel.index(",".join(row))
    panel[idx] = ",".join(changed)
    panel.append(",".join(new_row))
    (b / "province_panel.csv").write_text("\n".join(panel) + "\n", encoding="utf-8")
    ch = manifest.data_changes(manifest.data_fingerprint(a), manifest.data_fingerprint(b))
    assert ch["new_years"] == {last + 1}
    assert any(r.startswith("province_panel.csv|") and r.endswith(f"|{last}") for r in ch["revised"])


def test_context_shows_the_sentence_with_the_value_marked():
    src = ("前一句。\n东部与西部之比由 {glue:md}`a` 降至 {glue:md}`b`，{term}`差距`缩小了。后一句。\n\n"
           "```{table} 各地区的份额\n:name: tab-x\n\n```{glue:md} t\n:format: myst\n```\n```\n")
    text = manifest.context(src, "b", {"a": "1.87", "b": "1.64"})
    assert text == "东部与西部之比由 1.87 降至 〔此数〕，差距缩小了。"
    assert manifest.context(src, "t", {}) == "表：各地区的份额"
    assert manifest.context(src, "missing", {}) == ""
    assert manifest.short("| a |\n|---|\n| 1 |\n| 2 |") == "（表格，2 行）"


def test_previous_release_is_the_newest_older_one(tmp_path):
    for v in ("0.1.0", "0.1.10", "0.2.0", "0.10.0"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "manifest.json").write_text(json.dumps({"version": v}), encoding="utf-8")
    assert manifest.previous("0.2.0", tmp_path)["version"] == "0.1.10"
    assert manifest.previous("0.1.0", tmp_path) is None


def test_store_manifest_refuses_to_overwrite_a_released_version(tmp_path):
    m = tmp_path / "m.json"
    m.write_text("{}", encoding="utf-8")
    releases = ROOT / "_build" / "test-releases"
    shutil.rmtree(releases, ignore_errors=True)
    try:
        release.store_manifest(m, releases)
        release.store_manifest(m, releases)          # 同样的内容：可以重复
        m.write_text('{"x": 1}', encoding="utf-8")
        with pytest.raises(BookError, match="已经发布过"):
            release.store_manifest(m, releases)
    finally:
        shutil.rmtree(releases, ignore_errors=True)


def test_committed_release_manifests_are_well_formed():
    found = sorted((ROOT / "releases").glob("*/manifest.json"))
    assert found, "releases/ 中至少要有上一版的清单"
    for path in found:
        m = json.loads(path.read_text(encoding="utf-8"))
        assert m["version"] == path.parent.name
        assert m["values"] and all(isinstance(v, str) for d in m["values"].values() for v in d.values())
        assert m["data"] and m["code"]
    assert manifest.previous(__version__) is not None


# ---------------------------------------------------------------- 构建出的网站

def test_site_carries_this_builds_manifest(html_dir):
    m = json.loads((html_dir / "_downloads" / "quyu" / "manifest.json").read_text(encoding="utf-8"))
    assert m["version"] == __version__ and m["date"] == __date__
    assert m["data"] == manifest.data_fingerprint(ROOT / "data")
    assert "book/part2/results" in m["values"] and len(m["values"]["book/part2/results"]) > 50


def test_changes_page_compares_with_the_previous_release(html_dir):
    text = (html_dir / "book" / "appendix" / "changes.html").read_text(encoding="utf-8")
    prev = manifest.previous(__version__)
    assert f"上一版是 {prev['version']}" in text and f"本版是 {__version__}" in text
    assert "{quyu-changes}" not in text and "changes_node" not in text
    current = json.loads((html_dir / "_downloads" / "quyu" / "manifest.json").read_text(encoding="utf-8"))
    cmp = manifest.compare(prev, current)
    n = sum(len(rows) for rows in cmp["docs"].values())
    assert text.count("<tr") - 1 * len(cmp["docs"]) == n, "每一个变化的数值在页面上占一行"


def test_front_page_shows_version_and_date(html_dir):
    from quyu.page import date_zh

    text = (html_dir / "book" / "intro.html").read_text(encoding="utf-8")
    assert f"本书版本 {__version__}" in text and date_zh(__date__) in text


# ---------------------------------------------------------------- 发布

@pytest.fixture(scope="module")
def release_dir() -> Path:
    _require("QUYU_REQUIRE_RELEASE", (RELEASE / release.SUMS).exists(), "尚未发布：先运行 ./book.sh release")
    return RELEASE


def test_release_has_every_file_and_checksums_verify(release_dir):
    stem = f"quyu-book-{__version__}"
    names = {p.name for p in release_dir.iterdir()}
    assert {f"{stem}-html.zip", f"{stem}.pdf", f"{stem}-student.pdf", f"{stem}-csv.zip", "manifest.json",
            "CITATION.cff", release.SUMS, f"quyu-{__version__}-py3-none-any.whl"} <= names
    listed = {ln.split("  ", 1)[1] for ln in (release_dir / release.SUMS).read_text().splitlines()}
    assert listed == names - {release.SUMS}
    assert release.verify(release_dir) == []
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", release.SUMS], cwd=release_dir, check=True)
    with zipfile.ZipFile(release_dir / f"{stem}-html.zip") as z:
        assert f"{stem}/index.html" in z.namelist()
    with zipfile.ZipFile(release_dir / f"{stem}-csv.zip") as z:
        assert "data/province_panel.csv" in z.namelist() and any(n.startswith("book/") for n in z.namelist())
    with zipfile.ZipFile(release_dir / f"quyu-{__version__}-py3-none-any.whl") as z:
        meta = z.read(f"quyu-{__version__}.dist-info/METADATA").decode()
        assert f"Version: {__version__}" in meta


def test_released_site_links_both_pdfs(release_dir):
    """发布版网站的压缩包中有两个 PDF（与发布目录中的逐字节相同），数据附录的链接指向它们；占位文字不再出现。"""
    import posixpath
    import re

    stem = f"quyu-book-{__version__}"
    with zipfile.ZipFile(release_dir / f"{stem}-html.zip") as z:
        names = set(z.namelist())
        pages = {n: z.read(n).decode("utf-8") for n in names if n.endswith(".html")}
        linking = {n: t for n, t in pages.items() if 'class="quyu-pdf-links"' in t}
        assert f"{stem}/book/appendix/data.html" in linking
        for page, text in linking.items():
            hrefs = re.findall(r'<span class="quyu-pdf-links">(.*?)</span>', text, re.S)
            assert hrefs and all("随每一版的发布文件" not in h for h in hrefs), page
            targets = {posixpath.normpath(posixpath.join(posixpath.dirname(page), h))
                       for h in re.findall(r'href="([^"]+\.pdf)"', hrefs[0])}
            assert len(targets) == 2 and targets <= names, (page, targets)
        for inside, outside in ((f"{stem}/_downloads/quyu/{stem}.pdf", f"{stem}.pdf"),
                                (f"{stem}/_downloads/quyu/{stem}-student.pdf", f"{stem}-student.pdf")):
            assert z.read(inside) == (release_dir / outside).read_bytes()


def test_pdf_link_pages_replaces_the_placeholder_and_refuses_without_one(tmp_path):
    (tmp_path / "book" / "appendix").mkdir(parents=True)
    page = tmp_path / "book" / "appendix" / "data.html"
    page.write_text('<p>甲<span class="quyu-pdf-links">占位</span>乙</p>', encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    out = release.pdf_link_pages(tmp_path, {"teacher": "_downloads/quyu/a.pdf", "student": "_downloads/quyu/b.pdf"})
    assert list(out) == ["book/appendix/data.html"]
    text = out["book/appendix/data.html"].decode("utf-8")
    assert "占位" not in text and 'href="../../_downloads/quyu/a.pdf"' in text and "../../_downloads/quyu/b.pdf" in text
    assert text.startswith("<p>甲") and text.endswith("乙</p>")
    page.write_text("<p>没有占位</p>", encoding="utf-8")
    with pytest.raises(BookError):
        release.pdf_link_pages(tmp_path, {"teacher": "a.pdf", "student": "b.pdf"})


def test_verify_catches_a_tampered_file(release_dir, tmp_path):
    copy = tmp_path / "r"
    shutil.copytree(release_dir, copy)
    (copy / "CITATION.cff").write_text("tampered", encoding="utf-8")
    assert release.verify(copy) == ["CITATION.cff"]


def test_pdf_title_page_has_version_and_date(pdf_path):
    from quyu.page import date_zh

    out = subprocess.run(["pdftotext", "-l", "2", str(pdf_path), "-"], capture_output=True, text=True,
                         check=True).stdout
    squashed = "".join(out.split())
    assert __version__ in squashed and "".join(date_zh(__date__).split()) in squashed


def test_changes_page_is_rewritten_only_when_the_comparison_changes(tmp_path, monkeypatch):
    """“本版变化”页在写出时才算出内容：比较的结果变了就重写它（不必重读），只改了文字而粘贴值不变时不动它；
    PDF（整本写出）不经过这一步。"""
    from types import SimpleNamespace

    from quyu import sphinxext

    page = tmp_path / "changes.md"
    page.write_text("# 本版变化\n\n```{quyu-changes}\n```\n", encoding="utf-8")
    other = tmp_path / "intro.md"
    other.write_text("# 前言\n", encoding="utf-8")
    paths = {"changes": page, "intro": other}
    env = SimpleNamespace(found_docs={"changes", "intro"}, doc2path=lambda d: str(paths[d]))
    signature = {"value": "a"}
    monkeypatch.setattr(sphinxext, "_changes_signature", lambda app: signature["value"])
    html_app = SimpleNamespace(builder=SimpleNamespace(format="html"))
    assert sphinxext._changes_when_values_change(html_app, env) == ["changes"]
    assert sphinxext._changes_when_values_change(html_app, env) == []
    signature["value"] = "b"
    assert sphinxext._changes_when_values_change(html_app, env) == ["changes"]
    latex_app = SimpleNamespace(builder=SimpleNamespace(format="latex"))
    signature["value"] = "c"
    assert sphinxext._changes_when_values_change(latex_app, env) == []


def test_change_table_sentences_resolve_numrefs_and_math():
    """变化表中的句子是纯文字：编号引用写成所指的标题（不是“第 %s 章”），数学式写成字符（不是 $\\phi$）。"""
    from quyu import manifest

    manifest.set_label_titles({"ch-x": "面向 2035 年的区域协调"})
    try:
        text = manifest._plain("详见 {numref}`第 %s 章 <ch-x>`；$\\phi_B=$ 与 $\\sigma$，{numref}`表 %s <tab-unknown>`")
    finally:
        manifest.set_label_titles({})
    assert "%s" not in text and "$" not in text and "\\" not in text
    assert "“面向 2035 年的区域协调”" in text and "φ_B=" in text and "σ" in text
    manifest.set_label_titles({"tab-p2-events": "政策事件表"})
    try:
        more = manifest._plain("见 {numref}`tab-p2-events` 与 {numref}`fig-unknown`[^p2-events-src]；"
                               "$\\omega_1-\\omega_2$，$\\dfrac{\\rho-\\mu}{2}$，$\\chi^2$，$\\ln(R_0)$")
    finally:
        manifest.set_label_titles({})
    assert "tab-p2-events" not in more and "fig-unknown" not in more and "[^" not in more
    assert "“政策事件表”" in more and "ω_1-ω_2" in more and "(ρ-μ)/(2)" in more and "χ²" in more and "ln(R_0)" in more
    assert "\\" not in more
