"""第四部分“超越 β 与 σ：分布动态、俱乐部收敛与空间结构”一章（``book/part4/dynamics.md``）的计算与组件。

本模块只做组织工作：从 ``analysis.panel`` 取某一数据版本的人均 GDP，交给 ``measures`` 中包装
giddy、esda、libpysal 的函数；章节、组件与测试由此得到同一组数字。

空间分析都要说明是否包含海南—广东的惯例连接（``hainan_link``）。不含时海南没有邻省，
成为权重矩阵中的“孤岛”；本章的做法是把海南从空间统计中去掉（30 个省份），并在图注中说明。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import analysis, data, fmt, measures
from ...widgets import BookWidget, Control, Gap, chart, message, stats, table
from .._shared import VINTAGE_ZH, second_source_year
from ._shared import PERMUTATIONS, SEED

#: 本章使用的数据版本（逐年连续的版本；初步核算版本年份不连续，不用于逐年转移）。
VINTAGES = ("current", "census2018", "yearbook", "compendium")
#: 置换检验的默认次数与固定种子（构建可重复；与收敛一章的空间 β 收敛共用，定义在 ``_shared``）。
HAINAN = "46"

SCHEME_ZH = {"quantile": "等频分组（合并分位数）", "fixed": "固定分界（相对均值逐次减半：…、1/2、1、2）"}


def hainan_note(hainan_link: bool) -> str:
    """图注与表注中关于海南的说明。"""
    if hainan_link:
        return "含海南—广东的惯例连接（31 个省份）"
    return "不含海南—广东的惯例连接：海南没有邻省，不参与空间统计（30 个省份）"


# ---------------------------------------------------------------- 数据

def vintage_years(vintage: str) -> list[int]:
    """某版本中 31 个省人均 GDP 都不缺的年份。"""
    return list(_complete_gdp_pc(vintage).columns)


@data.cached
def _complete_gdp_pc(vintage: str) -> pd.DataFrame:
    """人均 GDP 宽表（行 = 省代码，列 = 年份），只留 31 省都有数的年份。"""
    p = analysis.panel(vintage)
    w = p.pivot(index="code", columns="year", values="gdp_pc")
    return w.loc[:, w.notna().all(axis=0)]


def gdp_pc_wide(vintage: str, start: int, end: int) -> pd.DataFrame:
    """人均 GDP 宽表（行 = 省代码，列 = start…end 年），年份缺数据时给出中文说明。"""
    if vintage not in VINTAGES:
        raise data.DataError(f"本章不使用数据版本 {vintage!r}（可选：{'、'.join(VINTAGE_ZH[v] for v in VINTAGES)}） / "
                             f"vintage {vintage!r} is not used here")
    if start >= end:
        raise data.DataError(f"起始年份（{start}）应早于结束年份（{end}） / start ({start}) must precede end ({end})")
    w = _complete_gdp_pc(vintage)
    years = list(w.columns)
    missing = [y for y in (start, end) if y not in years]
    if missing:
        span = f"{years[0]}—{years[-1]} 年"
        raise data.DataError(
            f"{VINTAGE_ZH[vintage]}没有 {'、'.join(str(y) for y in missing)} 年的完整人均 GDP（该版本可用 {span}），"
            f"请换一个年份或数据版本 / vintage {vintage!r} has no complete per-capita GDP for {missing}")
    return w.loc[:, start:end]


def spatial_units(frame: pd.DataFrame, hainan_link: bool) -> pd.DataFrame:
    """不含海南连接时去掉海南（孤岛）。"""
    return frame if hainan_link else frame.drop(index=HAINAN, errors="ignore")


# ---------------------------------------------------------------- 分布动态

@data.cached
def markov_result(vintage: str, start: int, end: int, k: int, scheme: str = "quantile"):
    """相对人均 GDP 类别的马尔可夫链：返回 (MarkovResult, 分界)。"""
    rel = measures.relative_levels(gdp_pc_wide(vintage, start, end))
    ids, cutoffs = measures.classify(rel, k, scheme)
    return measures.markov(ids, k), cutoffs


def class_labels(cutoffs) -> list[str]:
    """各类的中文标签：相对水平区间。"""
    edges = ["0"] + [fmt.num(c, 2) for c in cutoffs] + ["∞"]
    return [f"{edges[i]}—{edges[i + 1]}" for i in range(len(edges) - 1)]


def markov_table(result, cutoffs) -> pd.DataFrame:
    """转移概率矩阵（百分数），附各类的起始观测数与遍历分布。"""
    labels = class_labels(cutoffs)
    rows = []
    for i, lab in enumerate(labels):
        row = {"t 年所在类（相对水平）": f"{i + 1}（{lab}）"}
        for j in range(result.k):
            row[f"→ {j + 1}"] = fmt.pct(result.P[i, j], 1)
        row["观测数"] = fmt.num(result.counts[i].sum(), 0)
        rows.append(row)
    return pd.DataFrame(rows)


def distribution_table(result, cutoffs, start: int, end: int) -> pd.DataFrame:
    """首年、末年与遍历分布（各类所占比重）。"""
    labels = class_labels(cutoffs)
    return pd.DataFrame({
        "类（相对水平）": [f"{i + 1}（{lab}）" for i, lab in enumerate(labels)],
        f"{start} 年": [fmt.pct(v, 1) for v in result.initial],
        f"{end} 年": [fmt.pct(v, 1) for v in result.final],
        "遍历分布": [fmt.pct(v, 1) if np.isfinite(v) else "不唯一" for v in result.ergodic],
    })


# ---------------------------------------------------------------- 空间结构

@data.cached
def moran_by_year(vintage: str, hainan_link: bool = True, permutations: int = PERMUTATIONS) -> pd.DataFrame:
    """逐年全局 Moran's I（人均 GDP 对数，行标准化的相邻权重）与置换检验 p 值。"""
    w = spatial_units(_complete_gdp_pc(vintage), hainan_link)
    nb = data.neighbours(hainan_link)
    rows = {}
    for y in w.columns:
        r = measures.moran(np.log(w[y]), nb, permutations=permutations, seed=SEED)
        rows[int(y)] = {"I": r.I, "EI": r.EI, "z": r.z_norm, "p_sim": r.p_sim}
    return pd.DataFrame.from_dict(rows, orient="index")


