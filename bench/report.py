#!/usr/bin/env python3
"""Print the Markdown report of a bench/dockerfiles.sh run.

Usage: bench/report.py [RESULTS_DIR]     (default: target/bench)

Reads what bench/dockerfiles.sh left in RESULTS_DIR (meta.txt, the hyperfine
JSON exports, the tools' outputs) and prints a Markdown table for
BENCHMARKS.md: tool, files, mean wall time (ms) ± standard deviation, files/s,
and how minicheck compares. Standard library only. Never invents a number:
a tool that did not run is shown as skipped, with the reason.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def load_meta(path: Path) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            meta[key] = value
    return meta


def load_json(path: Path):
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def hyperfine_result(path: Path) -> dict | None:
    data = load_json(path)
    if not data or not data.get("results"):
        return None
    return data["results"][0]


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:,.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    return f"{ms:.2f}"


def fmt_time(mean: float, stddev: float | None, runs: int) -> str:
    if runs < 2 or stddev is None:
        return f"{fmt_ms(mean)} (single run)"
    return f"{fmt_ms(mean)} ± {fmt_ms(stddev)}"


def fmt_rate(files: int, mean: float) -> str:
    rate = files / mean if mean > 0 else float("inf")
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:.1f}"


def ratio(peer_mean: float, minicheck_mean: float | None, minicheck_note: str) -> str:
    if minicheck_mean is None:
        return f"n/a — minicheck skipped: {minicheck_note}"
    r = peer_mean / minicheck_mean
    if r >= 1:
        return f"minicheck is {r:,.1f}× faster"
    return f"minicheck is {1 / r:,.1f}× slower"


def short(path: str, corpus: str) -> str:
    prefix = corpus.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "target/bench")
    meta_path = out / "meta.txt"
    if not meta_path.is_file():
        print(f"report.py: {meta_path} not found: run bench/dockerfiles.sh first", file=sys.stderr)
        return 1
    meta = load_meta(meta_path)
    files = int(meta["files"])
    corpus = meta.get("corpus", "")

    mc = hyperfine_result(out / "minicheck.hyperfine.json") if meta.get("minicheck_status") == "ran" else None
    bk = hyperfine_result(out / "buildkit.hyperfine.json")
    hl = hyperfine_result(out / "hadolint.hyperfine.json") if meta.get("hadolint_status") == "ran" else None
    mc_note = meta.get("minicheck_reason") or "no results"
    mc_mean = mc["mean"] if mc else None

    # In-process parse-loop times of the timed runs (the last N lines; the
    # first lines of the file come from the warm-up runs).
    loop_times: list[float] = []
    timings = out / "buildkit.timings.jsonl"
    if bk and timings.is_file():
        lines = [json.loads(l) for l in timings.read_text(encoding="utf-8").splitlines() if l.strip()]
        loop_times = [rec["parse_loop_s"] for rec in lines[-len(bk["times"]):]]

    bk_failures = load_json(out / "buildkit.failures.json") or []
    hl_report = load_json(out / "hadolint.out.json") if hl else None
    hl_parse_errors: dict[str, str] = {}
    for item in hl_report or []:
        if item.get("code") == "DL1000":  # hadolint's "could not parse" code
            message = " ".join(str(item.get("message", "")).split())  # one line for Markdown
            hl_parse_errors.setdefault(item["file"], f"line {item.get('line')}: {message}")

    def failed_cell(n: int | None) -> str:
        return "?" if n is None else str(n)

    rows: list[list[str]] = []
    head = ["Tool", "Files", "Runs", "Mean wall time (ms) ± σ", "Files/s", "vs minicheck", "Files failed"]

    if mc:
        mc_exit = set(mc.get("exit_codes") or [])
        rows.append([
            f"**minicheck** ({meta.get('minicheck_version') or 'version unknown'}): parse + resolve, 1 process",
            str(files), str(len(mc["times"])), fmt_time(mc["mean"], mc.get("stddev"), len(mc["times"])),
            fmt_rate(files, mc["mean"]), "baseline",
            f"see below (exit {', '.join(map(str, sorted(mc_exit)))})",
        ])
    else:
        rows.append([
            "**minicheck**: parse + resolve, 1 process", str(files), "0",
            f"skipped: {mc_note}", "n/a", "n/a", "n/a",
        ])

    if bk:
        rows.append([
            f"BuildKit parser (Python `dockerfile` {meta['dockerfile_version']}): whole process, "
            "incl. interpreter start + import",
            str(files), str(len(bk["times"])), fmt_time(bk["mean"], bk.get("stddev"), len(bk["times"])),
            fmt_rate(files, bk["mean"]), ratio(bk["mean"], mc_mean, mc_note), str(len(bk_failures)),
        ])
    if loop_times:
        lm = statistics.fmean(loop_times)
        ls = statistics.stdev(loop_times) if len(loop_times) > 1 else None
        rows.append([
            f"BuildKit parser (Python `dockerfile` {meta['dockerfile_version']}): parse loop only, in-process",
            str(files), str(len(loop_times)), fmt_time(lm, ls, len(loop_times)),
            fmt_rate(files, lm), ratio(lm, mc_mean, mc_note), str(len(bk_failures)),
        ])
    if hl:
        rows.append([
            f"hadolint {meta['hadolint_version'].split()[-1]}: parse + lint, 1 process",
            str(files), str(len(hl["times"])), fmt_time(hl["mean"], hl.get("stddev"), len(hl["times"])),
            fmt_rate(files, hl["mean"]), ratio(hl["mean"], mc_mean, mc_note),
            failed_cell(len(hl_parse_errors) if hl_report is not None else None),
        ])
    elif meta.get("hadolint_status") == "skipped":
        rows.append([
            "hadolint: parse + lint, 1 process", str(files), "0",
            f"skipped: {meta.get('hadolint_reason', '')}", "n/a", "n/a", "n/a",
        ])

    p = print
    p(f"### Parsing {files} Dockerfiles, one process per tool")
    p()
    p("| " + " | ".join(head) + " |")
    p("|" + "|".join(["---", "--:", "--:", "--:", "--:", "---", "--:"]) + "|")
    for row in rows:
        p("| " + " | ".join(row) + " |")
    p()
    p(f"Machine: {meta.get('nproc')} CPUs (`nproc`), {meta.get('cpu_model')}, "
      f"{meta.get('mem_total')} RAM, {meta.get('kernel')}. Measured {meta.get('date')}.")
    p()
    p(f"Method: {meta.get('hyperfine')}, `-N` (no shell), {meta.get('warmup')} warm-up + "
      f"{meta.get('runs')} timed runs for minicheck and the BuildKit parser; hadolint is timed "
      "once (it takes tens of seconds). Every tool gets all files as arguments of one process"
      + (" (handed over with `xargs -x`)" if meta.get("via_xargs") == "1" else "")
      + "; wall time is exec to exit. minicheck: `minicheck check --format json --output /dev/null FILES...`. "
      f"BuildKit: `bench/peers/buildkit_parse.py FILES...` calls `dockerfile.parse_file` per file "
      f"(Python {meta.get('python')}); the parse-loop row is its own `perf_counter` time of the loop. "
      "hadolint: `hadolint -c bench/peers/hadolint.yaml --no-fail -f json -o FILE FILES...` (default rules).")
    p()
    p(f"Corpus: `{corpus}`: every `Dockerfile`, `Containerfile`, `Dockerfile.*`, `Containerfile.*`, "
      "`*.Dockerfile`, `*.dockerfile` under `official/`, `multistage/` and `buildkit-parser/testfiles*/`, "
      f"less the {meta.get('excluded_negative')} `testfiles-negative` files (invalid on purpose). "
      "Windows Dockerfiles with `# escape=` are included. Reproduce: `bench/dockerfiles.sh`.")
    p()

    p("#### Files each tool failed on")
    p()
    if mc:
        stderr = out / "minicheck.check.stderr"
        text = stderr.read_text(encoding="utf-8", errors="replace") if stderr.is_file() else ""
        mentioned = sorted({short(f, corpus) for f in
                            (out / "dockerfiles.txt").read_text(encoding="utf-8").splitlines()
                            if f and f in text})
        p(f"- minicheck: check run exit code {meta.get('minicheck_check_rc')}; "
          f"{len(text.splitlines())} stderr lines; corpus files named on stderr: "
          + (", ".join(f"`{m}`" for m in mentioned) if mentioned else "none")
          + f" (full report: `{out}/minicheck.check.json`).")
    else:
        p(f"- minicheck: skipped: {mc_note}.")
    if bk:
        if bk_failures:
            p(f"- BuildKit parser: {len(bk_failures)} file(s):")
            for f in bk_failures:
                message = " ".join(str(f["message"]).split())
                p(f"  - `{short(f['file'], corpus)}`: {f['error']}: {message}")
        else:
            p("- BuildKit parser: none.")
    if hl:
        codes = sorted(set(hl.get("exit_codes") or []))
        if codes != [0]:
            p(f"- hadolint: **exit code {codes}**: the run may not have finished; time is suspect.")
        if hl_report is None:
            p(f"- hadolint: no JSON report in `{out}/hadolint.out.json`.")
        elif hl_parse_errors:
            p(f"- hadolint: {len(hl_parse_errors)} file(s) it could not parse (DL1000):")
            for f, msg in sorted(hl_parse_errors.items()):
                p(f"  - `{short(f, corpus)}`: {msg}")
        else:
            p("- hadolint: none (no DL1000).")
    elif meta.get("hadolint_status") == "skipped":
        p("- hadolint: skipped.")
    for name, res in (("BuildKit parser", bk),):
        if res and set(res.get("exit_codes") or [0]) != {0}:
            p(f"- {name}: non-zero exit codes {sorted(set(res['exit_codes']))} in timed runs.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
