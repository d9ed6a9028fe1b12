"""数据读取与度量计算的耗时；组件在内核中的重算延迟（p50/p95）；各组件嵌入网页的数据量。"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quyu import data, gap_widgets, measures, widgets  # noqa: E402
from quyu.parts.part1 import theory as part1_theory  # noqa: E402
from quyu.parts.part2 import results  # noqa: E402
from quyu.parts.part2 import theory as part2_theory  # noqa: E402
from quyu.parts.part3 import finance_and_people, innovation_and_assistance, people_and_governance  # noqa: E402
from quyu.parts.part4 import convergence, outlook, world  # noqa: E402
from quyu.parts.part4 import dynamics as dyn  # noqa: E402


#: 每个组件嵌入网页的数据量上限（字节，UTF-8 编码的紧凑 JSON）。
PAYLOAD_BUDGET = 300_000


@contextlib.contextmanager
def cold_caches():
    """从空的缓存算起：``data.cached`` 按数据目录作键，所以把 data/ 复制到一个新目录并让 QUYU_DATA 指向它
    （读取也从头来过）。"""
    old = os.environ.get("QUYU_DATA")
    with tempfile.TemporaryDirectory(prefix="quyu-bench-") as tmp:
        shutil.copytree(data.data_dir(), Path(tmp) / "data")
        os.environ["QUYU_DATA"] = str(Path(tmp) / "data")
        try:
            yield
        finally:
            if old is None:
                os.environ.pop("QUYU_DATA", None)
            else:
                os.environ["QUYU_DATA"] = old


def timed(fn, repeat=1):
    t = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - t) / repeat


def all_measures_all_years():
    """每个数据版本、每个度量、加权与否、每个区域方案（泰尔）——全部年份。"""
    for v in data.VINTAGES:
        p = data.panel(v)
        for name, info in measures.MEASURES.items():
            for weighted in ([False, True] if info.supports_weights else [False]):
                groups = list(data.schemes()["scheme"]) if info.decomposable else [None]
                for g in groups:
                    cols = ["code", "year", "gdp_pc", "pop_mean"] + ([g] if g else [])
                    measures.disparity_by_year(p[cols], name, weight="pop_mean" if weighted else None,
                                               group=g, unit="code", dropna=True)


def world_measures_all_years():
    """大国比较：每组地区 × 指标 × 价格口径 × 加权与否的全部度量、全部年份（含读取与泰尔分解；在
    :func:`cold_caches` 中调用）。"""
    for c in ("CN", "US", "EU", "IN"):
        for variable in ("output", "income"):
            for price in ("nominal", "adjusted"):
                for weighted in (True, False):
                    try:
                        world.table_path(c, variable, price, weighted)
                    except world.WorldError:
                        pass
    year = max(set(world.years("CN")) & set(world.years("US")) & set(world.years("EU")))
    world.maup_table(year)
    world.within_country_table(year)
    world.flag_table()
def dynamics_all_years():
    """分布动态与空间结构：每个版本的全部年份。返回 {项目: 秒}，置换检验单列。"""
    import numpy as np

    out = {}
    wides = {v: dyn._complete_gdp_pc(v) for v in dyn.VINTAGES}
    nb = {h: data.neighbours(h) for h in (True, False)}

    def markov_all():
        for v, w in wides.items():
            rel = measures.relative_levels(w)
            for k in (3, 4, 5):
                ids, _ = measures.classify(rel, k)
                measures.markov(ids, k)

    def spatial_markov_all():
        for v, w in wides.items():
            for h in (True, False):
                measures.spatial_markov(dyn.spatial_units(measures.relative_levels(w), h), nb[h], 3)

    def moran_stat_all():  # 只算统计量，不做置换检验
        for v, w in wides.items():
            for h in (True, False):
                ww = dyn.spatial_units(w, h)
                for y in ww.columns:
                    measures.moran(np.log(ww[y]), nb[h], permutations=0)

    def lisa_all(perms):
        for v, w in wides.items():
            for y in w.columns:
                measures.lisa(np.log(w[y]), nb[True], permutations=perms)

    def moran_perm_all(perms):
        for v, w in wides.items():
            for y in w.columns:
                measures.moran(np.log(w[y]), nb[True], permutations=perms)

    def clubs_all():
        for v in dyn.VINTAGES:
            ys = dyn.vintage_years(v)
            dyn.club_result.__wrapped__(v, ys[0], ys[-1])  # 不经缓存（滤波在首次调用时计算）

    def club_merge_all():  # 只测合并：滤波与聚类的结果已在缓存中
        for v in dyn.VINTAGES:
            ys = dyn.vintage_years(v)
            measures.merge_clubs(dyn.club_panel(v, ys[0], ys[-1]), dyn.club_result(v, ys[0], ys[-1]))

    markov_all(); spatial_markov_all(); moran_stat_all()  # 预热：导入 giddy、esda 与 numba
    years = sum(w.shape[1] for w in wides.values())
    out[f"马尔可夫链（4 个版本 × 3 种类数，共 {years} 个年份）"] = timed(markov_all)
    out["空间马尔可夫链（4 个版本 × 含/不含海南）"] = timed(spatial_markov_all)
    out["全局 Moran's I 统计量（全部年份 × 含/不含海南，不含置换检验）"] = timed(moran_stat_all)
    out["Phillips–Sul 检验与聚类（4 个版本，含 HP 滤波）"] = timed(clubs_all)
    out["Phillips–Sul 俱乐部合并（4 个版本，Phillips & Sul 2009 的规则）"] = timed(club_merge_all)
    for perms in (999, 9999):
        out[f"置换检验：全局 Moran's I，全部 {years} 个年份 × {perms} 次"] = timed(lambda: moran_perm_all(perms))
        out[f"置换检验：LISA，全部 {years} 个年份 × {perms} 次"] = timed(lambda: lisa_all(perms))
    return out
def people_measures_all():
    """“预算与人民”一章的全部计算：收支与省外资金、逐年和混合回归（statsmodels）、自有收入弹性、
    增速方差分解、受援省检验、每个序列 × 每个度量 × 加权的差距路径（在 :func:`cold_caches` 中调用）。"""
    finance_and_people.fiscal_panel()
    for y in finance_and_people.fiscal_years():
        finance_and_people.region_fiscal(y)
    for w in (False, True):
        finance_and_people.gap_slope(None, w)
        finance_and_people.gap_slopes(w)
        finance_and_people.own_revenue_elasticity(w)
        finance_and_people.assistance_test(w)
    finance_and_people.growth_variance_shares()
    for s in finance_and_people.SERIES:
        for name, info in measures.MEASURES.items():
            for w in ([False, True] if info.supports_weights and s not in finance_and_people.NO_WEIGHTS else [False]):
                finance_and_people.dispersion(s, name, w)
    finance_and_people.pair_profile()


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main():
    t_load = timed(lambda: [data.panel(v) for v in data.VINTAGES])
    t_all = timed(all_measures_all_years)
    print(f"读取全部数据版本的面板：{t_load * 1e3:.0f} ms")
    print(f"全部度量 × 全部年份 × 加权/不加权 × 全部区域方案 × 全部版本：{t_all * 1e3:.0f} ms")
    with cold_caches():
        t_world = timed(world_measures_all_years)
    print(f"大国比较（中美欧印）：全部度量 × 全部年份 × 指标 × 价格口径 × 加权/不加权，及重新分组与标记表：{t_world * 1e3:.0f} ms")
    t_d = timed(lambda: [part2_theory.dissimilarity_series.__wrapped__(v) for v in part2_theory.SERIES_VINTAGES])
    print(f"产出—人口不重合度 D，四个版本全部年份：{t_d * 1e3:.0f} ms")
    print()
    print("分布动态与空间结构（第四部分 quyu.parts.part4.dynamics）：")
    for name, t in dynamics_all_years().items():
        print(f"- {name}：{t * 1e3:.0f} ms")
    with cold_caches():
        t_people = timed(people_measures_all)
    print(f"预算与人民：收支、回归与置信区间、弹性、方差分解、6 个序列 × 全部度量的差距路径：{t_people * 1e3:.0f} ms")
    print()
    print("| 组件 | 参数组合 | 内核重算 p50 (ms) | p95 (ms) | 内核出图 PNG (ms) | 网页数据 (kB) | 构建时预计算 (s) |")
    print("|---|---|---|---|---|---|---|")
    builders = [
        ("results.compare", results.compare),
        ("results.compare(city)", lambda: results.compare(kind="city", a="440300", b="441400")),
        ("gap_widgets.disparity", gap_widgets.disparity), ("gap_widgets.regional", gap_widgets.regional),
        ("people_and_governance.income", people_and_governance.income_widget),
        ("people_and_governance.theil", people_and_governance.theil_widget),
        ("innovation_and_assistance.innovation", innovation_and_assistance.innovation_widget),
        ("innovation_and_assistance.pairing", innovation_and_assistance.pairing_widget),
        ("convergence.estimator", convergence.estimator_widget), ("outlook.scenario", outlook.scenario_widget),
        ("world.world", world.world_widget),
        ("part1_theory.williamson", part1_theory.williamson_widget),
        ("part2_theory.follow", part2_theory.follow_widget),
        ("dyn.markov", dyn.markov_widget), ("dyn.spatial", dyn.spatial_widget),
        ("dyn.spatial_markov", dyn.spatial_markov_widget),
        ("finance_and_people.disparity", finance_and_people.disparity_widget),
        ("finance_and_people.fiscal", finance_and_people.fiscal_widget),
    ]
    over = []
    for name, build in builders:
        w = build()
        t0 = time.perf_counter()
        payload = json.dumps(w.payload(), ensure_ascii=False, separators=(",", ":")).encode()
        t_pre = time.perf_counter() - t0
        w._cache.clear()
        rng = random.Random(1)
        samples = []
        for _ in range(100):
            values = {c.name: rng.choice(c.options)[1] for c in w.controls}
            w._cache.clear()
            t = time.perf_counter()
            w.views(**values)
            samples.append((time.perf_counter() - t) * 1e3)
        p50, p95 = percentiles(samples)
        charts = [v for v in w.views() if v["type"] == "chart"]
        t = time.perf_counter()
        for v in charts:
            widgets.figure_html(v)
        t_fig = (time.perf_counter() - t) * 1e3
        combos = len(list(itertools.product(*[c.options for c in w.params])))
        print(f"| {name} | {combos} | {p50:.1f} | {p95:.1f} | {t_fig:.0f} | {len(payload) / 1e3:.0f} | {t_pre:.2f} |")
        if len(payload) >= PAYLOAD_BUDGET:
            over.append(name)
    print("\n内核重算 = 清空组件缓存后调用 views()（analysis 层的缓存保留，等同于读者在内核中来回切换）。")
    print(f"网页数据预算：每个组件 < {PAYLOAD_BUDGET / 1e3:.0f} kB（" + ("超出：" + "、".join(over) if over else "全部在预算之内") + "）。")


if __name__ == "__main__":
    main()