@data.cached
def lisa_year(vintage: str, year: int, hainan_link: bool = True, permutations: int = PERMUTATIONS) -> pd.DataFrame:
    """某一年的 LISA（人均 GDP 对数），索引为省代码，附省名。"""
    w = spatial_units(gdp_pc_wide(vintage, vintage_years(vintage)[0], vintage_years(vintage)[-1]), hainan_link)
    if year not in w.columns:
        gdp_pc_wide(vintage, year, year + 1)  # 抛出中文说明
    out = measures.lisa(np.log(w[year]), data.neighbours(hainan_link), permutations=permutations, seed=SEED)
    out.insert(0, "name", out.index.map(data.provinces().set_index("code")["name_zh_short"]))
    return out


@data.cached
def spatial_markov_result(vintage: str, start: int, end: int, k: int, hainan_link: bool = True,
                          scheme: str = "quantile"):
    rel = spatial_units(measures.relative_levels(gdp_pc_wide(vintage, start, end)), hainan_link)
    return measures.spatial_markov(rel, data.neighbours(hainan_link), k, scheme)


def upward_probability(P: np.ndarray) -> np.ndarray:
    """每个起始类向上移动（进入更高类）的概率：``up[..., i] = Σ_{j>i} P[..., i, j]``。"""
    P = np.asarray(P, dtype=float)
    k = P.shape[-1]
    return np.stack([P[..., i, i + 1:].sum(axis=-1) for i in range(k)], axis=-1)


def upward_table(result) -> pd.DataFrame:
    """空间马尔可夫链：各起始类（行）在邻居处于各类（列）时向上移动的概率。"""
    k = result.k
    up = upward_probability(result.P)  # (lag class, own class)
    rows = []
    for i in range(k - 1):  # 最高类不能再向上
        row = {"自身所在类": f"{i + 1}"}
        for lag in range(k):
            n = result.counts[lag, i].sum()
            row[f"邻居 {lag + 1} 类"] = "—" if n == 0 else f"{fmt.pct(up[lag, i], 0)}（{fmt.num(n, 0)}）"
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- 俱乐部收敛

@data.cached
def club_panel(vintage: str, start: int, end: int, hp_lambda: float = 400.0) -> pd.DataFrame:
    """Phillips–Sul 检验的输入：对数人均 GDP 逐省做 HP 滤波（λ = 400，年度数据）后的趋势成分，
    行为省份简称、列为年份。"""
    trend = measures.hp_trend(np.log(gdp_pc_wide(vintage, start, end)), lamb=hp_lambda)
    names = data.provinces().set_index("code")["name_zh_short"]
    trend.index = [names[c] for c in trend.index]
    return trend


@data.cached
def club_result(vintage: str, start: int, end: int, trim: float = 1 / 3, hp_lambda: float = 400.0):
    """Phillips–Sul 俱乐部聚类（未合并）：舍去前 ``trim`` 的时期，QS 核标准误，c* 从 0 起。"""
    return measures.club_convergence(club_panel(vintage, start, end, hp_lambda), trim=trim)


@data.cached
def club_merged(vintage: str, start: int, end: int, trim: float = 1 / 3, hp_lambda: float = 400.0):
    """在 :func:`club_result` 的基础上按 Phillips & Sul（2009）的规则合并相邻俱乐部。"""
    return measures.merge_clubs(club_panel(vintage, start, end, hp_lambda),
                                club_result(vintage, start, end, trim, hp_lambda), trim=trim)


#: Phillips & Sul（2007）：b = 2α。b ≥ 2 时转移系数收敛得足够快，人均水平的相对差距趋于消失（水平收敛）；
#: 0 ≤ b < 2 时只意味着增长率趋同（转移系数趋向共同极限，但水平差距不一定消失）。
LEVEL_B = 2.0


def club_convergence_kind(b: float, t: float) -> str:
    """按 Phillips–Sul 的 b 与其 t 值判定收敛的种类：

    ``"rejected"``：t ≤ −1.65，拒绝收敛；``"weak"``：不能拒绝，但 b < 0（离散没有缩小）；
    ``"growth"``：0 ≤ b < 2，增长率收敛；``"level"``：b ≥ 2，水平收敛。"""
    if not (np.isfinite(b) and np.isfinite(t)):
        raise ValueError(f"b 与 t 须为有限数，收到 b={b!r}, t={t!r} / b and t must be finite")
    if t <= measures.LOG_T_CRITICAL:
        return "rejected"
    if b < 0:
        return "weak"
    return "level" if b >= LEVEL_B else "growth"


def club_reading_zh(b: float, t: float) -> str:
    """一组地区的 log t 检验结果（b 及其 t 值）的中文解读，供正文和表格使用。

    b < 2 时另做单尾检验 H0: b ≥ 2（标准误取 b / t），说明数据能否区分增长率收敛与水平收敛。"""
    kind = club_convergence_kind(b, t)
    if kind == "rejected":
        return "t 值低于临界值 −1.65，拒绝这些地区趋向同一极限"
    if kind == "weak":
        return ("b 为负但不显著（t 值高于 −1.65），不能拒绝收敛：b 接近 0 表示相对转移系数的离散以检验所允许的"
                "最慢速度缩小，数据看不出更快的收敛")
    if kind == "level":
        return "b 不小于 2：相对转移系数收敛得足够快，成员之间人均水平的相对差距趋于消失（水平收敛）"
    se = b / t if t != 0 else np.inf
    t_level = (b - LEVEL_B) / se if se > 0 else -np.inf
    tail = ("b ≥ 2 在 5% 水平上被拒绝" if t_level <= measures.LOG_T_CRITICAL
            else "但 b ≥ 2 也不能被拒绝，数据分不清增长率收敛与水平收敛")
    if not b_significantly_positive(b, t):
        return ("b 的点估计在 0 与 2 之间，但与 0 没有显著差别（t 值低于 1.65）：不能拒绝收敛，"
                "也不能确认增长率在趋同；数据分不清最慢的收敛、增长率收敛与水平收敛")
    return ("b 在 0 与 2 之间且显著大于 0：相对转移系数趋向共同的极限，成员的增长率趋同，"
            f"但人均水平的相对差距不一定消失（增长率收敛；{tail}）")


