"""术语表（book/appendix/glossary.md）与参考文献（book/bib/*.bib、book/appendix/references.md）的一致性。

- 术语表：词条数量、每条都有带声调的拼音、核心词条齐全、没有重复词条；
- 全书每一个 {term}`X` 链接都指向术语表中存在的词条（章节链接了不存在的词条即失败）；
- 全书每一个 {cite...}`key` 都能在 _config.yml 配置的 .bib 文件中找到；
- 参考文献页按类别用 :filter: 分组，每个文献条目恰好出现在一个分组里
  （各章 bib 中与 ref_ 条目重复的同一文献除外，它们被有意滤掉）。
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
GLOSSARY = BOOK / "appendix" / "glossary.md"
REFERENCES = BOOK / "appendix" / "references.md"

CORE_TERMS = [
    "区域协调发展", "四大板块", "西部大开发", "东北振兴", "中部崛起", "东部率先发展",
    "主体功能区", "对口支援", "东西部协作", "泰尔指数", "变异系数", "β收敛",
]
# 带声调符号的拉丁字母（汉语拼音）
TONE_MARKED = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]+)`")
BIB_KEY = re.compile(r"^@\s*(\w+)\s*\{\s*([^,\s]+)\s*,", re.M)


# ---------------------------------------------------------------------------
# 解析
# ---------------------------------------------------------------------------

def glossary_entries(path: Path = GLOSSARY) -> list[tuple[list[str], str]]:
    """[(词条名列表, 释义), ...]：连续的顶格行是共用一条释义的几个词条名，缩进行是释义。"""
    entries: list[tuple[list[str], str]] = []
    inside = False
    terms: list[str] = []
    definition: list[str] = []

    def flush():
        nonlocal terms, definition
        if terms:
            entries.append((terms, " ".join(definition)))
        terms, definition = [], []

    for line in path.read_text(encoding="utf-8").splitlines():
        if not inside:
            if line.strip().startswith("```{glossary}"):
                inside = True
            continue
        if line.strip() == "```":
            flush()
            inside = False
            continue
        if not line.strip() or (line.startswith(":") and not terms):
            continue  # 空行或指令选项（:sorted:）
        if line[0].isspace():
            definition.append(line.strip())
        else:
            if definition:  # 上一条释义结束，开始新词条
                flush()
            # 词条名中允许 HTML 实体（MyST 会解码），与 Sphinx 实际登记的名字一致
            terms.append(html.unescape(line.split(" : ")[0].strip()))
    flush()
    return entries


def glossary_terms() -> list[str]:
    return [t for names, _ in glossary_entries() for t in names]


def book_sources() -> list[Path]:
    return sorted(p for p in BOOK.rglob("*")
                  if p.suffix in {".md", ".ipynb"} and "_build" not in p.parts)


def bib_files() -> list[Path]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    files = {ROOT / f for f in config.get("bibtex_bibfiles", [])}
    files |= set((BOOK / "bib").glob("*.bib"))
    return sorted(files)


def bib_entries() -> dict[str, list[tuple[Path, str]]]:
    """key → [(文件, 条目类型), ...]（出现多次即重复）。"""
    found: dict[str, list[tuple[Path, str]]] = {}
    for f in bib_files():
        for kind, key in BIB_KEY.findall(f.read_text(encoding="utf-8")):
            found.setdefault(key, []).append((f, kind.lower()))
    return found


def bib_entry_text(path: Path, key: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = re.search(r"^@\s*\w+\s*\{\s*" + re.escape(key) + r"\s*,", text, re.M).start()
    nxt = re.search(r"^@", text[start + 1:], re.M)
    return text[start: start + 1 + nxt.start()] if nxt else text[start:]


def cited_keys() -> dict[str, list[str]]:
    """key → [出现位置]，取自全书的 {cite...}`...` 角色。"""
    used: dict[str, list[str]] = {}
    for f in book_sources():
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            for content in CITE_ROLE.findall(line):
                for target in content.split(","):
                    # sphinxcontrib-bibtex 允许 {前缀}key{后缀}
                    key = re.sub(r"\{[^}]*\}", "", target).strip()
                    if key:
                        used.setdefault(key, []).append(f"{f.relative_to(ROOT)}:{n}")
    return used


def reference_filters() -> list[str]:
    text = REFERENCES.read_text(encoding="utf-8")
    return re.findall(r"```\{bibliography\}\n(?:.*\n)*?:filter:\s*(.+)\n", text)


def evaluate_filter(expr: str, key: str) -> bool:
    """按 sphinxcontrib-bibtex 的语义求值（只用到 key、==、!=、not/and/or 与正则匹配 %）。"""
    py = re.sub(r'(\w+)\s*%\s*("(?:[^"\\]|\\.)*")', r"_match(\1, \2)", expr)
    names = {"key": key.lower(),
             "_match": lambda s, pat: re.search(pat, s, re.IGNORECASE) is not None}
    return bool(eval(py, {"__builtins__": {}}, names))  # noqa: S307 （表达式来自本仓库）


# ---------------------------------------------------------------------------
# 术语表
# ---------------------------------------------------------------------------

def test_glossary_has_enough_entries():
    entries = glossary_entries()
    assert len(entries) >= 60, f"术语表只有 {len(entries)} 条释义"
    assert len(glossary_terms()) >= 60


def test_every_entry_has_pinyin():
    missing = [names[0] for names, definition in glossary_entries()
               if not TONE_MARKED.search(definition)]
    assert not missing, f"这些词条的释义里没有带声调的拼音：{missing}"


def test_every_entry_has_definition():
    empty = [names[0] for names, definition in glossary_entries() if len(definition) < 20]
    assert not empty, f"这些词条没有像样的释义：{empty}"


@pytest.mark.parametrize("term", CORE_TERMS)
def test_core_terms_present(term):
    assert term in glossary_terms(), f"术语表缺少核心词条“{term}”"


def test_no_duplicate_terms():
    terms = glossary_terms()
    seen: dict[str, int] = {}
    for t in terms:
        key = re.sub(r"\s+", " ", t).lower()  # Sphinx 比较词条时不区分大小写
        seen[key] = seen.get(key, 0) + 1
    dups = [t for t, n in seen.items() if n > 1]
    assert not dups, f"术语表中重复的词条：{dups}"


def test_glossary_sections():
    text = GLOSSARY.read_text(encoding="utf-8")
    for heading in ("## 战略与政策", "## 统计口径", "## 度量方法"):
        assert heading in text


def test_term_links_resolve():
    """全书每个 {term}`X`（或 {term}`文字 <X>`）都指向术语表中的词条。"""
    known = {re.sub(r"\s+", " ", t).lower() for t in glossary_terms()}
    bad = []
    for f in book_sources():
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            for content in TERM_ROLE.findall(line):
                m = re.match(r"^(.*?)\s*<([^<>]+)>$", content)
                target = (m.group(2) if m else content).strip()
                if re.sub(r"\s+", " ", target).lower() not in known:
                    bad.append(f"{f.relative_to(ROOT)}:{n}: {target}")
    assert not bad, "这些 {term} 链接在术语表中找不到词条：\n" + "\n".join(bad)


# ---------------------------------------------------------------------------
# 参考文献
# ---------------------------------------------------------------------------

def test_bib_keys_unique():
    dups = {k: [str(f.relative_to(ROOT)) for f, _ in v] for k, v in bib_entries().items() if len(v) > 1}
    assert not dups, f"重复的 BibTeX 键：{dups}"


def test_citations_resolve():
    known = set(bib_entries())
    missing = {k: where for k, where in cited_keys().items() if k not in known}
    assert not missing, f"这些引注键不在任何 .bib 文件中：{missing}"


def test_part9_entries_complete():
    """附录的条目：键以 ref_ 开头，都有作者（或机构）、年份和题名，期刊论文有刊名、图书有出版者。"""
    path = BOOK / "bib" / "part9.bib"
    problems = []
    for kind, key in BIB_KEY.findall(path.read_text(encoding="utf-8")):
        entry = bib_entry_text(path, key)
        if not key.startswith("ref_"):
            problems.append(f"{key}: 键名应以 ref_ 开头")
        required = ["author", "year", "title"]
        required += {"article": ["journal"], "book": ["publisher"],
                     "techreport": ["institution"]}.get(kind.lower(), [])
        for field in required:
            if not re.search(r"^\s*" + field + r"\s*=", entry, re.M):
                problems.append(f"{key}: 缺少 {field}")
    assert not problems, "\n".join(problems)


def test_reference_page_lists_every_entry_once():
    filters = reference_filters()
    assert len(filters) >= 2, "参考文献页应按类别用 :filter: 分组"
    entries = bib_entries()
    ref_suffixes = {k[len("ref_"):] for k in entries if k.startswith("ref_")}
    problems = []
    for key in entries:
        hits = sum(evaluate_filter(expr, key) for expr in filters)
        duplicate_of_ref = re.match(r"^[pt]\d+_(.+)$", key) and key.split("_", 1)[1] in ref_suffixes
        if duplicate_of_ref:
            if hits:
                problems.append(f"{key} 与 ref_{key.split('_', 1)[1]} 是同一文献，总书目中不应再列")
        elif hits != 1:
            problems.append(f"{key} 在参考文献页出现 {hits} 次（应为 1 次）；请调整 references.md 的 :filter:")
    assert not problems, "\n".join(problems)
