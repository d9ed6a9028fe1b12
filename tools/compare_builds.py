"""Compare the numbers of two builds of the book: glued values and widget payloads.

    python tools/compare_builds.py OLD_ROOT NEW_ROOT

Reads ``_build/jupyter_execute/**/*.glue.json`` (myst-nb glue) and the widget payloads embedded in the
built pages ``_build/html/**/*.html`` (or, for an old build without them, in the executed notebooks).
Glued values must be identical; widget numbers may differ only by rounding (the new number rounded to
the old number's decimals equals the old one, or they agree to 6 significant digits). Text differences
are listed once each, for review. Payloads whose JSON text is byte-for-byte the same are counted.
"""
import json, math, re, sys
from pathlib import Path

PAYLOAD = re.compile(r'class="quyu-widget-data">(.*?)</script>', re.S)


def _payload(text):
    return json.loads(text.replace("<\\/", "</"))


def load(root):
    out_glue, out_w, raw = {}, {}, {}
    html = Path(root, "_build", "html")
    for page in sorted(html.rglob("*.html")):
        rel = str(page.relative_to(html))
        for k, m in enumerate(PAYLOAD.finditer(page.read_text(encoding="utf-8"))):
            raw[(rel, k)] = m.group(1)
            out_w[(rel, k)] = _payload(m.group(1))
    from_pages = bool(out_w)
    for g in sorted(Path(root, "_build", "jupyter_execute").rglob("*.glue.json")):
        rel = str(g.relative_to(Path(root, "_build", "jupyter_execute")))
        for name, value in json.loads(g.read_text()).items():
            data = value.get("data", value) if isinstance(value, dict) else value
            if isinstance(data, dict):
                data = data.get("text/markdown") or data.get("text/plain") or data
            out_glue[(rel, name)] = data
    for nb in sorted(Path(root, "_build", "jupyter_execute").rglob("*.ipynb")):
        rel = str(nb.relative_to(Path(root, "_build", "jupyter_execute")))
        d = json.loads(nb.read_text())
        k = 0
        for cell in d["cells"]:
            for o in cell.get("outputs", []):
                md = o.get("metadata", {}) or {}
                data = o.get("data", {}) or {}
                name = (md.get("scrapbook") or {}).get("name")
                if name:
                    out_glue[(rel, name)] = data.get("text/markdown") or data.get("text/plain")
                h = data.get("text/html")
                if isinstance(h, list): h = "".join(h)
                if h and "quyu-widget-data" in h and not from_pages:
                    m = PAYLOAD.search(h)
                    raw[(rel, k)] = m.group(1)
                    out_w[(rel, k)] = _payload(m.group(1))
                    k += 1
    return out_glue, out_w, raw

def expand(p):
    shared = p.get("shared", {})
    def res(v):
        if isinstance(v, str) and v.startswith("@") and v in shared: return shared[v]
        return v
    out = {}
    for key, ids in p["results"].items():
        views = []
        for i in ids:
            v = json.loads(json.dumps(p["views"][i]))
            if v.get("type") == "chart":
                for f in ("events", "bands", "x"): 
                    if f in v: v[f] = res(v[f])
                for s in v["series"]: s["y"] = res(s["y"])
            views.append(v)
        out[key] = views
    return out

def _rounds_to(new, old):
    """``new`` rounded to as many decimals as ``old`` shows equals ``old`` (old payloads used fixed decimals)."""
    text = repr(float(old))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return abs(new - old) <= 0.5 * 10 ** -decimals + 1e-12


def walk(a, b, path, stats, diffs):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b: diffs.append((path + [k], "missing key", k in a, k in b)); continue
            walk(a[k], b[k], path + [k], stats, diffs)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b): diffs.append((path, "len", len(a), len(b))); return
        for i, (x, y) in enumerate(zip(a, b)): walk(x, y, path + [i], stats, diffs)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if a == b: stats["num_same"] += 1
        elif math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6) or _rounds_to(b, a): stats["num_rounding"] += 1
        else: stats["num_diff"] += 1; diffs.append((path, "num", a, b))
    else:
        if a == b: stats["other_same"] += 1
        else: stats["text_diff"] += 1; diffs.append((path, "text", a, b))

old_g, old_w, old_raw = load(sys.argv[1]); new_g, new_w, new_raw = load(sys.argv[2])
print(f"glued values: {len(old_g)} before, {len(new_g)} after")
same = sum(1 for k in old_g if new_g.get(k) == old_g[k])
print(f"  identical: {same}; missing after: {len(set(old_g) - set(new_g))}; new after: {len(set(new_g) - set(old_g))}")
for k in sorted(old_g):
    if k in new_g and new_g[k] != old_g[k]:
        print("  GLUE DIFF", k, repr(old_g[k])[:300], "->", repr(new_g[k])[:300])
for k in sorted(set(old_g) - set(new_g)): print("  MISSING", k)
print(f"widgets: {len(old_w)} before, {len(new_w)} after; "
      f"byte-identical payloads: {sum(1 for k in old_raw if new_raw.get(k) == old_raw[k])}")
tot = {"num_same": 0, "num_rounding": 0, "num_diff": 0, "other_same": 0, "text_diff": 0}
textdiffs = {}
for k in sorted(old_w):
    if k not in new_w: print("  WIDGET MISSING", k); continue
    a, b = expand(old_w[k]), expand(new_w[k])
    stats = dict.fromkeys(tot, 0); diffs = []
    walk(a, b, [], stats, diffs)
    ca = {kk: vv for kk, vv in old_w[k].items() if kk not in ("views", "shared", "results")}
    cb = {kk: vv for kk, vv in new_w[k].items() if kk not in ("views", "shared", "results")}
    walk(ca, cb, ["controls"], stats, diffs)
    for t in tot: tot[t] += stats[t]
    print(" ", k, stats)
    for d in diffs:
        if d[1] == "text":
            textdiffs.setdefault((str(d[2])[:160], str(d[3])[:160]), []).append(k)
        elif d[1] != "text":
            print("    ", d)
print("TOTAL", tot)
print("distinct text changes in widgets:")
for (a, b), ks in textdiffs.items():
    print(f"   {a!r} -> {b!r}  [{len(ks)}x]")
