-- orchestry_balancer: upstream endpoints live in the shared dict orchestry_upstreams, pushed by the proxy service to the
-- control server (PUT /upstreams, the whole set each time), and each request's peer is picked here, so a replica change
-- needs no reload. Dict keys:
--   "u:<upstream>"          "<method> <host:port> <host:port> ..."   (method: round_robin | least_conn | ip_hash)
--   "names"                 the upstreams of the last push, space separated
--   "f:<upstream> <addr>"   recent failures of a peer; expires FAIL_TIMEOUT s after the first (like nginx's fail_timeout)
local balancer = require("ngx.balancer")

local dict = ngx.shared.orchestry_upstreams
local MAX_FAILS = 3
local FAIL_TIMEOUT = 10
local METHODS = { round_robin = true, least_conn = true, ip_hash = true }

local _M = {}

-- per worker: the parsed entry of each upstream (reparsed when the dict's text changes), round robin counters, and
-- requests in flight per peer (least_conn; an approximation: each worker counts its own)
local parsed = {}
local counters = {}
local inflight = {}

local function entry(name)
    local raw = dict:get("u:" .. name)
    if not raw then
        return nil
    end
    local cached = parsed[name]
    if cached and cached.raw == raw then
        return cached
    end
    local method, rest = raw:match("^(%S+)%s*(.*)$")
    local peers = {}
    for addr in rest:gmatch("%S+") do
        local host, port = addr:match("^%[?(.-)%]?:(%d+)$")
        peers[#peers + 1] = { host = host, port = tonumber(port), addr = addr, key = name .. " " .. addr }
    end
    cached = { raw = raw, method = method, peers = peers }
    parsed[name] = cached
    return cached
end

local function healthy(peer)
    return (dict:get("f:" .. peer.key) or 0) < MAX_FAILS
end

-- The method gives where to start; then the first peer that is untried and healthy, else untried, else any.
-- least_conn takes the one with the fewest requests in flight among those instead of the first.
local function pick(name, e, tried)
    local n = #e.peers
    local start
    if e.method == "ip_hash" then
        start = ngx.crc32_long(ngx.var.remote_addr) % n
    else
        counters[name] = (counters[name] or 0) + 1
        start = counters[name] % n
    end
    for pass = 1, 3 do
        local best
        for i = 0, n - 1 do
            local peer = e.peers[(start + i) % n + 1]
            if pass == 3 or (not tried[peer.addr] and (pass == 2 or healthy(peer))) then
                if e.method ~= "least_conn" then
                    return peer
                end
                if not best or (inflight[peer.key] or 0) < (inflight[best.key] or 0) then
                    best = peer
                end
            end
        end
        if best then
            return best
        end
    end
end

local function release(key)
    if key and inflight[key] then
        inflight[key] = math.max(0, inflight[key] - 1)
    end
end

-- access_by_lua: no endpoint for this upstream answers 503 here, before nginx tries the placeholder server.
function _M.check(name)
    local e = entry(name)
    if e and #e.peers > 0 then
        return
    end
    ngx.status = ngx.HTTP_SERVICE_UNAVAILABLE
    ngx.header["Content-Type"] = "text/plain"
    ngx.say("no healthy instance")
    return ngx.exit(ngx.HTTP_SERVICE_UNAVAILABLE)
end

-- balancer_by_lua: called once per try; a retry (proxy_next_upstream) counts a failure for the peer that failed.
function _M.balance(name)
    local e = entry(name)
    if not e or #e.peers == 0 then
        ngx.log(ngx.ERR, "orchestry: no endpoint for ", name)
        return ngx.exit(ngx.ERROR)
    end
    local ctx = ngx.ctx
    local tried = ctx.orchestry_tried
    if tried then
        local state = balancer.get_last_failure()
        if state == "failed" or state == "next" then
            dict:incr("f:" .. ctx.orchestry_peer, 1, 0, FAIL_TIMEOUT)
        end
        release(ctx.orchestry_peer)
    else
        tried = {}
        ctx.orchestry_tried = tried
        local more = math.min(2, #e.peers - 1)
        if more > 0 then
            balancer.set_more_tries(more)
        end
    end
    local peer = pick(name, e, tried)
    tried[peer.addr] = true
    ctx.orchestry_peer = peer.key
    inflight[peer.key] = (inflight[peer.key] or 0) + 1
    local ok, err = balancer.set_current_peer(peer.host, peer.port)
    if not ok then
        ngx.log(ngx.ERR, "orchestry: cannot use ", peer.addr, ": ", err)
        return ngx.exit(ngx.ERROR)
    end
end

-- log_by_lua: the request is done with its last peer.
function _M.finish()
    release(ngx.ctx.orchestry_peer)
    ngx.ctx.orchestry_peer = nil
end

local function valid_peers(rest)
    for addr in rest:gmatch("%S+") do
        if not (addr:match("^[%w%.%-]+:%d+$") or addr:match("^%[[%x:%.]+%]:%d+$")) then
            return false
        end
    end
    return true
end

local function read_body()
    ngx.req.read_body()
    local body = ngx.req.get_body_data()
    if body then
        return body
    end
    local file = ngx.req.get_body_file()
    if not file then
        return ""
    end
    local f = assert(io.open(file, "rb"))
    body = f:read("*a")
    f:close()
    return body
end

local function answer(status, text)
    ngx.status = status
    ngx.header["Content-Type"] = "text/plain"
    ngx.say(text)
    return ngx.exit(status)
end

-- content_by_lua of the control server. GET: one line per upstream. PUT: the body's lines replace every upstream
-- (an upstream absent from the body has no endpoint any more); a bad line refuses the whole body, nothing changes.
function _M.control()
    local method = ngx.req.get_method()
    if method == "GET" then
        ngx.header["Content-Type"] = "text/plain"
        for name in (dict:get("names") or ""):gmatch("%S+") do
            local raw = dict:get("u:" .. name)
            if raw then
                ngx.say(name, " ", raw)
            end
        end
        return
    end
    if method ~= "PUT" then
        return answer(ngx.HTTP_NOT_ALLOWED, "GET or PUT")
    end
    local entries, order = {}, {}
    for line in read_body():gmatch("[^\r\n]+") do
        local name, m, rest = line:match("^([%w_%-]+) (%S+)%s*(.*)$")
        if not name or not METHODS[m] or not valid_peers(rest) then
            return answer(ngx.HTTP_BAD_REQUEST, "bad line: " .. line:sub(1, 200))
        end
        if not entries[name] then
            order[#order + 1] = name
        end
        entries[name] = rest == "" and m or (m .. " " .. rest)
    end
    -- the new entries first, then the stale ones go: a request never finds its upstream missing in between
    for _, name in ipairs(order) do
        local ok, err = dict:set("u:" .. name, entries[name])
        if not ok then
            return answer(ngx.HTTP_INTERNAL_SERVER_ERROR, "cannot store " .. name .. ": " .. tostring(err))
        end
    end
    for old in (dict:get("names") or ""):gmatch("%S+") do
        if not entries[old] then
            dict:delete("u:" .. old)
        end
    end
    dict:set("names", table.concat(order, " "))
    return answer(ngx.HTTP_OK, "ok " .. #order)
end

return _M
