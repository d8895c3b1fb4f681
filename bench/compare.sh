#!/usr/bin/env bash
# Side-by-side benchmark: comparing two images on a local registry.
#
# Starts Debian's docker-registry (the CNCF distribution registry 2.8) on 127.0.0.1, with
# filesystem storage in a temporary folder, as tests/integration/support/registry_server.rs
# does; pushes a production image (an index of amd64 and arm64 with a BuildKit SBOM
# attestation) and its dev twin (one image with a cosign .att SBOM attestation) with
# bench/push_images.py; then times, with hyperfine:
#
#   - minicheck compare --no-cache --format json FROM TO   (nothing from the on-disk cache)
#   - minicheck compare --format json FROM TO              (cache warm: the warm-up runs fill it)
#   - skopeo inspect --tls-verify=false docker://FROM, then the same for TO: two processes,
#     because skopeo inspects one image at a time; it reads the manifest, the config and the
#     tag list, not the SBOM
#   - the same two skopeo runs with --no-tags
#
# FROM is the dev image, TO the production image (as in the README). The registry is stopped
# on exit (trap), and it cannot outlive 30 minutes in any case (`timeout`).
#
# Usage, from the repository root (the script cds there itself):
#   bench/compare.sh [--runs N] [--warmup N] [--no-build] [--max-load L]
#
# Environment (the flags win):
#   MINICHECK_BIN   minicheck binary (default target/release/minicheck, built with
#                   `cargo build --release -p minicheck` unless --no-build)
#   BENCH_RUNS      timed runs per command (default 30), BENCH_WARMUP warm-up runs (default 3)
#   BENCH_MAX_LOAD  1-minute load average above which the script waits (up to 10 min) before
#                   timing; default: the number of CPUs. The load is reported either way.
#
# Results: target/bench/compare/ (hyperfine JSON, tool outputs, registry log, meta.txt,
# report.md); the Markdown section is printed at the end by bench/side_report.py.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
bench_name=compare
script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$script_dir/lib.sh"
cd -- "$repo_root"
[[ -f Cargo.toml && -f bench/compare.sh ]] || die "not a minicheck checkout: $repo_root"
bench_lock