def b_significantly_positive(b: float, t: float) -> bool:
    """单尾检验 H0: b ≤ 0 在 5% 水平上被拒绝（t ≥ 1.65）：b 显著大于 0。"""
    return bool(np.isfinite(t) and t >= -measures.LOG_T_CRITICAL)


# ---------------------------------------------------------------- 组件

def _r(v, sig: int = 6):
    return None if v is None or not np.isfinite(v) else float(f"{v:.{sig}g}")


#: 马尔可夫组件的起始年，都取自数据：改革开放（战略阶段表中非均衡发展阶段的起点）、汇编口径以外另有来源的
#: 第一年、年鉴口径与现行版本的首年、新时代起点。
MARKOV_STARTS = tuple(sorted({data.stage_start("unbalanced"), second_source_year(),
                              data.vintage_info("yearbook")["years"][0], data.vintage_info("current")["years"][0],
                              data.stage_start("new_era")}))
#: 结束年：本章四个版本各自的末年与新时代起点。
MARKOV_ENDS = tuple(sorted({data.vintage_info(v)["years"][-1] for v in VINTAGES} | {data.stage_start("new_era")}))


def markov_views(vintage: str, start: int, end: int, k: int, scheme: str) -> list[dict]:
    result, cutoffs = markov_result(vintage, start, end, k, scheme)
    t = markov_count_table(result, cutoffs)
    d = distribution_table(result, cutoffs, start, end)
    return [
        stats([("转移次数", fmt.num(result.n_transitions, 0)), ("留在原类的比重", fmt.pct(result.stay, 1))],
              note=f"{VINTAGE_ZH[vintage]}，{start}—{end} 年逐年转移；{SCHEME_ZH[scheme]}"),
        table("转移概率矩阵（行：t 年所在类；列：t+1 年所在类；括号内为转移次数）", list(t.columns), t.to_numpy().tolist()),
        table("首年、末年与遍历分布", list(d.columns), d.to_numpy().tolist(),
              note="相对水平 = 人均 GDP ÷ 当年 31 省的简单平均"
                   + ("" if np.isfinite(result.ergodic).all()
                      else "；这一时期有的类一旦进入就没有离开过，转移矩阵可约，遍历分布不唯一")),
    ]


def markov_widget(vintage: str = "current", start: int | None = None, end: int | None = None, k: int = 4,
                  scheme: str = "quantile") -> BookWidget:
    """马尔可夫转移矩阵与遍历分布：数据版本 × 起止年份 × 类数 × 分组方法（默认：现行版本的首年至最新年份）。"""
    controls = [
        Control("vintage", "数据版本", tuple((VINTAGE_ZH[v], v) for v in VINTAGES), vintage),
        Control("start", "起始年", tuple((str(y), y) for y in MARKOV_STARTS),
                start or data.vintage_info("current")["years"][0]),
        Control("end", "结束年", tuple((str(y), y) for y in MARKOV_ENDS), end or MARKOV_ENDS[-1]),
        Control("k", "类数", tuple((f"{n} 类", n) for n in (3, 4, 5)), k),
        Control("scheme", "分组方法", tuple((SCHEME_ZH[s], s) for s in ("quantile", "fixed")), scheme),
    ]
    gaps = [Gap(lambda p: p["end"] <= p["start"] or not {p["start"], p["end"]} <= set(vintage_years(p["vintage"])),
                "起止年份不在所选数据版本有完整数据的年份之内"),
            Gap({"k": 5, "scheme": "fixed"}, "固定边界分 5 类时，有的类在转移的起始年份没有省份")]
    return BookWidget("相对人均 GDP 的马尔可夫链", controls, markov_views, gaps=gaps,
                      description="选择数据版本、时期、类数与分组方法，查看逐年转移概率与遍历分布。")


SPATIAL_PERMUTATIONS = (19, 99, 999, 99999)  # 19 与 99999 超出允许范围，用来演示提示信息


def spatial_views(vintage: str, hainan_link: bool, permutations: int) -> list[dict]:
    measures.check_permutations(permutations)
    m = moran_by_year(vintage, hainan_link, permutations)
    years = list(m.index)
    last = years[-1]
    li = lisa_year(vintage, last, hainan_link, permutations)
    groups = []
    for lab in ("高—高", "低—低", "高—低", "低—高"):
        names = li.loc[li["cluster"] == lab, "name"].tolist()
        kept = li.loc[li["cluster_fdr"] == lab, "name"].tolist()
        groups.append([lab, "、".join(names) if names else "（无）", "、".join(kept) if kept else "（无）"])
    n_raw, n_fdr = int((li["cluster"] != "不显著").sum()), int((li["cluster_fdr"] != "不显著").sum())
    sig = int((m["p_sim"] < 0.05).sum())
    return [
        chart("人均 GDP（对数）的全局 Moran's I", years,
              [{"id": "I", "label": "Moran's I", "y": [_r(v) for v in m["I"]], "color": "#1f4e79"},
               {"id": "p", "label": "置换检验 p 值", "y": [_r(v) for v in m["p_sim"]], "color": "#c0504d",
                "dash": True}],
              ylabel="Moran's I / p 值", digits=3,
              note=f"{VINTAGE_ZH[vintage]}；{hainan_note(hainan_link)}；置换 {permutations} 次，种子 {SEED}"),
        stats([("p < 0.05 的年份", f"{sig} / {len(years)}"), (f"{last} 年 Moran's I", fmt.num(m.loc[last, 'I'], 3))]),
        table(f"{last} 年显著的 LISA 聚类", ["类型", "p < 0.05（未校正）", "控制错误发现率（5%）后仍显著"], groups,
              note=f"{len(li)} 个省份各做一次检验：即使没有任何空间聚类，未校正时也预计约有 "
                   f"{fmt.num(0.05 * len(li), 1)} 个省份“显著”；控制错误发现率（Benjamini–Hochberg）后，"
                   f"显著的省份由 {n_raw} 个变为 {n_fdr} 个"),
    ]


