# shellcheck shell=bash disable=SC2154  # $bench_name and $max_load are set by the sourcing script
# Shared helpers of bench/sbom.sh and bench/compare.sh (sourced, not run).
# Expects: $bench_name (for messages), $max_load (see wait_for_quiet).

die() { printf 'bench/%s: error: %s\n' "$bench_name" "$*" >&2; exit 1; }
note() { printf '\n== %s\n' "$*"; }

# apt_install COMMAND PACKAGE: installs the Debian package when COMMAND is missing (as root).
apt_install() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        note "installing $2 (Debian package)"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "$2"
    else
        die "$1 not found: install it (Debian: apt-get install $2)"
    fi
}

# The 1-minute, 5-minute and 15-minute load averages.
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# wait_for_quiet: waits, at most 10 minutes, for the 1-minute load average to drop to
# $max_load. Never refuses to measure: the load is recorded with the results either way.
wait_for_quiet() {
    local load i
    for ((i = 0; i < 60; i++)); do
        load=$(cut -d' ' -f1 /proc/loadavg)
        awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l <= m) }' && return 0
        ((i == 0)) && echo "load average $load > $max_load: waiting for the machine to quieten (at most 10 min)"
        sleep 10
    done
    echo "load average still $(cut -d' ' -f1 /proc/loadavg) after 10 min: measuring anyway (reported)"
}

# cpu_probe: seconds of wall time to hash 256 MiB of zeros with sha256sum (single-threaded,
# CPU-bound). Recorded before and after the measurements: the load average does not see a
# slower CPU (a busy host under this VM), this does.
cpu_probe() {
    local t0 t1
    t0=$(date +%s.%N)
    head -c 268435456 /dev/zero | sha256sum >/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

# mem_probe: seconds to fill 512 MiB of fresh memory (python3). Large-input runs allocate
# hundreds of MiB; on this VM, page faults sometimes get several times slower while the CPU
# probe stays put, and every tool's time with them.
mem_probe() {
    python3 -c 'import time; t = time.perf_counter(); b = b"x" * (512 << 20); print(f"{time.perf_counter() - t:.2f}")'
}

# bench_lock: one benchmark at a time (bench/sbom.sh and bench/compare.sh share the lock, as
# they would disturb each other's numbers and share target/bench/); waits up to 30 minutes.
bench_lock() {
    mkdir -p target/bench
    exec 9>target/bench/.lock
    if ! flock -n 9; then
        echo "another bench/sbom.sh or bench/compare.sh is running: waiting for it (at most 30 min)"
        flock -w 1800 9 || die "still locked after 30 minutes (target/bench/.lock)"
    fi
}

# machine_meta: key=value lines about the machine, for meta.txt.
machine_meta() {
    local cpu_model
    cpu_model=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
    printf 'date=%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'nproc=%s\n' "$(nproc)"
    printf 'cpu_model=%s\n' "${cpu_model:-unknown}"
    printf 'mem_total=%s\n' "$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576; exit}' /proc/meminfo 2>/dev/null || echo unknown)"
    printf 'kernel=%s\n' "$(uname -sr)"
    printf 'load_before=%s\n' "$(loadavg)"
    printf 'cpu_probe_before=%s\n' "$(cpu_probe)"
    printf 'mem_probe_before=%s\n' "$(mem_probe)"
    printf 'hyperfine=%s\n' "$(hyperfine --version | head -n 1)"
}

# ensure_minicheck BUILD: sets $minicheck_bin ($MINICHECK_BIN, else target/release/minicheck,
# built with `cargo build --release -p minicheck` when BUILD is 1) and checks it has `compare`.
ensure_minicheck() {
    if [[ -n ${MINICHECK_BIN:-} ]]; then
        minicheck_bin=$MINICHECK_BIN
        [[ -x $minicheck_bin ]] || die "MINICHECK_BIN is not executable: $minicheck_bin"
    else
        minicheck_bin=target/release/minicheck
        if [[ $1 == 1 ]]; then
            note "cargo build --release -p minicheck (a no-op when up to date)"
            cargo build --release -p minicheck
        fi
        [[ -x $minicheck_bin ]] || die "$minicheck_bin missing: run cargo build --release -p minicheck"
    fi
    "$minicheck_bin" compare --help >/dev/null 2>&1 ||
        die "$minicheck_bin has no compare command (stale binary? rebuild it)"
}

# minicheck_meta: key=value lines about the minicheck binary.
minicheck_meta() {
    printf 'minicheck_version=%s\n' "$("$minicheck_bin" --version | head -n 1)"
    printf 'minicheck_commit=%s%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        "$(git diff --quiet HEAD -- crates/core crates/cli 2>/dev/null || echo ' (+ uncommitted changes in crates/)')"
    printf 'minicheck_bin=%s\n' "$minicheck_bin"
}
