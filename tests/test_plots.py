"""中文在图中不出现“豆腐块”：渲染含中文的图，任何缺字警告都算失败。"""
import warnings

import pytest

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from quyu import plots  # noqa: E402
from quyu import page


def test_chinese_figure_renders_without_missing_glyphs(tmp_path):
    plots.setup()
    fig, ax = plt.subplots()
    ax.plot([2012, 2021], [1.69, 1.53], label="东部/中部 人均地区生产总值之比")
    ax.set_title("区域协调发展：东中西部差距（−0.16）")
    ax.set_xlabel("年份")
    ax.legend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "zh.png")
        fig.savefig(tmp_path / "zh.pdf")
    plt.close(fig)
    assert (tmp_path / "zh.png").stat().st_size > 5000


def test_font_is_the_cjk_font_not_a_fallback():
    plots.setup()
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert found.endswith(plots.FONT_FILE)


def test_missing_glyph_is_detected_without_setup(tmp_path):
    """对照组：不用中文字体时，同样的图确实会报缺字（说明上面的测试能失败）。"""
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("区域")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(tmp_path / "tofu.png")
        plt.close(fig)
    assert any("missing from" in str(w.message) for w in caught)


def test_styler_prints_as_markdown_table():
    """PDF 中的 pandas Styler 表格：以 Markdown 表格代替对象的文字描述。"""
    import pandas as pd

    df = pd.DataFrame({"地区": ["东部", "中部"], "份额": [0.52, 0.213]}).set_index("地区")
    md = page.styler_markdown(df.style.format("{:.1%}"))
    assert md.splitlines()[0] == "| 地区 | 份额 |"
    assert "| 中部 | 21.3% |" in md


def test_tile_map_gives_each_category_one_colour():
    import pandas as pd
    from matplotlib.patches import Rectangle

    from quyu import data

    plots.setup()
    groups = data.scheme("region4")
    fig, ax = plt.subplots()
    plots.tile_map(groups, ax=ax, categorical=True)
    faces = {tuple(p.get_facecolor()) for p in ax.patches if isinstance(p, Rectangle)}
    plt.close(fig)
    assert len(faces) == groups.nunique() == 4


def test_close_event_labels_alternate_between_bottom_and_top():
    events = plots.chart_events()
    assert events, "policy_events.csv 中没有要标注的事件（chart_label）"
    by_row = {0: [], 1: []}
    for ev in events:
        by_row[ev["row"]].append(ev["x"])
    for xs in by_row.values():  # 同一行上相邻的两个标签至少相隔 3 年，不会重叠
        assert all(b - a >= 3 for a, b in zip(xs, xs[1:]))


def test_event_labels_sit_on_a_white_backing_above_the_lines():
    """事件标签压在数据线上时仍可读：标签有半透明白底，画在线的上层。"""
    import matplotlib.pyplot as plt

    plots.setup()
    ev = plots.chart_events()
    fig, ax = plt.subplots()
    years = [e["x"] for e in ev]
    ax.plot([min(years) - 1, max(years) + 1], [0, 1], zorder=2)
    plots.mark_events(ax, bands=False)
    labels = [t for t in ax.texts if t.get_text() in {e["label"] for e in ev}]
    plt.close(fig)
    assert len(labels) == len(ev)
    for t in labels:
        patch = t.get_bbox_patch()
        assert patch is not None and patch.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert t.get_zorder() > 2


def test_table_markdown_hides_the_index_of_a_dataframe():
    import pandas as pd

    df = pd.DataFrame({"地区": ["东部"], "份额": ["52.2%"]})
    assert page.table_markdown(df).splitlines()[0] == "| 地区 | 份额 |"
    assert page.table_markdown(df.set_index("地区"), index=True).splitlines()[2] == "| 东部 | 52.2% |"


def test_event_year_and_date_read_the_same_row_and_fail_clearly():
    """page.event_year 与 event_date 取同一个事件（政策事件表中的第一行匹配）；找不到时给出中文信息而非回溯。"""
    from quyu import data
    from quyu.errors import BookError

    ev = data.events()
    row = ev[ev["event_zh"].str.contains("全国主体功能区规划", regex=False)].iloc[0]
    assert page.event_year("全国主体功能区规划") == int(str(row["date"])[:4])
    assert page.event_date("全国主体功能区规划").startswith(f"{page.event_year('全国主体功能区规划')} 年")
    with pytest.raises(BookError, match="没有符合条件的事件"):
        page.event_year("并不存在的事件名称")


def test_unclutter_moves_a_legend_off_the_event_labels_and_a_title_off_the_stage_names():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plots.setup()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    x = list(range(2000, 2025))
    ax.plot(x, x, label="一条线")
    ax.plot(x, x[::-1], label="另一条线")
    ax.legend(loc="upper right")
    events = [{"x": 2022, "label": "很长的一个事件标签", "row": 1}]
    bands = [{"from": 2000, "to": 2024, "label": "一个很长很长的阶段名称放在图的上沿", "color": "#888"}]
    plots.mark_events(ax, events=events, bands=bands)
    ax.set_title("一个同样很长很长的子图标题会压住阶段名")
    renderer = fig.canvas.get_renderer()
    marker = [t for t in ax.texts if getattr(t, "_quyu_marker", False)][0]
    band = [t for t in ax.texts if getattr(t, "_quyu_band", False)][0]
    assert ax.get_legend().get_window_extent(renderer).overlaps(marker.get_window_extent(renderer))
    assert ax.title.get_window_extent(renderer).overlaps(band.get_window_extent(renderer))
    assert sorted(plots.unclutter(fig)) == ["legend", "title"]
    assert not ax.get_legend().get_window_extent(renderer).overlaps(marker.get_window_extent(renderer))
    assert ax.get_legend().get_window_extent(renderer).y1 <= ax.bbox.y0   # below the axes
    assert not ax.title.get_window_extent(renderer).overlaps(band.get_window_extent(renderer))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["一条线", "另一条线"]
    assert plots.unclutter(fig) == []   # nothing left to do
    plt.close(fig)


def test_unclutter_leaves_a_clear_legend_alone():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    x = list(range(2000, 2025))
    ax.plot(x, x, label="一条线")
    ax.legend(loc="lower right")
    plots.mark_events(ax, events=[{"x": 2002, "label": "事件", "row": 1}], bands=False)
    assert plots.unclutter(fig) == []
    assert ax.get_legend()._loc == 4   # still lower right
    plt.close(fig)


def test_unclutter_keeps_side_by_side_legends_apart():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    x = list(range(2000, 2025))
    for ax in axes:
        for k in range(6):
            ax.plot(x, [v + k for v in x], label=f"一个相当长的指标名称（人口加权）{k}")
        plots.mark_events(ax, events=[{"x": 2003, "label": "很长的一个事件标签", "row": 0}], bands=False)
        ax.legend(fontsize=8, loc="lower left")
    assert plots.unclutter(fig) == ["legend", "legend"]
    renderer = fig.canvas.get_renderer()
    a, b = (ax.get_legend().get_window_extent(renderer) for ax in axes)
    assert not a.overlaps(b)
    for ax in axes:
        assert ax.get_legend().get_window_extent(renderer).width <= ax.bbox.width * 1.02
    plt.close(fig)