def spatial_widget(vintage: str = "current", hainan_link: bool = True, permutations: int = 999) -> BookWidget:
    """全局 Moran's I 的时间序列与最新年份的 LISA 聚类：数据版本 × 海南连接 × 置换次数。"""
    controls = [
        Control("vintage", "数据版本", tuple((VINTAGE_ZH[v], v) for v in VINTAGES), vintage),
        Control("hainan_link", "海南—广东连接", (("包含（惯例）", True), ("不包含（海南不参与）", False)), hainan_link),
        Control("permutations", "置换次数", tuple((f"{n} 次", n) for n in SPATIAL_PERMUTATIONS), permutations),
    ]
    gaps = [Gap({"permutations": tuple(n for n in SPATIAL_PERMUTATIONS if not 99 <= n <= 9999)},
                "置换次数超出 99—9999（用来演示提示信息）")]
    return BookWidget("空间自相关：Moran's I 与 LISA", controls, spatial_views, gaps=gaps,
                      description="置换检验的次数须在 99—9999 之间；随机数种子固定，结果可重复。")


def spatial_markov_views(vintage: str, k: int, hainan_link: bool) -> list[dict]:
    years = vintage_years(vintage)
    start, end = years[0], years[-1]
    res = spatial_markov_result(vintage, start, end, k, hainan_link)
    t = upward_table(res)
    return [
        table("向上移动的概率（括号内为观测数）", list(t.columns), t.to_numpy().tolist(),
              note=f"{VINTAGE_ZH[vintage]}，{start}—{end} 年；行：自身所在类（1 最低）；列：邻居平均水平所在类；"
                   f"{hainan_note(hainan_link)}"),
        stats([("同质性检验 χ²", fmt.num(res.chi2, 1)), ("自由度", fmt.num(res.dof, 0)),
               ("p 值", fmt.num(res.chi2_p, 3))],
              note="零假设：转移概率与邻居所在类无关（Rey 2001；giddy 的 Q 检验）"),
    ]


def spatial_markov_widget(vintage: str = "current", k: int = 3, hainan_link: bool = True) -> BookWidget:
    """空间马尔可夫链：邻居的水平是否改变向上移动的概率。"""
    controls = [
        Control("vintage", "数据版本", tuple((VINTAGE_ZH[v], v) for v in VINTAGES), vintage),
        Control("k", "类数", (("3 类", 3), ("4 类", 4)), k),
        Control("hainan_link", "海南—广东连接", (("包含（惯例）", True), ("不包含（海南不参与）", False)), hainan_link),
    ]
    return BookWidget("空间马尔可夫链：邻居与向上流动", controls, spatial_markov_views,
                      description="比较同一行中不同列的概率：邻居越富，穷省是否越容易向上移动？")


# ---------------------------------------------------------------- 推断：马尔可夫链的不确定性

#: 地区整块重抽样的重复次数与种子（构建可重复）。
BOOT_REPS = 999
BOOT_SEED = SEED
#: 区间的置信水平。
LEVEL = 0.95


@data.cached
def markov_classes(vintage: str, start: int, end: int, k: int, scheme: str = "quantile") -> pd.DataFrame:
    """相对人均 GDP 的类别宽表（行 = 省代码，列 = 年份，0 = 最低类），与 :func:`markov_result` 同一分界。"""
    ids, _ = measures.classify(measures.relative_levels(gdp_pc_wide(vintage, start, end)), k, scheme)
    return ids


@data.cached
def markov_boot(vintage: str, start: int, end: int, k: int, scheme: str = "quantile", reps: int = BOOT_REPS):
    """按省份整块重抽样的转移概率与遍历分布（``measures.markov_bootstrap``，种子 :data:`BOOT_SEED`）。"""
    return measures.markov_bootstrap(markov_classes(vintage, start, end, k, scheme), k, reps=reps, seed=BOOT_SEED)


