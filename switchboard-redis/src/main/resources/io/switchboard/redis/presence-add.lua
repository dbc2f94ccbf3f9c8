-- Adds a client to presence for a TTL, or refreshes it (keeping its place in join order).
-- ARGV[3..6]: client id, encoded client, TTL ms, meta TTL ms. Returns 1 when it joined.
local id, encoded, ttl = ARGV[3], ARGV[4], tonumber(ARGV[5])
local entry = redis.call('HGET', presence, id)
local seq
if entry then
  seq = string.match(entry, '^%d+')
else
  seq = redis.call('HINCRBY', meta, 'pseq', 1)
  if redis.call('PTTL', meta) < 0 then
    redis.call('PEXPIRE', meta, ARGV[6])
  end
end
redis.call('HSET', presence, id, seq .. '\n' .. encoded)
redis.call('ZADD', expiry, now + ttl, id)
-- The keys outlive the entries (twice the TTL) so that a later read or change still finds an
-- expired entry and announces its leave; after that a channel nobody refreshes simply goes.
for _, key in ipairs({presence, expiry}) do
  if redis.call('PTTL', key) < 2 * ttl then
    redis.call('PEXPIRE', key, 2 * ttl)
  end
end
if entry then
  return 0
end
redis.call(ARGV[1], ARGV[2], 'j' .. encoded)
return 1
