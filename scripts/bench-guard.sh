# Sourced by scripts/bench and scripts/bench-peer: what keeps a benchmark from hurting the machine
# (2 cores, 24 GB, shared with builds and browsers).
#
# - One benchmark at a time: both scripts take the same lock (bench_lock), or stop at once.
# - What an earlier run left when it was killed (its temporary folders, in /tmp, TMPDIR, OUT_DIR
#   and /dev/shm, which is memory) is deleted before starting (bench_clean): holding the lock, no
#   other run can own them.
# - Each size is checked against the free memory before it starts (bench_fits), with 1 GB kept for
#   the rest of the machine; a size that would not fit stops the run with a message.
# - Every measured step has a time limit (STEP_TIMEOUT seconds, default 900): measure kills it.
#
#   BENCH_LOCK=/tmp/.tsunagu-bench.lock   the lock file (its name does not match the leftovers)
#   STEP_TIMEOUT=900                      seconds one step (a generation, a build, an index) may take

BENCH_LOCK=${BENCH_LOCK:-/tmp/.tsunagu-bench.lock}
STEP_TIMEOUT=${STEP_TIMEOUT:-900}
if ! [[ "$STEP_TIMEOUT" =~ ^[1-9][0-9]*$ ]]; then
    echo "STEP_TIMEOUT must be a positive number of seconds" >&2
    exit 2
fi

# Takes the lock for the rest of the script (file descriptor 9), or exits 3 naming the holder.
bench_lock() {
    local me=$1
    exec 9>>"$BENCH_LOCK"
    if ! flock -n 9; then
        echo "$me: another benchmark is running (pid $(cat "$BENCH_LOCK" 2>/dev/null || echo '?'), lock $BENCH_LOCK); wait for it to end" >&2
        exit 3
    fi
    echo "$$" >"$BENCH_LOCK"
}

# Deletes the temporary folders of earlier runs (tsunagu-bench*). Call it holding the lock.
bench_clean() {
    local dirs=(/tmp /dev/shm "${TMPDIR:-/tmp}")
    [ -n "${OUT_DIR:-}" ] && dirs+=("$OUT_DIR")
    local left
    left=$(find "${dirs[@]}" -maxdepth 1 -name 'tsunagu-bench*' 2>/dev/null | sort -u)
    [ -z "$left" ] && return 0
    echo "== deleting what earlier benchmark runs left:" >&2
    while IFS= read -r path; do
        echo "   $(du -sh "$path" 2>/dev/null | cut -f1)  $path" >&2
        rm -rf "$path"
    done <<<"$left"
}

# Whether a folder is on a tmpfs: what is written there takes memory.
on_tmpfs() { [ "$(stat -f -c %T "$1" 2>/dev/null)" = tmpfs ]; }

# Returns 1 with a message when `need_mb` more megabytes would leave less than 1 GB available.
bench_fits() {
    local what=$1 need_mb=$2 avail_mb
    avail_mb=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo)
    if ((need_mb + 1024 > avail_mb)); then
        echo "stopping before $what: it needs about $need_mb MB of memory and $avail_mb MB is available" >&2
        echo "(1 GB is kept for the rest of the machine). Free memory (../shared/tools/machine-check)" >&2
        echo "or choose smaller SIZES; the sizes measured before it are printed." >&2
        return 1
    fi
}

# measure RESULT CMD…: runs CMD (output inherited) within STEP_TIMEOUT seconds; writes
# "<wall s> <peak RSS KiB> <CPU s, user + system>" to RESULT. A step over its time is killed with
# its children and exits 124.
measure() {
    local result=$1
    shift
    python3 - "$result" "$STEP_TIMEOUT" "$@" <<'PY'
import os, resource, signal, subprocess, sys, time
out, limit, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
start = time.perf_counter()
# A session of its own, so a step over its time is killed with everything it started.
child = subprocess.Popen(cmd, start_new_session=True)
try:
    code = child.wait(timeout=limit)
except subprocess.TimeoutExpired:
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    print(f"timed out after {limit} s (STEP_TIMEOUT), killed: {' '.join(cmd)}", file=sys.stderr)
    sys.exit(124)
wall = time.perf_counter() - start
# The largest resident set of any waited-for child; this process has only the one. KiB on Linux.
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    f.write(f"{wall:.3f} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime:.3f}\n")
sys.exit(code)
PY
}
