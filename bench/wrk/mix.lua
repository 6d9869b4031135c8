-- The random mix: every request a random page (and, signed in, a random user's session).
--   BENCH_PATHS    a file of paths, one a line: each request picks one
--   BENCH_COOKIES  a file of Cookie headers, one a line (each a project leader's session
--                  and CSRF cookie): each request picks one; none for anonymous visitors
-- Every request says it came through an HTTPS proxy, as bench/wrk/request.lua explains.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local function lines(name)
  local found = {}
  local file = name and name ~= "" and io.open(name)
  if file then
    for line in file:lines() do
      if line ~= "" then
        table.insert(found, line)
      end
    end
    file:close()
  end
  return found
end

local paths = lines(os.getenv("BENCH_PATHS"))
local cookies = lines(os.getenv("BENCH_COOKIES"))
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["X-Forwarded-For"] = "10.0.0.1"

request = function()
  if #cookies > 0 then
    wrk.headers["Cookie"] = cookies[math.random(#cookies)]
  end
  return wrk.format("GET", paths[math.random(#paths)])
end
