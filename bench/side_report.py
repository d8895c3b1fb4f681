#!/usr/bin/env python3
"""Print the Markdown section of a bench/sbom.sh or bench/compare.sh run.

Usage: bench/side_report.py sbom    [RESULTS_DIR]   (default: target/bench/sbom)
       bench/side_report.py compare [RESULTS_DIR]   (default: target/bench/compare)

Reads what the script left in RESULTS_DIR (meta.txt, the hyperfine JSON exports, the
checked counts or request counts) and prints a section for BENCHMARKS.md. Standard library
only. Never invents a number: what did not run is not shown.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load_meta(path: Path) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            meta[key] = value
    return meta


def hyperfine(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {r["command"]: r for r in data.get("results", [])}


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:,.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    return f"{ms:.2f}"


def fmt_time(r: dict) -> str:
    if len(r["times"]) < 2 or r.get("stddev") is None:
        return f"{fmt_ms(r['mean'])} (1 run)"
    return f"{fmt_ms(r['mean'])} ± {fmt_ms(r['stddev'])}"


def fmt_mb(n: float) -> str:
    if n >= 10:
        return f"{n:,.0f}"
    if n >= 1:
        return f"{n:.1f}"
    return f"{n:.2f}"


def fmt_ratio(peer: float, minicheck: float) -> str:
    r = peer / minicheck
    if r >= 1:
        return f"minicheck {r:,.1f}× faster"
    return f"minicheck {1 / r:,.1f}× slower"


def machine(meta: dict[str, str]) -> str:
    return (f"Machine: {meta.get('nproc')} CPUs (`nproc`), {meta.get('cpu_model')}, "
            f"{meta.get('mem_total')} RAM, {meta.get('kernel')}. Measured {meta.get('date')}. "
            f"Load average (1, 5, 15 min) before: {meta.get('load_before')}; "
            f"after: {meta.get('load_after', '?')}. CPU probe (`sha256sum` of 256 MiB, single-threaded): "
            f"{meta.get('cpu_probe_before', '?')} s before, {meta.get('cpu_probe_after', '?')} s after; "
            f"memory probe (fill 512 MiB): {meta.get('mem_probe_before', '?')} s before, "
            f"{meta.get('mem_probe_after', '?')} s after.")


# ---------------------------------------------------------------- SBOM

def sbom(out: Path) -> int:
    meta = load_meta(out / "meta.txt")
    pairs = [l.split("\t") for l in (out / "pairs.tsv").read_text(encoding="utf-8").splitlines() if l]
    checked = {}
    for line in (out / "checked.tsv").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        checked[f[0]] = f
    corpus = meta.get("corpus", "").rstrip("/") + "/"
    names = {"cyclonedx": "CycloneDX", "spdx2": "SPDX 2", "spdx3": "SPDX 3"}

    p = print
    rows, timing, rss_rows = [], [], []
    for n, (pid, fmt, kind, src, dst) in enumerate(pairs, 1):
        res = hyperfine(out / f"{pid}.hyperfine.json")
        c = checked[pid]
        mb = int(c[1]) / 1e6
        short = lambda s: s[len(corpus):] if s.startswith(corpus) else s
        files = (f"`{short(src)}` → `{short(dst)}`" if kind == "corpus"
                 else f"`{src}` → `{Path(dst).name}`")
        label = f"{n}. {names[fmt]} {kind}"
        rows.append(f"| {label} | {files} | {fmt_mb(mb)} MB | {int(c[2]):,} → {int(c[3]):,} "
                    f"| +{c[4]} −{c[5]} ~{c[6]} ={int(c[7]):,} |")
        mc = res.get("minicheck")
        for tool, what in (("minicheck", "`minicheck compare FROM TO --format json`"),
                           ("jq count", "`jq -f bench/jq/" + fmt + "-count.jq FROM TO`"),
                           ("jq empty", "`jq empty FROM TO` (parse only)")):
            r = res.get(tool)
            if not r:
                timing.append(f"| {label} | {what} | 0 | not timed | | | | |")
                continue
            cpu = (r.get("user", 0) + r.get("system", 0)) * 1000
            vs = "baseline" if tool == "minicheck" else (
                f"{r['mean'] / mc['mean']:.1f}× by mean, {r['min'] / mc['min']:.1f}× by min "
                f"(minicheck ÷ jq: {mc['mean'] / r['mean']:.2f})" if mc else "n/a")
            timing.append(f"| {label} | {what} | {len(r['times'])} | {fmt_time(r)} | {fmt_ms(r['min'])} "
                          f"| {fmt_mb(mb / r['mean'])} | {cpu:,.0f} | {vs} |")
        if len(c) > 9 and c[8] and c[9]:
            rss_rows.append((label, mb, int(c[8].split()[1]) / 1024, int(c[9].split()[1]) / 1024))

    p("### Reading and diffing two SBOMs, one process per tool")
    p()
    p("| Pair | Files (FROM → TO) | Input (both) | Packages FROM → TO | Diff (minicheck) |")
    p("|---|---|--:|--:|---|")
    for row in rows:
        p(row)
    p()
    p("| Pair | Command | Runs | Mean wall time (ms) ± σ | Min (ms) | MB/s (by mean) | CPU time (ms, user + sys) | jq's wall time ÷ minicheck's |")
    p("|---|---|--:|--:|--:|--:|--:|---|")
    for row in timing:
        p(row)
    p()
    p("Diff: packages added (+), removed (−), changed version (~) and unchanged (=) from FROM to TO, "
      "from minicheck's JSON. MB = 10⁶ bytes of input (both files); MB/s = input ÷ mean wall time. "
      "Runs: "
      f"{meta.get('warmup')} warm-up + {meta.get('runs')} timed for the corpus pairs, "
      f"{meta.get('big_warmup')} + {meta.get('big_runs')} for the synthetic pairs.")
    p()
    if meta.get("corpus_check_files"):
        parts = []
        for key, name in (("cyclonedx", "CycloneDX"), ("spdx2", "SPDX 2"), ("spdx3", "SPDX 3")):
            n, pk = (meta.get(f"corpus_check_{key}") or "0 0").split()
            parts.append(f"{n} {name} ({int(pk):,} packages)")
        p(f"Counts checked before timing: jq's count equals minicheck's `packages` for every timed file "
          f"and for all {meta['corpus_check_files']} bare JSON SBOMs of `{meta.get('corpus')}` that "
          f"minicheck reads ({', '.join(parts)}; {meta.get('corpus_check_skipped')} files it rejects "
          "were skipped); the script stops with an error otherwise.")
        p()
    if rss_rows:
        p("Peak memory (max RSS, GNU `time`, one untimed run):")
        p()
        p("| Pair | Input | minicheck | jq count |")
        p("|---|--:|--:|--:|")
        for label, mb, mr, jr in rss_rows:
            p(f"| {label} | {fmt_mb(mb)} MB | {mr:,.0f} MiB | {jr:,.0f} MiB |")
        p()
    p(machine(meta))
    p()
    p(f"Tools: {meta.get('minicheck_version')} (release build, commit {meta.get('minicheck_commit')}), "
      f"{meta.get('jq')} (Debian {meta.get('jq_package')}), {meta.get('hyperfine')}, `-N` (no shell).")
    p()
    return 0


# ---------------------------------------------------------------- compare

def compare(out: Path) -> int:
    meta = load_meta(out / "meta.txt")
    res = hyperfine(out / "compare.hyperfine.json")
    summary = json.loads((out / "images.json").read_text(encoding="utf-8"))
    requests = load_meta(out / "requests.txt") if (out / "requests.txt").is_file() else {}
    rows = [
        ("minicheck --no-cache", "minicheck compare --no-cache FROM TO",
         "both images, concurrently: manifest, index → platform manifest, SBOM (referrers, cosign tag, BuildKit attestation)"),
        ("minicheck (warm cache)", "minicheck compare FROM TO",
         "a `HEAD` per tag; manifests, attestations and SBOMs from the on-disk cache"),
        ("skopeo inspect ×2", "skopeo inspect docker://FROM; skopeo inspect docker://TO",
         "one image per process, one after the other: manifest (index → platform manifest), config blob, tag list; no SBOM"),
        ("skopeo inspect --no-tags ×2", "skopeo inspect --no-tags docker://FROM; … TO",
         "the same without the tag list"),
    ]
    base = res.get("minicheck --no-cache")
    p = print
    p("### Comparing a dev and a production image on a loopback registry")
    p()
    p("| Tool | Command (shortened) | What it fetches | HTTP requests | Runs | Mean wall time (ms) ± σ | CPU time (ms, user + sys) | Wall time ÷ minicheck --no-cache's |")
    p("|---|---|---|--:|--:|--:|--:|---|")
    for name, cmd, what, in rows:
        r = res.get(name)
        if not r:
            continue
        vs = "baseline" if name == "minicheck --no-cache" else (
            f"{r['mean'] / base['mean']:.2f}" if base else "n/a")
        total, _, probes = requests.get(name, "?").partition(" ")
        reqs = f"{total} ({probes} `GET /v2/`)" if probes else total
        cpu = (r.get("user", 0) + r.get("system", 0)) * 1000
        p(f"| {name} | `{cmd}` | {what} | {reqs} | {len(r['times'])} | {fmt_time(r)} | {cpu:,.0f} | {vs} |")
    p()
    prod, dev = summary["production"], summary["dev"]
    p(f"Images (pushed by `bench/push_images.py`): FROM = the dev image `…/{dev['ref'].split('/', 1)[1]}` "
      f"(one linux/amd64 image, {dev['compressed_size']:,} bytes of layers, {dev['packages']} packages; SBOM: "
      f"{dev['sbom']}); TO = the production image `…/{prod['ref'].split('/', 1)[1]}` (an index of linux/amd64 "
      f"and linux/arm64 plus a BuildKit attestation manifest; amd64 {prod['compressed_size']:,} bytes of layers, "
      f"{prod['packages']} packages; SBOM: {prod['sbom']}). minicheck's answer: "
      f"{meta.get('minicheck_answer', '?')}.")
    p()
    cold = requests.get("minicheck (cold cache, fills it)", "").partition(" ")[0]
    p("HTTP requests: counted in the registry's access log over one untimed run of each command, "
      "all included; in brackets, how many of them are `GET /v2/` version probes"
      + (f". A first run with the cache on but empty makes {cold} (a `HEAD` per tag, then the "
         "same fetches as `--no-cache`, by digest)" if cold else "") + ".")
    p()
    p(machine(meta))
    p()
    p(f"Tools: {meta.get('minicheck_version')} (release build, commit {meta.get('minicheck_commit')}), "
      f"{meta.get('skopeo')} (Debian {meta.get('skopeo_package')}), {meta.get('registry')} "
      f"(Debian {meta.get('registry_package')}), {meta.get('hyperfine')}; "
      f"{meta.get('warmup')} warm-up + {meta.get('runs')} timed runs per command, through `sh -c` "
      "(hyperfine subtracts the shell's start-up time).")
    p()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("sbom", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[2] if len(argv) > 2 else f"target/bench/{argv[1]}")
    if not (out / "meta.txt").is_file():
        print(f"side_report.py: {out}/meta.txt not found: run bench/{argv[1]}.sh first", file=sys.stderr)
        return 1
    return sbom(out) if argv[1] == "sbom" else compare(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
