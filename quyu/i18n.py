"""本书的语言：中文（默认）与英文版。

同一棵源文件树构建两个版本（``./book.sh build`` 与 ``./book.sh build --lang en``）：正文由 Sphinx 的
gettext 目录翻译（``locale/en/LC_MESSAGES/book/…``，见 :mod:`quyu.translation`），包中给读者看的字样
（图的标签、组件的控件与说明、表头、自查的提示、报错）由这里翻译。

- 语言由环境变量 ``QUYU_LANG`` 决定：``zh``（默认）或 ``en``；英文版的构建为每个内核设好它。
- :func:`tr` 翻译一条包中的字样：中文版原样返回；英文版查 ``quyu/locale/en/LC_MESSAGES/quyu.po``，
  没有译文时返回中文原文（英文版的检查会把它找出来，见 :func:`untranslated`）。
  名字不用 ``_``：IPython 把上一个输出存在 ``_`` 里，会把它覆盖。
- 带变量的字样先翻译模板再填值：``tr("{n} 个省份").format(n=…)``，译文中保留同样的占位符。

>>> import os; os.environ.pop("QUYU_LANG", None) and None
>>> tr("省份")
'省份'
"""
from __future__ import annotations

import os
import types
from pathlib import Path

from . import data

__all__ = ["LANGUAGES", "ENV", "language", "is_english", "tr", "catalog", "untranslated", "LanguageError"]

#: 本书的语言：代码 → 名称
LANGUAGES = {"zh": "中文", "en": "English"}
#: 选择语言的环境变量
ENV = "QUYU_LANG"
#: 包的译文目录（随包安装）
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "quyu"


class LanguageError(ValueError):
    """不认识的语言代码。"""


def language() -> str:
    """当前语言：环境变量 ``QUYU_LANG`` 的值（去掉地区部分，``en_GB`` → ``en``），默认 ``zh``。"""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return "zh"
    code = raw.replace("-", "_").split("_", 1)[0].lower()
    if code not in LANGUAGES:
        known = "、".join(LANGUAGES)
        raise LanguageError(f"不认识的语言 {raw!r}（{ENV}）：可选 {known} / unknown language {raw!r} in {ENV}: "
                            f"choose one of {', '.join(LANGUAGES)}")
    return code


def is_english() -> bool:
    return language() == "en"


def catalog_path(lang: str, locale: Path = LOCALE) -> Path:
    return locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@data.cached
def catalog(lang: str, locale: str = str(LOCALE)) -> types.MappingProxyType:
    """``lang`` 的译文表（msgid → msgstr；没有译文或译文已标为过时的条目不在其中）。"""
    path = catalog_path(lang, Path(locale))
    if lang == "zh" or not path.exists():
        return types.MappingProxyType({})
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    return types.MappingProxyType({m.id: m.string for m in cat
                                   if m.id and isinstance(m.id, str) and m.string and not m.fuzzy})


def tr(text: str) -> str:
    """把包中的一条中文字样译成当前语言；中文版或没有译文时原样返回。"""
    lang = language()
    if lang == "zh":
        return text
    return catalog(lang).get(text, text)


def untranslated(texts, lang: str = "en") -> list[str]:
    """``texts`` 中在 ``lang`` 的译文表里还没有（或已过时）的字样。"""
    table = catalog(lang)
    return [t for t in texts if t not in table]
