#!/usr/bin/env bash
# The GitHub Action (dist/index.js on Node 24: the core in WebAssembly) against the native CLI
# on the same files, side by side with hyperfine:
#   - examples/:       the action with compare off vs `minicheck check --format github examples`
#   - the corpus:      every Dockerfile of ../shared/corpus/dockerfiles, the same two commands
#   - start-up:        the action on a directory without Dockerfiles (load the bundle,
#                      instantiate the module, read the inputs, write the summary), beside
#                      `node -e 0` (Node's own start-up)
# Both sides render the annotations, the action also the job summary and outputs, so the
# action does a little more work than the CLI: the ratio is an upper bound.
#
# Usage, from anywhere:  bench/action.sh [--runs N]
# Needs: target/release/minicheck (cargo build --release), dist/ (committed), npx (Node 24 from
# the npm registry), hyperfine (Debian package, installed when missing and root).
# Results: target/bench/action/ (hyperfine JSON) and a Markdown table on standard output.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=action
max_load=${BENCH_MAX_LOAD:-1.0}
# shellcheck source=bench/lib.sh
source bench/lib.sh

runs=20
while (($#)); do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

apt_install hyperfine hyperfine
minicheck=$PWD/target/release/minicheck
[[ -x $minicheck ]] || die "build the CLI first: cargo build --release"
node=${NODE:-$(npx -y node@24 -e 'process.stdout.write(process.execPath)')}
corpus=$(cd ../shared/corpus/dockerfiles && pwd -P)
out=target/bench/action
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/empty"
export GITHUB_STEP_SUMMARY=$scratch/summary GITHUB_OUTPUT=$scratch/output INPUT_COMPARE=false INPUT_COMMENT=false
: >"$GITHUB_STEP_SUMMARY"
: >"$GITHUB_OUTPUT"

wait_for_quiet
note "load $(loadavg); node $("$node" --version); minicheck $("$minicheck" --version)"

# hyperfine runs commands through a shell; INPUT_PATHS with a hyphen-free name passes through.
bench() { # name, action paths, native args...
    local name=$1 paths=$2
    shift 2
    INPUT_PATHS=$paths hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$out/$name.json" \
        -n action "$node $PWD/dist/index.js" \
        -n native "$minicheck check --format github $*" >/dev/null
}
bench examples examples examples
bench corpus "$corpus" "$corpus"
(cd "$scratch/empty" && INPUT_PATHS=. hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$PWD/../startup.json" \
    -n action "$node $OLDPWD/dist/index.js" -n node "$node -e 0" >/dev/null)
mv "$scratch/startup.json" "$out/startup.json"

python3 - "$out" "$(loadavg)" <<'PY'
import json, sys, os
out, load = sys.argv[1], sys.argv[2]
def read(name):
    with open(os.path.join(out, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}
def ms(r):
    return f"{r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} ms"
print(f"\n| Files | Action (Node 24, WASM) | Native CLI | Ratio |\n| --- | --- | --- | --- |")
for name, label in [("examples", "examples/ (4 Dockerfiles)"), ("corpus", "corpus (all Dockerfiles)")]:
    r = read(name)
    print(f"| {label} | {ms(r['action'])} | {ms(r['native'])} | {r['action']['mean'] / r['native']['mean']:.2f}x |")
s = read("startup")
own = (s["action"]["mean"] - s["node"]["mean"]) * 1000
print(f"\nStart-up (no Dockerfiles): action {ms(s['action'])}, `node -e 0` {ms(s['node'])}: "
      f"the action's own start-up {own:.0f} ms. Load average at the end: {load}.")
PY