runs=${BENCH_RUNS:-30}
warmup=${BENCH_WARMUP:-3}
max_load=${BENCH_MAX_LOAD:-$(nproc)}
build=1
while (($#)); do
    case $1 in
        --runs) (($# >= 2)) || die "$1 needs a value"; runs=$2; shift 2 ;;
        --warmup) (($# >= 2)) || die "$1 needs a value"; warmup=$2; shift 2 ;;
        --max-load) (($# >= 2)) || die "$1 needs a value"; max_load=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$runs'"
[[ $warmup =~ ^[1-9][0-9]*$ ]] || die "--warmup must be at least 1 (it fills minicheck's cache), got '$warmup'"

out=target/bench/compare
meta=$out/meta.txt
mkdir -p -- "$out"
rm -f -- "$out"/*.hyperfine.json "$out"/report.md "$out"/requests.txt "$out"/*.out "$out"/*.stderr
rm -rf -- "$out/cache"

# ---------------------------------------------------------------- tools
apt_install hyperfine hyperfine
apt_install skopeo skopeo
apt_install docker-registry docker-registry
apt_install curl curl
command -v python3 >/dev/null 2>&1 || die "python3 not found (bench/push_images.py and the report need it)"
ensure_minicheck "$build"
registry_bin=$(command -v docker-registry)

# ---------------------------------------------------------------- the registry
tmp=$(mktemp -d "${TMPDIR:-/tmp}/minicheck-bench-registry.XXXXXX")
registry_pid=
cleanup() {
    if [[ -n $registry_pid ]] && kill -0 "$registry_pid" 2>/dev/null; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
    fi
    [[ -f $tmp/registry.log ]] && cp -- "$tmp/registry.log" "$out/registry.log" 2>/dev/null
    rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port
mkdir -p -- "$tmp/storage"
# Access log on (to count requests), other logging at error level, as the tests configure it.
cat >"$tmp/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $tmp/storage
  delete:
    enabled: true
http:
  addr: $addr
  secret: minicheck-bench-secret
EOF
note "starting docker-registry on $addr (storage $tmp/storage)"
# `timeout` bounds its life even if this script is killed with SIGKILL; it passes the
# trap's TERM on to the registry.
timeout 1800 "$registry_bin" serve "$tmp/config.yml" >"$tmp/registry.log" 2>&1 9>&- &
registry_pid=$!
for ((i = 0; i < 100; i++)); do
    curl -fsS -o /dev/null --max-time 1 "http://$addr/v2/" 2>/dev/null && break
    kill -0 "$registry_pid" 2>/dev/null || { cat -- "$tmp/registry.log" >&2; die "docker-registry exited"; }
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "http://$addr/v2/" || { cat -- "$tmp/registry.log" >&2; die "docker-registry did not answer within 10 s"; }

note "pushing the images (bench/push_images.py)"
python3 bench/push_images.py "$addr" bench/python --summary "$out/images.json" >/dev/null
from=$addr/bench/python:3.13.5-dev
to=$addr/bench/python:3.13.5
jq -r '"   production \(.production.ref): index \(.production.index), amd64 \(.production.amd64)\n   dev        \(.dev.ref): \(.dev.digest)"' "$out/images.json"

# ---------------------------------------------------------------- untimed runs: answers, requests
export XDG_CACHE_HOME=$repo_root/$out/cache # minicheck's cache: here, not in ~/.cache
requests_so_far() { grep -cE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' "$tmp/registry.log" || true; }
probes_so_far() { grep -cE '"GET /v2/ HTTP' "$tmp/registry.log" || true; }
count_requests() { # count_requests NAME OUTPUT COMMAND...: runs once (stdout to OUTPUT), counts its requests
    local name=$1 output=$2 before after probes
    shift 2
    sleep 0.2 # let the registry flush its log
    before=$(requests_so_far) probes=$(probes_so_far)
    "$@" >"$output"
    sleep 0.2
    after=$(requests_so_far) probes=$(($(probes_so_far) - probes))
    echo "$name=$((after - before)) $probes" >>"$out/requests.txt"
    printf '   %-34s %3d HTTP requests (%d of them GET /v2/ probes)\n' "$name" "$((after - before))" "$probes"
}
skopeo_args=(--tls-verify=false --command-timeout 60s)
note "untimed runs: what each tool answers, and how many requests it makes"
count_requests "minicheck --no-cache" "$out/minicheck.no-cache.json" \
    "$minicheck_bin" compare --no-cache --format json "$from" "$to"
count_requests "minicheck (cold cache, fills it)" "$out/minicheck.cold.json" \
    "$minicheck_bin" compare --format json "$from" "$to"
count_requests "minicheck (warm cache)" "$out/minicheck.warm.json" \
    "$minicheck_bin" compare --format json "$from" "$to"
cmp -s "$out/minicheck.no-cache.json" "$out/minicheck.warm.json" ||
    die "minicheck answers differently with a warm cache (see $out/minicheck.*.json)"
two_skopeo() { skopeo inspect "${skopeo_args[@]}" "$@" "docker://$from" >"$out/skopeo.from.out" &&
    skopeo inspect "${skopeo_args[@]}" "$@" "docker://$to" >"$out/skopeo.to.out"; }
count_requests "skopeo inspect --no-tags ×2" /dev/null two_skopeo --no-tags
count_requests "skopeo inspect ×2" /dev/null two_skopeo
answer=$(jq -r '"from \(.from.packages) packages, \(.from.compressed_size) bytes; to \(.to.packages) packages, \(.to.compressed_size) bytes; \(.added | length) added, \(.removed | length) removed, \(.changed | length) changed, \(.unchanged) unchanged"' "$out/minicheck.no-cache.json")
echo "   minicheck: $answer"
echo "   skopeo:    from $(jq -r '.Digest' "$out/skopeo.from.out") ($(jq -r '.Layers | length' "$out/skopeo.from.out") layers), to $(jq -r '.Digest' "$out/skopeo.to.out") ($(jq -r '.Layers | length' "$out/skopeo.to.out") layers)"
want_from=$(jq -r '.dev.packages' "$out/images.json") want_to=$(jq -r '.production.packages' "$out/images.json")
[[ $(jq -r '.from.packages' "$out/minicheck.no-cache.json") == "$want_from" &&
    $(jq -r '.to.packages' "$out/minicheck.no-cache.json") == "$want_to" ]] ||
    die "minicheck did not find the pushed SBOMs ($answer; expected $want_from and $want_to packages)"

# ---------------------------------------------------------------- meta
wait_for_quiet
{
    printf 'kind=compare\n'
    machine_meta
    minicheck_meta
    printf 'skopeo=%s\n' "$(skopeo --version)"
    printf 'skopeo_package=%s\n' "$(dpkg-query -W -f '${Version}' skopeo 2>/dev/null || echo unknown)"
    printf 'registry=%s\n' "$("$registry_bin" --version | awk '{print "docker-registry " $NF}')"
    printf 'registry_package=%s\n' "$(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null || echo unknown)"
    printf 'registry_addr=%s\n' "$addr"
    printf 'minicheck_answer=%s\n' "$answer"
    printf 'runs=%s\nwarmup=%s\n' "$runs" "$warmup"
} >"$meta"

# ---------------------------------------------------------------- timing
note "timing: $warmup warm-up + $runs runs per command"
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
mc=$(q "$minicheck_bin")
sk="skopeo inspect ${skopeo_args[*]}"
hyperfine --style basic --warmup "$warmup" --runs "$runs" \
    --export-json "$out/compare.hyperfine.json" \
    --command-name "minicheck --no-cache" "$mc compare --no-cache --format json $(q "$from") $(q "$to")" \
    --command-name "minicheck (warm cache)" "$mc compare --format json $(q "$from") $(q "$to")" \
    --command-name "skopeo inspect ×2" "$sk $(q "docker://$from") >/dev/null && $sk $(q "docker://$to")" \
    --command-name "skopeo inspect --no-tags ×2" "$sk --no-tags $(q "docker://$from") >/dev/null && $sk --no-tags $(q "docker://$to")"
{ echo "load_after=$(loadavg)"; echo "cpu_probe_after=$(cpu_probe)"; echo "mem_probe_after=$(mem_probe)"; } >>"$meta"

# ---------------------------------------------------------------- report
note "report ($out/report.md)"
python3 bench/side_report.py compare "$out" | tee "$out/report.md"
