-- What every load script of bench/run.py shares (loaded with dofile):
--   BENCH_DELAY_MS  paced mode (--rate): each connection waits a random time, this on
--                   average (exponential), before each request
-- and it counts the answers served from the page cache (the X-Page-Cache header), printed
-- at the end as «Page cache hits: H of N».
local threads = {}
hits, responses = 0, 0

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

response = function(status, headers, body)
  responses = responses + 1
  if headers["X-Page-Cache"] == "hit" then
    hits = hits + 1
  end
end

local mean_delay = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if mean_delay and mean_delay > 0 then
  delay = function()
    return -math.log(1 - math.random()) * mean_delay
  end
end

done = function(summary, latency, requests)
  local total_hits, total = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total = total + thread:get("responses")
  end
  io.write(string.format("Page cache hits: %d of %d\n", total_hits, total))
end
