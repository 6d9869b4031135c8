-- One request, repeated by wrk: what bench/run.py puts in the environment.
--   BENCH_COOKIE      the Cookie header (a signed-in user's session, a CSRF cookie)
--   BENCH_METHOD      GET (default) or POST
--   BENCH_BODY        the form body of a POST (application/x-www-form-urlencoded)
--   BENCH_ORIGIN      the site's origin (https://host:port) for the CSRF check of a POST
--   BENCH_STATEMENTS  survey statement ids: each POST answers each with a random 1–6
-- Every request says it came through an HTTPS proxy (USE_X_FORWARDED_PROTO=1), as in
-- production, so that secure cookies and the CSRF check behave as they do there; the proxy
-- also gives the client's address (AXES_PROXY_COUNT=1): a survey answer comes from a random
-- one, as answers from many residents do. bench/wrk/common.lua: paced mode, cache hits.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["X-Forwarded-For"] = "10.0.0.1"
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local origin = os.getenv("BENCH_ORIGIN")
if origin and origin ~= "" then
  wrk.headers["Origin"] = origin
  wrk.headers["Referer"] = origin .. "/"
end

local statements = {}
for id in string.gmatch(os.getenv("BENCH_STATEMENTS") or "", "%d+") do
  table.insert(statements, id)
end

if #statements > 0 then
  request = function()
    local parts = { body }
    for _, id in ipairs(statements) do
      table.insert(parts, "s" .. id .. "=" .. math.random(1, 6))
    end
    wrk.headers["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." ..
      math.random(0, 255) .. "." .. math.random(1, 254)
    return wrk.format(nil, nil, nil, table.concat(parts, "&"))
  end
end
