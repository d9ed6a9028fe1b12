"""第四部分“从文章到‘十五五’规划”一章（``book/part4/plan15.md``）的计算：

- ``side_by_side``：文章第四部分的标题与方向，对照四中全会公报中逐字读到的区域短语（本书的归类与依据写在
  ``CLASSIFICATION`` 中，是教学用的判断，不是官方解读）；``unreached``：没有读到的文本；
- ``recompute_claim`` / ``claims_ledger``：官方关于地区差距的数字，在每一个有该年份的数据版本上重算（一次只用一个版本，
  不拼接），并按数字给出结论；``unchecked_claims``：不核对的表述及原因；
- ``scorecard``：文章展望中可检验的方向，用数据中的最新年份打分（最新年份取自数据）；
- ``plan_period``、``scenario_plan_end``：规划期（取自 plan15_regional.csv）与规划末年的情景推演。
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ... import analysis, article, data, fmt, measures
from ._shared import estimate, horizons, speed_interval, starting_ratios, convergence_path, scenario_path

__all__ = ["CLASSIFICATION", "STATUS_ZH", "side_by_side", "unreached", "base_year", "recompute_claim",
           "printed_decimals", "reproduces", "claim_verdict", "source_zh", "claims_ledger", "regional_per_capita", "unchecked_claims", "CLUSTERS", "scorecard", "plan_period",
           "scenario_plan_end", "staging_coverage", "staging_sum_zh", "staging_sources_zh", "scorecard_stop_zh", "SCENARIO_GAPS", "SCORE_TOLERANCE"]

_GROUP = {"东部": "east", "中部": "central", "西部": "west", "东北": "northeast"}
_GROUP_ZH = {v: k for k, v in _GROUP.items()}

# ---------------------------------------------------------------- 1 对照：文章第四部分与公报短语

STATUS_ZH = {
    "continued": "延续",
    "reworded": "延续，措辞新",
    "new": "新的提法",
    "absent": "所读到的公报短语中没有对应",
}

#: 本书的归类（教学判断）：文章第四部分中的位置、要点（本书的概括）、对应的公报短语（plan15_regional.csv 的 item_id）、
#: 归类与依据。“没有对应”只说明在已读到的几条公报短语里找不到，不能据此断定《建议》或《纲要》不再强调。
CLASSIFICATION = [
    {"place": "第一个标题", "gist": "援引二十大对四项战略并举的部署，以现代化为区域协调的前提",
     "item": "P02", "status": "reworded",
     "basis": "四项战略与文章所引二十大的表述相同；文章（方向 1）已要求理顺各类战略之间的关系，公报把这一要求概括为发挥它们的“叠加效应”"},
    {"place": "第一个标题", "gist": "同一句部署中的“优化重大生产力布局”",
     "item": "P09", "status": "continued",
     "basis": "与文章所引二十大报告的字面相同"},
    {"place": "第一个标题", "gist": "同一句部署的后半句：区域经济布局和国土空间体系",
     "item": "P03", "status": "continued",
     "basis": "与文章所引二十大报告的后半句字面相同"},
    {"place": "第三个标题", "gist": "谋划面向高质量发展的区域经济布局",
     "item": "P01", "status": "continued",
     "basis": "“区域经济布局”仍是公报这一部分的标题词，目标仍是区域协调"},
    {"place": "第二个标题、方向 1", "gist": "把分散的区域政策组织成体系，各类战略相互衔接",
     "item": "P04", "status": "continued",
     "basis": "“协调性”“联动”与文章的体系化主张一致；“联动发展”强调地区之间的带动，措辞更具体"},
    {"place": "方向 3、方向 5", "gist": "人口与经济向城市群集中；城乡之间的不平衡",
     "item": "P05", "status": "continued",
     "basis": "新型城镇化在两份文本中都在；公报把“以人为本”放在前面，重心是人的城镇化"},
    {"place": "方向 3", "gist": "做大做强中心城市，培育“新增长极”",
     "item": "P10", "status": "reworded",
     "basis": "文章的目标是培育新的增长极；公报要求发挥重点区域的增长极作用，重心从培育新的转到用好已有的"},
    {"place": "—", "gist": "（文章第四部分没有论及海洋）",
     "item": "P11", "status": "new",
     "basis": "海洋的开发利用与保护在文章第四部分中没有出现，公报把它列入区域部分"},
    {"place": "方向 2", "gist": "数字经济削弱距离与禀赋的作用", "item": "", "status": "absent",
     "basis": "公报的区域部分没有（公报在科技部分提到“数字中国建设”，但没有把它与区域布局联系起来）；《建议》全文未读到"},
    {"place": "方向 4", "gist": "规划、政策、机制、评估、法治五方面协同的空间治理", "item": "", "status": "absent",
     "basis": "同上"},
    {"place": "方向 6", "gist": "以合作、互助和利益补偿推动绿色协调", "item": "", "status": "absent",
     "basis": "同上；区际利益补偿在三中全会以后的文件中是否还有专门表述，本书没有找到原文"},
]


def side_by_side() -> pd.DataFrame:
    """对照表：每一行是文章第四部分的一处主张与它对应的公报短语（逐字，加引号）及本书的归类。"""
    phrases = data.plan15_regional().set_index("item_id")
    rows = []
    for c in CLASSIFICATION:
        if c["item"]:
            row = phrases.loc[c["item"]]
            if row["verification"] != "verbatim_in_repost":
                raise ValueError(f"{c['item']} 不是逐字读到的短语 / not a verbatim phrase")
            quote = f"“{row['text_zh']}”（{row['document']}）"
        else:
            quote = "—"
        rows.append({"文章第四部分": c["place"], "要点（本书的概括）": c["gist"], "公报原话": quote,
                     "本书的归类": STATUS_ZH[c["status"]], "依据": c["basis"]})
    return pd.DataFrame(rows)


def unreached() -> pd.DataFrame:
    """没有读到的规划文本或目标值（plan15_regional.csv 中 verification 为 not_found 或 target_not_found 的行）。"""
    p = data.plan15_regional()
    miss = p[p["verification"].isin(["not_found", "target_not_found"])]
    what = {"not_found": "章节标题与指标原文均未找到", "target_not_found": "目标值未找到（只有基期值）"}
    return pd.DataFrame({"文件": miss["document"].values,
                         "内容": [t if isinstance(t, str) and t else "章节标题与指标" for t in miss["text_zh"]],
                         "状态": [what[v] for v in miss["verification"]]})


# ---------------------------------------------------------------- 2 官方数字的重算

def base_year() -> int:
    """“新时代”阶段的起点（stages.csv），文章与官方报告比较的基年。"""
    st = data.stages().set_index("stage")
    return int(st.loc["new_era", "start_year"])


def _claim(claim_id: str) -> pd.Series:
    c = data.official_claims().set_index("claim_id")
    if claim_id not in c.index:
        raise data.DataError(f"official_claims.csv 中没有 {claim_id} / unknown claim {claim_id}")
    return c.loc[claim_id]


#: 习题 ex-p4p-1 重算的两条表述（official_claims.csv 的编号）：报告中较晚一年的东部与中部、东部与西部人均比。
EX_CLAIMS = ("OC03", "OC04")


def claim_year(claim_id: str) -> int:
    """一条官方表述所说的年份（official_claims.csv 的 years 列）。"""
    return int(_claim(claim_id)["years"])


def _in_region4(c: pd.Series) -> bool:
    """表述所说的地区都是四大板块（人均比“东部/西部”或单一板块的份额），分省数据可以合计出来。"""
    regions = str(c["regions"])
    parts = regions.split("/") if c["unit"] == "ratio" else [regions]
    return all(p in _GROUP for p in parts)


def _checkable(c: pd.Series) -> bool:
    """可以逐年重算的表述：原文或转载已读到（不是 not_found），单一年份，地区是四大板块。

    只见转载（secondary_copy）的表述也重算，但结论的说明写明它未经核实（``source_zh``、``note``）。"""
    return c["verification"] != "not_found" and str(c["years"]).isdigit() and _in_region4(c)


def source_zh(claim_id: str) -> str:
    """表述出处的简称（表格的“出处”一列）：国务院报告写年份；其他文件取书名号中的标题；只见转载的注明未核实。"""
    c = _claim(claim_id)
    doc = str(c["source_document"])
    if doc.startswith("国务院"):
        name = f"国务院报告（{str(c['date'])[:4]}）"
    elif doc.startswith("《") and "》" in doc:
        name = doc[: doc.index("》") + 1] + f"（{str(c['date'])[:7]}）"
    else:
        name = doc
    return name + ("，只见转载，未核实" if c["verification"] == "secondary_copy" else "")


@data.cached
def recompute_claim(claim_id: str, vintage: str, pop_basis: str = "mean") -> float | None:
    """在一个数据版本上重算一条官方数字：人均比用区域 GDP 合计 ÷ 区域人口合计；份额为占 31 省合计的百分比。

    该版本没有这一年（或缺人口）时返回 None。"""
    c = _claim(claim_id)
    year = int(c["years"])
    if year not in data.vintage_info(vintage)["years"]:
        return None
    reg = analysis.regional(vintage, "region4", pop_basis)
    if year not in reg.index:
        return None
    if c["unit"] == "ratio":
        a, b = (_GROUP[x] for x in c["regions"].split("/"))
        if ("per_capita", a) not in reg.columns or pd.isna(reg.loc[year, ("per_capita", a)]):
            return None
        return float(reg.loc[year, ("per_capita", a)] / reg.loc[year, ("per_capita", b)])
    return float(reg.loc[year, ("share", _GROUP[c["regions"]])] * 100)


def printed_decimals(printed: str) -> int:
    """印出的小数位数，按原文的写法（“1.50”是两位，“21.3”是一位）。"""
    text = str(printed).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def reproduces(value, printed: str) -> bool:
    """重算值四舍五入到印出的位数后，是否等于印出的数。"""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    q = Decimal(1).scaleb(-printed_decimals(printed))
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP) == Decimal(str(printed).strip()).quantize(q)


def claim_verdict(values: dict, printed: str) -> tuple[str, str]:
    """按数字给出结论：``values`` 是 {人口口径: 重算值}（份额只有一个键 None），``printed`` 是报告印出的数（文本）。

    返回（结论, 说明）：四舍五入到印出的位数后相同为“重现”；差在 5% 以内为“接近”；否则为“不符”。"""
    reported = float(printed)
    hits = [b for b, v in values.items() if reproduces(v, printed)]
    if hits:
        if None in hits:
            return "重现", "到印出的精度相同"
        which = "、".join(article.POP_BASIS_ZH[b] for b in hits)
        return "重现", f"按{which}到印出的精度相同"
    b, v = min(((b, v) for b, v in values.items() if v is not None), key=lambda t: abs(t[1] / reported - 1))
    rel = v / reported - 1
    basis = f"按{article.POP_BASIS_ZH[b]}" if b is not None else ""
    if abs(rel) <= article.CLOSE_TOLERANCE:
        return "接近", f"{basis}最接近，相差 {fmt.pct(rel, 1, signed=True)}"
    return "不符", f"{basis}最接近，仍相差 {fmt.pct(rel, 1, signed=True)}"


@data.cached
def claims_ledger() -> pd.DataFrame:
    """每条可核对的官方数字 × 每个有该年份的数据版本一行（不拼接版本）。

    列：claim_id, claim_zh, source_zh, verification, year, reported, vintage, vintage_zh, mean, yearend, verdict, note, why。
    ``why`` 说明不重现的原因：另有版本能重现时指出它，否则说明本书没有报告所用的版本。"""
    claims = data.official_claims()
    labels = data.vintages().drop_duplicates("vintage").set_index("vintage")["label_zh"]
    rows = []
    for c in claims.itertuples():
        s = _claim(c.claim_id)
        if not _checkable(s):
            continue
        reported = float(c.value)
        for v in data.VINTAGES:
            if s["unit"] == "ratio":
                vals = {b: recompute_claim(c.claim_id, v, b) for b in data.POP_BASES}
            else:
                vals = {None: recompute_claim(c.claim_id, v)}
            if all(x is None for x in vals.values()):
                continue
            verdict, note = claim_verdict(vals, c.value_printed)
            if c.verification == "secondary_copy":  # 结论只对转载中的数字而言
                note = "转载中的数字，原文未核实；" + note
            rows.append(dict(claim_id=c.claim_id, claim_zh=c.claim_zh, source_zh=source_zh(c.claim_id),
                             verification=c.verification, year=int(c.years), reported=reported,
                             vintage=v, vintage_zh=labels[v], mean=vals.get("mean", vals.get(None)),
                             yearend=vals.get("yearend"), verdict=verdict, note=note))
    out = pd.DataFrame(rows)
    why = []
    for r in out.itertuples():
        if r.verdict == "重现":
            why.append("")
            continue
        others = out[(out["claim_id"] == r.claim_id) & (out["verdict"] == "重现")]
        if len(others):
            why.append("印出的数与“" + "”“".join(others["vintage_zh"]) + "”版本一致；两个版本之间，各省 GDP 或人口经过普查修订，"
                       "原文用的是与之一致的那一版")
        else:
            why.append("没有一个版本重现：一种可能是原文用了当时的初步核算数，而本书的数据中没有那一版；本书未能核实")
    out["why"] = why
    return out


def ledger_summary(ledger: pd.DataFrame) -> str:
    """由核对表的数字选出正文的结论句（不手写结论）：多少个数字至少在一个版本上重现、结论是否因版本而异、
    同一人均比在版本之间的最大差是否足以改变印出的第二位小数。"""
    by_claim = ledger.groupby("claim_id")["verdict"]
    n, n_rep = by_claim.ngroups, int(by_claim.apply(lambda s: (s == "重现").any()).sum())
    varies = bool((by_claim.nunique() > 1).any())
    ratio = ledger[ledger["claim_id"].map(_claim_units()) == "ratio"]
    gap = float(ratio.groupby("claim_id")["mean"].agg(lambda s: s.max() - s.min()).max())
    if n_rep == n:
        how = "都可以"
    elif 2 * n_rep > n:
        how = "大体可以"
    elif 2 * n_rep == n:
        how = "只有一半可以"
    elif n_rep:
        how = "只有少数可以"
    else:
        how = "都不能"
    # 印出两位小数时：相差一个单位（0.01）以上必定改变印出的数；更小的差，两个值落在舍入边界两侧时
    # 也可能改变（所以只说“可能”）；完全相同才不会
    effect = "足以" if gap >= 0.01 else ("可能" if gap > 0 else "不会")
    visible = gap >= 0.005
    text = f"这说明官方表述中的数字{how}由公开的分省数据得出，{'但取决于版本' if varies else '结论不因版本而异'}："
    text += (f"同一个人均比在不同版本之间最多相差 {fmt.num(gap, 3)}，{effect}改变印出的第二位小数"
             + ("，引用时必须说明用的是哪一次发布。" if varies or visible else "。"))
    return text


def _claim_units() -> pd.Series:
    return data.official_claims().set_index("claim_id")["unit"]


def regional_per_capita(vintage: str, pop_basis: str = "mean") -> pd.DataFrame:
    """一个数据版本的四大区域人均 GDP（ΣGDP/Σ人口），只含有人均值的年份（供图使用，不拼接版本）。"""
    return analysis.regional(vintage, "region4", pop_basis)["per_capita"].dropna()


def unchecked_claims() -> pd.DataFrame:
    """不核对的表述及原因：not_found 的为“未能找到原文，不予核对”；其余逐条说明（只见转载、期刊文章、
    一个时期的约数、没有年份、地区不是四大板块）。"""
    rows = []
    for c in data.official_claims().itertuples():
        s = _claim(c.claim_id)
        if _checkable(s):
            continue
        if c.verification == "not_found":
            rows.append({"表述": c.claim_zh, "出处": "—", "状态": "未能找到原文，不予核对"})
            continue
        why = []
        if "期刊" in str(c.source_document) or "导刊" in str(c.source_document):
            why.append("期刊文章，不是政府文件")
        years = str(c.years)
        if "-" in years:
            why.append("一个时期的约数，不逐年核对")
        elif not years.isdigit():
            why.append("没有给出年份" + ("，只给下限" if "以上" in str(c.claim_zh) or "超过" in str(c.claim_zh) else ""))
        if not _in_region4(s):
            why.append("地区不是四大板块（粤港澳大湾区含香港、澳门），分省数据不能重算")
        rows.append({"表述": c.claim_zh, "出处": source_zh(c.claim_id), "状态": "；".join(why) or "不逐年核对"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- 3 文章展望的记分卡

#: 第 3 个方向所用的城市群（整省近似，与“面向 2035 年的区域协调”一章相同）。
CLUSTERS = ("jjj", "yrd", "gba_proxy", "chengyu")

#: 变化小于这一幅度算“基本持平”：份额 0.1 个百分点，变异系数 0.005，极差 0.5 个百分点。
SCORE_TOLERANCE = {"gdp_share": 0.1, "pop_share": 0.1, "urban_cv": 0.005, "urban_range": 0.5}


def _cluster_shares(vintage: str) -> pd.DataFrame:
    """四个城市群地区合计占 31 省合计的 GDP 份额与年末常住人口份额（百分数），按年份。"""
    pn = analysis.panel(vintage)
    gdp = sum(analysis.regional(vintage, sc)["share"][sc] for sc in CLUSTERS) * 100
    pop = {}
    for y, b in pn.groupby("year"):
        b = b.set_index("code")
        if b["pop"].isna().any():
            continue
        pop[y] = 100 * sum(measures.regional_shares(b["pop"], b[sc])[sc] for sc in CLUSTERS)
    return pd.DataFrame({"gdp_share": gdp, "pop_share": pd.Series(pop)})


def _urban() -> pd.DataFrame:
    u = data.indicator("urbanization_rate").pivot(index="year", columns="code", values="value").dropna()
    return pd.DataFrame({"urban_cv": u.apply(lambda r: measures.cv(r), axis=1),
                         "urban_range": u.max(axis=1) - u.min(axis=1)})


@data.cached
def scorecard(vintage: str = "current") -> pd.DataFrame:
    """文章展望中可检验方向的记分卡：起点（新时代的起点年）与数据中的最新一年，变化与结论。

    列：direction, indicator_zh, expect, key, start_year, start, last_year, last, change, verdict。
    最新一年由数据决定：数据加入新的一年，记分卡随之更新。"""
    y0 = base_year()
    cl, ur = _cluster_shares(vintage), _urban()
    specs = [("方向 3 城市群与都市圈", "四个城市群地区的 GDP 份额合计（%）", "上升", "gdp_share", cl),
             ("方向 3 城市群与都市圈", "四个城市群地区的年末常住人口份额合计（%）", "上升", "pop_share", cl),
             ("方向 5 乡村振兴（部分）", "省际城镇化率的变异系数", "下降", "urban_cv", ur),
             ("方向 5 乡村振兴（部分）", "省际城镇化率的极差（百分点）", "下降", "urban_range", ur)]
    rows = []
    for direction, label, expect, key, tab in specs:
        s = tab[key].dropna()
        y1 = int(s.index.max())
        chg = float(s.loc[y1] - s.loc[y0])
        sign = 1 if expect == "上升" else -1
        if abs(chg) <= SCORE_TOLERANCE[key]:
            verdict = "基本持平"
        elif chg * sign > 0:
            verdict = "与判断一致"
        else:
            verdict = "与判断相反"
        rows.append(dict(direction=direction, indicator_zh=label, expect=expect, key=key, start_year=y0,
                         start=float(s.loc[y0]), last_year=y1, last=float(s.loc[y1]), change=chg,
                         verdict=verdict))
    return pd.DataFrame(rows)


def staging_coverage() -> dict:
    """2025 年首次发布暂存表的覆盖：有 GDP、有人口的省份，缺的省份（按 provinces.csv 的 31 个省份），
    各自只见于转载或第三方整理（``secondary_copy``）的个数，全国数的核实方式，以及 31 个省份都有 GDP
    时的分省合计与全国数（``gdp_sum``、``gdp_national``；缺省份时合计为 None）。"""
    fr = data.first_release_2025()
    prov = data.provinces().set_index("code")["name_zh_short"]
    gdp_rows = fr[(fr["indicator"] == "gdp") & (fr["code"] != data.NATIONAL)]
    have = sorted(set(gdp_rows["code"]))
    pop = sorted(set(fr.loc[(fr["indicator"] == "pop_yearend") & (fr["code"] != data.NATIONAL), "code"]))
    year = int(fr["year"].max())
    prov_rows = fr[fr["code"] != data.NATIONAL]
    # 只见于转载或第三方整理（verification 为 secondary_copy）、未经核实的省份数
    secondary = {ind: int(prov_rows.loc[(prov_rows["indicator"] == ind)
                                        & (prov_rows["verification"] == "secondary_copy"), "code"].nunique())
                 for ind in ("gdp", "pop_yearend")}
    missing = [prov[c] for c in prov.index if c not in have]
    nat = fr[(fr["indicator"] == "gdp") & (fr["code"] == data.NATIONAL)]
    complete = not missing and len(nat) == 1
    return {"year": year, "gdp": [prov[c] for c in have], "missing_gdp": missing,
            "pop": [prov[c] for c in pop], "n_provinces": len(prov),
            "gdp_secondary": secondary["gdp"], "pop_secondary": secondary["pop_yearend"],
            "indicators": sorted(set(fr["indicator"])),
            # 合计只在一个省份也不缺时才算（缺一个，合计就没有意义）
            "gdp_sum": float(gdp_rows["value"].sum()) if complete else None,
            "gdp_national": float(nat["value"].iloc[0]) if len(nat) == 1 else None,
            "national_verification": str(nat["verification"].iloc[0]) if len(nat) == 1 else None}


def staging_sources_zh(n: int, secondary: int) -> str:
    """暂存的 ``n`` 个省份的数读自哪里（一句话，由个数选出）：统计局自己的发布都没有读到。"""
    if n == 0:
        return "一个也没有找到"
    if secondary == n:
        return "都只见于转载或第三方整理、未经核实"
    if secondary == 0:
        return "都读自新闻报道或政府网页（统计局自己的发布没有读到）"
    return (f"其中 {fmt.num(secondary)} 个只见于转载或第三方整理、未经核实，其余 {fmt.num(n - secondary)} 个"
            "读自新闻报道或政府网页（统计局自己的发布没有读到）")


def staging_sum_zh(cov: dict) -> str:
    """首次发布的分省 GDP 合计与全国数的比较（一句话，由数字选出）；缺省份时说明为什么不比。
    “大致对得上”按印出来的百分数（一位小数）判断，与读者看到的数一致。"""
    if cov["gdp_sum"] is None:
        return (f"还缺 {len(cov['missing_gdp'])} 个省份（{'、'.join(cov['missing_gdp'])}），"
                "所以不能把各省加起来与全国数比较")
    total, nat = cov["gdp_sum"], cov["gdp_national"]
    gap = total - nat
    side = "少" if gap < 0 else "多"
    share = Decimal(str(abs(gap) / nat * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    where = "（读自对公报的报道）" if cov.get("national_verification") == "press_report" else ""
    head = (f"{cov['n_provinces']} 个省份的首次发布加起来是 {fmt.num(total, 0)} 亿元，比国家统计局公报中的全国数"
            f"{where or ' '}{fmt.num(nat, 0)} 亿元{side} {fmt.num(abs(gap), 0)} 亿元（{fmt.num(share, 1)}%）")
    limit = Decimal(str(SUM_GAP_CLOSE * 100))
    head += (f"，相差不到 {fmt.num(limit, 0)}%，按本书的约定算两套数字大致对得上" if share < limit
             else f"，相差达到或超过 {fmt.num(limit, 0)}%，按本书的约定算两套数字对不上")
    if cov["gdp_secondary"]:
        head += f"；其中 {fmt.num(cov['gdp_secondary'])} 个省份的数字未经核实，这个结论只能作参考"
    return head


def scorecard_stop_zh(cov: dict) -> str:
    """记分卡为什么不用首次发布的年份（由暂存表的内容选出原因）。"""
    reasons = ["首次发布与记分卡所用的现行版本是两个版本，不能接成一条序列，即使 GDP 份额所需的各省 GDP 齐全也是如此"]
    if len(cov["pop"]) < cov["n_provinces"]:
        reasons.append(f"人口份额需要全部省份的人口，还缺 {fmt.num(cov['n_provinces'] - len(cov['pop']))} 个省份")
    if not any(i.startswith("urban") for i in cov["indicators"]):
        reasons.append("城镇化率的两行需要各省的城镇化率，暂存表中一个也没有")
    head = "；".join(reasons)
    return head


#: 分省合计与全国数相差不到这个比例时算“大致对得上”
SUM_GAP_CLOSE = 0.01


# ---------------------------------------------------------------- 4 规划末年的情景

#: 情景中东部与中部（或西部）人均增长率之差（百分点），与“面向 2035 年的区域协调”一章的图相同。
SCENARIO_GAPS = (-1.0, -0.5, 0.0)


def plan_period() -> tuple[int, int]:
    """“十五五”规划期（起止年）：取自 plan15_regional.csv 中纲要指标行的基期年与目标年。"""
    p = data.plan15_regional()
    row = p[(p["document"] == "第十五个五年规划纲要") & p["target_year"].notna()].iloc[0]
    return int(row["baseline_year"]) + 1, int(row["target_year"])


@data.cached
def scenario_plan_end(vintage: str = "current") -> pd.DataFrame:
    """规划末年的区域人均比：几种固定增长率之差的情景与按新时代以来的收敛速度（及其 95% 区间）推出的路径。

    列：setting, gap, east_central, east_west；attrs 中有起点年份、比值与 λ。"""
    start = starting_ratios(vintage)
    t0, end = start["year"], plan_period()[1]
    rows = []
    for g in SCENARIO_GAPS:
        rows.append(dict(setting="gap", gap=g,
                         east_central=float(scenario_path(start["east_central"], g, t0, end).iloc[-1]),
                         east_west=float(scenario_path(start["east_west"], g, t0, end).iloc[-1])))
    est = estimate(vintage, base_year(), t0)
    lo, hi = speed_interval(est)
    for name, lam in (("speed", est.speed), ("speed_lo", lo), ("speed_hi", hi)):
        rows.append(dict(setting=name, gap=math.nan,
                         east_central=float(convergence_path(start["east_central"], lam, t0, end).iloc[-1]),
                         east_west=float(convergence_path(start["east_west"], lam, t0, end).iloc[-1])))
    out = pd.DataFrame(rows)
    out.attrs.update(start_year=t0, end_year=end, east_central0=start["east_central"],
                     east_west0=start["east_west"], speed=est.speed, speed_lo=lo, speed_hi=hi)
    return out
