# Shared by the bench/run-* scripts: sourced after setting $bench, $root and $work.
# shellcheck shell=bash

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

ensure_wrk() {
    command -v wrk >/dev/null && return
    say "installing wrk (apt-get)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y wrk >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
}

# wait_port <pid> <log file> <sed expression printing the port>: prints the port the server logged.
wait_port() {
    local port=""
    for _ in $(seq 1 300); do
        kill -0 "$1" 2>/dev/null || { cat "$2" >&2; die "server (pid $1) died at start-up"; }
        port="$(sed -n "$3" "$2" | head -n 1)"
        [ -n "$port" ] && { echo "$port"; return; }
        sleep 0.1
    done
    cat "$2" >&2
    die "server (pid $1) did not start within 30 s"
}

# wrk_post <url> <connections> <seconds> <lua script>: prints "req/s p50_ms p99_ms"; fails on any error.
# The script's done() prints: BENCH rps=.. p50_us=.. p99_us=.. requests=.. non2xx=.. socket_errors=..
wrk_post() {
    local out="$work/wrk.txt" rps p50 p99 failed
    BENCH_CONNECTIONS="$2" wrk -t2 -c"$2" -d"$3s" --latency -s "$4" "$1" >"$out" \
        || { cat "$out" >&2; die "wrk failed on $1"; }
    read -r rps p50 p99 failed < <(awk '/^BENCH / {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%.0f %.3f %.3f %d\n", v["rps"], v["p50_us"] / 1000, v["p99_us"] / 1000, v["non2xx"] + v["socket_errors"]
    }' "$out") || { cat "$out" >&2; die "no result from wrk"; }
    [ "$failed" -eq 0 ] || { cat "$out" >&2; die "$1 at $2 connections: $failed failed requests"; }
    echo "$rps $p50 $p99"
}

median_of() { # the median of the numbers on stdin, one a line
    sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

verdict() { awk "BEGIN { print ($1) ? \"met\" : \"**not met**\" }"; } # <awk condition>

machine_info() {
    echo "- nproc: $(nproc); CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
    echo "- kernel: $(uname -sr); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "- commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
}

# The middleware benches (run-middleware, run-ab): gateways on the mock backend, loaded with post-middleware.lua.
# The caller declares `pids=()` and `declare -A url pid`, and sets $connections.

# start_gateway <name> <distribution> <JVM options> [VAR=value...]: starts a gateway on the mock backend on a free
# port; sets url[<name>] and pid[<name>] (the JVM's: env and bin/llm-gateway exec, so its CPU time can be read)
start_gateway() {
    local name="$1" distribution="$2" options="$3"
    shift 3
    start_configured_gateway "$name" "$distribution" "$options" "$@" LLM_BACKEND=mock
}

# start_configured_gateway <name> <distribution> <JVM options> [VAR=value...]: start_gateway with only the given
# settings (LLM_BACKEND, LLM_CONFIG, ... are the caller's); its request log (stdout) goes to $request_log, by
# default /dev/null
start_configured_gateway() {
    local name="$1" distribution="$2" options="$3" port
    shift 3
    env "$@" JAVA_OPTS="$options" LLM_HOST=127.0.0.1 LLM_PORT=0 "$distribution/bin/llm-gateway" \
        >"${request_log:-/dev/null}" 2>"$work/$name.log" &
    pids+=($!)
    pid[$name]=$!
    port="$(wait_port "$!" "$work/$name.log" 's#.*listening on http://[^ ]*:\([0-9][0-9]*\)/v1.*#\1#p')"
    url[$name]="http://127.0.0.1:$port/v1/chat/completions"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system time, in clock ticks

# middleware_load <name> <load: unique|same|bypass> <seconds>: prints "req/s p50 p99 cpu-us-per-request"
middleware_load() {
    local control="" before result requests
    [ "$2" = bypass ] && control="no-cache, no-store"
    before="$(cpu_ticks "${pid[$1]}")"
    # BENCH_RUN: the unique load's texts differ from every earlier run's too, so it never meets a stored answer
    result="$(BENCH_UNIQUE=$([ "$2" = unique ] && echo 1 || echo 0) BENCH_CACHE_CONTROL="$control" BENCH_RUN="$(date +%s%N)" \
        wrk_post "${url[$1]}" "$connections" "$3" "$bench/post-middleware.lua")"
    requests="$(awk '/^BENCH / { for (i = 2; i <= NF; i++) if ($i ~ /^requests=/) print substr($i, 10) }' "$work/wrk.txt")"
    awk -v r="$result" -v b="$before" -v a="$(cpu_ticks "${pid[$1]}")" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%s %.2f\n", r, (a - b) * 1e6 / hz / n }'
}

# warm_up <name> <load> <seconds>: lets the JIT compile before anything is measured. A request that fails here
# (the shared machine stalling past wrk's 2 s timeout) is reported but does not end the run: only measured rounds count.
warm_up() {
    say "warming up $1, $2 load ($3s)"
    middleware_load "$1" "$2" "$3" >/dev/null || true
}
