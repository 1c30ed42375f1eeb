-- wrk script for bench/run: POSTs bench/request.json (path in $BENCH_REQUEST) and, when done, prints
-- one machine-readable line, so bench/run need not parse wrk's human output and its units.
--
-- With $BENCH_RATE and $BENCH_CONNECTIONS set it paces the load to about BENCH_RATE req/s in all:
-- before each request a connection waits a random 0..2m-1 ms (mean m - 0.5 ms, where m is its share of
-- the interval, e.g. 32 ms for 32 connections at 1,000 req/s); at low load the wait dominates, so
-- the rate comes out close to BENCH_RATE. The randomness keeps the connections from firing together.
-- (autocannon -R is no help here: it sends each second's quota in a burst at the start of the second.)
local file = assert(io.open(os.getenv("BENCH_REQUEST") or "request.json", "rb"))
wrk.method = "POST"
wrk.body = file:read("*a"):gsub("%s+$", "")
wrk.headers["Content-Type"] = "application/json"
file:close()

local rate = tonumber(os.getenv("BENCH_RATE") or "")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "")
if rate and connections then
    local max_wait = math.floor(2 * connections * 1000 / rate) - 1
    local threads = 0

    function setup(thread)
        threads = threads + 1
        thread:set("seed", os.time() * 100 + threads)
    end

    function init(args)
        math.randomseed(seed) -- each thread its own sequence
    end

    function delay()
        return math.random(0, max_wait)
    end
end

function done(summary, latency, requests)
    local errors = summary.errors
    -- latency percentiles are in microseconds, summary.duration too
    io.write(string.format("BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99),
        summary.requests, errors.status,
        errors.connect + errors.read + errors.write + errors.timeout))
end
