#!/usr/bin/env python3
"""Markdown tables for scripts/bench-peer from its measurements.

    report.py WORK_DIR SIZE...

Reads WORK_DIR/builds.tsv (size, tool, run, wall s, peak RSS KiB, CPU s), WORK_DIR/sizes.tsv (size,
key, value) and WORK_DIR/search-SIZE.json (scripts/bench-peer.d/search.mjs), prints Markdown.
Ratios are tsunagu / Hugo + Pagefind. MB and KB are 10^6 and 10^3 bytes.
"""

import re
import json
import os
import statistics
import sys
from collections import defaultdict


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def secs(x):
    return f"{x:.2f} s"


def mb(kib):
    return f"{kib * 1024 / 1e6:.0f} MB"


def kb(b):
    return f"{b / 1e3:.1f} KB"


def ms(x):
    return f"{x:.0f} ms" if x >= 10 else f"{x:.1f} ms"


def ratio(a, b):
    return f"{a / b:.2f}" if b else "—"


def verdict(ok, detail=""):
    text = "meets" if ok else "**misses**"
    return f"{text} ({detail})" if detail else text


def load(work, sizes):
    builds = defaultdict(lambda: defaultdict(dict))  # size -> tool -> run -> (wall, rss, cpu)
    with open(os.path.join(work, "builds.tsv")) as f:
        for line in f:
            size, tool, run, wall, rss, cpu = line.split()
            builds[int(size)][tool][int(run)] = (float(wall), int(rss), float(cpu))
    facts = defaultdict(dict)
    with open(os.path.join(work, "sizes.tsv")) as f:
        for line in f:
            size, key, value = line.rstrip("\n").split("\t")
            facts[int(size)][key] = value
    search = {}
    for n in sizes:
        with open(os.path.join(work, f"search-{n}.json")) as f:
            search[n] = json.load(f)
    return builds, facts, search


def kind(side, path):
    """What a fetched file is, for the byte breakdown."""
    name = path.rsplit("/", 1)[-1]
    if side == "tsunagu":
        if name.endswith(".js"):
            return "reader code and manifest (tsunagu-search.js)"
        if name == "manifest.json":
            return "manifest.json"
        if re.fullmatch(r"\d+r\d+-\d+\.bin", name):
            return "rest files (x-*/BrJ-K.bin)"
        if re.fullmatch(r"\d+s\d+\.bin", name):
            return "shown files (x-*/BsJ.bin)"
        if name.startswith("d") and name.endswith(".bin"):
            return "display shards (x-*/dK.bin)"
        if name.startswith("g") and name.endswith(".bin"):
            return "coordinate chunks (gK.bin)"
        if name.endswith(".bin"):
            return "term buckets (x-*/B.bin)"
    else:
        if name.endswith(".js"):
            return "code (pagefind.js, pagefind-worker.js)"
        if name.startswith("wasm."):
            return "wasm"
        if name.endswith((".pf_meta", "entry.json")):
            return "pagefind-entry.json + meta (.pf_meta)"
        if name.endswith(".pf_index"):
            return "index chunks (.pf_index)"
        if name.endswith(".pf_filter"):
            return "filter chunks (.pf_filter)"
        if name.endswith(".pf_fragment"):
            return "fragments (.pf_fragment, result data)"
    return "other"


# What a search page has loaded before the first query (its code, wasm, manifest or metadata)
# is not per-query data; the rest is.
SETUP = (
    "reader code and manifest (tsunagu-search.js)",
    "manifest.json",
    "code (pagefind.js, pagefind-worker.js)",
    "wasm",
    "pagefind-entry.json + meta (.pf_meta)",
)


def data_part(side, files):
    """Requests and bytes of a cold query's files that are per-query data."""
    data = [size for path, size in files if kind(side, path) not in SETUP]
    return len(data), sum(data)


