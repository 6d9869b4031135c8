-- What every load script of bench/run.py shares (loaded with dofile): it counts the answers
-- served from the page cache (the X-Page-Cache header), printed at the end as «Page cache
-- hits: H of N». Paced mode (--rate) does not use wrk: bench/paced.py.
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

done = function(summary, latency, requests)
  local total_hits, total = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total = total + thread:get("responses")
  end
  io.write(string.format("Page cache hits: %d of %d\n", total_hits, total))
end
