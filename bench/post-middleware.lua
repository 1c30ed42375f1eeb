-- wrk script for bench/run-middleware: POSTs a chat request with an API key. With BENCH_UNIQUE=1 every
-- request's text is different (so a response cache only misses); otherwise every request is the same
-- (so it only hits, after the first). BENCH_CACHE_CONTROL sets a Cache-Control header (no-cache, no-store:
-- the cache stands aside). Prints the same BENCH line as post.lua when done.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "sk-bench")

if os.getenv("BENCH_CACHE_CONTROL") then
    wrk.headers["Cache-Control"] = os.getenv("BENCH_CACHE_CONTROL")
end

local unique = os.getenv("BENCH_UNIQUE") == "1"
local run = os.getenv("BENCH_RUN") or "0" -- set per run, so that no run repeats an earlier one's texts
local prefix = '{"model":"mock","messages":[{"role":"user","content":"Say hello in one short sentence. #'
local suffix = '"}]}'
wrk.body = prefix .. "0" .. suffix
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end

function init(args)
    counter = 0
end

function request()
    if not unique then
        return wrk.format()
    end
    counter = counter + 1
    return wrk.format(nil, nil, nil, prefix .. run .. "-" .. id .. "-" .. counter .. suffix)
end

function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99),
        summary.requests, errors.status,
        errors.connect + errors.read + errors.write + errors.timeout))
end
