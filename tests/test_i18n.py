"""quyu.i18n：语言设置与包中字样的译文。"""
from __future__ import annotations

import pytest

from quyu import i18n


def test_chinese_is_the_default_and_returns_the_text_unchanged(monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    assert i18n.language() == "zh" and not i18n.is_english()
    assert i18n.tr("下调了 ") == "下调了 "


def test_english_uses_the_catalog_and_falls_back_to_the_chinese(monkeypatch):
    monkeypatch.setenv(i18n.ENV, "en_GB")
    assert i18n.language() == "en"
    assert i18n.tr("下调了 ") == "revised down by "
    assert i18n.tr("一条还没有译文的字样") == "一条还没有译文的字样"
    assert i18n.untranslated(["下调了 ", "一条还没有译文的字样"]) == ["一条还没有译文的字样"]


def test_an_unknown_language_is_refused_in_both_languages(monkeypatch):
    monkeypatch.setenv(i18n.ENV, "fr")
    with pytest.raises(i18n.LanguageError) as err:
        i18n.language()
    assert "不认识的语言" in str(err.value) and "unknown language" in str(err.value)


def test_fuzzy_and_empty_entries_are_not_used(tmp_path, monkeypatch):
    po = tmp_path / "en" / "LC_MESSAGES" / "quyu.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '#, fuzzy\nmsgid "甲"\nmsgstr "A"\n\nmsgid "乙"\nmsgstr ""\n\nmsgid "丙"\nmsgstr "C"\n',
                  encoding="utf-8")
    table = i18n.catalog("en", str(tmp_path))
    assert dict(table) == {"丙": "C"}


def test_every_package_translation_keeps_the_placeholders():
    """译文与原文的 {占位符} 一致（否则 .format() 在英文版出错或丢掉数字）。"""
    import re

    table = i18n.catalog("en")
    assert table, "包的英文目录是空的"
    for zh, en in table.items():
        assert sorted(re.findall(r"\{[^{}]*\}", zh)) == sorted(re.findall(r"\{[^{}]*\}", en)), zh