def homogeneity_split(years) -> int:
    """时间齐性检验的分段年份：把逐年转移按起始年份分成前后两半，后一半第一个转移的起始年份。"""
    years = list(years)
    return years[(len(years) - 1) // 2]


@data.cached
def markov_tests(vintage: str, start: int, end: int, k: int, scheme: str = "quantile") -> dict:
    """Bickenbach–Bode 检验：``time``（前后两半时期的转移概率相同）、``order``（一阶马尔可夫性），
    以及分段年份 ``split``。"""
    ids = markov_classes(vintage, start, end, k, scheme)
    split = homogeneity_split(ids.columns)
    return {"time": measures.time_homogeneity(ids, k, split), "order": measures.markov_property_test(ids, k),
            "split": split}


def mid_change(initial, erg) -> np.ndarray:
    """遍历分布中中间各类（除最低、最高两类外）的合计比重减去首年的合计比重（可按行批量计算）。"""
    initial, erg = np.asarray(initial, dtype=float), np.asarray(erg, dtype=float)
    return erg[..., 1:-1].sum(axis=-1) - initial[..., 1:-1].sum(axis=-1)


def mid_change_interval(boot, level: float = LEVEL) -> tuple[float, float]:
    """:func:`mid_change` 的地区整块重抽样区间（首年比重与遍历分布取自同一次重抽样）。"""
    lo, hi = boot.interval(mid_change(boot.initial, boot.ergodic), level)
    return float(lo), float(hi)


def _pp(v: float) -> str:
    """比重之差，以百分点表示。"""
    return f"{fmt.num(100 * v, 1)} 个百分点"


def markov_verdict_zh(result, boot, level: float = LEVEL) -> str:
    """遍历分布与首年相比的判断（接在“分布”之后）：方向由点估计给出，措辞由区间是否排除“不变”决定。"""
    mid0, mid_e = result.initial[1:-1].sum(), result.ergodic[1:-1].sum()
    lo, hi = mid_change_interval(boot, level)
    ci = f"中间各类比重的变化为 {_pp(mid_e - mid0)}，按省份整块重抽样的 {fmt.pct(level, 0)} 区间为 {fmt.num(100 * lo, 1)} 至 {_pp(hi)}"
    if mid_e > mid0:
        if lo > 0:
            return f"向中间集中，与收敛的含义一致，而不是双峰（{ci}，不含零）"
        return (f"在点估计上向中间集中，但{ci}，包含零：数据不足以把它与“分布形状不变”区分开，"
                "“向中间集中”只能算一个方向性的迹象")
    if result.ergodic[0] > result.initial[0] and result.ergodic[-1] > result.initial[-1]:
        shape = "中间变薄、两端加厚，带有双峰的特征"
    elif result.ergodic[-1] > result.initial[-1]:
        shape = "中间变薄，质量移向最高一类而最低一类也在变薄：这是向上的单边集中，而不是双峰"
    else:
        shape = "中间变薄，质量移向最低一类：这是向下的单边集中，而不是双峰"
    if hi < 0:
        return f"{shape}（{ci}，不含零）"
    return f"在点估计上{shape}，但{ci}，包含零，数据不足以把它与“分布形状不变”区分开"


def p_text(p: float) -> str:
    """p 值的文字：小于 0.001 时不写成 0.000。"""
    return "p 值小于 0.001" if p < 0.001 else f"p 值 {fmt.num(p, 3)}"


def test_decision(h, alpha: float = 0.05) -> str:
    """齐性检验的判断：似然比与 Q 两种统计量都拒绝（reject）、都不拒绝（keep），或结论不一（edge）。"""
    rejects = (h.LR_p < alpha, h.Q_p < alpha)
    return "reject" if all(rejects) else ("keep" if not any(rejects) else "edge")


def test_reading_zh(h, alpha: float = 0.05) -> str:
    """齐性检验结果的中文读法：两种统计量都报告，判断要两者一致（不一致时说明处在边缘）。"""
    stat = (f"似然比统计量 {fmt.num(h.LR, 1)}（{p_text(h.LR_p)}），Q 统计量 {fmt.num(h.Q, 1)}（{p_text(h.Q_p)}），"
            f"自由度 {h.dof}")
    reading = {"reject": "两者都拒绝零假设", "keep": "两者都不能拒绝零假设",
               "edge": "两种统计量的结论不一，处在 5% 的边缘，不能下确定的结论"}[test_decision(h, alpha)]
    return f"{stat}，{reading}"


def markov_count_table(result, cutoffs) -> pd.DataFrame:
    """转移概率矩阵，每格附转移次数：“概率（次数）”。"""
    labels = class_labels(cutoffs)
    rows = []
    for i, lab in enumerate(labels):
        row = {"t 年所在类（相对水平）": f"{i + 1}（{lab}）"}
        for j in range(result.k):
            row[f"→ {j + 1}"] = f"{fmt.pct(result.P[i, j], 1)}（{fmt.num(result.counts[i, j], 0)}）"
        row["观测数"] = fmt.num(result.counts[i].sum(), 0)
        rows.append(row)
    return pd.DataFrame(rows)


def markov_interval_table(result, boot, cutoffs, level: float = LEVEL) -> pd.DataFrame:
    """转移概率与遍历分布的地区整块重抽样区间（百分数）。"""
    labels = class_labels(cutoffs)
    plo, phi = boot.interval(boot.P, level)
    elo, ehi = boot.interval(boot.ergodic, level)
    rows = []
    for i, lab in enumerate(labels):
        row = {"t 年所在类（相对水平）": f"{i + 1}（{lab}）"}
        for j in range(result.k):
            row[f"→ {j + 1}"] = f"{fmt.pct(plo[i, j], 1)}—{fmt.pct(phi[i, j], 1)}"
        row["遍历分布"] = f"{fmt.pct(result.ergodic[i], 1)}（{fmt.pct(elo[i], 1)}—{fmt.pct(ehi[i], 1)}）"
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- 推断：LISA 的多重检验与权重

#: LISA 的权重设定：键 → (中文说明, 邻接的来源, 是否包含海南)。
LISA_SPECS = {
    "contig": ("相邻，含海南—广东连接", "contiguity", True),
    "contig_nh": ("相邻，不含海南", "contiguity", False),
    "knn4": ("方格地图 4 近邻", "knn", True),
    "knn4_nh": ("方格地图 4 近邻，不含海南", "knn", False),
}
#: 方格地图 k 近邻权重的 k。
KNN_K = 4


@data.cached
def tile_neighbours(k: int = KNN_K, hainan: bool = True) -> dict:
    """方格地图（行、列）上的 k 近邻邻接字典（并列者都算邻居）；``hainan=False`` 时先去掉海南。"""
    g = data.tile_grid().set_index("code")[["row", "col"]]
    if not hainan:
        g = g.drop(index=HAINAN)
    return measures.knn_neighbours(g, k)


def spec_neighbours(spec: str) -> tuple[dict, bool]:
    _, kind, hainan = LISA_SPECS[spec]
    return (data.neighbours(hainan) if kind == "contiguity" else tile_neighbours(KNN_K, hainan)), hainan


@data.cached
def lisa_spec(vintage: str, year: int, spec: str, permutations: int = PERMUTATIONS) -> pd.DataFrame:
    """某一权重设定下某一年的 LISA（含未校正的 ``cluster`` 与控制错误发现率的 ``cluster_fdr``）。"""
    nb, hainan = spec_neighbours(spec)
    w = spatial_units(_complete_gdp_pc(vintage), hainan)
    if year not in w.columns:
        gdp_pc_wide(vintage, year, year + 1)  # 抛出中文说明
    out = measures.lisa(np.log(w[year]), nb, permutations=permutations, seed=SEED)
    out.insert(0, "name", out.index.map(data.provinces().set_index("code")["name_zh_short"]))
    return out


def lisa_robustness(vintage: str, year: int, permutations: int = PERMUTATIONS) -> pd.DataFrame:
    """省份 × 权重设定 → 聚类类型（未校正 / 控制错误发现率），只列至少在一种设定下显著的省份。

    ``robust``：在它参与的每一种设定下（未校正）都显著、且类型相同；``robust_fdr``：同时在每一种设定下
    控制错误发现率后仍显著。"""
    res = {s: lisa_spec(vintage, year, s, permutations) for s in LISA_SPECS}
    names = data.provinces().set_index("code")["name_zh_short"]
    rows = []
    for code in names.index:
        raw = {s: r.loc[code, "cluster"] for s, r in res.items() if code in r.index}
        fdr = {s: r.loc[code, "cluster_fdr"] for s, r in res.items() if code in r.index}
        if all(v == "不显著" for v in raw.values()):
            continue
        first = next(iter(raw.values()))
        robust = first != "不显著" and all(v == first for v in raw.values())
        row = {"code": code, "name": names[code], "robust": robust,
               "robust_fdr": robust and all(v == first for v in fdr.values())}
        for s in LISA_SPECS:
            row[s] = raw.get(s)
            row[f"{s}_fdr"] = fdr.get(s)
        rows.append(row)
    return pd.DataFrame(rows).set_index("code")


def lisa_robustness_table(rob: pd.DataFrame) -> pd.DataFrame:
    """:func:`lisa_robustness` 的中文表：每格为未校正的类型，控制错误发现率后仍显著的加“＊”。"""
    def cell(raw, fdr):
        if raw is None or (isinstance(raw, float) and np.isnan(raw)):
            return "（不参与）"
        return raw + ("＊" if fdr != "不显著" else "")

    out = pd.DataFrame({"省份": rob["name"]})
    for s, (label, _, _) in LISA_SPECS.items():
        out[label] = [cell(r, f) for r, f in zip(rob[s], rob[f"{s}_fdr"])]
    out["四种设定下一致"] = np.where(rob["robust_fdr"], "是（校正后仍显著）", np.where(rob["robust"], "是", "否"))
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- 推断：Phillips–Sul 的设定敏感性

#: 稳健性比较的舍去比例 r 与 HP 平滑参数 λ（400 为本章主设定；100 为年度数据常用的另一取值）。
PS_TRIMS = (0.2, 0.25, 0.3, 1 / 3)
PS_LAMBDAS = (400.0, 100.0)


def trim_label(r: float) -> str:
    return "1/3" if abs(r - 1 / 3) < 1e-12 else fmt.num(r, 2)


@data.cached
def club_robustness(vintage: str, start: int, end: int) -> pd.DataFrame:
    """省份 × (r, λ) → 合并后的俱乐部编号（0 = 不属于任何俱乐部），行按本章主设定的俱乐部排序。"""
    cols = {}
    for lam in PS_LAMBDAS:
        for r in PS_TRIMS:
            m = club_merged(vintage, start, end, r, lam)
            cols[(r, lam)] = pd.Series(m.membership())
    out = pd.DataFrame(cols)
    base = out[(1 / 3, 400.0)]
    return out.loc[base.replace(0, 99).sort_values(kind="stable").index]


def club_sizes(rob: pd.DataFrame) -> dict:
    """每种设定下合并后各俱乐部的省份数，如 {(r, λ): "17/9/3"}（不含不属于任何俱乐部的省份）。"""
    return {c: "/".join(str(int(n)) for _, n in rob[c][rob[c] > 0].value_counts().sort_index().items())
            for c in rob.columns}


def club_robust(rob: pd.DataFrame) -> pd.Series:
    """省份 → 归属是否稳健：在每一种设定下，与它同属一个俱乐部的省份都相同（不属于任何俱乐部的省份
    须在每一种设定下都不属于任何俱乐部）。俱乐部的编号随个数变化，所以比较的是“同伴”而不是编号。"""
    def mates(col, p):
        c = rob.at[p, col]
        return frozenset() if c == 0 else frozenset(rob.index[rob[col] == c])
    return pd.Series({p: len({mates(col, p) for col in rob.columns}) == 1 for p in rob.index})


def club_robustness_table(rob: pd.DataFrame) -> pd.DataFrame:
    """中文表：行 = 省份，列 = 设定（r、λ），格 = 合并后的俱乐部；最后一列说明同伴是否在所有设定下相同。"""
    out = pd.DataFrame({"省份": rob.index})
    for (r, lam) in rob.columns:
        out[f"r = {trim_label(r)}，λ = {fmt.num(lam, 0)}"] = [f"第 {int(c)} 组" if c else "不属于任何组"
                                                            for c in rob[(r, lam)]]
    out["同组省份在所有设定下相同"] = np.where(club_robust(rob).to_numpy(), "是", "否")
    return out


def markov_tests_meaning_zh(tests: dict, alpha: float = 0.05) -> str:
    """两项 Bickenbach–Bode 检验合起来对遍历分布意味着什么（由两个 p 值决定）。"""
    dec = {k: test_decision(tests[k], alpha) for k in ("time", "order")}
    if "edge" in dec.values():
        which = "、".join({"time": "时间齐性", "order": "一阶马尔可夫性"}[k] for k, v in dec.items() if v == "edge")
        return (f"{which}检验处在边缘（两种统计量的结论不一）：这些数据不足以判断用一个不变的一阶转移矩阵推演"
                "遍历分布是否妥当，遍历分布只能当作粗略的推演")
    time_ok, order_ok = dec["time"] == "keep", dec["order"] == "keep"
    if time_ok and order_ok:
        return "两项检验都没有拒绝零假设：就这些数据能分辨的程度而言，用一个不变的一阶转移矩阵推演遍历分布并无不妥"
    if time_ok:
        return ("转移概率在前后两段之间看不出差别，但一阶马尔可夫性被拒绝：省份明年去哪一类还与它去年所在的类有关，"
                "一阶链的遍历分布忽略了这种“惯性”，只能当作粗略的推演")
    if order_ok:
        return ("一阶马尔可夫性没有被拒绝，但前后两段的转移概率不同：流动规律本身在变，"
                "用全时期平均的转移矩阵推演遍历分布，混合了两种规律")
    return ("两项检验都拒绝零假设：流动规律在前后两段之间不同，省份的去向还与去年所在的类有关，"
            "遍历分布只能当作粗略的推演")


# ---------------------------------------------------------------- 位次流动：Kendall τ、空间 τ 与区域分解

#: 区域分解所用的区域方案（四大板块，data/region_schemes.csv）。
RANK_SCHEME = "region4"
#: 位次路径图中画出的“移动最多”的省份个数。
N_MOVERS = 6
#: 组件中的时期：用数据版本自己的首末年与新时代起点（data/stages.csv）组合，不写年份。
RANK_PERIODS = ("all", "before", "after")


def rank_period_zh() -> dict:
    era = data.stage_start("new_era")
    return {"all": "版本首年至末年", "before": f"版本首年至新时代起点（{era} 年）",
            "after": f"新时代起点（{era} 年）至版本末年"}


def rank_period_years(vintage: str, period: str) -> tuple[int, int]:
    """某数据版本中一个时期的起止年份；新时代起点不在版本年份之内时给出中文说明。"""
    years = vintage_years(vintage)
    era = data.stage_start("new_era")
    if period == "all":
        return years[0], years[-1]
    if period not in RANK_PERIODS:
        raise data.DataError(f"没有这个时期：{period!r} / unknown period {period!r}")
    if not years[0] < era < years[-1]:
        raise data.DataError(
            f"{VINTAGE_ZH[vintage]}的年份（{years[0]}—{years[-1]} 年）不跨过新时代起点（{era} 年），"
            f"无法按它分段，请选“{rank_period_zh()['all']}”或换一个数据版本 / vintage {vintage!r} does not span {era}")
    return (years[0], era) if period == "before" else (era, years[-1])


@data.cached
def rank_mobility(vintage: str, start: int, end: int) -> dict:
    """两年之间人均 GDP 的 Kendall τ、空间 τ（相邻权重，含海南—广东连接）与四大板块的区域分解。

    空间 τ 与区域分解的置换检验都是 :data:`PERMUTATIONS` 次、种子 :data:`SEED`。"""
    w = gdp_pc_wide(vintage, start, end)
    x, y = w[start], w[end]
    return {"tau": measures.kendall_tau(x, y),
            "spatial": measures.spatial_tau(x, y, data.neighbours(True), PERMUTATIONS, SEED),
            "regional": measures.regional_tau(x, y, data.scheme(RANK_SCHEME), PERMUTATIONS, SEED)}


def rank_paths(vintage: str, start: int, end: int) -> pd.DataFrame:
    """各省逐年的人均 GDP 位次（1 = 最高；行 = 省代码，列 = 年份）。"""
    w = gdp_pc_wide(vintage, start, end)
    return w.apply(measures.ranks, axis=0)


def top_movers(vintage: str, start: int, end: int, n: int = N_MOVERS) -> list[str]:
    """首末两年位次变化最大的 n 个省（代码；变化相同时按末年位次）。"""
    r = rank_paths(vintage, start, end)
    change = (r[start] - r[end]).abs()
    order = pd.DataFrame({"c": change, "e": r[end]}).sort_values(["c", "e"], ascending=[False, True])
    return list(order.index[:n])


def _names() -> pd.Series:
    return data.provinces().set_index("code")["name_zh_short"]


def rank_zh(r: float) -> str:
    """位次的文字：整数照写，并列的平均位次（如 12.5）保留一位小数。"""
    return fmt.num(r, 0) if float(r).is_integer() else fmt.num(r, 1)


def rank_change_text(vintage: str, start: int, end: int, codes) -> str:
    """“贵州（第 29 位→第 21 位）”这样的说明。"""
    r = rank_paths(vintage, start, end)
    names = _names()
    return "、".join(f"{names[c]}（第 {rank_zh(r.loc[c, start])} 位→第 {rank_zh(r.loc[c, end])} 位）" for c in codes)


def movers_up_down(vintage: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """位次变化最大的省份中，末年位次上升的与下降的（代码，顺序同 :func:`top_movers`）。"""
    r = rank_paths(vintage, start, end)
    movers = top_movers(vintage, start, end)
    return ([c for c in movers if r.loc[c, end] < r.loc[c, start]],
            [c for c in movers if r.loc[c, end] > r.loc[c, start]])


def mover_regions_zh(up_regions, down_regions) -> str:
    """位次上升者与下降者所属板块的描述（只是描述这几个省份，不是检验）。"""
    up, down = sorted(set(up_regions)), sorted(set(down_regions))
    head = f"上升者来自{'、'.join(up) or '（无）'}，下降者来自{'、'.join(down) or '（无）'}"
    if len(up) > 1 or len(down) > 1:
        return head + "：位次的大幅变化不限于某一个板块，也不只是“西部追上东部”一种形态"
    return head + "：这几个位次变化最大的省份只来自少数板块"


def split_reading_zh(before_years: int, after_years: int) -> str:
    """新时代前后两段 τ 的读法。两段的 τ 之差没有经过检验，所以只说明为什么不能直接比较。"""
    if before_years == after_years:
        return "两段一样长，但两个 τ 之差没有经过检验，不能据此说新时代以来位次流动加快或减慢"
    return ("两段长短不同，时间越长、交换位次的机会越多，而且两个 τ 之差没有经过检验，"
            "不能据此说新时代以来位次流动加快或减慢")


def region_names() -> dict:
    s = data.scheme(RANK_SCHEME, labels=True)
    g = data.scheme(RANK_SCHEME)
    return dict(zip(g, s))


def regional_tau_table(res) -> pd.DataFrame:
    """区域分解的 τ 矩阵（对角线：区域内；其余：区域间），括号内为双侧伪 p 值。"""
    names = region_names()
    labels = [g for g in dict.fromkeys(data.scheme(RANK_SCHEME)) if g in res.matrix.index]
    rows = []
    for a in labels:
        row = {"区域": names[a]}
        for b in labels:
            row[names[b]] = f"{fmt.num(res.matrix.loc[a, b], 3)}（{fmt.num(res.p_two.loc[a, b], 3)}）"
        rows.append(row)
    return pd.DataFrame(rows)


def tau_verdict_zh(t, alpha: float = 0.05) -> str:
    """Kendall τ 的检验结论（零假设：两年的位次无关，τ = 0；双尾 p 值），显著时按 τ 的符号分开说。"""
    disc = fmt.pct(t.discordant / t.pairs, 1)
    if t.p < alpha and t.tau > 0:
        return f"拒绝“两年的位次互不相关”的零假设，位次有显著的持续性；但仍有 {disc} 的省份对交换了先后"
    if t.p < alpha:
        return (f"拒绝“两年的位次互不相关”的零假设，而且两年的位次显著地反向相关：原先靠前的省份后来倾向于靠后，"
                f"{disc} 的省份对交换了先后")
    return f"不能拒绝“两年的位次互不相关”的零假设：这些数据看不出两年位次之间的关联，{disc} 的省份对交换了先后"


def spatial_tau_verdict_zh(s, alpha: float = 0.05) -> str:
    """空间 τ 的置换检验结论。

    可检验的含义两个方向都说了（邻省之间交换更多或更少），所以用双侧伪 p 值 ``p_two`` = min(1, 2·单尾)
    与 ``alpha`` 比较；方向只在显著时由空间 τ 与置换分布均值的高低决定。"""
    if s.p_two >= alpha:
        return "相邻省份之间交换位次的频率与随机配对的省份没有显著差别，位次的交换在空间上看不出集中于邻省之间"
    if s.tau_spatial < s.expected:
        return "相邻省份之间交换位次显著比随机配对更频繁：位次的交换集中发生在邻省之间"
    return "相邻省份之间交换位次显著比随机配对更少：邻省的先后次序比随机配对更稳定"


def regional_verdict_zh(r, alpha: float = 0.05) -> str:
    """板块内与板块间 τ 的对照及其置换检验（双侧伪 p 值 ``intra_p_two``，理由同 :func:`spatial_tau_verdict_zh`）。

    置换只改变省份与板块的对应，不改变总的 τ；板块内合计的 τ 高一些，板块间的就必然低一些，
    所以两者的置换检验是同一个检验，伪 p 值相同。"""
    lower = "板块内" if r.intra < r.inter else "板块间"
    where = "同一板块的省份之间" if lower == "板块内" else "不同板块的省份之间"
    head = f"{lower}的 τ 较低，位次交换相对更多发生在{where}"
    if r.intra_p_two >= alpha:
        return head + "；但这一差别与把省份随机分到各板块时没有显著不同，不能说四大板块的划分决定了谁与谁交换位次"
    return head + "，而且这一差别在置换检验中显著：四大板块的划分与位次交换的格局有关"


def regional_summary_zh(r, alpha: float = 0.05) -> str:
    """区域分解合起来的读法（由板块内与板块间对照的双侧伪 p 值决定）。"""
    if r.intra_p_two >= alpha:
        return "板块内部与板块之间的位次交换没有显著差别，四大板块不是位次交换的主要界线，分析位次流动仍要落到逐个省份"
    return "板块内部与板块之间的位次交换有显著差别，四大板块的划分与谁和谁交换位次有关"


def rank_views(vintage: str, period: str) -> list[dict]:
    start, end = rank_period_years(vintage, period)
    res = rank_mobility(vintage, start, end)
    t, s, r = res["tau"], res["spatial"], res["regional"]
    paths = rank_paths(vintage, start, end)
    names = _names()
    movers = top_movers(vintage, start, end)
    tab = regional_tau_table(r)
    return [
        stats([("Kendall τ", fmt.num(t.tau, 3)), ("τ 的 p 值", p_text(t.p).replace("p 值", "").strip()),
               ("空间 τ（相邻省份对）", fmt.num(s.tau_spatial, 3)), ("置换分布的均值", fmt.num(s.expected, 3)),
               ("空间 τ 的双侧伪 p 值", fmt.num(s.p_two, 3))]),
        # 三句分开：印刷版的静态图逐行排字，不自动换行
        message(f"{VINTAGE_ZH[vintage]}，{start} 年与 {end} 年人均 GDP 的位次。{tau_verdict_zh(t)}。", "info"),
        message(f"空间 τ：{spatial_tau_verdict_zh(s)}。", "info"),
        message(f"相邻权重，{hainan_note(True)}；置换 {PERMUTATIONS} 次，种子 {SEED}。", "info"),
        table("τ 的区域分解（对角线：板块内；其余：板块之间；括号内为双侧伪 p 值）", list(tab.columns),
              tab.to_numpy().tolist(),
              note=f"板块内合计 τ = {fmt.num(r.intra, 3)}（{r.n_intra} 对），板块间合计 τ = {fmt.num(r.inter, 3)}"
                   f"（{r.n_inter} 对），置换检验的双侧伪 p 值 {fmt.num(r.intra_p_two, 3)}；{regional_verdict_zh(r)}。"
                   f"各格分别检验，格子多、省份少，单个格子的显著不宜单独引为结论"),
        chart(f"位次变化最大的 {len(movers)} 个省份的位次路径", list(paths.columns),
              [{"id": c, "label": names[c], "y": [float(v) for v in paths.loc[c]]} for c in movers],
              ylabel="位次（1 = 人均 GDP 最高）", digits=0,
              note="纵轴是位次，数值越小越靠前，线条向上表示位次下降；" + rank_change_text(vintage, start, end, movers)),
    ]


def rank_widget(vintage: str = "current", period: str = "all") -> BookWidget:
    """位次流动：数据版本 × 时期（版本首末年与新时代起点），Kendall τ、空间 τ、区域分解与位次路径。"""
    zh = rank_period_zh()
    controls = [
        Control("vintage", "数据版本", tuple((VINTAGE_ZH[v], v) for v in VINTAGES), vintage),
        Control("period", "时期", tuple((zh[p], p) for p in RANK_PERIODS), period),
    ]
    era = data.stage_start("new_era")
    gaps = [Gap(lambda p: p["period"] != "all" and not (vintage_years(p["vintage"])[0] < era
                                                          < vintage_years(p["vintage"])[-1]),
                "所选数据版本的年份不跨过新时代起点，不能按它分段")]
    return BookWidget("位次流动：Kendall τ 与空间 τ", controls, rank_views, gaps=gaps,
                      description="选择数据版本与时期，比较首末两年人均 GDP 的位次：τ 越接近 1，位次越稳定。")
