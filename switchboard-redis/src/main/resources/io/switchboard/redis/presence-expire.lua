-- Shared start of the presence scripts: entries not re-added within their TTL leave, each
-- announced as a leave, before the script reads or changes presence.
-- KEYS: meta, presence (hash: client id -> "<join seq>\n<encoded client>"), expiry (zset: client id -> expires ms)
-- ARGV[1], ARGV[2]: PUBLISH or SPUBLISH, the channel's pub/sub channel
local meta, presence, expiry = KEYS[1], KEYS[2], KEYS[3]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function client(entry)
  return string.sub(entry, string.find(entry, '\n', 1, true) + 1)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', now)) do
  local entry = redis.call('HGET', presence, id)
  redis.call('HDEL', presence, id)
  redis.call('ZREM', expiry, id)
  if entry then
    redis.call(ARGV[1], ARGV[2], 'l' .. client(entry))
  end
end
