/* quyu-widgets.js —— 网页版交互组件（无需 Python 内核、无需网络）。
 *
 * 每个组件的数据由 Python（quyu.widgets.BookWidget.payload）在构建时算好，嵌在页面的
 * <script type="application/json" class="quyu-widget-data"> 中。本脚本只做三件事：
 *   1. 按控件取值查表（参数组合 → 视图）；
 *   2. 只影响显示的控件：截取年份范围、读出某年数值、挑出两个地区并相除、两个年份相减；
 *   3. 画图（SVG）和表格。
 * 这里不实现任何差距度量的公式；显示逻辑与 quyu/widgets.py 中的 apply_display 一一对应。
 */
(function () {
  "use strict";

  var MISSING = "—（数据缺失）";
  var SVGNS = "http://www.w3.org/2000/svg";

  function num(x, digits, signed) {
    if (x === null || x === undefined || isNaN(x)) return MISSING;
    if (!isFinite(x)) return x > 0 ? "∞" : "−∞";
    var p = Math.pow(10, digits || 0);
    var r = Math.round(Math.abs(x) * p + 1e-9) / p;
    var s = r.toFixed(digits || 0);
    var parts = s.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    s = parts.join(".");
    if (r === 0) return signed ? "0" + (digits ? "." + "0".repeat(digits) : "") : s;
    if (x < 0) return "−" + s;
    return signed ? "+" + s : s;
  }

  function fmtValue(v, digits, unit) {
    if (!unit) return num(v, digits);
    return num(v, digits) + (unit === "%" ? unit : " " + unit);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function key(values) {
    return values.map(function (v) { return JSON.stringify(v); }).join("|");
  }

  function span(x) {
    if (!x.length) return "无";
    var lo = Math.min.apply(null, x), hi = Math.max.apply(null, x);
    return x.length === hi - lo + 1 ? lo + "—" + hi + " 年" : x.join("、") + " 年";
  }

  function message(text, level) { return { type: "message", level: level || "error", text: text }; }

  /* ---------- 显示逻辑：对应 quyu/widgets.py 的 apply_display ---------- */

  /* 还原共享列表：payload 中图的横轴与各条线的数值可能是 "@n" 引用（见 widgets._share_lists）。 */
  function resolve(view, shared) {
    if (view.type !== "chart") return view;
    var out = {};
    Object.keys(view).forEach(function (k) { out[k] = view[k]; });
    if (typeof view.x === "string") out.x = shared[view.x];
    out.series = view.series.map(function (s) {
      if (typeof s.y !== "string") return s;
      var c = {};
      Object.keys(s).forEach(function (k) { c[k] = s[k]; });
      c.y = shared[s.y];
      return c;
    });
    return out;
  }

  function applyDisplay(views, byRole, M) {
    var out = [];
    views.forEach(function (v) {
      if (v.type !== "chart") { out.push(v); return; }
      displayChart(v, byRole, M).forEach(function (x) { out.push(x); });
    });
    return out;
  }

  function first(byRole, role) { return byRole[role] ? byRole[role][0] : null; }

  function displayChart(view, byRole, M) {
    var x = view.x, lo = first(byRole, "xmin"), hi = first(byRole, "xmax");
    if (lo !== null && hi !== null && lo > hi) return [message(fill(M.range, { a: lo, b: hi }))];
    var keep = [];
    x.forEach(function (v, i) { if ((lo === null || v >= lo) && (hi === null || v <= hi)) keep.push(i); });
    if (!keep.length) return [message(M.empty)];
    var v2 = Object.assign({}, view);
    v2.x = keep.map(function (i) { return x[i]; });
    v2.series = view.series.map(function (s) {
      return Object.assign({}, s, { y: keep.map(function (i) { return s.y[i]; }) });
    });
    if (view.pickable) {
      var a = first(byRole, "pick_a"), b = first(byRole, "pick_b");
      if (!a || !b) return [message(M.no_unit)];
      var labels = {};
      v2.series.forEach(function (s) { labels[s.id] = s.label; });
      if (a === b) return [message(fill(M.same_unit, { a: labels[a] || a }))];
      var sa = v2.series.filter(function (s) { return s.id === a; });
      var sb = v2.series.filter(function (s) { return s.id === b; });
      v2.series = sa.concat(sb);
    }
    var marks = (byRole.xmark || []).filter(function (m) { return m !== null; });
    var out = marks.length ? readout(v2, marks, M) : [];
    v2.marks = marks;
    out.push(v2);
    return out;
  }

  function readout(view, marks, M) {
    var x = view.x, i, k;
    for (k = 0; k < marks.length; k++) {
      if (x.indexOf(marks[k]) < 0) return [message(fill(M.year_out, { year: marks[k], span: span(x) }))];
    }
    var d = view.digits, u = view.unit, series = view.series;
    if (view.pickable) {
      var year = marks[0];
      i = x.indexOf(year);
      var a = series[0], b = series[1];
      for (k = 0; k < 2; k++) {
        var s = [a, b][k];
        if (s.y[i] === null) return [message(fill(M.missing, { unit: s.label, year: year }))];
      }
      return [{ type: "stats", items: [
        [a.label + "（" + year + " 年）", fmtValue(a.y[i], d, u)],
        [b.label + "（" + year + " 年）", fmtValue(b.y[i], d, u)],
        [fill(M.ratio, { a: a.label, b: b.label }), num(a.y[i] / b.y[i], view.ratio_digits)]
      ], note: "" }];
    }
    if (marks.length === 1) {
      i = x.indexOf(marks[0]);
      return [{ type: "stats", items: series.map(function (s) {
        return [s.label + "（" + marks[0] + " 年）", fmtValue(s.y[i], d, u)];
      }), note: "" }];
    }
    var columns = [""].concat(marks.map(function (m) { return m + " 年"; }))
      .concat([u === "%" ? "变化（百分点）" : "变化"]);
    var rows = series.map(function (s) {
      var vals = marks.map(function (m) { return s.y[x.indexOf(m)]; });
      var f = vals[0], l = vals[vals.length - 1];
      var change = (f === null || l === null) ? null : l - f;
      return [s.label].concat(vals.map(function (v) { return fmtValue(v, d, u); })).concat([num(change, d, true)]);
    });
    return [{ type: "table", title: "", columns: columns, rows: rows, note: "" }];
  }

  /* ---------- 渲染 ---------- */

  function niceTicks(lo, hi, n) {
    if (lo === hi) { lo -= 1; hi += 1; }
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
    var ticks = [], t = Math.ceil(lo / step) * step;
    for (; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
    return { ticks: ticks, step: step };
  }

  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"];
  /* 近黑的线色（#000、#222 等）在深色主题中看不见：改用主题的正文颜色（浅色主题中仍是近黑）。 */
  var INK = "var(--pst-color-text-base, #222)";
  function inkSafe(color) {
    var m = /^#([0-9a-f]{6})$/i.exec(color || "");
    if (!m) return color;
    var n = parseInt(m[1], 16), r = n >> 16, g = (n >> 8) & 255, b = n & 255;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) < 60 ? INK : color;
  }
  function seriesColor(s, k) { return inkSafe(s.color || PALETTE[k % PALETTE.length]); }

  /* 图宽取组件输出区的实际宽度（在 260—760 之间；看不到时为 720）：SVG 的一个单位就是一个 CSS 像素，
   * 样式表中的字号（刻度与坐标轴标签不小于 12 px）就是屏幕上的字号。 */
  function chartWidth(box) {
    var w = box && box.clientWidth ? Math.floor(box.clientWidth) : 720;
    return Math.max(260, Math.min(760, w));
  }

  /* 读数标签写在哪一行：上沿（1）、下沿（0），附近三年内那一行已有事件标签时换一行，都有时写在中间（−1）。
   * 与 quyu/widgets.py 的 _mark_row 一致。 */
  function markRow(m, events, x0, x1) {
    var busy = function (row) {
      return events.some(function (ev) { return ev.x >= x0 && ev.x <= x1 && (ev.row || 0) === row && Math.abs(ev.x - m) <= 3; });
    };
    return !busy(1) ? 1 : !busy(0) ? 0 : -1;
  }

  function renderChart(view, shared, width) {
    var W = width || 720, H = 380, L = 64, R = 16, T = 34, B = 44;
    var x = view.x, ys = [];
    view.series.forEach(function (s) { s.y.forEach(function (v) { if (v !== null) ys.push(v); }); });
    var wrap = el("figure", { class: "quyu-chart" });
    if (!ys.length) { wrap.appendChild(el("div", { class: "quyu-msg quyu-msg-error", role: "status" }, "所选范围内没有数据。")); return wrap; }
    var ymin = Math.min.apply(null, ys), ymax = Math.max.apply(null, ys);
    var pad = (ymax - ymin) * 0.08 || Math.abs(ymax) * 0.1 || 1;
    var yt = niceTicks(ymin - pad, ymax + pad, 5);
    var y0 = Math.min(yt.ticks[0], ymin), y1 = Math.max(yt.ticks[yt.ticks.length - 1], ymax);
    var ydigits = yt.step < 1 ? Math.min(3, Math.ceil(-Math.log10(yt.step))) : 0;
    /* 左边距按最长的纵轴刻度留出（13 px 的数字约 8 px 宽），纵轴标签不与刻度重叠。 */
    var longest = Math.max.apply(null, yt.ticks.map(function (t) { return num(t, ydigits).length; }));
    L = Math.max(L, 34 + 8 * longest);
    var pw = W - L - R, ph = H - T - B;
    var x0 = Math.min.apply(null, x), x1 = Math.max.apply(null, x);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    function sx(v) { return L + (v - x0) / (x1 - x0) * pw; }
    function sy(v) { return T + (1 - (v - y0) / (y1 - y0)) * ph; }
    var sumId = "quyu-sum-" + (++counter);
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": view.title || "图",
                            "aria-describedby": sumId });
    if (view.title) root.appendChild(svg("text", { x: L, y: 16, class: "quyu-svg-title" }, view.title));
    var bands = typeof view.bands === "string" ? shared[view.bands] : (view.bands || []);
    bands.forEach(function (b) {
      var a = Math.max(b.from, x0), e = Math.min(b.to === null || b.to === undefined ? x1 : b.to, x1);
      if (a < e) {
        root.appendChild(svg("rect", { x: sx(a), y: T, width: sx(e) - sx(a), height: ph, fill: b.color || "#888", opacity: 0.08 }));
        root.appendChild(svg("text", { x: (sx(a) + sx(e)) / 2, y: T - 4, class: "quyu-svg-band" }, b.label));
      }
    });
    yt.ticks.forEach(function (t) {
      if (t < y0 || t > y1) return;
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: sy(t), y2: sy(t), class: "quyu-svg-grid" }));
      root.appendChild(svg("text", { x: L - 6, y: sy(t) + 4, class: "quyu-svg-ytick" }, num(t, ydigits)));
    });
    var xt = niceTicks(x0, x1, Math.max(3, Math.min(8, Math.floor(pw / 70))));
    xt.ticks.forEach(function (t) {
      if (t < x0 || t > x1 || Math.round(t) !== t) return;
      root.appendChild(svg("text", { x: sx(t), y: H - B + 16, class: "quyu-svg-xtick" }, String(t)));
    });
    root.appendChild(svg("line", { x1: L, x2: W - R, y1: T + ph, y2: T + ph, class: "quyu-svg-axis" }));
    if (view.xlabel) {
      root.appendChild(svg("text", { x: L + pw / 2, y: H - 4, class: "quyu-svg-ylabel" }, view.xlabel));
    }
    if (view.ylabel) {
      root.appendChild(svg("text", { x: 14, y: T + ph / 2, class: "quyu-svg-ylabel", transform: "rotate(-90 14 " + (T + ph / 2) + ")" }, view.ylabel));
    }
    var events = typeof view.events === "string" ? shared[view.events] : (view.events || []);
    events.forEach(function (ev) {
      if (ev.x < x0 || ev.x > x1) return;
      root.appendChild(svg("line", { x1: sx(ev.x), x2: sx(ev.x), y1: T, y2: T + ph, class: "quyu-svg-event" }));
      // row 1：与前一事件太近，标签写在上沿（与 quyu.plots.chart_events 的排法一致）
      var top = ev.row === 1, ly = top ? T + 4 : T + ph - 4;
      root.appendChild(svg("text", { x: sx(ev.x) - 3, y: ly, class: "quyu-svg-eventlabel", "text-anchor": top ? "end" : "start",
        transform: "rotate(-90 " + (sx(ev.x) - 3) + " " + ly + ")" }, ev.label));
    });
    view.series.forEach(function (s, k) {
      var color = seriesColor(s, k), d = "", pen = false;
      s.y.forEach(function (v, i) {
        if (v === null) { pen = false; return; }
        d += (pen ? "L" : "M") + sx(x[i]).toFixed(1) + "," + sy(v).toFixed(1);
        pen = true;
      });
      var path = svg("path", { d: d, fill: "none", "stroke-width": 2 });
      path.style.stroke = color;
      if (s.dash) path.setAttribute("stroke-dasharray", "6 4");
      root.appendChild(path);
      if (x.length <= 12) {
        s.y.forEach(function (v, i) {
          if (v === null) return;
          var c = svg("circle", { cx: sx(x[i]), cy: sy(v), r: 3 });
          c.style.fill = color;
          c.appendChild(svg("title", {}, s.label + " " + x[i] + "：" + fmtValue(v, view.digits, view.unit)));
          root.appendChild(c);
        });
      }
    });
    /* 读数年份：中性的灰色虚线（不与任何一条线同色，免得被读成数据的尖峰），上端写一个小标签。 */
    (view.marks || []).forEach(function (m) {
      if (m < x0 || m > x1) return;
      var mx = sx(m), right = mx > W - R - 110;
      root.appendChild(svg("line", { x1: mx, x2: mx, y1: T, y2: T + ph, class: "quyu-svg-mark" }));
      var row = markRow(m, events, x0, x1);
      var ly = row === 1 ? T + 14 : row === 0 ? T + ph - 6 : T + ph / 2;
      root.appendChild(svg("text", { x: right ? mx - 5 : mx + 5, y: ly, class: "quyu-svg-marklabel",
        "text-anchor": right ? "end" : "start" }, "读数：" + m + " 年"));
    });
    wrap.appendChild(root);
    var legend = el("div", { class: "quyu-legend" });
    view.series.forEach(function (s, k) {
      var item = el("span", { class: "quyu-legend-item" });
      var sw = el("span", { class: "quyu-swatch" + (s.dash ? " quyu-swatch-dash" : "") });
      sw.style.borderColor = seriesColor(s, k);
      item.appendChild(sw);
      item.appendChild(document.createTextNode(s.label));
      legend.appendChild(item);
    });
    wrap.appendChild(legend);
    if (view.note) wrap.appendChild(el("figcaption", { class: "quyu-note" }, view.note));
    wrap.appendChild(dataTable(view, sumId));
    return wrap;
  }

  /* ---------- 图的文字替代：一句概述 + 可展开的数据表（<details>，键盘可操作） ---------- */

  function summary(view) {
    var x = view.x, parts = [];
    /* 横轴不是年份时（view.xlabel），写成“甲在 λ（%）= 0 时为 …” */
    function at(v) { return view.xlabel ? "在" + view.xlabel + " = " + v + " 时为 " : " " + v + " 年为 "; }
    view.series.forEach(function (s) {
      var i0 = -1, i1 = -1;
      s.y.forEach(function (v, i) { if (v !== null) { if (i0 < 0) i0 = i; i1 = i; } });
      if (i0 < 0) { parts.push(s.label + "无数据"); return; }
      var t = s.label + at(x[i0]) + fmtValue(s.y[i0], view.digits, view.unit);
      if (i1 > i0) t += "，" + at(x[i1]).replace(/^ /, "") + fmtValue(s.y[i1], view.digits, view.unit);
      parts.push(t);
    });
    var axis = view.xlabel ? view.xlabel + " 从 " + Math.min.apply(null, x) + " 到 " + Math.max.apply(null, x) : span(x);
    return "图中" + view.series.length + " 条线，横轴 " + axis + "：" + parts.join("；") + "。";
  }

  function dataTable(view, sumId) {
    var box = el("details", { class: "quyu-data" });
    box.appendChild(el("summary", {}, "数据表（文字版）"));
    box.appendChild(el("p", { id: sumId, class: "quyu-chart-summary" }, summary(view)));
    var cols = chartColumns(view);
    var wrap = el("div", { class: "quyu-table-wrap" });
    var t = el("table", { class: "quyu-table" });
    t.appendChild(el("caption", {}, (view.title || "图") + "：数据"));
    var thead = el("thead"), tr = el("tr");
    cols.forEach(function (c) { tr.appendChild(el("th", { scope: "col" }, c)); });
    thead.appendChild(tr); t.appendChild(thead);
    var tbody = el("tbody");
    view.x.forEach(function (xv, i) {
      var row = el("tr");
      row.appendChild(el("th", { scope: "row" }, String(xv)));
      view.series.forEach(function (s) { row.appendChild(el("td", {}, num(s.y[i], view.digits))); });
      tbody.appendChild(row);
    });
    t.appendChild(tbody); wrap.appendChild(t); box.appendChild(wrap);
    return box;
  }

  function chartColumns(view) {
    var unit = view.unit ? "（" + view.unit + "）" : (view.ylabel ? "（" + view.ylabel + "）" : "");
    return [view.xlabel || "年份"].concat(view.series.map(function (s) { return s.label + unit; }));
  }

  /* ---------- CSV：当前选项下显示的数字（UTF-8 带 BOM，电子表格能正确打开中文） ---------- */

  function csvCell(v) {
    if (v === null || v === undefined) return "";
    var t = String(v);
    return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }

  /* 已格式化的数字文字（“1,234.5”“−0.12”“35.2%”）还原为电子表格能识别的数；其他文字原样保留。 */
  function plain(text) {
    if (typeof text !== "string") return text;
    var t = text.replace(/−/g, "-").replace(/^\+/, "");
    return /^-?[\d,]+(\.\d+)?$/.test(t) ? t.replace(/,/g, "") : text;
  }

  function csvLines(shown, P, values) {
    var lines = [];
    var chosen = P.controls.map(function (c) {
      var label = c.options.filter(function (o) { return JSON.stringify(o[1]) === JSON.stringify(values[c.name]); })[0];
      return c.label + "=" + (label ? label[0] : values[c.name]);
    });
    lines.push(["# " + (P.title || "交互组件") + "；当前选项：" + chosen.join("，")]);
    lines.push([P.csv_note ? "# 说明：" + P.csv_note :
                "# 说明：数值由本书根据官方统计计算（图中数据保留 6 位有效数字）；数据版本见上列选项，" +
                "来源与口径见本书“数据与来源”附录" + (P.source ? "；" + P.source : "") + "。"]);
    var any = false;
    shown.forEach(function (v) {
      if (v.type === "chart") {
        any = true;
        if (v.title) lines.push(["# " + v.title]);
        if (v.note) lines.push(["# " + v.note]);
        lines.push(chartColumns(v));
        v.x.forEach(function (xv, i) {
          lines.push([xv].concat(v.series.map(function (s) { return s.y[i]; })));
        });
      } else if (v.type === "table") {
        any = true;
        if (v.title) lines.push(["# " + v.title]);
        lines.push(v.columns.map(function (c, k) { return c || (k === 0 ? "项目" : ""); }));
        v.rows.forEach(function (r) { lines.push(r.map(plain)); });
        if (v.note) lines.push(["# " + v.note]);
      } else if (v.type === "stats") {
        any = true;
        lines.push(["指标", "数值"]);
        v.items.forEach(function (it) { lines.push([it[0], plain(it[1])]); });
      } else if (v.type === "message") {
        lines.push(["# " + v.text]);
      }
    });
    if (!any) lines.push(["# 当前选项下没有可下载的数据（见上一行的说明）。"]);
    return lines;
  }

  function csvText(lines) {
    return "\ufeff" + lines.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function renderView(view, shared, width) {
    if (view.type === "chart") return renderChart(view, shared, width);
    if (view.type === "message") {
      return el("div", { class: "quyu-msg quyu-msg-" + view.level, role: "status" }, view.text);
    }
    if (view.type === "stats") {
      var box = el("div", { class: "quyu-stats" });
      view.items.forEach(function (it) {
        var card = el("div", { class: "quyu-stat" });
        card.appendChild(el("div", { class: "quyu-stat-label" }, it[0]));
        card.appendChild(el("div", { class: "quyu-stat-value" }, it[1]));
        box.appendChild(card);
      });
      return box;
    }
    if (view.type === "table") {
      var wrap = el("div", { class: "quyu-table-wrap" });
      var t = el("table", { class: "quyu-table" });
      if (view.title) t.appendChild(el("caption", {}, view.title));
      var thead = el("thead"), tr = el("tr");
      view.columns.forEach(function (c) { tr.appendChild(el("th", { scope: "col" }, c)); });
      thead.appendChild(tr); t.appendChild(thead);
      var tbody = el("tbody");
      view.rows.forEach(function (r) {
        var row = el("tr");
        r.forEach(function (c) { row.appendChild(el("td", {}, c)); });
        tbody.appendChild(row);
      });
      t.appendChild(tbody); wrap.appendChild(t);
      if (view.note) wrap.appendChild(el("p", { class: "quyu-note" }, view.note));
      return wrap;
    }
    return el("div", { class: "quyu-msg quyu-msg-error", role: "status" }, "无法显示的结果类型：" + view.type);
  }

  /* ---------- 组件 ---------- */

  var counter = 0;

  /* 组件无法挂载或计算出错时，只在这个组件里显示一句说明，不影响页面上的其他组件。 */
  function fail(root, where, error) {
    if (window.console && console.error) console.error("quyu widget:", error);
    var box = where || root;
    var old = box.querySelector(":scope > .quyu-msg-broken");
    if (old) old.remove();
    box.appendChild(el("div", { class: "quyu-msg quyu-msg-error quyu-msg-broken", role: "status" },
      "这个交互组件暂时无法显示（" + (error && error.message ? error.message : error) +
      "）。页面上的其他内容不受影响；打印版中的静态图见 PDF。"));
    root.setAttribute("data-quyu-failed", "1");
  }

  function mount(root) {
    if (root.getAttribute("data-quyu-ready") || root.getAttribute("data-quyu-failed")) return;
    try {
      build(root);
    } catch (error) {
      fail(root, null, error);
    }
  }

  function build(root) {
    var script = root.querySelector("script.quyu-widget-data");
    if (!script) throw new Error("组件数据缺失");
    var P = JSON.parse(script.textContent);
    if (!P || !Array.isArray(P.controls) || !Array.isArray(P.params) || !P.results || !Array.isArray(P.views)) {
      throw new Error("组件数据不完整");
    }
    var id = "quyu-w" + (++counter);
    var form = el("div", { class: "quyu-controls" });
    var selects = {};
    P.controls.forEach(function (c, k) {
      var field = el("div", { class: "quyu-field" });
      var sid = id + "-" + k;
      field.appendChild(el("label", { for: sid }, c.label));
      var sel = el("select", { id: sid, name: c.name, "data-role": c.role });
      c.options.forEach(function (o) {
        var opt = el("option", { value: JSON.stringify(o[1]) }, o[0]);
        if (JSON.stringify(o[1]) === JSON.stringify(c.value)) opt.selected = true;
        sel.appendChild(opt);
      });
      sel.addEventListener("change", update);
      selects[c.name] = sel;
      field.appendChild(sel);
      form.appendChild(field);
    });
    var tools = el("div", { class: "quyu-tools" });
    var download = el("button", { type: "button", class: "quyu-download" }, "下载当前数据（CSV）");
    tools.appendChild(download);
    var out = el("div", { class: "quyu-output", "aria-live": "polite" });
    root.appendChild(form);
    root.appendChild(out);
    root.appendChild(tools);
    var current = { shown: [], values: {} };
    var widthHint = { box: -1, chart: 0 };   // 输出区宽度 → 上次量得的图宽

    function update() {
      try {
        var t0 = performance.now();
        var values = {};
        P.controls.forEach(function (c) { values[c.name] = JSON.parse(selects[c.name].value); });
        var ids = P.results[key(P.params.map(function (n) { return values[n]; }))];
        var views = ids ? ids.map(function (i) {
          if (!P.views[i]) throw new Error("组件数据中缺少视图 " + i);
          return resolve(P.views[i], P.shared || {});
        }) : [message("没有这一组合的结果。")];
        var byRole = {};
        P.controls.forEach(function (c) {
          if (c.role === "param") return;
          (byRole[c.role] = byRole[c.role] || []).push(values[c.name]);
        });
        var shown = applyDisplay(views, byRole, P.messages || {});
        var box = out.clientWidth;
        var width = widthHint.box === box ? widthHint.chart : chartWidth(out);
        var draw = function (w) {
          var nodes = shown.map(function (v) { return renderView(v, P.shared || {}, w); });
          out.innerHTML = "";
          nodes.forEach(function (n) { out.appendChild(n); });
        };
        draw(width);
        /* 图的实际宽度（主题可能给 <figure> 加了边距）与所设的不同时，按实际宽度再画一次。 */
        var drawn = out.querySelector(".quyu-chart svg");
        var real = drawn ? chartWidth({ clientWidth: drawn.getBoundingClientRect().width }) : width;
        if (drawn && Math.abs(real - width) > 1) draw(real);
        if (drawn) widthHint = { box: box, chart: real };
        current = { shown: shown, values: values };
        root.removeAttribute("data-quyu-failed");
        root.setAttribute("data-quyu-ms", (performance.now() - t0).toFixed(2));
      } catch (error) {
        out.innerHTML = "";
        current = { shown: [message("这一组选项无法显示：" + (error.message || error))], values: current.values };
        fail(root, out, error);
      }
    }

    download.addEventListener("click", function () {
      var text = csvText(csvLines(current.shown, P, current.values));
      var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
      var a = el("a", { href: URL.createObjectURL(blob), download: (P.title || "quyu-widget") + ".csv" });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });

    root.quyuUpdate = update;
    root.quyuCsv = function () { return csvText(csvLines(current.shown, P, current.values)); };
    update();
    root.setAttribute("data-quyu-ready", "1");
  }

  function mountAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".quyu-widget"), function (root) {
      try { mount(root); } catch (error) { fail(root, null, error); }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
