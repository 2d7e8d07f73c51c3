-- wrk script for `manage.py bench --mixed` (docs/performance.md); not run on its own.
--
-- devtools/bench_plan.py (render_script) writes var/bench/mixed.lua: a generated head that sets
--   PLAN     one entry per member: {cookie = "...", csrf = "...", steps = {{method, path, body}, ...}}
--   THINK_MS mean pause between two requests of one member, in ms (0: none)
-- followed by this file unchanged.
--
-- wrk runs with as many threads as connections as members, so thread n holds one
-- connection and is member n for the whole run: one connection, one cookie, one user.
-- Each member walks its own weighted list of steps round and round, from a different
-- starting point. Writes are POSTs with the CSRF cookie and the X-CSRFToken header, sent
-- as htmx sends them, so every expected answer is a 200.

local threads = {}
local started = 0

function setup(thread)
  started = started + 1
  thread:set("member", started)
  table.insert(threads, thread)
end

-- Per-thread state; globals so that done() can read them through thread:get().
member = member or 1
statuses = {}
local prepared = {}
local position = 0

function init(args)
  local plan = PLAN[((member - 1) % #PLAN) + 1]
  for i, step in ipairs(plan.steps) do
    local headers = { ["Cookie"] = plan.cookie }
    local body = nil
    if step[1] == "POST" then
      headers["X-CSRFToken"] = plan.csrf
      headers["HX-Request"] = "true"
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      body = step[3]
    end
    prepared[i] = wrk.format(step[1], step[2], headers, body)
  end
  position = (member * 7) % #prepared
  math.randomseed(member)
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

if THINK_MS > 0 then
  -- Uniform between 0 and twice the mean; not counted in the latency.
  function delay()
    return math.random(0, 2 * THINK_MS)
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    'MIXED_RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
