-- Removes a client from presence, announcing its leave if it was present.
-- ARGV[3]: client id. Returns 1 when it was present.
local entry = redis.call('HGET', presence, ARGV[3])
if not entry then
  return 0
end
redis.call('HDEL', presence, ARGV[3])
redis.call('ZREM', expiry, ARGV[3])
redis.call(ARGV[1], ARGV[2], 'l' .. client(entry))
return 1
