-- wrk: the marketing system's step gate for random processes of the completeness benchmark
-- archive (process ids SQ1 .. SQ<BENCH_PROCESSES>, step 受理, which every process there has).
local processes = tonumber(os.getenv("BENCH_PROCESSES") or "3000000")
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local step = "%E5%8F%97%E7%90%86"  -- 受理, URL-encoded
local thread_seed = 0

function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end

function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end

function request()
  local id = string.format("SQ%d", math.random(1, processes))
  return wrk.format("GET", "/api/processes/" .. id .. "/gate?step=" .. step, headers)
end
