"""参考文献的著录与引注（quyu.bibstyle）：中文文献按 GB/T 7714—2025，西文文献保持 plain 样式；
同一著者同年的文献加 a、b 区分；正文引注的连接词随语种。后半部分检查构建出的网页与 PDF。"""
from __future__ import annotations

import html as htmlmod
import re

import pytest
from pybtex.database import parse_string

from quyu import bibstyle
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

SAMPLES = r"""
@article{zhou2007,
  author  = {周黎安},
  title   = {中国地方官员的晋升锦标赛模式研究},
  journal = {经济研究},
  year    = {2007},
  number  = {7},
  pages   = {36--50}
}
@article{zhang2024,
  author  = {张群 and 程志宝 and 石志飞},
  title   = {惯性增强动力吸振器-浮置板轨道低频减振性能研究},
  journal = {铁道学报},
  year    = {2024},
  volume  = {46},
  number  = {8},
  pages   = {102--111}
}
@article{yu2012,
  author  = {于潇 and 刘义 and 柴跃廷 and 孙宏波},
  title   = {互联网药品可信交易环境中主体资质审核备案模式},
  journal = {清华大学学报（自然科学版）},
  year    = {2012},
  volume  = {52},
  number  = {11},
  pages   = {1518--1523}
}
@book{zhang2002,
  author    = {张伯伟},
  title     = {全唐五代诗格汇考},
  publisher = {江苏古籍出版社},
  address   = {南京},
  year      = {2002},
  pages     = {288}
}
@book{niu2019,
  author    = {牛永敢 and 孔晓 and 王阳 and 斯楼斌},
  title     = {鼻整形应用解剖学},
  publisher = {人民卫生出版社},
  address   = {北京},
  year      = {2019},
  pages     = {65--66}
}
@misc{xiao2001,
  author  = {萧钰},
  title   = {出版业信息化迈入快车道},
  date    = {2001-12-19},
  urldate = {2002-04-15},
  url     = {http://www.creader.com/news/20011219/200112190019.html}
}
@misc{opinion2018,
  author       = {{中共中央} and {国务院}},
  title        = {关于建立更加有效的区域协调发展新机制的意见},
  year         = {2018},
  howpublished = {中华人民共和国中央人民政府网},
  url          = {http://www.gov.cn/zhengce/2018-11/29/content_5344537.htm},
  note         = {2018 年 11 月 18 日印发，11 月 29 日公布},
  language     = {chinese}
}
@misc{mfz2010,
  author   = {{国务院}},
  title    = {全国主体功能区规划（国发〔2010〕46号）},
  year     = {2010},
  language = {chinese}
}
@article{jin2021,
  author       = {{金观平}},
  title        = {增强区域发展平衡性协调性},
  journal      = {经济日报},
  entrysubtype = {newspaper},
  year         = {2021}
}
@article{quah1993a,
  author  = {Quah, Danny},
  title   = {Empirical Cross-Section Dynamics in Economic Growth},
  journal = {European Economic Review},
  year    = {1993},
  volume  = {37},
  number  = {2--3},
  pages   = {426--434}
}
@article{quah1993b,
  author  = {Quah, Danny},
  title   = {Galton's Fallacy and Tests of the Convergence Hypothesis},
  journal = {The Scandinavian Journal of Economics},
  year    = {1993},
  volume  = {95},
  number  = {4},
  pages   = {427--443}
}
@article{quah1993b_copy,
  author  = {Quah, Danny},
  title   = {{Galton's} fallacy and tests of the convergence hypothesis},
  journal = {The Scandinavian Journal of Economics},
  year    = {1993},
  volume  = {95},
  number  = {4},
  pages   = {427--443}
}
@article{lin2019,
  author  = {Lin, Yongsheng and Guo, Zhixin and Zheng, Yaomin and Zhang, Lirong and Huang, Huabing},
  title   = {Net Horizontal Payments for Ecosystem Services},
  journal = {Journal of Resources and Ecology},
  year    = {2019},
  volume  = {10},
  number  = {1}
}
@article{caidu2000,
  author   = {蔡昉 and 都阳},
  title    = {中国地区经济增长的趋同与差异},
  journal  = {经济研究},
  year     = {2000},
  number   = {10},
  pages    = {30--37}
}
@book{lin1994,
  author    = {林毅夫 and 蔡昉 and 李周},
  title     = {中国的奇迹：发展战略与经济改革},
  publisher = {上海三联书店},
  address   = {上海},
  year      = {1994}
}
@article{kanbur2005,
  author  = {Kanbur, Ravi and Zhang, Xiaobo},
  title   = {Fifty Years of Regional Inequality in {China}},
  journal = {Review of Development Economics},
  volume  = {9},
  number  = {1},
  pages   = {87--106},
  year    = {2005}
}
@article{pinyin,
  author   = {Shi, Bihua},
  title    = {中国区域经济发展七十年},
  journal  = {China Economist},
  year     = {2019},
  langid   = {english}
}
"""


