-- wrk: open random customers' e-files (account numbers 3300000000 + [0, BENCH_CUSTOMERS)).
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "1000000")
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local thread_seed = 0

function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end

function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end

function request()
  local account = string.format("%d", 3300000000 + math.random(0, customers - 1))
  return wrk.format("GET", "/api/customers/" .. account .. "/efile", headers)
end