def size_section(n, builds, facts, search, runs):
    out = []
    b = builds[n]
    t_walls = [x[0] for x in b["tsunagu"].values()]
    h_walls = [x[0] for x in b["hugo"].values()]
    p_walls = [x[0] for x in b["pagefind"].values()]
    pair = [b["hugo"][r][0] + b["pagefind"][r][0] for r in b["hugo"] if r in b["pagefind"]]
    t_cpu = median([x[2] for x in b["tsunagu"].values()])
    h_cpu = median([x[2] for x in b["hugo"].values()])
    p_cpu = median([x[2] for x in b["pagefind"].values()])
    pair_cpu = median([b["hugo"][r][2] + b["pagefind"][r][2] for r in b["hugo"] if r in b["pagefind"]])
    t_rss = max(x[1] for x in b["tsunagu"].values())
    h_rss = max(x[1] for x in b["hugo"].values())
    p_rss = max(x[1] for x in b["pagefind"].values())
    peer_rss = max(h_rss, p_rss)  # they run one after the other

    q = [x for x in search[n]["queries"] if "tsunagu" in x["summary"] and "pagefind" in x["summary"]]
    T = [x["summary"]["tsunagu"] for x in q]
    P = [x["summary"]["pagefind"] for x in q]
    tb, pb = median([s["bytes"] for s in T]), median([s["bytes"] for s in P])
    tr, pr = median([s["requests"] for s in T]), median([s["requests"] for s in P])
    tc, pc = median([s["cold_ms"] for s in T]), median([s["cold_ms"] for s in P])
    tw, pw = median([s["warm_ms"] for s in T]), median([s["warm_ms"] for s in P])
    f = facts[n]

    def span(xs):
        return f"{secs(median(xs))} ({min(xs):.2f}–{max(xs):.2f})"

    rows = []
    build_goal = "≤ 1/10 at 10k"
    build_ratio = median(t_walls) / median(pair)
    rows.append((
        "build wall time, median (min–max)",
        span(t_walls),
        f"{span(pair)}: Hugo {secs(median(h_walls))} + Pagefind {secs(median(p_walls))}",
        ratio(median(t_walls), median(pair)),
        build_goal if n == 10000 else "—",
        verdict(build_ratio <= 0.1) if n == 10000 else "—",
    ))
    rows.append((
        "build CPU time (user + sys), median",
        secs(t_cpu),
        f"{secs(pair_cpu)}: Hugo {secs(h_cpu)} + Pagefind {secs(p_cpu)}",
        ratio(t_cpu, pair_cpu),
        "—", "—",
    ))
    rows.append((
        "peak RSS (largest run)",
        mb(t_rss),
        f"{mb(peer_rss)} (Hugo {mb(h_rss)}, Pagefind {mb(p_rss)})",
        ratio(t_rss, peer_rss),
        "≤ 1/2",
        verdict(t_rss <= peer_rss / 2),
    ))
    rows.append((
        "pages written",
        f["tsunagu_pages"],
        f"{f['hugo_pages']} HTML files",
        "—", "—", "—",
    ))
    # The national-scale issue's goal: at 10k, no more than twice the peer's output.
    out_t, out_p = int(f["tsunagu_bytes"]), int(f["peer_bytes"])
    rows.append((
        "output on disk (of which search index)",
        f"{out_t / 1e6:.1f} MB ({int(f['tsunagu_search_bytes']) / 1e6:.1f} MB)",
        f"{out_p / 1e6:.1f} MB ({int(f['pagefind_bytes']) / 1e6:.1f} MB)",
        f"{ratio(out_t, out_p)} ({ratio(int(f['tsunagu_search_bytes']), int(f['pagefind_bytes']))} index)",
        "≤ 2 at 10k" if n == 10000 else "—",
        verdict(out_t <= 2 * out_p) if n == 10000 else "—",
    ))
    tg, pg = median([s["gzip_bytes"] for s in T]), median([s["gzip_bytes"] for s in P])
    over = [x["label"] for x, s in zip(q, T) if s["requests"] > 4]
    rows.append((
        "bytes per cold query + top-10 data, median of queries",
        kb(tb), kb(pb), ratio(tb, pb), "≤ 1/4", verdict(tb <= pb / 4),
    ))
    rows.append((
        "the same if the host gzips .js and .json (estimate: gzip -6 of those files)",
        kb(tg), kb(pg), ratio(tg, pg), "—", "—",
    ))
    rows.append((
        "requests per cold query, median (max)",
        f"{tr:g} ({max(s['requests'] for s in T)})",
        f"{pr:g} ({max(s['requests'] for s in P)})",
        ratio(tr, pr),
        # The search issue sets this goal, and the warm one, at 10k.
        "≤ 4 at 10k (tsunagu, every query)" if n == 10000 else "—",
        verdict(not over, f"{len(over)} of {len(q)} queries above 4" if over else f"all {len(q)} queries")
        if n == 10000
        else "—",
    ))
    td = [data_part("tsunagu", s["files"]) for s in T]
    pd = [data_part("pagefind", s["files"]) for s in P]
    tdb, pdb = median([b for _, b in td]), median([b for _, b in pd])
    rows.append((
        "of which per-query data: requests, bytes (medians; without code, wasm, manifest or meta)",
        f"{median([r for r, _ in td]):g}, {kb(tdb)}",
        f"{median([r for r, _ in pd]):g}, {kb(pdb)}",
        ratio(tdb, pdb),
        "—", "—",
    ))
    rows.append((
        "cold latency, median of queries",
        ms(tc), ms(pc), ratio(tc, pc), "≤ 1/4", verdict(tc <= pc / 4),
    ))
    rows.append((
        "warm query, median of queries",
        ms(tw), ms(pw), ratio(tw, pw),
        "≤ 10 ms at 10k (tsunagu)" if n == 10000 else "—",
        verdict(tw <= 10) if n == 10000 else "—",
    ))
    if "reader_min_bytes" in f:
        rmin = int(f["reader_min_bytes"])
        rows.append((
            "JS reader: as served (minified by the build, with the manifest); its source minified by esbuild",
            f"{kb(int(f['reader_bytes']))} ({kb(rmin)})",
            "—", "—", "≤ 15 KB minified", verdict(rmin <= 15_000),
        ))
    if n >= 100000:
        # The goal names no statistic: both are shown, the median judged as the other byte goal is.
        big = [x["label"] for x, s in zip(q, T) if s["bytes"] > 150_000]
        rows.append((
            "cold query + top-10 data at 100k: median (largest)",
            f"{kb(tb)} ({kb(max(s['bytes'] for s in T))})",
            f"{kb(pb)} ({kb(max(s['bytes'] for s in P))})",
            ratio(tb, pb),
            "≤ 150 KB at 100k",
            verdict(tb <= 150_000, "median; " + (f"{len(big)} of {len(q)} queries above: " + ", ".join(big) if big else f"all {len(q)} queries within")),
        ))

    out.append(f"### {n:,} entries\n")
    out.append("| metric | tsunagu | Hugo + Pagefind | ratio | goal | verdict |")
    out.append("|---|---:|---:|---:|---|---|")
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    out.append("")

    # Where the bytes of a cold query go: the mean per query, by kind of file.
    out.append(f"Bytes of a cold query by file, mean of the {len(q)} queries ({n:,} entries):\n")
    out.append("| side | files | requests | bytes | share |")
    out.append("|---|---|---:|---:|---:|")
    for side, rows_ in (("tsunagu", T), ("pagefind", P)):
        per = defaultdict(lambda: [0, 0])
        for s in rows_:
            for path, size in s["files"]:
                k = kind(side, path)
                per[k][0] += 1
                per[k][1] += size
        total = sum(v[1] for v in per.values()) or 1
        name = "tsunagu" if side == "tsunagu" else "Pagefind"
        for k, (count, size) in sorted(per.items(), key=lambda kv: -kv[1][1]):
            out.append(f"| {name} | {k} | {count / len(rows_):.1f} | {kb(size / len(rows_))} | {100 * size / total:.0f} % |")
    out.append("")

    out.append(
        f"Per query ({n:,} entries), each cell tsunagu / Hugo + Pagefind, medians of {runs} runs; "
        "hits are all matches, both sides load the top 10:\n"
    )
    out.append("| query | hits | bytes | requests | cold ms | warm ms |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for x in search[n]["queries"]:
        t, p = x["summary"].get("tsunagu"), x["summary"].get("pagefind")

        def pair_(key, fmt):
            return " / ".join(fmt(s[key]) if s else "error" for s in (t, p))

        out.append(
            f"| {x['label']} | {pair_('hits', str)} | {pair_('bytes', lambda v: f'{v:,}')} | "
            f"{pair_('requests', lambda v: f'{v:g}')} | {pair_('cold_ms', lambda v: f'{v:.0f}')} | "
            f"{pair_('warm_ms', lambda v: f'{v:.1f}')} |"
        )
    out.append("")
    return "\n".join(out)


def main():
    work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
    builds, facts, search = load(work, sizes)
    runs = next(iter(search.values()))["runs"]
    print("\n".join(size_section(n, builds, facts, search, runs) for n in sizes))


if __name__ == "__main__":
    main()
