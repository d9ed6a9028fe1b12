"""时间机器：数据多一年或少一年时，全书的“最新年份”跟着移动，没有任何地方停在写死的年份上。

Time machine (issue #22): on a temporary copy of data/ (``QUYU_DATA``), every annual provincial series that
reaches the latest year gets a simulated next year through tools/add_year.py (GDP × 1.05, population and
indices × 1.0, other money series × 1.05; the simulated values never leave the temporary directory), or loses
its latest year. Then every public function of ``quyu.parts`` whose parameters all have defaults is called
(widgets: every combination of their choices, with undeclared errors counted as failures) and three chapters
are executed with myst-nb's reader and nbclient. Every glued value that names the real latest year must name
the new latest year, and nothing may raise.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT / "tools"))

import add_year  # noqa: E402  (tools/ is not a package)

from quyu import data  # noqa: E402

#: 执行的五章（收敛、区域发展的成效、预算与人民、战略地位的提升、面向 2035 年的区域协调）
CHAPTERS = ("book/part4/convergence.md", "book/part2/results.md", "book/part3/finance_and_people.md",
            "book/part2/status_framework.md", "book/part4/outlook.md")
#: 已知的“最新年份”粘贴值：名称 → 正常数据下的写法中最新年份出现的位置（由测试核对）
KNOWN_LATEST = ("p4_last_year", "fp_last_year", "p4_period_b", "p2_events_span", "p4o_t0", "p4o_ur_span")
#: 碰巧写着最新年份、却不应移动的粘贴值：习题题面给定的年份（写在 outlook.EX_P4_6 一处）
FIXED = {("book/part4/outlook.md", "p4o_ex6_year")}
#: 由“终点年份 − 最新年份”得出的年数：数据多一年就少一年
YEARS_TO_HORIZON = (("book/part4/outlook.md", "p4o_hand_years"), ("book/part4/outlook.md", "p4o_ex7_n"))
#: 不随数据年份移动的粘贴值：终点年份（历史事实表）与新时代起点（战略阶段表）
UNMOVED = (("book/part4/outlook.md", "p4o_h1"), ("book/part4/outlook.md", "p4o_h2"),
           ("book/part4/outlook.md", "p4o_era_year"), ("book/part2/status_framework.md", "p2_era_window"))
#: 模拟值的倍数：人口、指数与城镇化率不变，其余（GDP 与各种金额）× 1.05
FACTORS = {"pop": 1.0, "gdp_index": 1.0, "urbanization": 1.0}
MONEY_FACTOR = 1.05

LATEST = data.latest_year("current")


def _factor(indicator: str) -> float:
    return next((f for prefix, f in FACTORS.items() if indicator.startswith(prefix)), MONEY_FACTOR)


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        r = csv.DictReader(fh)
        return list(r.fieldnames or []), list(r)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def annual_series(folder: Path, table: str) -> list[tuple[str, str]]:
    """(indicator, source_id) of the provincial series in ``table`` that have both the latest year and the one before."""
    _, rows = _rows(folder / table)
    years: dict[tuple[str, str], set[int]] = {}
    for r in rows:
        if r["code"] != data.NATIONAL:
            years.setdefault((r["indicator"], r["source_id"]), set()).add(int(r["year"]))
    return sorted(k for k, ys in years.items() if {LATEST, LATEST - 1} <= ys)


def _vintage_of(folder: Path, source_id: str) -> str | None:
    _, vint = _rows(folder / "vintages.csv")
    return next((r["vintage"] for r in vint if r["source_id"] == source_id and int(r["year_to"]) == LATEST), None)


def add_next_year(folder: Path, work: Path) -> list[tuple[str, str]]:
    """Add LATEST + 1 to every annual series of province_panel.csv (tools/add_year.py, vintages extended) and of
    province_people.csv (same rows appended, then the package refreshed and validated by add_year's function)."""
    added = []
    _, panel = _rows(folder / "province_panel.csv")
    for indicator, source_id in annual_series(folder, "province_panel.csv"):
        new = work / f"{indicator}__{source_id}.csv"
        last = [r for r in panel if (r["indicator"], r["source_id"], int(r["year"])) == (indicator, source_id, LATEST)
                and r["code"] != data.NATIONAL]
        _write(new, ["code", "value"], [{"code": r["code"], "value": repr(float(r["value"]) * _factor(indicator))}
                                        for r in last])
        argv = ["--source-id", source_id, "--indicator", indicator, "--year", str(LATEST + 1), "--csv", str(new),
                "--data-dir", str(folder)]
        vintage = _vintage_of(folder, source_id)
        if vintage:
            argv += ["--vintage", vintage]
        assert add_year.main(argv) == 0, (indicator, source_id)
        added.append((indicator, source_id))
    header, people = _rows(folder / "province_people.csv")
    series = annual_series(folder, "province_people.csv")
    extra = [{**r, "year": str(LATEST + 1), "value": repr(float(r["value"]) * _factor(r["indicator"]))}
             for r in people if (r["indicator"], r["source_id"]) in series and int(r["year"]) == LATEST]
    _write(folder / "province_people.csv", header, people + extra)
    assert add_year.refresh_package(folder) == []
    return added + series


def drop_latest_year(folder: Path) -> list[tuple[str, str]]:
    """Remove the latest year of every annual series (both tables) and shorten the vintages that ended there."""
    dropped = []
    for table in ("province_panel.csv", "province_people.csv"):
        series = set(annual_series(folder, table))
        header, rows = _rows(folder / table)
        _write(folder / table, header, [r for r in rows if not ((r["indicator"], r["source_id"]) in series
                                                                and int(r["year"]) == LATEST)])
        dropped += sorted(series)
    header, vint = _rows(folder / "vintages.csv")
    for r in vint:
        if int(r["year_to"]) == LATEST:
            r["year_to"] = str(LATEST - 1)
    _write(folder / "vintages.csv", header, vint)
    assert add_year.refresh_package(folder) == []
    return dropped


# ---------------------------------------------------------------- runs in a separate process per data directory

PARTS_SCRIPT = r"""
import importlib, inspect, json, pkgutil, sys, traceback
import quyu.parts
from quyu import data, widgets

out = {"latest": data.latest_year("current"), "called": [], "failed": {}, "combos": 0}
from quyu.parts.part4 import dynamics, outlook
from quyu.parts.part1 import theory
# 取自数据的年份：马尔可夫组件的起止年、情景推演的终点、汇编口径之后另有来源的第一年
out["probes"] = {"markov_starts": list(dynamics.MARKOV_STARTS), "markov_ends": list(dynamics.MARKOV_ENDS),
                 "horizons": list(outlook.horizons()), "post_compendium": theory.POST_COMPENDIUM_ONLY,
                 "start_year": outlook.starting_ratios("current")["year"]}
for info in pkgutil.walk_packages(quyu.parts.__path__, "quyu.parts."):
    mod = importlib.import_module(info.name)
    for name, fn in vars(mod).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != mod.__name__:
            continue
        params = inspect.signature(fn).parameters.values()
        if any(p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params):
            continue
        where = f"{info.name}.{name}"
        try:
            result = fn()
            if isinstance(result, widgets.BookWidget):
                out["combos"] += len(result.combinations())
                bad = result.undeclared_errors()
                if bad:
                    raise RuntimeError(f"undeclared widget errors: {dict(list(bad.items())[:3])}")
            out["called"].append(where)
        except Exception:
            out["failed"][where] = traceback.format_exc(limit=3)
print(json.dumps(out, ensure_ascii=False))
"""


def run_parts(folder: Path) -> dict:
    env = {**os.environ, "QUYU_DATA": str(folder), "MPLBACKEND": "Agg"}  # a fresh process: nothing cached
    done = subprocess.run([sys.executable, "-c", PARTS_SCRIPT], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_chapter(path: Path, folder: Path) -> dict[str, str]:
    """Execute one MyST chapter with ``QUYU_DATA=folder``; return its glued values (name → text)."""
    import nbclient
    from myst_nb.core.read import myst_nb_reader_plugin

    nb = myst_nb_reader_plugin(str(path))
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute(env={**os.environ, "QUYU_DATA": str(folder), "MPLBACKEND": "Agg"})
    glued = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = ((o.get("metadata") or {}).get("scrapbook") or {}).get("name")
            if name:
                # myst-nb 的 glue（display=False）把类型写成 application/papermill.record/<mime>
                by_type = {k.rsplit("/", 2)[-2] + "/" + k.rsplit("/", 1)[-1]: v for k, v in o.get("data", {}).items()}
                glued[name] = by_type.get("text/markdown") or by_type.get("text/plain")
    return glued


def run_all(folder: Path) -> dict:
    return {"parts": run_parts(folder), "glue": {c: run_chapter(ROOT / c, folder) for c in CHAPTERS}}


def launch(folder: Path) -> subprocess.Popen:
    """Run the parts and the chapters on ``folder`` in a separate process (the three data directories in parallel)."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.Popen([sys.executable, __file__, str(folder)], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def collect(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=1200)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    folders, changed = {"normal": DATA}, {}
    for name, change in (("next", add_next_year), ("previous", drop_latest_year)):
        folder = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(DATA, folder)
        changed[name] = change(folder, folder.parent) if change is add_next_year else change(folder)
        assert changed[name], "no annual series found"
        folders[name] = folder
    procs = {name: launch(folder) for name, folder in folders.items()}
    return {name: collect(p) for name, p in procs.items()} | {"changed": changed}


@pytest.fixture(scope="module")
def normal(runs) -> dict:
    return runs["normal"]


# ---------------------------------------------------------------- assertions

YEAR = re.compile(r"^(\d{4})( 年)?$")
SPAN = re.compile(r"^(\d{4})—(\d{4})( 年)?$")


def latest_keys(glue: dict[str, dict[str, str]]) -> dict[tuple[str, str], str]:
    """Glued values of the normal run that name the latest year, alone or as the end of a period."""
    out = {}
    for chapter, values in glue.items():
        for name, text in values.items():
            text = (text or "").strip().strip("'")
            m, s = YEAR.match(text), SPAN.match(text)
            if (m and int(m.group(1)) == LATEST) or (s and int(s.group(2)) == LATEST):
                out[(chapter, name)] = text
    return out


def moved(text: str, shift: int) -> str:
    return re.sub(rf"\b{LATEST}\b", str(LATEST + shift), text)


def check_machine(normal: dict, machine: dict, shift: int):
    assert machine["parts"]["failed"] == {}, "\n\n".join(machine["parts"]["failed"].values())
    assert machine["parts"]["latest"] == LATEST + shift
    assert sorted(machine["parts"]["called"]) == sorted(normal["parts"]["called"])
    keys = latest_keys(normal["glue"])
    names = {n for _, n in keys}
    assert set(KNOWN_LATEST) <= names, f"known latest-year glue keys not found: {set(KNOWN_LATEST) - names}"
    stuck = {f"{c}:{n}": (text, machine["glue"][c].get(n)) for (c, n), text in keys.items()
             if (c, n) not in FIXED and (machine["glue"][c].get(n) or "").strip().strip("'") != moved(text, shift)}
    assert stuck == {}, f"glued values that did not move with the data (normal, time machine): {stuck}"
    glue = lambda run, c, n: (run["glue"][c].get(n) or "").strip().strip("'")  # noqa: E731
    for c, n in FIXED | set(UNMOVED):
        assert glue(machine, c, n) == glue(normal, c, n) != "", (c, n)
    for c, n in YEARS_TO_HORIZON:
        assert int(glue(machine, c, n)) == int(glue(normal, c, n)) - shift, (c, n)
    p0, p1 = normal["parts"]["probes"], machine["parts"]["probes"]
    assert p1["markov_ends"][-1] == p0["markov_ends"][-1] + shift == LATEST + shift
    assert p1["markov_ends"][:-1] == p0["markov_ends"][:-1] and p1["markov_starts"] == p0["markov_starts"]
    assert p1["horizons"] == p0["horizons"] and p1["post_compendium"] == p0["post_compendium"]
    assert p1["start_year"] == p0["start_year"] + shift


def test_the_normal_run_calls_every_part_and_finds_the_latest_year(normal):
    assert normal["parts"]["failed"] == {}, "\n\n".join(normal["parts"]["failed"].values())
    assert len(normal["parts"]["called"]) > 20 and normal["parts"]["combos"] > 100
    assert normal["glue"]["book/part4/convergence.md"]["p4_last_year"].strip("'") == f"{LATEST} 年"
    # 取自数据的年份与原来写在代码里的相同（stages.csv、vintages.csv、history_facts.csv）
    probes = normal["parts"]["probes"]
    assert probes["markov_starts"] == [1978, 1993, 2000, 2006, 2012] and probes["post_compendium"] == 1993
    assert probes["markov_ends"] == [2008, 2012, 2017, 2022, LATEST] and probes["horizons"] == [2035, 2050]


def test_a_simulated_next_year_moves_every_latest_year(normal, runs):
    machine, added = runs["next"], [tuple(x) for x in runs["changed"]["next"]]
    assert ("gdp", data.vintage_info("current")["sources"][0]["source_id"]) in added
    check_machine(normal, machine, +1)


def test_dropping_the_latest_year_moves_every_latest_year_back(normal, runs):
    machine, dropped = runs["previous"], runs["changed"]["previous"]
    assert any(i.startswith("fiscal") for i, _ in dropped)
    check_machine(normal, machine, -1)


if __name__ == "__main__":  # one data directory: python tests/test_time_machine.py DATA_DIR → JSON on stdout
    print(json.dumps(run_all(Path(sys.argv[1])), ensure_ascii=False))
