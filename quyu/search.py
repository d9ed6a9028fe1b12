"""网站检索：术语表中的词，照原样输入，就能找到正文中含有它的每一页。

Sphinx 的中文检索用 jieba 的搜索模式切词建索引，而检索框中的词按标点与空格切开后整体查找。
“泰尔指数”在索引中只有“泰尔”“指数”两个词，查“泰尔指数”就只剩术语表一页（索引中有这个词条名）。

这里不改变 jieba 的切分，而是补上术语：

- 建索引时（:func:`keys_in`），一段文字中出现了哪个术语，就在这段文字的词中加上这个术语的“检索键”——
  小写、去掉标点与空格的写法（“泰尔指数”不变，“R&D经费内部支出”是“rd经费内部支出”，
  “log t 检验”是“logt检验”）；
- 检索时（:func:`js_splitter`，写进网站的 ``language_data.js``），输入的整个查询去掉标点与空格后
  恰好是某个术语的检索键时，就按这一个键查找；否则照 Sphinx 默认的办法切分。只有含标点、空格的
  术语需要这一步，列表很短。

术语取自 Sphinx 环境中的术语表（std 域的 ``term`` 对象），不在这里另写一份。
"""
from __future__ import annotations

import json
import re

#: 与 Sphinx 检索脚本的默认切分相同：字母、数字、下划线之外的字符都是分隔符。
_SEPARATORS = re.compile(r"[^\w]+")


def key(term: str) -> str:
    """术语的检索键：小写，去掉标点与空格（与 :func:`js_splitter` 中的写法一致）。"""
    return _SEPARATORS.sub("", term.lower()).replace("_", "")


def glossary_terms(env) -> list[str]:
    """书中术语表的全部词条（按出现顺序，不重复）；没有构建环境（``env`` 为 None）时为空。"""
    if env is None:
        return []
    std = env.get_domain("std")
    return list(dict.fromkeys(name for (kind, name) in std.objects if kind == "term"))


def keys_in(terms, text: str) -> list[str]:
    """``text`` 中出现的术语的检索键（加到这段文字切出的词中）。"""
    return [key(t) for t in terms if t in text]


def js_splitter(terms) -> str:
    """网站检索脚本的 ``splitQuery``：查询恰好是一个含标点或空格的术语时，按它的检索键整体查找。"""
    special = sorted({key(t) for t in terms if _default_split(t) != [t]})
    return (
        "const QUYU_TERM_KEYS = new Set(" + json.dumps(special, ensure_ascii=False) + ");\n"
        "function splitQuery(query) {\n"
        "  const key = query.toLowerCase().replace(/[^\\p{Letter}\\p{Number}]+/gu, \"\");\n"
        "  if (QUYU_TERM_KEYS.has(key)) return [key];\n"
        "  return query.split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu).filter(term => term);\n"
        "}\n"
    )


def _default_split(text: str) -> list[str]:
    return [t for t in _SEPARATORS.split(text) if t]