@pytest.fixture(scope="module")
def entries():
    data = parse_string(SAMPLES, "bibtex")
    bibstyle.mark_year_suffixes(data.entries.values())
    return data.entries


def formatted(entries, key: str) -> str:
    return bibstyle.Style().format_entry("1", entries[key]).text.render_as("text")


# ------------------------------------------------------------------ 中文文献：GB/T 7714—2025

@pytest.mark.parametrize("key, expected", [
    # 期刊文章只有期号（不设卷）：年后紧接（期）
    ("zhou2007", "周黎安. 中国地方官员的晋升锦标赛模式研究[J]. 经济研究，2007（7）：36-50."),
    # 国标 2025 的期刊示例：年，卷（期）：起页-止页
    ("zhang2024", "张群，程志宝，石志飞. 惯性增强动力吸振器-浮置板轨道低频减振性能研究[J]. 铁道学报，2024，46（8）：102-111."),
    # 超过 3 个责任者：前 3 个后加“，等”
    ("yu2012", "于潇，刘义，柴跃廷，等. 互联网药品可信交易环境中主体资质审核备案模式[J]. "
               "清华大学学报（自然科学版），2012，52（11）：1518-1523."),
    # 专著：出版地：出版者，出版年：页码
    ("zhang2002", "张伯伟. 全唐五代诗格汇考[M]. 南京：江苏古籍出版社，2002：288."),
    ("niu2019", "牛永敢，孔晓，王阳，等. 鼻整形应用解剖学[M]. 北京：人民卫生出版社，2019：65-66."),
    # 网络资源：（发布日期）[引用日期]. 网址.
    ("xiao2001", "萧钰. 出版业信息化迈入快车道[EB/OL]. （2001-12-19）[2002-04-15]. "
                 "http://www.creader.com/news/20011219/200112190019.html."),
    # 团体责任者用“，”并列；发布者与年；附注在条目之后另成一句
    ("opinion2018", "中共中央，国务院. 关于建立更加有效的区域协调发展新机制的意见[EB/OL]. 中华人民共和国中央人民政府网，2018. "
                    "http://www.gov.cn/zhengce/2018-11/29/content_5344537.htm. 2018 年 11 月 18 日印发，11 月 29 日公布。"),
    # 没有网址的文件：[Z]
    ("mfz2010", "国务院. 全国主体功能区规划（国发〔2010〕46号）[Z]. 2010."),
    ("jin2021", "金观平. 增强区域发展平衡性协调性[N]. 经济日报，2021."),
])
def test_chinese_entries_follow_gbt7714_2025(entries, key, expected):
    assert formatted(entries, key) == expected


def test_chinese_entries_have_no_english_words(entries):
    for key in ("zhou2007", "caidu2000", "lin1994", "opinion2018", "yu2012"):
        text = formatted(entries, key)
        assert not re.search(r"\b(pages|and|et al|editors?|edition)\b", text), text


# ------------------------------------------------------------------ 西文文献：plain 样式，卷期不丢

def test_english_article_keeps_plain_look(entries):
    assert formatted(entries, "kanbur2005") == (
        "Ravi Kanbur and Xiaobo Zhang. Fifty years of regional inequality in China. "
        "Review of Development Economics, 9(1):87–106, 2005.")


def test_english_article_without_pages_keeps_volume_and_issue(entries):
    # plain 样式在缺页码时连卷期一起丢掉（印成 “…Ecology, 2019.”）
    assert "Journal of Resources and Ecology, 10(1), 2019." in formatted(entries, "lin2019")


# ------------------------------------------------------------------ 语种与同年区分字母

def test_language_rule(entries):
    assert bibstyle.is_chinese(entries["zhou2007"])      # 题名与著者中有汉字
    assert bibstyle.is_chinese(entries["mfz2010"])       # language = chinese
    assert not bibstyle.is_chinese(entries["kanbur2005"])
    assert not bibstyle.is_chinese(entries["pinyin"])    # langid 写明时从之，即使题名有汉字


def test_same_author_same_year_gets_letters(entries):
    suffixes = bibstyle.year_suffixes(entries.values())
    assert suffixes["quah1993a"] == "a"
    assert suffixes["quah1993b"] == suffixes["quah1993b_copy"] == "b"  # 同一文献的两个条目共用字母
    assert "zhou2007" not in suffixes and "kanbur2005" not in suffixes
    assert formatted(entries, "quah1993a").endswith("37(2–3):426–434, 1993a.")
    assert formatted(entries, "quah1993b").endswith("95(4):427–443, 1993b.")


