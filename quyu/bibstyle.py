"""全书参考文献的著录格式：一个 pybtex 格式样式和一个 sphinxcontrib-bibtex 引注样式。

规则（附录“参考文献”页的说明与此一致）：

- **按语种分开著录。** 条目的 ``langid`` 或 ``language`` 域写明语种时以它为准（``chinese``、``zh``…
  为中文，其他值为西文）；没有写明时，题名或责任者中含汉字的是中文文献，其余是西文文献
  （见 :func:`is_chinese`）。
- **中文文献按 GB/T 7714—2025《信息与文献 参考文献著录规则》的顺序编码制格式著录**，标点取
  CTAN ``gbt7714`` 宏包 2025 版样式的默认值（国标示例的用法）：句点、方括号、斜线、页码连接号用
  半角，逗号、冒号、圆括号用全角；责任者超过 3 个时只著录前 3 个，后加“，等”；
  有网址或 DOI 的文献，类型标识加“/OL”。例如::

      周黎安. 中国地方官员的晋升锦标赛模式研究[J]. 经济研究，2007（7）：36-50.
      林毅夫，蔡昉，李周. 中国的奇迹：发展战略与经济改革[M]. 上海：上海三联书店，1994.
      中共中央，国务院. 关于建立更加有效的区域协调发展新机制的意见[EB/OL]. 中华人民共和国中央人民政府网，2018b.
          http://www.gov.cn/zhengce/2018-11/29/content_5344537.htm.
      萧钰. 出版业信息化迈入快车道[EB/OL]. （2001-12-19）[2002-04-15]. http://www.creader.com/….

  ``howpublished`` 中不是网址的文字作为发布者著录；``note``（本书的附注，如“未见原书”）不属于
  国标的著录项目，接在条目之后另成一句。
- **西文文献保持 pybtex ``plain`` 样式的样子**，只改一处：期刊的卷、期、页码各自有就著录，
  不再因为缺页码而丢掉卷期（``plain`` 只有卷和页码都在时才印期号）。
- **同一著者同年的不同文献**在年份后加 a、b、c……区分（如 Quah 1993a、1993b），文献表与正文引注
  一致。区分在全书所有文献库的范围内进行（:func:`year_suffixes`），同一文献在几个文献库中的
  重复条目（题名相同）共用一个字母。
- **正文引注（著者—出版年制）**：中文文献写作“周黎安（2007）”“（周黎安，2007）”，两位著者用
  “和”连接，三位及以上写第一著者加“等”；西文文献写作“Quah (1993a)”“(Quah, 1993a)”，
  “and”与“et al.”照旧。一处同时引用几篇文献时，全是中文文献的用全角括号和“；”，否则用半角。

两个样式在 Sphinx 启动时由 :func:`register` 注册（见 :mod:`quyu.sphinxext`），``_config.yml`` 的
``bibtex_default_style`` 与 ``bibtex_reference_style`` 分别选用 :data:`STYLE` 与 :data:`REFERENCE_STYLE`。
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from string import ascii_lowercase
from typing import Iterable

from pybtex.database import Entry
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.template import field, first_of, join, node, optional, optional_field, sentence, tag, words
from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import author_or_editor_or_title, join2, post_text, pre_text, reference

#: pybtex 格式样式的名称（``bibtex_default_style``）。
STYLE = "quyu"
#: sphinxcontrib-bibtex 引注样式的名称（``bibtex_reference_style``）。
REFERENCE_STYLE = "quyu_author_year"
#: 同一著者同年不同文献的区分字母存放在条目的这个域中（构建时由 :func:`mark_year_suffixes` 写入）。
YEAR_SUFFIX_FIELD = "quyu_year_suffix"

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CHINESE_LANGIDS = ("chinese", "zh", "schinese", "tchinese")

# GB/T 7714—2025 的著录用符号（gbt7714 宏包 2025 版样式的默认取法）
PERIOD = ". "
COMMA = "，"
COLON = "："
LPAREN, RPAREN = "（", "）"
ET_AL_ZH = "等"
MAX_NAMES = 3


# --------------------------------------------------------------------------- 语种

def _persons_text(entry: Entry) -> str:
    return " ".join(str(p) for role in ("author", "editor") for p in entry.persons.get(role, []))


def is_chinese(entry: Entry) -> bool:
    """条目按中文文献著录吗？``langid``/``language`` 写明时从之，否则看题名与责任者中有无汉字。"""
    lang = (entry.fields.get("langid") or entry.fields.get("language") or "").strip().lower()
    if lang:
        return lang.startswith(CHINESE_LANGIDS)
    return bool(HAN.search(entry.fields.get("title", "") + _persons_text(entry)))


# --------------------------------------------------------------------------- 年份区分字母

def _plain(latex: str) -> str:
    return str(Text.from_latex(latex))


def _citation_names(entry: Entry) -> tuple[str, ...]:
    """正文引注中显示的著者（两位以内全列，三位及以上只列第一位）。"""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = tuple(_plain(" ".join(p.prelast_names + p.last_names)) for p in persons)
    return names if len(names) <= 2 else names[:1] + ("et al.",)


def _work(entry: Entry) -> str:
    """识别同一文献的题名（忽略大小写、括号、重音写法与标点）。"""
    return re.sub(r"\W+", "", _plain(entry.fields.get("title", "")).lower())


def year_suffixes(entries: Iterable[Entry]) -> dict[str, str]:
    """条目键 → 年份后的区分字母。引注中著者与年份相同、题名不同的文献按题名排序依次得 a、b、c……；
    题名相同的条目（同一文献在几个文献库中的副本）得同一个字母；无须区分的条目不出现在结果中。"""
    groups: dict[tuple, dict[str, list[str]]] = {}
    for entry in entries:
        year = entry.fields.get("year", "")
        if not year:
            continue
        groups.setdefault((_citation_names(entry), year), {}).setdefault(_work(entry), []).append(entry.key)
    result = {}
    for works in groups.values():
        if len(works) < 2:
            continue
        for letter, work in zip(ascii_lowercase, sorted(works)):
            result.update((key, letter) for key in works[work])
    return result


def mark_year_suffixes(entries: Iterable[Entry]) -> None:
    """把 :func:`year_suffixes` 的结果写进条目的 :data:`YEAR_SUFFIX_FIELD` 域（先清除旧值）。"""
    entries = list(entries)
    suffixes = year_suffixes(entries)
    for entry in entries:
        entry.fields.pop(YEAR_SUFFIX_FIELD, None)
        if entry.key in suffixes:
            entry.fields[YEAR_SUFFIX_FIELD] = suffixes[entry.key]


def display_year(entry: Entry, dash: str = "\u2013") -> str:
    """著录与引注中的年份：年份范围用 ``dash`` 连接，后加区分字母。"""
    year = re.sub(r"\s*-{1,3}\s*|\s*[\u2013\u2014]\s*", dash, entry.fields.get("year", ""))
    return year + entry.fields.get(YEAR_SUFFIX_FIELD, "") if year else ""


# --------------------------------------------------------------------------- GB/T 7714—2025

def _rich(entry: Entry, name: str) -> Text:
    value = entry.fields.get(name, "")
    return Text.from_latex(value) if value else Text()


def _gb_name(person) -> Text:
    """中文姓名照录（姓在前，不加空格）；西文姓名“姓 名的首字母”，首字母不加缩写点（2025 版不再要求姓全大写）。"""
    if HAN.search(str(person)):
        return Text(*person.rich_prelast_names, *person.rich_last_names,
                    *person.rich_first_names, *person.rich_middle_names)
    initials = " ".join("-".join(part[:1].upper() for part in _plain(n).split("-") if part)
                        for n in person.first_names + person.middle_names)
    family = Text(" ").join([*person.rich_prelast_names, *person.rich_last_names])
    return Text(family, " ", initials) if initials else family


def gb_names(persons) -> Text:
    """责任者：用“，”分隔，超过 3 个只著录前 3 个，后加“，等”。"""
    others = any(str(p) == "others" for p in persons)
    persons = [p for p in persons if str(p) != "others"]
    names = [_gb_name(p) for p in persons[:MAX_NAMES]]
    if len(persons) > MAX_NAMES or others:
        names.append(Text(ET_AL_ZH))
    return Text(COMMA).join(names)


def _pages(entry: Entry) -> str:
    return re.sub(r"\s*(-{1,3}|[\u2013\u2014\uff5e~])\s*", "-", entry.fields.get("pages", ""))


def _url(entry: Entry) -> str:
    """网址：``url`` 域，或整个是 ``\\url{…}`` 的 ``howpublished``。"""
    if entry.fields.get("url"):
        return entry.fields["url"]
    m = re.fullmatch(r"\s*\\url\{(.+)\}\s*", entry.fields.get("howpublished", ""))
    return m.group(1) if m else ""


def _publisher(entry: Entry) -> Text:
    """出版者（发布者）：``publisher``、``institution``、``school``，或不是网址的 ``howpublished``。"""
    for name in ("publisher", "institution", "school", "organization"):
        if entry.fields.get(name):
            return _rich(entry, name)
    howpublished = entry.fields.get("howpublished", "")
    if howpublished and not re.fullmatch(r"\s*\\url\{.+\}\s*", howpublished):
        return _rich(entry, "howpublished")
    return Text()


def _place_publisher_year(entry: Entry, year: str, publisher: Text | None = None) -> Text:
    """“出版地：出版者，出版年”，缺哪项省哪项。"""
    publisher = _publisher(entry) if publisher is None else publisher
    place = _rich(entry, "address") or _rich(entry, "location")
    head = Text(place, COLON, publisher) if place and publisher else (publisher or place)
    if head and year:
        return Text(head, COMMA, year)
    return head or Text(year)


def _type_id(entry: Entry, code: str) -> str:
    """文献类型标识；电子资源（网页，或有网址、DOI 的文献）加载体标识“/OL”。"""
    online = code == "EB" or bool(_url(entry) or entry.fields.get("doi"))
    return f"[{code}/OL]" if online else f"[{code}]"


def _edition(entry: Entry) -> str:
    ed = entry.fields.get("edition", "").strip()
    if not ed or ed in ("1", "第 1 版", "第1版"):
        return ""
    return f"{ed} 版" if ed.isdigit() else ed


def _gb_type_code(entry: Entry) -> str:
    subtype = entry.fields.get("entrysubtype", "").lower()
    if subtype == "newspaper":
        return "N"
    return {
        "article": "J", "book": "M", "inbook": "M", "incollection": "M", "booklet": "M",
        "proceedings": "C", "inproceedings": "C", "conference": "C",
        "phdthesis": "D", "mastersthesis": "D", "thesis": "D",
        "techreport": "R", "report": "R", "standard": "S", "patent": "P",
        "dataset": "DS", "online": "EB", "webpage": "EB", "electronic": "EB",
    }.get(entry.type, "EB" if _url(entry) else "Z")


def format_gbt7714(entry: Entry) -> Text:
    """一条中文文献按 GB/T 7714—2025（顺序编码制的著录顺序）著录，返回 pybtex 富文本。"""
    code = _gb_type_code(entry)
    year = display_year(entry, dash="\u2014")
    blocks: list[Text] = []
    persons = entry.persons.get("author") or entry.persons.get("editor")
    if persons:
        blocks.append(gb_names(persons))
    title = Text(_rich(entry, "title"), _type_id(entry, code))
    url, doi = _url(entry), entry.fields.get("doi", "")
    pages = _pages(entry)

    if code == "J":
        blocks.append(title)
        source = _rich(entry, "journal") or _rich(entry, "journaltitle")
        if year:
            source = Text(source, COMMA, year) if source else Text(year)
        if entry.fields.get("volume"):
            source = Text(source, COMMA, _rich(entry, "volume"))
        if entry.fields.get("number"):
            source = Text(source, LPAREN, _rich(entry, "number"), RPAREN)
        if pages:
            source = Text(source, COLON, pages)
        blocks.append(source)
    elif code == "N":
        blocks.append(title)
        source = _rich(entry, "journal") or _rich(entry, "journaltitle")
        when = entry.fields.get("date") or year
        source = Text(source, COMMA, when) if when else source
        if pages:
            source = Text(source, LPAREN, pages, RPAREN)
        blocks.append(source)
    elif entry.type in ("incollection", "inbook", "inproceedings") and entry.fields.get("booktitle"):
        blocks.append(title)
        host = Text("//")
        editors = entry.persons.get("editor") if entry.persons.get("author") else None
        if editors:
            host = Text(host, gb_names(editors), PERIOD)
        blocks.append(Text(host, _rich(entry, "booktitle")))
        if _edition(entry):
            blocks.append(Text(_edition(entry)))
        pub = _place_publisher_year(entry, year)
        blocks.append(Text(pub, COLON, pages) if pages else pub)
    elif code == "EB":
        blocks.append(title)
        publisher = _publisher(entry)
        when = entry.fields.get("date") or year
        pub = Text(publisher, COMMA, year) if publisher and year else (
            publisher or (Text(LPAREN, when, RPAREN) if when else Text()))
        if entry.fields.get("urldate"):
            pub = Text(pub, "[", entry.fields["urldate"], "]")
        blocks.append(pub)
    else:  # 专著、学位论文、报告、其他（Z）等：出版项“出版地：出版者，出版年：页码”
        blocks.append(title)
        if _edition(entry):
            blocks.append(Text(_edition(entry)))
        pub = _place_publisher_year(entry, year)
        blocks.append(Text(pub, COLON, pages) if pages and pub else pub)
    if url:
        blocks.append(Text(HRef(url, url)))
    if doi:
        blocks.append(Text("DOI:", HRef(f"https://doi.org/{doi}", doi)))
    text = Text(PERIOD).join([b for b in blocks if b]) + Text(".")
    note = _rich(entry, "note")
    if note:
        end = "" if str(note)[-1] in "。．.！？" else "。"
        text = Text(text, " ", note, end)
    return text


# --------------------------------------------------------------------------- pybtex 格式样式

class Style(PlainStyle):
    """中文文献按 GB/T 7714—2025，西文文献按 pybtex ``plain``（期刊卷期不因缺页码而丢失）；
    年份加同年区分字母。排序、编号与 ``plain`` 相同。"""

    def format_entry(self, label, entry, bib_data=None):
        if is_chinese(entry):
            return FormattedEntry(entry.key, format_gbt7714(entry), label)
        if entry.fields.get(YEAR_SUFFIX_FIELD):
            entry = _with_display_year(entry)
        return super().format_entry(label, entry, bib_data=bib_data)

    def get_article_template(self, e):
        volume_number = join[field("volume"), optional["(", field("number"), ")"]]
        number = join["(", field("number"), ")"]
        volume_and_pages = first_of[
            optional[join[volume_number, ":", pages]],  # 卷(期):页码
            optional[volume_number],                    # 卷(期)
            optional[join[number, ":", pages]],         # (期):页码
            optional[number],                           # (期)
            words["pages", pages],                      # 只有页码
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def _with_display_year(entry: Entry) -> Entry:
    """条目的副本，年份换成带区分字母的年份（只用于西文文献的著录）。"""
    fields = dict(entry.fields)
    fields["year"] = display_year(entry, dash="--")
    copy = Entry(entry.type, fields=fields, persons={k: list(v) for k, v in entry.persons.items()})
    copy.key = entry.key
    return copy


# --------------------------------------------------------------------------- 正文引注样式

EN_NAMES = dict(sep=", ", sep2=" and ", last_sep=", and ", other=Text(" ", Tag("em", "et al.")))
ZH_NAMES = dict(sep="、", sep2="和", last_sep="和", other=Text("\u00a0" + ET_AL_ZH))


@node
def cite_author(children, data, full=False):
    """引注中的著者：按条目语种选连接词（“和”“等”或 “and”“et al.”）。"""
    kwargs = dict(ZH_NAMES if is_chinese(data["entry"]) else EN_NAMES)
    if full:
        kwargs["other"] = None
    return author_or_editor_or_title(**kwargs).format_data(data)


@node
def cite_year(children, data):
    """引注中的年份（带同年区分字母）；没有年份时写“无日期”或 “n.d.”。"""
    entry = data["entry"]
    zh = is_chinese(entry)
    return Text(display_year(entry, dash="\u2014" if zh else "\u2013") or ("无日期" if zh else "n.d."))


@node
def by_language(children, data, zh, en):
    """按条目语种选用两个模板之一。"""
    return (zh if is_chinese(data["entry"]) else en).format_data(data)


def _all_chinese(children) -> bool:
    """一处引注中的各条都是中文文献吗（看格式化后的文字中有无汉字）。"""
    return bool(children) and all(HAN.search(str(c)) for c in children)


@dataclass
class LanguagePersonStyle(PersonStyle):
    """引注中的著者按条目语种连接（见 :func:`cite_author`）。"""

    def author_or_editor_or_title(self, full):
        return cite_author(full=full)


@dataclass
class ParentheticalStyle(BasicAuthorYearParentheticalReferenceStyle):
    """（周黎安，2007）、(Quah, 1993a)；全是中文文献时用全角括号和“；”。"""

    bracket_zh: BracketStyle = dc_field(default_factory=lambda: BracketStyle(LPAREN, RPAREN, "；"))

    def outer(self, role_name, children):
        bracket = self.bracket_zh if _all_chinese(children) else self.bracket
        return bracket.outer(children, brackets="al" not in role_name, capfirst=False)

    def inner(self, role_name):
        full = "s" in role_name
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[by_language(zh=join(sep=COMMA)[cite_author(full=full), cite_year],
                                  en=join(sep=", ")[cite_author(full=full), cite_year])],
            post_text,
        ]


@dataclass
class TextualStyle(BasicAuthorYearTextualReferenceStyle):
    """周黎安（2007）、Quah (1993a)。"""

    bracket_zh: BracketStyle = dc_field(default_factory=lambda: BracketStyle(LPAREN, RPAREN, "、"))

    def outer(self, role_name, children):
        bracket = self.bracket_zh if _all_chinese(children) else self.bracket
        return bracket.outer(children, brackets=False, capfirst="c" in role_name)

    def inner(self, role_name):
        full = "s" in role_name

        def year_part(left, right):
            return join[left, join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text, reference[cite_year], post_text], right]

        return by_language(zh=join[cite_author(full=full), year_part(LPAREN, RPAREN)],
                           en=join(sep=" ")[cite_author(full=full), year_part("(", ")")])


@dataclass
class YearStyle(ExtraYearReferenceStyle):
    """只引年份时也带同年区分字母。"""

    def inner(self, role_name):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[cite_year], post_text]


@dataclass
class ReferenceStyle(GroupReferenceStyle):
    """著者—出版年制的正文引注，连接词与括号随文献语种（见模块说明）。"""

    person: PersonStyle = dc_field(default_factory=LanguagePersonStyle)
    bracket: BracketStyle = dc_field(default_factory=lambda: BracketStyle("(", ")", "; "))
    bracket_textual: BracketStyle = dc_field(default_factory=lambda: BracketStyle("(", ")", ", "))

    def __post_init__(self):
        self.styles.extend([
            ParentheticalStyle(bracket=self.bracket, person=self.person),
            TextualStyle(bracket=self.bracket_textual, person=self.person),
            ExtraAuthorReferenceStyle(bracket=self.bracket, person=self.person),
            ExtraLabelReferenceStyle(bracket=BracketStyle()),
            YearStyle(bracket=self.bracket),
            ExtraEmptyReferenceStyle(),
        ])
        super().__post_init__()


# --------------------------------------------------------------------------- 注册与 Sphinx 事件

def register() -> None:
    """把 :data:`STYLE` 注册为 pybtex 格式样式、:data:`REFERENCE_STYLE` 注册为 sphinxcontrib-bibtex 引注样式。"""
    import pybtex.plugin
    from sphinxcontrib.bibtex import plugin as bibtex_plugin

    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, Style, force=True)
    # 每个格式样式对象都按名字找一遍姓名、标签与排序的插件，pybtex 每次都扫描全部已安装包的入口点
    # （一次构建约百次，近一秒）。先把这三组入口点登记为运行时插件（pybtex 先查这里），结果不变。
    from importlib.metadata import entry_points

    for group in ("pybtex.style.names", "pybtex.style.labels", "pybtex.style.sorting"):
        for alias in ("", ".aliases"):
            for ep in entry_points(group=group + alias):
                pybtex.plugin.register_plugin(group + alias, ep.name, ep.load(), force=True)
    bibtex_plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE,
                                  ReferenceStyle, force=True)


def mark_bibdata(app) -> None:
    """Sphinx ``builder-inited``（在 sphinxcontrib-bibtex 读入 .bib 之后）：为全书的条目标出年份区分字母。"""
    domain = app.env.get_domain("cite")
    mark_year_suffixes(domain.bibdata.data.entries.values())
