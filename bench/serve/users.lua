-- wrk script: GET /v1/recommendations/{random ML-100K user}?k=10 with the bench API key; counts
-- answers that are not a 200 from the model (fallback) as bad.
local users = tonumber(os.getenv("BENCH_USERS") or "943")
local key = os.getenv("BENCH_KEY") or "bench-key"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  math.randomseed(os.time() + #tostring({}))
end

function request()
  return wrk.format("GET", "/v1/recommendations/" .. math.random(1, users) .. "?k=10", { ["X-API-Key"] = key })
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"fallback":false', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("bad responses (non-200 or fallback): %d\n", total))
end
