-- wrk script of the benchmark (load-tests/bench.sh): one bearer token per request, taken in turn from a file.
--
--   wrk ... -s wrk-tokens.lua <url> -- <tokens file> <path> <cycle|once> <get|exchange>
--
-- cycle    : go round the tokens (warm subjects, a static session, an open breaker);
-- once     : use each token once (cold subjects); if the file runs out the thread stops and reports it.
-- get      : GET <path> with "Authorization: Bearer <token>";
-- exchange : POST <path> with an RFC 8693 token-exchange form for <token> (the org's own round trip).
-- done() prints one line "WRKJSON {...}" with counts and latency percentiles in microseconds.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

tokens = {}
index = 0
exhausted = false
local path, mode, kind

function init(args)
  local file = args[1]
  path = args[2]
  mode = args[3] or "cycle"
  kind = args[4] or "get"
  for line in io.lines(file) do
    if #line > 0 then
      tokens[#tokens + 1] = line
    end
  end
  if #tokens == 0 then
    error("no tokens in " .. file)
  end
end

local form_prefix = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
    .. "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
    .. "&client_id=demo-client&client_secret=demo-secret&scope=api&subject_token="

function request()
  index = index + 1
  if index > #tokens then
    if mode == "once" then
      exhausted = true
      wrk.thread:stop()
    end
    index = 1
  end
  local token = tokens[index]
  if kind == "exchange" then
    return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" },
        form_prefix .. token)
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  local ran_out = false
  for _, thread in ipairs(threads) do
    if thread:get("exhausted") then
      ran_out = true
    end
  end
  local e = summary.errors
  io.write(string.format(
      'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,'
      .. '"write_errors":%d,"status_errors":%d,"timeouts":%d,"mean_us":%.1f,"max_us":%d,'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"exhausted":%s}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency:percentile(99.9), tostring(ran_out)))
end
