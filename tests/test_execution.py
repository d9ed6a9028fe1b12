"""并行预执行（quyu.sphinxext）：缓存中没有的章节先并行执行，结果与 myst-nb 的缓存键一致；
出错的章节不写入缓存，留给 myst-nb 逐章执行并报告。"""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from quyu import sphinxext

NOTEBOOK = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
# {title}

```{{code-cell}} ipython3
{code}
```
"""


def _write(folder: Path, name: str, code: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(NOTEBOOK.format(title=name, code=code), encoding="utf-8")
    return path


def _run(tmp_path: Path, names: list[str]):
    from jupyter_cache import get_cache

    config = SimpleNamespace(execution_mode="cache", execution_cache_path=str(tmp_path / "cache"),
                             execution_timeout=120, execution_allow_errors=False)
    app = SimpleNamespace(env=SimpleNamespace(mystnb_config=config))
    env = SimpleNamespace(doc2path=lambda d: str(tmp_path / f"{d}.md"))
    sphinxext._execute_stale_in_parallel(app, env, names)
    return get_cache(config.execution_cache_path)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="单处理器上不做并行预执行")
def test_stale_chapters_run_in_parallel_and_match_the_cache_key(tmp_path, monkeypatch):
    monkeypatch.delenv("QUYU_SERIAL_EXECUTION", raising=False)
    from myst_nb.core.read import myst_nb_reader_plugin

    paths = [_write(tmp_path, "a", "x = 1 + 1\nx"), _write(tmp_path, "b", "print('乙')"),
             _write(tmp_path, "bad", "raise ValueError('出错的章节')")]
    (tmp_path / "plain.md").write_text("# 不是笔记本\n", encoding="utf-8")
    cache = _run(tmp_path, ["a", "b", "bad", "plain"])
    # 成功的两章已在缓存中，而且用 myst-nb 读入同一文件得到的笔记本能匹配上（构建时直接取用）
    assert sphinxext.stale_notebooks([p for p in paths[:2]], cache) == []
    record = cache.match_cache_notebook(myst_nb_reader_plugin(str(paths[0])))
    outputs = cache.get_cache_bundle(record.pk).nb.cells[-1].outputs
    assert outputs[0]["data"]["text/plain"] == "2"
    # 出错的一章不写入缓存：myst-nb 读入时会再执行，并照常报告出错的单元格
    assert sphinxext.stale_notebooks([paths[2]], cache) == [paths[2]]
    # 改动一章的代码，它就又“过时”了
    _write(tmp_path, "a", "x = 1 + 2\nx")
    assert sphinxext.stale_notebooks([paths[0]], cache) == [paths[0]]


def test_serial_switch_leaves_the_cache_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("QUYU_SERIAL_EXECUTION", "1")
    _write(tmp_path, "a", "1")
    _write(tmp_path, "b", "2")
    cache = _run(tmp_path, ["a", "b"])
    assert cache.list_cache_records() == []


def test_chinese_search_language_gives_the_same_terms_as_sphinx(monkeypatch):
    """检索用的中文分词器（latin_terms 换成集合）与 Sphinx 自带的逐词结果相同。"""
    from sphinx.search import languages
    from sphinx.search.zh import SearchChinese

    monkeypatch.setitem(languages, "zh", languages["zh"])  # 测试结束后恢复
    sphinxext._fast_chinese_search(None, None)
    fast_cls = languages["zh"]
    assert fast_cls is not SearchChinese and issubclass(fast_cls, SearchChinese)
    texts = ["区域协调发展 GDP per capita 2012 Theil index", "Moran's I LISA 空间马尔可夫 HP filter λ=400",
             "Williamson 倒 U 形 CV Gini AI api", "GDP GDP gdp Gini"]
    monkeypatch.setattr(SearchChinese, "latin_terms", [])  # Sphinx 把它放在类上（所有实例共用）；从空开始比较
    slow, fast = SearchChinese({}), fast_cls({})
    for text in texts:
        a, b = slow.split(text), fast.split(text)
        assert a == b
        assert [slow.stem(w) for w in a] == [fast.stem(w) for w in b]
    assert isinstance(fast.latin_terms, set) and set(slow.latin_terms) == fast.latin_terms


def test_numba_cache_is_written_before_chapters_run_side_by_side(tmp_path):
    """并行执行前，giddy（quantecon）的 numba 缓存先由构建进程写好：各内核同时写同一个缓存文件会使内核崩溃。"""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "from quyu import sphinxext; sphinxext.warm_numba_cache()"],
                   env=env, check=True, timeout=300)
    written = list(tmp_path.rglob("*.nbi"))
    assert any("_probvec" in p.name for p in written), written   # quantecon.random.utilities._probvec
