"""Population series breaks (data/population_breaks.csv) and suspect values in charts."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from quyu import analysis, data, plots, widgets  # noqa: E402
from quyu.parts.part2 import results  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("build_population_breaks",
                                                  ROOT / "tools" / "build_population_breaks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_breaks_file_is_the_derivation_from_the_panel():
    tool = _tool()
    panel = pd.read_csv(data.data_dir() / "province_panel.csv", dtype={"code": str})
    fresh = tool.derive(panel)
    stored = data.population_breaks().drop(columns="name")
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), fresh.astype(stored.dtypes.to_dict()),
                                  check_exact=False, atol=1e-9)


def test_break_changes_equal_the_vintage_panel():
    # every break of a vintage is visible as the same jump in that vintage's year-end population
    for vintage in data.VINTAGES:
        br = data.population_breaks(vintage)
        if br.empty:
            continue
        p = data.panel(vintage, pop_basis="yearend") if vintage != "compendium" else data.panel(vintage)
        years = set(p["year"])
        for r in br.itertuples():
            if r.year_from not in years or r.year_to not in years:
                continue
            pop = p.set_index(["code", "year"])["pop"]
            assert (pop[(r.code, r.year_to)] / pop[(r.code, r.year_from)] - 1) * 100 == pytest.approx(r.change_pct,
                                                                                                     abs=0.006)


def test_breaks_depart_from_the_usual_change():
    br = data.population_breaks()
    assert not br.empty
    assert (np.abs(np.log1p(br["change_pct"] / 100) - np.log1p(br["typical_pct"] / 100)) * 100 >= 3 - 1e-9).all()
    # the three kinds of break named in vintages' notes all occur
    assert set(br["kind"]) == {"resident_switch_2005", "census6_level_2010", "compendium_census_step"}


def test_vintage_filter_keeps_only_its_releases_and_years():
    for vintage in data.VINTAGES:
        spec = data._read("vintages.csv").query("vintage == @vintage and indicator.str.startswith('pop_yearend')")
        br = data.population_breaks(vintage)
        assert set(br["source_id"]) <= set(spec["source_id"])
        for r in br.itertuples():
            rows = spec[spec["source_id"] == r.source_id]
            assert ((rows["year_from"] <= r.year_from) & (rows["year_to"] >= r.year_to)).any()


def test_chart_marker_draws_each_break_year_once():
    fig, ax = plt.subplots()
    ax.set_xlim(1978, 2012)
    years = plots.mark_population_breaks(ax, "compendium")
    again = plots.mark_population_breaks(ax, "yearbook")
    expected = sorted(set(data.population_breaks("compendium")["year_to"]))
    assert years == expected
    assert not set(again) & set(years)          # 2005 is not drawn twice
    assert set(again) == set(data.population_breaks("yearbook")["year_to"]) - set(years)
    plt.close(fig)


# ---------------------------------------------------------------- suspect values

def _flagged() -> pd.DataFrame:
    c = data.cities("pop_registered_yearend")
    return c[c["note"] == analysis.SUSPECT][["code", "year"]]


def test_suspect_values_are_excluded_by_default_and_listed():
    flagged = _flagged()
    assert not flagged.empty
    df = analysis.city_per_capita("registered")
    got = set(zip(df["code"], df["year"]))
    assert not got & set(zip(flagged["code"], flagged["year"]))
    kept = analysis.city_per_capita("registered", suspect="keep")
    assert set(zip(df["code"], df["year"])) < set(zip(kept["code"], kept["year"]))
    assert len(df.attrs["excluded"]) == len(kept) - len(df)
    assert "可疑" in df.attrs["note_zh"]


def test_no_flagged_value_reaches_a_chart_unmarked():
    flagged = _flagged()
    w = results.compare(kind="city", a="440300", b="441400", year=2012)
    offered = {v for c in w.controls if c.name == "a" for _, v in c.options}
    for code, year in zip(flagged["code"], flagged["year"]):
        if code not in offered:   # no usable value left: the city is not offered at all
            continue
        views = w.views(a=code, b="440300" if code != "440300" else "441400")
        for chart in (v for v in views if v["type"] == "chart"):
            x = list(chart["x"])
            for s in chart["series"]:
                if s["id"] == code and year in x:
                    assert s["y"][x.index(year)] is None, (code, year)
            assert "可疑" in chart["note"]


def test_bad_suspect_choice_is_explained_in_chinese():
    with pytest.raises(data.DataError, match="未知的可疑值处理方式"):
        analysis.city_per_capita("registered", suspect="drop")