# ------------------------------------------------------------------ 正文引注

def cite(entries, role: str, *keys: str) -> str:
    style = bibstyle.ReferenceStyle()
    refs = [(entries[k], None, SphinxReferenceInfo(None, "a", "b", k, None, "", "")) for k in keys]
    return str(format_references(style, role, refs))


@pytest.mark.parametrize("role, keys, expected", [
    ("t", ["zhou2007"], "周黎安（2007）"),
    ("p", ["zhou2007"], "（周黎安，2007）"),
    ("t", ["caidu2000"], "蔡昉和都阳（2000）"),
    ("p", ["lin1994"], "（林毅夫\u00a0等，1994）"),
    ("p", ["opinion2018"], "（中共中央和国务院，2018）"),
    ("p", ["zhou2007", "caidu2000"], "（周黎安，2007；蔡昉和都阳，2000）"),
    ("t", ["quah1993b"], "Quah (1993b)"),
    ("p", ["quah1993a", "kanbur2005"], "(Quah, 1993a; Kanbur and Zhang, 2005)"),
    ("p", ["lin2019"], "(Lin et al., 2019)"),
    ("p", ["kanbur2005", "zhou2007"], "(Kanbur and Zhang, 2005; 周黎安，2007)"),
])
def test_in_text_citations_read_naturally(entries, role, keys, expected):
    assert cite(entries, role, *keys) == expected


# ------------------------------------------------------------------ 构建出的网页与 PDF

def bibliography_items(page) -> list[str]:
    """页面上各文献表的条目文字（总书目是列表，各章末尾是带编号的引文）。"""
    text = page.read_text(encoding="utf-8")
    items = re.findall(r'<li id="id\d+"><p>(.*?)</p></li>|<div class="citation"[^>]*>.*?<p>(.*?)</p>\s*</div>', text, re.S)
    return [re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", "", a or b))).strip() for a, b in items]


@pytest.fixture(scope="module")
def reference_items(html_dir):
    items = bibliography_items(html_dir / "book" / "appendix" / "references.html")
    assert len(items) > 100
    return items


def test_reference_page_has_no_and_between_chinese_names(reference_items):
    assert not [i for i in reference_items if re.search(r"[\u4e00-\u9fff）] and [\u4e00-\u9fff]", i)]


def test_chinese_entries_have_no_pages_word(reference_items):
    chinese = [i for i in reference_items if bibstyle.HAN.match(i)]
    assert len(chinese) > 40
    assert not [i for i in chinese if "pages" in i or re.search(r"\band\b", i.split(". ")[0])]
    # 每篇中文期刊文章都有期号
    articles = [i for i in chinese if "[J]" in i]
    assert len(articles) >= 8 and all(re.search(r"\d（\d+）", i) for i in articles), articles


def test_zhou2007_shows_issue(reference_items):
    assert "周黎安. 中国地方官员的晋升锦标赛模式研究[J]. 经济研究，2007（7）：36-50." in reference_items


def test_two_quah_1993_papers_differ(reference_items):
    quah = [i for i in reference_items if i.startswith("Danny Quah.") and "1993" in i]
    assert any(i.endswith("1993a.") and "Empirical" in i for i in quah)
    assert any(i.endswith("1993b.") and "Galton" in i for i in quah)


def test_lin2019_has_volume_issue_and_pages(html_dir):
    items = [i for page in (html_dir / "book").rglob("*.html") for i in bibliography_items(page)]
    lin = [i for i in items if "Net horizontal payments" in i]
    assert lin and all("10(1):63–68, 2019" in i for i in lin)


def test_chapter_citations_follow_language(html_dir):
    """正文引注：中文文献没有 “and”“et al.”，Quah 1993 的两篇文章在正文中也分开。"""
    cites = []
    for page in (html_dir / "book").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cites += [htmlmod.unescape(re.sub(r"<[^>]+>", "", c))
                  for c in re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', text, re.S)]
    assert len(cites) > 100
    assert not [c for c in cites if re.search(r"[\u4e00-\u9fff] (and|et al\.)", c)]
    assert any("Quah (1993b)" in c or "Quah, 1993b" in c for c in cites)
    assert any("Quah (1993a)" in c or "Quah, 1993a" in c for c in cites)
    assert any("周黎安（2007）" in c or "周黎安，2007" in c for c in cites)


def test_pdf_uses_the_same_style(pdf_path):
    from test_pdf import pdf_text

    text = "".join(pdf_text(pdf_path).split())
    assert "周黎安.中国地方官员的晋升锦标赛模式研究[J].经济研究，2007（7）：36-50." in text
    assert "1993a" in text and "1993b" in text
